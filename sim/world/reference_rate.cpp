#include "world/reference_rate.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace p2psim {

ReferenceRate::ReferenceRate(double initial, const ReferenceRateConfig& config, RandomStream stream)
    : value_(initial),
      drift_per_year_(config.drift_per_year),
      volatility_per_year_(config.volatility_per_year),
      jumps_per_year_(config.jumps_per_year),
      jump_mean_(config.jump_mean),
      scheduled_(config.scheduled_jumps),
      day_ago_(initial),
      stream_(stream) {
  std::stable_sort(
      scheduled_.begin(), scheduled_.end(),
      [](const ScheduledRateJump& a, const ScheduledRateJump& b) { return a.day < b.day; });
  // The day before the run is taken as flat at the initial rate, so that a devaluation
  // scheduled for day 0 shows in the first day's change.
  hourly_values_.fill(initial);
  apply_scheduled_jumps(0);
}

void ReferenceRate::advance_hour() {
  constexpr double dt = 1.0 / kHoursPerYear;
  const double sigma = volatility_per_year_;
  double log_return = (drift_per_year_ - 0.5 * sigma * sigma) * dt;
  if (sigma > 0.0) log_return += sigma * std::sqrt(dt) * standard_normal(stream_);
  value_ *= std::exp(log_return);
  if (jumps_per_year_ > 0.0) {
    for (std::uint32_t k = poisson_count(jumps_per_year_ * dt); k > 0; --k) {
      value_ *= 1.0 + exponential(stream_, jump_mean_);
      ++random_jumps_;
    }
  }
  value_ = std::min(value_, kMaximum);
  ++hours_;
  if (hours_ % 24 == 0) apply_scheduled_jumps(hours_ / 24);
  double& slot = hourly_values_[hours_ % 24];
  day_ago_ = slot;
  slot = value_;
}

void ReferenceRate::jump(double change) {
  assert(change > -1.0);
  value_ = std::min(value_ * (1.0 + change), kMaximum);
}

void ReferenceRate::apply_scheduled_jumps(std::uint64_t day) {
  while (next_scheduled_ < scheduled_.size() && scheduled_[next_scheduled_].day <= day) {
    if (scheduled_[next_scheduled_].day == day) jump(scheduled_[next_scheduled_].change);
    ++next_scheduled_;
  }
}

// Knuth's product of uniforms: exact, and cheap for the small means of one hour.
std::uint32_t ReferenceRate::poisson_count(double mean) {
  const double limit = std::exp(-mean);
  std::uint32_t count = 0;
  double product = uniform01(stream_);
  while (product > limit) {
    ++count;
    product *= uniform01(stream_);
  }
  return count;
}

}  // namespace p2psim
