// Tests of the reference rate's path: geometric Brownian motion with the configured drift and
// volatility, Poisson jumps, and scheduled jumps on their day exactly.
//
// Statistical checks use fixed seeds and tolerances of 4 standard errors derived from theory,
// stated at each check; such a band fails with probability about 6e-5 for a correct process.
#include "world/reference_rate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace p2psim {
namespace {

constexpr double kDt = 1.0 / ReferenceRate::kHoursPerYear;  // one hour, in years

RandomStream rate_stream(std::uint32_t entity = 0) {
  return RandomStream(77, 0, StreamId{entity, 6 << 8});
}

// Hourly log-returns over `hours` steps.
std::vector<double> log_returns(ReferenceRate& rate, std::size_t hours) {
  std::vector<double> returns;
  returns.reserve(hours);
  for (std::size_t h = 0; h < hours; ++h) {
    const double before = rate.value();
    rate.advance_hour();
    returns.push_back(std::log(rate.value() / before));
  }
  return returns;
}

TEST(ReferenceRate, DefaultsKeepTheRateConstant) {
  ReferenceRate rate(1580.0, ReferenceRateConfig{}, rate_stream());
  for (int h = 0; h < 24 * 400; ++h)
    rate.advance_hour();
  EXPECT_EQ(rate.value(), 1580.0);
  EXPECT_EQ(rate.change_over_day(), 0.0);
  EXPECT_EQ(rate.random_jumps(), 0u);
}

// Log-returns of GBM over dt are normal with mean (mu - sigma^2/2) dt and variance sigma^2 dt.
// Over n = 100 years of hours: the sample mean has standard error sigma sqrt(dt / n), and the
// sample variance (normal data) has standard error sigma^2 dt sqrt(2 / (n - 1)).
// The drift is negative so that a century of it stays far from ReferenceRate::kMaximum.
TEST(ReferenceRate, LogReturnsHaveTheConfiguredDriftAndVolatility) {
  const double mu = -2.0;
  const double sigma = 0.3;
  ReferenceRateConfig config;
  config.drift_per_year = mu;
  config.volatility_per_year = sigma;
  ReferenceRate rate(100.0, config, rate_stream());
  const std::size_t n = 100 * 8760;
  std::vector<double> returns = log_returns(rate, n);
  double mean = 0.0;
  for (double r : returns)
    mean += r;
  mean /= static_cast<double>(n);
  double variance = 0.0;
  for (double r : returns)
    variance += (r - mean) * (r - mean);
  variance /= static_cast<double>(n - 1);

  const double expected_mean = (mu - 0.5 * sigma * sigma) * kDt;
  const double mean_error = sigma * std::sqrt(kDt / static_cast<double>(n));
  EXPECT_NEAR(mean, expected_mean, 4.0 * mean_error);
  // The drift check is meaningful: 4 standard errors are well under the drift itself.
  EXPECT_LT(4.0 * mean_error, 0.2 * std::abs(expected_mean));

  const double expected_variance = sigma * sigma * kDt;
  const double variance_error = expected_variance * std::sqrt(2.0 / static_cast<double>(n - 1));
  EXPECT_NEAR(variance, expected_variance, 4.0 * variance_error);
}

// Random jumps alone: their count over T years is Poisson with mean and variance
// jumps_per_year x T; each multiplies the rate by (1 + J) with J exponential of mean jump_mean,
// so the mean of J over N jumps has standard error jump_mean / sqrt(N).

// Hyperinflation saturates: the rate never exceeds ReferenceRate::kMaximum, so fiat amounts in
// minor units stay within 64 bits.
TEST(ReferenceRate, SaturatesAtItsMaximum) {
  ReferenceRateConfig config;
  config.drift_per_year = 10.0;
  ReferenceRate rate(1e6, config, rate_stream());
  for (int hour = 0; hour < 2 * 8760; ++hour)
    rate.advance_hour();
  EXPECT_EQ(rate.value(), ReferenceRate::kMaximum);
  rate.jump(0.5);
  EXPECT_EQ(rate.value(), ReferenceRate::kMaximum);
}

TEST(ReferenceRate, RandomJumpsArePoissonWithExponentialSizes) {
  ReferenceRateConfig config;
  config.jumps_per_year = 50.0;
  config.jump_mean = 0.1;
  ReferenceRate rate(100.0, config, rate_stream(1));
  const double years = 100.0;
  const std::size_t hours = static_cast<std::size_t>(years * 8760);
  std::vector<double> returns = log_returns(rate, hours);

  const double expected_jumps = config.jumps_per_year * years;
  EXPECT_NEAR(static_cast<double>(rate.random_jumps()), expected_jumps,
              4.0 * std::sqrt(expected_jumps));

  // Hours with a jump, and the size of what moved the rate in them. Two jumps in one hour
  // (probability about (50 dt)^2 / 2 per hour: some 14 of 5000 jumps) are counted as one of
  // about twice the size; that bias (~14 x 0.1 / 5000 = 3e-4) is far below the tolerance.
  double size_sum = 0.0;
  std::size_t jump_hours = 0;
  for (double r : returns) {
    if (r == 0.0) continue;
    EXPECT_GT(r, 0.0);  // J > 0: the local currency only loses value
    size_sum += std::exp(r) - 1.0;
    ++jump_hours;
  }
  ASSERT_GT(jump_hours, 0u);
  const double mean_size = size_sum / static_cast<double>(jump_hours);
  EXPECT_NEAR(mean_size, config.jump_mean,
              4.0 * config.jump_mean / std::sqrt(static_cast<double>(jump_hours)));
}

TEST(ReferenceRate, ScheduledJumpsApplyAtTheStartOfTheirDayExactly) {
  ReferenceRateConfig config;
  config.scheduled_jumps = {{.day = 5, .change = 0.5}, {.day = 0, .change = 0.1}};
  ReferenceRate rate(100.0, config, rate_stream());
  // Day 0's jump is already there at time 0; the day before the run counts as flat.
  EXPECT_DOUBLE_EQ(rate.value(), 110.0);
  EXPECT_NEAR(rate.change_over_day(), 0.1, 1e-12);
  for (int h = 1; h < 5 * 24; ++h) {
    rate.advance_hour();
    ASSERT_DOUBLE_EQ(rate.value(), 110.0) << "hour " << h;
  }
  rate.advance_hour();  // reaches day 5, 00:00
  EXPECT_EQ(rate.hours_elapsed(), 5u * 24u);
  EXPECT_DOUBLE_EQ(rate.value(), 165.0);
  EXPECT_NEAR(rate.change_over_day(), 0.5, 1e-12);
  for (int h = 0; h < 23; ++h)
    rate.advance_hour();
  EXPECT_NEAR(rate.change_over_day(), 0.5, 1e-12);  // still within 24 h of the jump
  rate.advance_hour();
  EXPECT_EQ(rate.change_over_day(), 0.0);  // a day later the move is over
}

TEST(ReferenceRate, ShockJumpAndNewParametersTakeEffect) {
  ReferenceRate rate(100.0, ReferenceRateConfig{}, rate_stream());
  rate.jump(-0.2);
  EXPECT_DOUBLE_EQ(rate.value(), 80.0);
  rate.set_drift(0.876);  // 1e-4 per hour, no volatility: deterministic
  rate.advance_hour();
  EXPECT_NEAR(rate.value(), 80.0 * std::exp(0.876 * kDt), 1e-9);
}

}  // namespace
}  // namespace p2psim
