// Tests of the non-homogeneous Poisson arrival process: its intensity follows the profile, its
// expected count is normalised to the daily mean, and simulated counts agree with Poisson theory.
//
// Statistical checks use fixed seeds and tolerances derived from theory, stated at each check;
// "4 standard errors" bands fail with probability about 6e-5 for a correct process.
#include "world/arrival_process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace p2psim {
namespace {

constexpr std::uint64_t kSeed = 424242;

RandomStream arrival_stream(std::uint32_t replication) {
  return RandomStream(kSeed, replication, StreamId{0, 1});
}

double hourly_mean(const ArrivalProfile& profile) {
  return std::accumulate(profile.hourly.begin(), profile.hourly.end(), 0.0) / 24.0;
}
double weekly_mean(const ArrivalProfile& profile) {
  return std::accumulate(profile.weekly.begin(), profile.weekly.end(), 0.0) / 7.0;
}

// Counts of arrivals in [0, horizon), by hour of day and by day of week.
struct Counts {
  std::uint64_t total = 0;
  std::array<std::uint64_t, 24> by_hour{};
  std::array<std::uint64_t, 7> by_weekday{};
};

Counts simulate(ArrivalProcess& process, Seconds horizon) {
  Counts counts;
  Seconds t = 0.0;
  while (true) {
    Seconds next = process.next_after(t);
    EXPECT_GT(next, t);
    t = next;
    if (t >= horizon) break;
    ++counts.total;
    ++counts.by_hour[static_cast<int>(std::fmod(t, kDay) / kHour)];
    ++counts.by_weekday[static_cast<int>(std::fmod(t, kWeek) / kDay)];
  }
  return counts;
}

TEST(ArrivalProcess, DefaultProfileIsNotFlat) {
  // The statistical tests below rely on a profile with a real peak and trough.
  ArrivalProfile profile;
  auto [low, high] = std::minmax_element(profile.hourly.begin(), profile.hourly.end());
  EXPECT_GE(*high / *low, 10.0);
}

TEST(ArrivalProcess, RateFollowsTheNormalisedProfile) {
  ArrivalProfile profile;
  const double daily_mean = 500.0;
  ArrivalProcess process(daily_mean, profile, arrival_stream(0));
  const double h = hourly_mean(profile), w = weekly_mean(profile);
  for (int day = 0; day < 7; ++day) {
    for (int hour = 0; hour < 24; ++hour) {
      // Probe the start, the middle and the very end of each hour.
      for (double offset : {0.0, 1800.0, 3599.5}) {
        Seconds t = day * kDay + hour * kHour + offset;
        double expected =
            daily_mean / kDay * (profile.hourly[hour] / h) * (profile.weekly[day] / w);
        EXPECT_NEAR(process.rate_at(t), expected, 1e-12 * expected) << day << " " << hour;
        // The profile repeats every week.
        EXPECT_NEAR(process.rate_at(t + 3 * kWeek), expected, 1e-12 * expected);
      }
    }
  }
}

TEST(ArrivalProcess, ExpectedCountOverWholeWeeksIsTheDailyMean) {
  ArrivalProfile profile;
  ArrivalProcess process(500.0, profile, arrival_stream(0));
  EXPECT_NEAR(process.expected_count(kWeek), 7 * 500.0, 1e-9);
  EXPECT_NEAR(process.expected_count(2 * kWeek), 14 * 500.0, 1e-9);
  EXPECT_EQ(process.expected_count(0.0), 0.0);
  // Over one day the hourly weights average to one, leaving Monday's weekly weight.
  EXPECT_NEAR(process.expected_count(kDay), 500.0 * profile.weekly[0] / weekly_mean(profile), 1e-9);
  // Within an hour the rate is constant: half an hour holds half the hour's expectation.
  const double first_hour = process.expected_count(kHour);
  EXPECT_NEAR(process.expected_count(0.5 * kHour), 0.5 * first_hour, 1e-12);
  EXPECT_NEAR(process.expected_count(kHour), process.rate_at(0.0) * kHour, 1e-12);
}

TEST(ArrivalProcess, ExpectedCountIsTheIntegralOfTheRate) {
  ArrivalProfile profile;
  ArrivalProcess process(300.0, profile, arrival_stream(0));
  // Midpoint rule on a 1-minute grid is exact for a rate constant on whole hours.
  double integral = 0.0;
  const Seconds horizon = 2 * kDay + 5 * kHour + 30 * kMinute;
  for (Seconds t = 0.0; t < horizon; t += kMinute)
    integral += process.rate_at(t + 30.0) * kMinute;
  EXPECT_NEAR(process.expected_count(horizon), integral, 1e-9 * integral);
}

// The second thinning of a demand surge: candidates at surge_bound (3) times the profile's
// rate, each kept with probability m / 3, with m = 1 on days 0-6 and m = 2.5 on days 7-13
// (a multiplier that changes between candidates, as the world's hourly one does). Kept counts
// are Poisson with means 7 x 400 and 7 x 1,000 (whole weeks); 4 standard deviations allowed.
TEST(ArrivalProcess, SurgeThinningGivesTheMultipliedRate) {
  ArrivalProcess process(400.0, ArrivalProfile{}, arrival_stream(7), 3.0);
  std::array<double, 2> kept{};
  Seconds t = 0.0;
  while (true) {
    t = process.next_after(t);
    if (t >= 2 * kWeek) break;
    const int week = t < kWeek ? 0 : 1;
    if (process.surge_keeps(week == 0 ? 1.0 : 2.5)) kept[week] += 1.0;
  }
  EXPECT_NEAR(kept[0], 2800.0, 4.0 * std::sqrt(2800.0));
  EXPECT_NEAR(kept[1], 7000.0, 4.0 * std::sqrt(7000.0));
}

// Without a surge bound nothing more is drawn: a new daily mean from a given time gives the
// same arrivals as a process built with it, once both are restarted from that time.
TEST(ArrivalProcess, NewDailyMeanTakesEffectFromNow) {
  ArrivalProcess changed(100.0, ArrivalProfile{}, arrival_stream(8));
  ArrivalProcess built(900.0, ArrivalProfile{}, arrival_stream(8));
  EXPECT_TRUE(changed.surge_keeps(1.0));
  changed.set_daily_mean(900.0);
  EXPECT_EQ(changed.rate_at(3 * kDay), built.rate_at(3 * kDay));
  Seconds a = kDay, b = kDay;
  for (int i = 0; i < 100; ++i) {
    a = changed.next_after(a);
    b = built.next_after(b);
    ASSERT_EQ(a, b);
  }
}

TEST(ArrivalProcess, ZeroRateNeverArrives) {
  ArrivalProcess process(0.0, ArrivalProfile{}, arrival_stream(0));
  EXPECT_EQ(process.next_after(0.0), std::numeric_limits<double>::infinity());
  EXPECT_EQ(process.next_after(5 * kDay), std::numeric_limits<double>::infinity());
  EXPECT_EQ(process.expected_count(kWeek), 0.0);
}

TEST(ArrivalProcess, SameStreamGivesSameArrivals) {
  ArrivalProcess a(500.0, ArrivalProfile{}, arrival_stream(5));
  ArrivalProcess b(500.0, ArrivalProfile{}, arrival_stream(5));
  ArrivalProcess c(500.0, ArrivalProfile{}, arrival_stream(6));
  Seconds ta = 0.0, tb = 0.0, tc = 0.0;
  int differences = 0;
  for (int i = 0; i < 1000; ++i) {
    ta = a.next_after(ta);
    tb = b.next_after(tb);
    tc = c.next_after(tc);
    ASSERT_EQ(ta, tb);
    differences += ta != tc;
  }
  EXPECT_GT(differences, 990);
}

// Counts over K independent replications (different replication numbers) of 14 days.
// The count N of a Poisson process over [0, T) is Poisson with mean m = expected_count(T), so:
//  - the sample mean of K counts has standard error sqrt(m / K);
//  - the sample variance s^2 estimates m (variance = mean), and for Poisson counts
//    Var(s^2) = mu4 / K - sigma^4 (K - 3) / (K (K - 1)) = m / K + 2 m^2 / (K - 1)
//    (with mu4 = m + 3 m^2 and sigma^2 = m).
// Both are checked within 4 standard errors.
TEST(ArrivalProcess, CountsOverReplicationsArePoissonWithTheExpectedMean) {
  constexpr int kReplications = 400;
  const double daily_mean = 500.0;
  const Seconds horizon = 14 * kDay;
  const ArrivalProfile profile;
  double m = 0.0;
  std::vector<double> totals;
  for (std::uint32_t r = 0; r < kReplications; ++r) {
    ArrivalProcess process(daily_mean, profile, arrival_stream(r));
    m = process.expected_count(horizon);
    totals.push_back(static_cast<double>(simulate(process, horizon).total));
  }
  EXPECT_NEAR(m, 14 * daily_mean, 1e-9);
  const double k = kReplications;
  double mean = std::accumulate(totals.begin(), totals.end(), 0.0) / k;
  double squares = 0.0;
  for (double x : totals)
    squares += (x - mean) * (x - mean);
  double variance = squares / (k - 1);
  EXPECT_NEAR(mean, m, 4.0 * std::sqrt(m / k));
  EXPECT_NEAR(variance, m, 4.0 * std::sqrt(m / k + 2 * m * m / (k - 1)));
}

// Arrivals by hour of day and by weekday, pooled over replications, follow the profile. Given the
// total, the counts in the 24 hours (or the 7 weekdays of whole weeks) are multinomial with
// probabilities proportional to the weights, so:
//  - peak hour vs trough hour: given their sum n, the peak count is Binomial(n, p) with
//    p = w_peak / (w_peak + w_trough); checked within 4 binomial standard errors;
//  - all hours: Pearson's chi-square with 23 degrees of freedom, below its 0.9999 quantile;
//  - all weekdays: the same with 6 degrees of freedom.
TEST(ArrivalProcess, ArrivalsFollowTheHourlyAndWeeklyProfile) {
  const ArrivalProfile profile;
  const Seconds horizon = 2 * kWeek;
  Counts pooled;
  for (std::uint32_t r = 0; r < 100; ++r) {
    ArrivalProcess process(500.0, profile, arrival_stream(1000 + r));
    Counts counts = simulate(process, horizon);
    pooled.total += counts.total;
    for (int h = 0; h < 24; ++h)
      pooled.by_hour[h] += counts.by_hour[h];
    for (int d = 0; d < 7; ++d)
      pooled.by_weekday[d] += counts.by_weekday[d];
  }

  auto peak = std::max_element(profile.hourly.begin(), profile.hourly.end());
  auto trough = std::min_element(profile.hourly.begin(), profile.hourly.end());
  const int peak_hour = static_cast<int>(peak - profile.hourly.begin());
  const int trough_hour = static_cast<int>(trough - profile.hourly.begin());
  const double n = static_cast<double>(pooled.by_hour[peak_hour] + pooled.by_hour[trough_hour]);
  const double p = *peak / (*peak + *trough);
  EXPECT_NEAR(pooled.by_hour[peak_hour] / n, p, 4.0 * std::sqrt(p * (1 - p) / n));

  const double total = static_cast<double>(pooled.total);
  const double hour_sum = std::accumulate(profile.hourly.begin(), profile.hourly.end(), 0.0);
  double chi_hours = 0.0;
  for (int h = 0; h < 24; ++h) {
    double expected = total * profile.hourly[h] / hour_sum;
    chi_hours += std::pow(pooled.by_hour[h] - expected, 2) / expected;
  }
  EXPECT_LT(chi_hours, boost::math::quantile(boost::math::chi_squared(23), 0.9999));

  const double week_sum = std::accumulate(profile.weekly.begin(), profile.weekly.end(), 0.0);
  double chi_days = 0.0;
  for (int d = 0; d < 7; ++d) {
    double expected = total * profile.weekly[d] / week_sum;
    chi_days += std::pow(pooled.by_weekday[d] - expected, 2) / expected;
  }
  EXPECT_LT(chi_days, boost::math::quantile(boost::math::chi_squared(6), 0.9999));
}

// With a flat profile the process is homogeneous: gaps are exponential with mean kDay / daily.
TEST(ArrivalProcess, FlatProfileGivesExponentialGaps) {
  ArrivalProfile flat;
  flat.hourly.fill(2.0);  // any constant: normalisation removes the level
  flat.weekly.fill(0.5);
  const double daily_mean = 1000.0;
  ArrivalProcess process(daily_mean, flat, arrival_stream(77));
  const double mean_gap = kDay / daily_mean;
  EXPECT_NEAR(process.rate_at(12345.0), 1.0 / mean_gap, 1e-15);
  constexpr int kGaps = 100000;
  double sum = 0.0;
  int short_gaps = 0;
  Seconds t = 0.0;
  for (int i = 0; i < kGaps; ++i) {
    Seconds next = process.next_after(t);
    sum += next - t;
    short_gaps += (next - t) < mean_gap;
    t = next;
  }
  // Exponential gaps: standard error of the mean gap is mean / sqrt(n); P(gap < mean) = 1 - 1/e,
  // binomial standard error.
  EXPECT_NEAR(sum / kGaps, mean_gap, 4.0 * mean_gap / std::sqrt(kGaps));
  const double p = 1.0 - std::exp(-1.0);
  EXPECT_NEAR(short_gaps / static_cast<double>(kGaps), p, 4.0 * std::sqrt(p * (1 - p) / kGaps));
}

}  // namespace
}  // namespace p2psim
