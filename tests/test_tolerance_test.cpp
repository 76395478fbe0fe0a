// The statistics of `p2psim check`'s statistical tier: Welch's test against a tolerance margin
// and Holm's correction.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "analysis/tolerance_test.hpp"

namespace p2psim {
namespace {

ToleranceTest tested(const std::vector<double>& baseline, const std::vector<double>& current,
                     double tolerance) {
  return tolerance_test(baseline, current, tolerance);
}

TEST(ToleranceTest, MatchesAHandComputedWelchTest) {
  // baseline: mean 10, s^2 = 1 (n = 4); current: mean 13, s^2 = 4 (n = 4); tolerance 10%:
  // margin 1, excess 2, se = sqrt(1/4 + 4/4) = 1.1180, t = 1.7889,
  // df = 1.25^2 / ((0.25^2 + 1^2) / 3) = 4.4118; P(T > 1.7889) with that df is about 0.0714.
  const std::vector<double> baseline{9.9, 10.0, 10.0, 10.1};  // tight, for the last check
  const std::vector<double> exact_baseline{10.0 - std::sqrt(1.5), 10.0, 10.0,
                                           10.0 + std::sqrt(1.5)};  // variance exactly 1
  const std::vector<double> current{13.0 - std::sqrt(6.0), 13.0, 13.0, 13.0 + std::sqrt(6.0)};
  const ToleranceTest test = tolerance_test(exact_baseline, current, 0.1);
  EXPECT_NEAR(test.baseline_mean, 10.0, 1e-12);
  EXPECT_NEAR(test.current_mean, 13.0, 1e-12);
  EXPECT_NEAR(test.margin, 1.0, 1e-12);
  EXPECT_NEAR(test.t, 2.0 / std::sqrt(1.25), 1e-9);
  EXPECT_NEAR(test.degrees_of_freedom, 1.5625 / ((0.0625 + 1.0) / 3.0), 1e-9);
  EXPECT_NEAR(test.p_value, 0.0714, 0.002);
  // Less spread, same means: a much smaller p-value.
  EXPECT_LT(tested(baseline, {12.9, 13.0, 13.0, 13.1}, 0.1).p_value, 1e-3);
}

TEST(ToleranceTest, AMoveWithinTheToleranceIsNeverSignificant) {
  // +3% on a 5% tolerance: the excess is negative, so p > 0.5 whatever the spread.
  const ToleranceTest test = tested({100, 101, 99, 100}, {103, 104, 102, 103}, 0.05);
  EXPECT_LT(test.t, 0.0);
  EXPECT_GT(test.p_value, 0.5);
}

TEST(ToleranceTest, WithoutSpreadItIsAPlainComparison) {
  EXPECT_EQ(tested({5.0}, {5.4}, 0.05).p_value, 0.0);  // +8% > 5%
  EXPECT_EQ(tested({5.0}, {5.2}, 0.05).p_value, 1.0);  // +4% <= 5%
  EXPECT_EQ(tested({2.0, 2.0}, {2.0, 2.0, 2.0}, 0.0).p_value, 1.0);
  // A baseline of 0 leaves no margin: any move without noise is a regression.
  EXPECT_EQ(tested({0.0, 0.0}, {1.0, 1.0}, 0.5).p_value, 0.0);
}

TEST(ToleranceTest, FalseAlarmRateAtTheMarginIsAlpha) {
  // Under H0 at its boundary (the true move equals the margin), P(p < 0.05) must be about 0.05.
  // 4,000 draws of 8 + 8 normal replications from a fixed linear congruential sequence (Box-
  // Muller): the binomial standard error of the rate is sqrt(0.05 * 0.95 / 4000) = 0.0034, so
  // 0.05 +/- 0.012 is a 3.5-sigma band.
  std::uint64_t state = 12345;
  auto uniform = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (static_cast<double>(state >> 11) + 0.5) / 9007199254740992.0;
  };
  auto normal = [&uniform] {
    return std::sqrt(-2.0 * std::log(uniform())) * std::cos(2.0 * M_PI * uniform());
  };
  int alarms = 0;
  constexpr int kTrials = 4000;
  for (int trial = 0; trial < kTrials; ++trial) {
    std::vector<double> baseline, current;
    for (int i = 0; i < 8; ++i) {
      baseline.push_back(100.0 + 2.0 * normal());
      current.push_back(105.0 + 2.0 * normal());  // exactly the 5% margin
    }
    // A true baseline of 100 keeps the margin at 5; the test uses the sample mean, which adds
    // noise to the margin and makes it slightly conservative or liberal: the band covers it.
    if (tolerance_test(baseline, current, 0.05).p_value < 0.05) ++alarms;
  }
  EXPECT_NEAR(alarms / static_cast<double>(kTrials), 0.05, 0.012);
}

TEST(HolmAdjusted, StepsDownAndKeepsTheInputOrder) {
  // Sorted: 0.01 (x4 = 0.04), 0.02 (x3 = 0.06), 0.03 (x2 = 0.06), 0.04 (x1 = 0.04 -> 0.06).
  const std::vector<double> adjusted = holm_adjusted(std::vector<double>{0.03, 0.01, 0.04, 0.02});
  ASSERT_EQ(adjusted.size(), 4u);
  EXPECT_NEAR(adjusted[1], 0.04, 1e-12);
  EXPECT_NEAR(adjusted[3], 0.06, 1e-12);
  EXPECT_NEAR(adjusted[0], 0.06, 1e-12);
  EXPECT_NEAR(adjusted[2], 0.06, 1e-12);
  EXPECT_EQ(holm_adjusted(std::vector<double>{0.9, 0.8}), (std::vector<double>{1.0, 1.0}));
  EXPECT_TRUE(holm_adjusted(std::vector<double>{}).empty());
}

}  // namespace
}  // namespace p2psim
