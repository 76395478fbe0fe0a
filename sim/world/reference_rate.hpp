#pragma once
// A market's reference rate (fiat per USDT) as it moves through the run: geometric Brownian
// motion with annualised drift mu and volatility sigma, plus random jumps arriving as a Poisson
// process, plus jumps scheduled for 00:00 of given days. It is advanced once per simulated hour:
//
//   R(t + dt) = R(t) x exp((mu - sigma^2 / 2) dt + sigma sqrt(dt) Z) x prod_k (1 + J_k)
//
// with dt = 1 / 8760 year, Z standard normal, a Poisson(jumps_per_year x dt) number of random
// jumps J_k, each exponential with mean jump_mean (J > 0: the local currency loses value), and
// then the relative changes scheduled for that hour if it starts a day. With mu = sigma = 0 and
// no jumps the rate stays exactly where it started and no random number is drawn.
#include <array>
#include <cstdint>
#include <vector>

#include "core/random_stream.hpp"
#include "world/world_config.hpp"

namespace p2psim {

class ReferenceRate {
 public:
  static constexpr double kHoursPerYear = 8760.0;
  // The rate saturates here (fiat per USDT), so that fiat amounts in minor units always fit in
  // 64 bits: an order of 1e7 USD at 1e8 is 1e17 cents. A hyperinflation run that reaches it
  // is told by the rate no longer rising; docs/model.md says so.
  static constexpr double kMaximum = 1e8;

  // Jumps scheduled for day 0 are applied at once.
  ReferenceRate(double initial, const ReferenceRateConfig& config, RandomStream stream);

  // Moves the rate over the next whole hour, then applies the jumps scheduled for the day that
  // this hour's end starts, if it starts one.
  void advance_hour();
  // Multiplies the rate by (1 + change); change > -1.
  void jump(double change);
  void set_drift(double per_year) { drift_per_year_ = per_year; }
  void set_volatility(double per_year) { volatility_per_year_ = per_year; }

  double value() const { return value_; }
  // R(now) / R(24 hours earlier) - 1, with "now" the last whole hour reached; before the first
  // day is over, the earlier rate is the initial one.
  double change_over_day() const { return value_ / day_ago_ - 1.0; }
  std::uint64_t hours_elapsed() const { return hours_; }
  std::uint64_t random_jumps() const { return random_jumps_; }

 private:
  void apply_scheduled_jumps(std::uint64_t day);
  std::uint32_t poisson_count(double mean);

  double value_;
  double drift_per_year_;
  double volatility_per_year_;
  double jumps_per_year_;
  double jump_mean_;
  std::vector<ScheduledRateJump> scheduled_;  // sorted by day, stable
  std::size_t next_scheduled_ = 0;
  std::array<double, 24> hourly_values_{};  // the rate at the last 24 whole hours, a ring
  double day_ago_;
  std::uint64_t hours_ = 0;
  std::uint64_t random_jumps_ = 0;
  RandomStream stream_;
};

}  // namespace p2psim
