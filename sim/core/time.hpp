#pragma once
// Simulated time is continuous, in seconds since the start of the run (day 0, 00:00, a Monday).

namespace p2psim {

using Seconds = double;

inline constexpr Seconds kMinute = 60.0;
inline constexpr Seconds kHour = 3600.0;
inline constexpr Seconds kDay = 86400.0;
inline constexpr Seconds kWeek = 7.0 * kDay;

inline int day_of(Seconds time) {
  return static_cast<int>(time / kDay);
}

}  // namespace p2psim
