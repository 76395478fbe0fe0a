#pragma once
// Arrivals at the top of the funnel: a non-homogeneous Poisson process whose rate is
// daily_mean / day x hourly weight x weekday weight, sampled by thinning (Lewis and Shedler):
// candidates come at the peak rate and each is kept with probability rate(t) / peak rate.
// The weights are normalised to mean 1, so over whole weeks the expected count is exactly
// daily_mean per day.
#include <array>

#include "core/random_stream.hpp"
#include "core/time.hpp"
#include "world/world_config.hpp"

namespace p2psim {

class ArrivalProcess {
 public:
  ArrivalProcess(double daily_mean, const ArrivalProfile& profile, RandomStream stream);

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
  RandomStream stream_;
};

}  // namespace p2psim
