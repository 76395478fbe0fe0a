#include "world/arrival_process.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

namespace p2psim {
namespace {

template <std::size_t N>
std::array<double, N> normalised_to_mean_one(const std::array<double, N>& weights) {
  double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::array<double, N> result{};
  for (std::size_t i = 0; i < N; ++i)
    result[i] = weights[i] * static_cast<double>(N) / total;
  return result;
}

}  // namespace

ArrivalProcess::ArrivalProcess(double daily_mean, const ArrivalProfile& profile,
                               RandomStream stream, double surge_bound)
    : hourly_(normalised_to_mean_one(profile.hourly)),
      weekly_(normalised_to_mean_one(profile.weekly)),
      surge_bound_(surge_bound),
      stream_(stream) {
  set_daily_mean(daily_mean);
}

void ArrivalProcess::set_daily_mean(double daily_mean) {
  base_rate_ = daily_mean / kDay;
  peak_rate_ = base_rate_ * *std::max_element(hourly_.begin(), hourly_.end()) *
               *std::max_element(weekly_.begin(), weekly_.end());
}

bool ArrivalProcess::surge_keeps(double multiplier) {
  assert(multiplier <= surge_bound_ * (1.0 + 1e-12));
  if (surge_bound_ == 1.0) return true;
  return uniform01(stream_) * surge_bound_ < multiplier;
}

double ArrivalProcess::rate_at(Seconds t) const {
  int hour = static_cast<int>(std::fmod(t, kDay) / kHour);
  int weekday = static_cast<int>(std::fmod(t, kWeek) / kDay);
  return base_rate_ * hourly_[hour] * weekly_[weekday];
}

double ArrivalProcess::expected_count(Seconds t) const {
  double total = 0.0;
  for (Seconds start = 0.0; start < t; start += kHour) {
    total += rate_at(start) * std::min(kHour, t - start);
  }
  return total;
}

Seconds ArrivalProcess::next_after(Seconds now) {
  if (peak_rate_ <= 0.0) return std::numeric_limits<double>::infinity();
  Seconds t = now;
  while (true) {
    t += exponential(stream_, 1.0 / (peak_rate_ * surge_bound_));
    // A rate too small to be represented (1e-308 a day) never brings anyone.
    if (!std::isfinite(t)) return std::numeric_limits<double>::infinity();
    if (uniform01(stream_) * peak_rate_ < rate_at(t)) return t;
  }
}

}  // namespace p2psim
