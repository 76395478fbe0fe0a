// The statistics of `p2psim check`'s statistical tier: Welch's and the paired test against a
// tolerance margin, and Holm's correction.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
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
  // df = 1.25^2 / ((0.25^2 + 1^2) / 3) = 4.4118; P(T > 1.7889) with that df is 0.0707, and the
  // other tail at a true move of -margin, P(T > (3 + 1) / 1.1180), adds 0.0098 (scipy.stats.t).
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
  EXPECT_NEAR(test.p_value, 0.0806, 0.0005);
  // Less spread, same means: a much smaller p-value.
  EXPECT_LT(tested(baseline, {12.9, 13.0, 13.0, 13.1}, 0.1).p_value, 1e-3);
}

TEST(ToleranceTest, PairedMatchesAHandComputedTest) {
  // d = (2.5, 2, 3, 2.5), less each pair's margin of 10% of its baseline (1, 1.2, 0.9, 1.1):
  // excess (1.5, 0.8, 2.1, 1.4), mean 1.45 (= mean d 2.5 - margin 1.05), se 0.2661, t = 5.4482
  // on 3 degrees of freedom; the other tail, d plus the margins (3.5, 3.2, 3.9, 3.6), t =
  // 24.595; p = P(T > 5.4482) + P(T > 24.595) = 0.006146 (scipy.stats.t). Welch's test of the
  // same samples, blind to the pairing, finds nothing at 5%.
  const std::vector<double> baseline{10, 12, 9, 11};
  const std::vector<double> current{12.5, 14, 12, 13.5};
  const ToleranceTest test = paired_tolerance_test(baseline, current, 0.1);
  EXPECT_NEAR(test.margin, 1.05, 1e-12);
  EXPECT_NEAR(test.t, 1.45 / (std::sqrt(0.85 / 3.0) / 2.0), 1e-9);
  EXPECT_EQ(test.degrees_of_freedom, 3.0);
  EXPECT_NEAR(test.p_value, 0.0061463, 0.000001);
  EXPECT_GT(tolerance_test(baseline, current, 0.1).p_value, 0.05);
  // Without spread in the excess (here constant values) it is the plain comparison.
  const std::vector<double> flat{10, 10, 10, 10};
  EXPECT_EQ(paired_tolerance_test(flat, std::vector<double>{11, 11, 11, 11}, 0.05).p_value, 0.0);
  EXPECT_EQ(paired_tolerance_test(flat, std::vector<double>{10.4, 10.4, 10.4, 10.4}, 0.05).p_value,
            1.0);
}

TEST(ToleranceTest, ASingleValueTakesTheOtherSamplesVariance) {
  // 10 against (12, 13, 14), no tolerance: s^2 = 1, se = sqrt(1/3 + 1) = 1.1547, t = 2.5981 on
  // 2 degrees of freedom, both tails: p = 2 P(T > 2.5981) = 0.1217 (scipy.stats.t), where taking
  // the single value as exact would give an se of 0.577 and p = 0.035.
  const ToleranceTest test = tested({10.0}, {12.0, 13.0, 14.0}, 0.0);
  EXPECT_NEAR(test.t, 3.0 / std::sqrt(4.0 / 3.0), 1e-9);
  EXPECT_EQ(test.degrees_of_freedom, 2.0);
  EXPECT_NEAR(test.p_value, 0.12168, 0.0001);
  EXPECT_NEAR(tested({12.0, 13.0, 14.0}, {10.0}, 0.0).p_value, test.p_value, 1e-12);
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

// Draws of normal replications from a fixed linear congruential sequence (Box-Muller).
class NormalDraws {
 public:
  double next() { return std::sqrt(-2.0 * std::log(uniform())) * std::cos(2.0 * M_PI * uniform()); }

 private:
  double uniform() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return (static_cast<double>(state_ >> 11) + 0.5) / 9007199254740992.0;
  }
  std::uint64_t state_ = 12345;
};

// The share of 4,000 trials of 8 + 8 replications whose p-value falls under 0.05, when the
// true move is `move` (on a true baseline of 100, sd 2) and `common` of each replication's
// noise is shared by the baseline and current replication of the same index.
double alarm_rate(double move, double tolerance, double common, bool paired) {
  NormalDraws normal;
  int alarms = 0;
  constexpr int kTrials = 4000;
  for (int trial = 0; trial < kTrials; ++trial) {
    std::vector<double> baseline, current;
    for (int i = 0; i < 8; ++i) {
      const double shared = common * normal.next();
      const double own = std::sqrt(1.0 - common * common);
      baseline.push_back(100.0 + 2.0 * (shared + own * normal.next()));
      current.push_back(100.0 + move + 2.0 * (shared + own * normal.next()));
    }
    const ToleranceTest test = paired ? paired_tolerance_test(baseline, current, tolerance)
                                      : tolerance_test(baseline, current, tolerance);
    if (test.p_value < 0.05) ++alarms;
  }
  return alarms / static_cast<double>(kTrials);
}

TEST(ToleranceTest, FalseAlarmRateAtTheMarginIsAlpha) {
  // Under H0 at its boundary (the true move equals the margin), P(p < 0.05) must be about 0.05,
  // for both tests and whether or not the pairing shares any noise: the binomial standard error
  // of the rate over 4,000 trials is sqrt(0.05 * 0.95 / 4000) = 0.0034, so 0.05 +/- 0.012 is a
  // 3.5-sigma band. A true baseline of 100 keeps the margin at 5; the tests use the sample mean,
  // which adds noise to the margin and makes them slightly conservative or liberal: the band
  // covers it.
  EXPECT_NEAR(alarm_rate(5.0, 0.05, 0.0, false), 0.05, 0.012);
  EXPECT_NEAR(alarm_rate(5.0, 0.05, 0.0, true), 0.05, 0.012);
  EXPECT_NEAR(alarm_rate(5.0, 0.05, 0.9, true), 0.05, 0.012);
  // A margin of 0 (no move allowed, none made): both tails count, so still 0.05, not 0.10.
  EXPECT_NEAR(alarm_rate(0.0, 0.0, 0.0, false), 0.05, 0.012);
  EXPECT_NEAR(alarm_rate(0.0, 0.0, 0.9, true), 0.05, 0.012);
}

TEST(ToleranceTest, PairingSharedNoiseGivesPower) {
  // A move of 6 on a margin of 5 with sd 2 per replication: Welch's test sees an excess of 1
  // against a standard error of 1 (power about P(Z > 1.75 - 1) = 0.23), while 90% of the noise
  // shared by the pairs leaves the differences a standard error of 2 x sqrt(2 x 0.19) / sqrt(8)
  // = 0.44 (t about 2.3 on 7 degrees of freedom, power about 0.65). Each rate's binomial
  // standard error over 4,000 trials is under 0.008, so the bounds are far from both.
  EXPECT_LT(alarm_rate(6.0, 0.05, 0.9, false), 0.35);
  EXPECT_GT(alarm_rate(6.0, 0.05, 0.9, true), 0.5);
}

TEST(PresenceTest, MatchesFishersExactTest) {
  // scipy.stats.fisher_exact of [[produced, not] before, [produced, not] now], two-sided.
  EXPECT_NEAR(presence_p_value(2, 2, 0, 4), 1.0 / 15.0, 1e-12);
  EXPECT_NEAR(presence_p_value(6, 6, 0, 6), 2.0 / 924.0, 1e-12);
  EXPECT_NEAR(presence_p_value(3, 40, 0, 40), 0.2405063, 1e-6);
  EXPECT_NEAR(presence_p_value(1, 40, 1, 40), 1.0, 1e-12);
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
