// Time at the pace of a market's profile (sim/world/profile_clock.hpp): a flat profile is real
// time, a week of profile time is a week, and a Poisson stream laid out on the clock puts each
// hour's share of events where the profile says.
#include "world/profile_clock.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

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

// The hour search starts from each stretch's first hour instead of a binary search over the
// week: the same hour, hence the same time, to the bit. The reference is the binary search the
// clock used before, on the same table.
Seconds advance_by_binary_search(const ArrivalProfile& profile, Seconds now, Seconds span) {
  std::array<double, 168> weight{};
  std::array<double, 169> start{};
  const double hourly_total = std::accumulate(profile.hourly.begin(), profile.hourly.end(), 0.0);
  const double weekly_total = std::accumulate(profile.weekly.begin(), profile.weekly.end(), 0.0);
  for (int hour = 0; hour < 168; ++hour) {
    weight[hour] = profile.hourly[hour % 24] * 24.0 / hourly_total * profile.weekly[hour / 24] *
                   7.0 / weekly_total;
    start[hour + 1] = start[hour] + weight[hour] * kHour;
  }
  const double now_weeks = std::floor(now / kWeek);
  const Seconds now_into = now - now_weeks * kWeek;
  const int now_hour = std::min(static_cast<int>(now_into / kHour), 167);
  const Seconds target =
      now_weeks * kWeek + start[now_hour] + weight[now_hour] * (now_into - now_hour * kHour) + span;
  double weeks = std::floor(target / kWeek);
  Seconds into_week = target - weeks * kWeek;
  if (into_week >= kWeek) {
    weeks += 1.0;
    into_week = 0.0;
  }
  const int hour = static_cast<int>(
      std::upper_bound(start.begin() + 1, start.end() - 1, into_week) - start.begin() - 1);
  if (weight[hour] == 0.0) {
    const int first = static_cast<int>(
        std::find_if(weight.begin(), weight.end(), [](double w) { return w > 0.0; }) -
        weight.begin());
    return std::max(now, (weeks + 1.0) * kWeek + first * kHour);
  }
  return std::max(now, weeks * kWeek + hour * kHour + (into_week - start[hour]) / weight[hour]);
}

TEST(ProfileClock, FindsTheHourAsABinarySearchWould) {
  ArrivalProfile closed_weekend = flat();
  closed_weekend.weekly = {1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0};
  ArrivalProfile spiky = flat();
  spiky.hourly = {0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.5, 2.0, 9.0, 3.0, 1.0, 1.0,
                  1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 4.0, 7.0, 2.0, 0.5, 0.1, 0.0};
  RandomStream stream(3, 0, {0, 0});
  for (const ArrivalProfile& profile : {flat(), ArrivalProfile{}, closed_weekend, spiky}) {
    const ProfileClock clock(profile);
    for (int draw = 0; draw < 20000; ++draw) {
      const Seconds now = uniform01(stream) * 6 * kWeek;
      const Seconds span = exponential(stream, 2 * kDay);
      const Seconds expected = advance_by_binary_search(profile, now, span);
      ASSERT_EQ(clock.advance(now, span), expected) << now << " " << span;
    }
    // Times on the stretches' edges, where a division may round across them.
    for (int stretch = 0; stretch <= 168; ++stretch) {
      for (Seconds edge : {stretch * kHour, std::nextafter(stretch * kHour, 0.0)}) {
        ASSERT_EQ(clock.advance(0.0, edge), advance_by_binary_search(profile, 0.0, edge)) << edge;
      }
    }
  }
}

}  // namespace
}  // namespace p2psim
