#pragma once
// Time at the pace of a market's hourly and weekly profile. Users' order attempts are Poisson
// with a rate that follows the profile, like visitor arrivals: a gap drawn as if the rate were
// flat is laid out in "profile time", which runs weight(t) times as fast as real time, so that
// busy hours get more attempts and the night fewer (Cinlar's time change of a Poisson process).
// The weights are normalised to mean 1 over the week, so a week of profile time is a week and
// the mean rate over whole weeks is unchanged.
#include <array>
#include <cstdint>

#include "core/time.hpp"
#include "world/world_config.hpp"

namespace p2psim {

class ProfileClock {
 public:
  explicit ProfileClock(const ArrivalProfile& profile);

  // The real time at which `span` seconds of profile time have passed since `now`.
  Seconds advance(Seconds now, Seconds span) const;
  // The profile time elapsed from 0 to `t`.
  Seconds elapsed(Seconds t) const;

 private:
  static constexpr int kHoursPerWeek = 168;
  std::array<double, kHoursPerWeek> weight_{};  // by hour of the week, Monday 00:00 first
  // Profile time elapsed in the week before each hour starts; the last entry is the week's total
  // (a week, up to rounding).
  std::array<double, kHoursPerWeek + 1> start_{};
  // For each hour-long stretch of profile time in the week, the first hour whose stretch reaches
  // into it: where the search for a time's hour starts (a step or two, not a binary search).
  std::array<std::uint8_t, kHoursPerWeek> first_hour_{};

  // The hour whose stretch of profile time holds `into_week`: the first hour h < 167 with
  // start_[h + 1] > into_week, else the last hour.
  int hour_holding(Seconds into_week) const;
};

}  // namespace p2psim
