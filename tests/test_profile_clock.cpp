// Time at the pace of a market's profile (sim/world/profile_clock.hpp): a flat profile is real
// time, a week of profile time is a week, and a Poisson stream laid out on the clock puts each
// hour's share of events where the profile says.
#include "world/profile_clock.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/random_stream.hpp"

namespace p2psim {
namespace {

ArrivalProfile flat() {
  ArrivalProfile profile;
  profile.hourly.fill(1.0);
  profile.weekly.fill(1.0);
  return profile;
}

TEST(ProfileClock, AFlatProfileIsRealTime) {
  const ProfileClock clock(flat());
  for (Seconds now : {0.0, 1234.5, 10 * kDay + 17.0}) {
    EXPECT_NEAR(clock.advance(now, 5000.0), now + 5000.0, 1e-6);
    EXPECT_NEAR(clock.elapsed(now), now, 1e-6);
  }
}

TEST(ProfileClock, AdvanceInvertsElapsed) {
  const ProfileClock clock{ArrivalProfile{}};
  for (Seconds now : {0.0, 3.7 * kHour, 2.5 * kDay, 40 * kDay + 123.0}) {
    for (Seconds span : {1.0, kHour, 3 * kDay, 20 * kDay}) {
      const Seconds later = clock.advance(now, span);
      EXPECT_GE(later, now);
      EXPECT_NEAR(clock.elapsed(later) - clock.elapsed(now), span, 1e-6) << now << " " << span;
    }
  }
}

TEST(ProfileClock, AWeekOfProfileTimeIsAWeek) {
  // The weights have mean 1 over the week, so the mean rate over whole weeks is unchanged.
  const ProfileClock clock{ArrivalProfile{}};
  for (Seconds now : {0.0, 5.25 * kHour, 9 * kDay}) {
    EXPECT_NEAR(clock.advance(now, kWeek), now + kWeek, 1e-6) << now;
  }
}

TEST(ProfileClock, AnHourWithoutWeightGetsNoEvents) {
  ArrivalProfile profile = flat();
  profile.hourly[3] = 0.0;
  const ProfileClock clock(profile);
  // From 02:30, a little less than half an hour of profile time (the other hours weigh 24/23)
  // ends before 03:00; half an hour or more ends at 04:00 or later, never within 03:00-04:00.
  const double weight = 24.0 / 23.0;
  EXPECT_LT(clock.advance(2.5 * kHour, 0.49 * kHour * weight), 3 * kHour);
  EXPECT_NEAR(clock.advance(2.5 * kHour, 0.5 * kHour * weight), 4 * kHour, 1e-6);
  EXPECT_NEAR(clock.advance(2.5 * kHour, 0.75 * kHour * weight), 4.25 * kHour, 1e-6);
}

TEST(ProfileClock, AClosedWeekendIsSkipped) {
  // No weight on Saturday and Sunday: from Friday evening, time runs on into Monday, and a time
  // inside the weekend moves to Monday 00:00 at once; never NaN, never before now.
  ArrivalProfile profile = flat();
  profile.weekly = {1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0};
  const ProfileClock clock(profile);
  const double weight = 7.0 / 5.0;
  EXPECT_NEAR(clock.advance(4 * kDay + 23 * kHour, 2 * kHour * weight), kWeek + kHour, 1e-6);
  for (Seconds saturday : {5 * kDay, 5.5 * kDay, kWeek - 1e-3}) {
    const Seconds next = clock.advance(saturday, 0.0);
    EXPECT_GE(next, saturday);
    EXPECT_LE(next, kWeek + 1e-6) << saturday;
  }
}

TEST(ProfileClock, APoissonStreamFollowsTheDailyProfile) {
  // Exponential gaps of mean one hour in profile time: the share of events between 00:00 and
  // 06:00 is the night's share of the hourly weights, 1.05 / 24.15 = 0.0435 for the default
  // profile (the weekly weights scale whole days, so they cancel). The events of a Poisson
  // stream in disjoint hours are independent: 4 binomial standard deviations over n events.
  const ProfileClock clock{ArrivalProfile{}};
  RandomStream stream(7, 0, StreamId{0, 1});
  constexpr int kEvents = 200000;
  Seconds now = 0.0;
  int night = 0;
  for (int i = 0; i < kEvents; ++i) {
    now = clock.advance(now, exponential(stream, kHour));
    night += std::fmod(now, kDay) < 6 * kHour;
  }
  const double expected = 1.05 / 24.15;
  EXPECT_NEAR(night / double(kEvents), expected,
              4.0 * std::sqrt(expected * (1.0 - expected) / kEvents));
}

}  // namespace
}  // namespace p2psim
