#pragma once
// Arrivals at the top of the funnel: a non-homogeneous Poisson process whose rate is
// daily_mean / day x hourly weight x weekday weight, sampled by thinning (Lewis and Shedler):
// candidates come at the peak rate and each is kept with probability rate(t) / peak rate.
// The weights are normalised to mean 1, so over whole weeks the expected count is exactly
// daily_mean per day.
//
// A demand multiplier m(t) <= surge_bound that is only known as time goes by (it is set hourly
// from the reference rate) is added by a second thinning: candidates come at surge_bound times
// the peak rate, the profile thins them as above, and the world keeps each remaining candidate,
// when it happens, with probability m(t) / surge_bound (surge_keeps). The result is exactly the
// process with rate lambda(t) x m(t). With surge_bound = 1 nothing changes and nothing more is
// drawn.
#include <array>

#include "core/random_stream.hpp"
#include "core/time.hpp"
#include "world/world_config.hpp"

namespace p2psim {

class ArrivalProcess {
 public:
  ArrivalProcess(double daily_mean, const ArrivalProfile& profile, RandomStream stream,
                 double surge_bound = 1.0);

  // A new daily mean from now on. Candidates drawn before are no longer valid: the caller
  // draws the next arrival again from now, which is exact because Poisson candidates have no
  // memory.
  void set_daily_mean(double daily_mean);
  // Whether a candidate is kept under demand multiplier `multiplier` (at most the surge bound).
  bool surge_keeps(double multiplier);
  double surge_bound() const { return surge_bound_; }

  // The next arrival strictly after `now`, or +infinity when the rate is zero.
  Seconds next_after(Seconds now);
  // The arrival intensity at time t, per second.
  double rate_at(Seconds t) const;
  // The expected number of arrivals in [0, t).
  double expected_count(Seconds t) const;

 private:
  std::array<double, 24> hourly_{};
  std::array<double, 7> weekly_{};
  double base_rate_ = 0.0;  // per second
  double peak_rate_ = 0.0;
  double surge_bound_ = 1.0;
  RandomStream stream_;
};

}  // namespace p2psim
