#include "world/profile_clock.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace p2psim {

ProfileClock::ProfileClock(const ArrivalProfile& profile) {
  const double hourly_total = std::accumulate(profile.hourly.begin(), profile.hourly.end(), 0.0);
  const double weekly_total = std::accumulate(profile.weekly.begin(), profile.weekly.end(), 0.0);
  for (int hour = 0; hour < kHoursPerWeek; ++hour) {
    weight_[hour] = profile.hourly[hour % 24] * 24.0 / hourly_total * profile.weekly[hour / 24] *
                    7.0 / weekly_total;
    start_[hour + 1] = start_[hour] + weight_[hour] * kHour;
  }
  int hour = 0;
  for (int stretch = 0; stretch < kHoursPerWeek; ++stretch) {
    while (hour < kHoursPerWeek - 1 && start_[hour + 1] <= stretch * kHour)
      ++hour;
    first_hour_[stretch] = static_cast<std::uint8_t>(hour);
  }
}

int ProfileClock::hour_holding(Seconds into_week) const {
  // An infinite span leaves no time in the week: the last hour, where a search would end.
  if (std::isnan(into_week)) return kHoursPerWeek - 1;
  const double position = std::clamp(into_week / kHour, 0.0, kHoursPerWeek - 1.0);
  const int stretch = static_cast<int>(position);
  int hour = first_hour_[stretch];
  // Back first: the division may round a time just below a stretch's start into it.
  while (hour > 0 && start_[hour] > into_week)
    --hour;
  while (hour < kHoursPerWeek - 1 && start_[hour + 1] <= into_week)
    ++hour;
  return hour;
}

Seconds ProfileClock::elapsed(Seconds t) const {
  const double weeks = std::floor(t / kWeek);
  const Seconds into_week = t - weeks * kWeek;
  const int hour = std::min(static_cast<int>(into_week / kHour), kHoursPerWeek - 1);
  return weeks * kWeek + start_[hour] + weight_[hour] * (into_week - hour * kHour);
}

Seconds ProfileClock::advance(Seconds now, Seconds span) const {
  const Seconds target = elapsed(now) + span;
  double weeks = std::floor(target / kWeek);
  Seconds into_week = target - weeks * kWeek;
  if (into_week >= kWeek) {  // rounding: the start of the next week
    weeks += 1.0;
    into_week = 0.0;
  }
  // The hour whose stretch of profile time holds the target: it has a weight above 0.
  const int hour = hour_holding(into_week);
  if (weight_[hour] == 0.0) {
    // Rounding left the target in the sliver after the last hour with weight: the next moment
    // with any weight is the first such hour of the next week.
    const int first = static_cast<int>(
        std::find_if(weight_.begin(), weight_.end(), [](double w) { return w > 0.0; }) -
        weight_.begin());
    return std::max(now, (weeks + 1.0) * kWeek + first * kHour);
  }
  const Seconds real = weeks * kWeek + hour * kHour + (into_week - start_[hour]) / weight_[hour];
  return std::max(now, real);  // never before now, whatever the rounding
}

}  // namespace p2psim
