// Worked examples for the Student-t interval. Each expected value is computed by hand in the
// comment from mean +/- t(0.975, n - 1) * s / sqrt(n), with t from a printed t table.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "analysis/statistics.hpp"

namespace p2psim {
namespace {

constexpr double kTolerance = 1e-6;

TEST(EstimateMean, FiveValuesMatchWorkedExample) {
  // mean 3; s = sqrt(10 / 4) = 1.5811388; s / sqrt(5) = 0.70710678;
  // t(0.975, 4) = 2.776445105; half-width = 1.963243161.
  std::vector<double> values = {1, 2, 3, 4, 5};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.mean, 3.0);
  EXPECT_NEAR(estimate.low, 3.0 - 1.963243161, kTolerance);
  EXPECT_NEAR(estimate.high, 3.0 + 1.963243161, kTolerance);
  EXPECT_EQ(estimate.count, 5u);
}

TEST(EstimateMean, TwoValuesUseOneDegreeOfFreedom) {
  // mean 3; s = sqrt(2); s / sqrt(2) = 1; t(0.975, 1) = 12.706204736.
  std::vector<double> values = {2, 4};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.mean, 3.0);
  EXPECT_NEAR(estimate.low, 3.0 - 12.706204736, kTolerance);
  EXPECT_NEAR(estimate.high, 3.0 + 12.706204736, kTolerance);
  EXPECT_EQ(estimate.count, 2u);
}

TEST(EstimateMean, TenValuesMatchWorkedExample) {
  // 1..10: mean 5.5; s = sqrt(82.5 / 9) = 3.0276504; s / sqrt(10) = 0.95742711;
  // t(0.975, 9) = 2.262157163; half-width = 2.165850590.
  std::vector<double> values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.mean, 5.5);
  EXPECT_NEAR(estimate.high - estimate.mean, 2.165850590, kTolerance);
  EXPECT_NEAR(estimate.mean - estimate.low, 2.165850590, kTolerance);
}

TEST(EstimateMean, LargeMeanKeepsSmallSpreadExact) {
  // The spread of {1e9+1, 1e9+2, 1e9+3} is that of {1, 2, 3}: s = 1, s / sqrt(3) = 0.57735027;
  // t(0.975, 2) = 4.302652730; half-width = 2.484137712. A one-pass sum of squares loses it;
  // the bounds themselves are only resolved to 1.2e-7 (a double's spacing near 1e9).
  std::vector<double> values = {1e9 + 1, 1e9 + 2, 1e9 + 3};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.mean, 1e9 + 2);
  EXPECT_NEAR(estimate.high - estimate.mean, 2.484137712, kTolerance);
}

TEST(EstimateMean, IdenticalValuesGiveZeroWidth) {
  std::vector<double> values = {4, 4, 4};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.low, 4.0);
  EXPECT_DOUBLE_EQ(estimate.high, 4.0);
}

TEST(EstimateMean, SingleValueHasNoInterval) {
  std::vector<double> values = {7};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.mean, 7.0);
  EXPECT_TRUE(std::isnan(estimate.low));
  EXPECT_TRUE(std::isnan(estimate.high));
  EXPECT_EQ(estimate.count, 1u);
}

TEST(EstimateMean, NoValuesHaveNoMean) {
  Estimate estimate = estimate_mean({});
  EXPECT_TRUE(std::isnan(estimate.mean));
  EXPECT_TRUE(std::isnan(estimate.low));
  EXPECT_TRUE(std::isnan(estimate.high));
  EXPECT_EQ(estimate.count, 0u);
}

// Student's sleep data (Student 1908; R's `sleep` data set): extra hours of sleep of ten
// patients under two drugs. R 4.x documents and prints, for t.test(extra ~ group, data = sleep):
// Welch: t = -1.8608, df = 17.776, p-value = 0.07939, 95% CI -3.3654832 0.2054832;
// paired (paired = TRUE): t = -4.0621, df = 9, p-value = 0.002833, 95% CI -2.4598858 -0.7001142.
// R subtracts group 2 from group 1; here the difference is treatment (group 2) minus control.
const std::vector<double> kSleepGroup1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
const std::vector<double> kSleepGroup2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

TEST(CompareWelch, MatchesStudentsSleepDataInR) {
  Comparison comparison = compare_welch(kSleepGroup1, kSleepGroup2);
  EXPECT_NEAR(comparison.difference, 1.58, 1e-12);
  EXPECT_NEAR(comparison.difference / comparison.standard_error, 1.8608, 5e-5);
  EXPECT_NEAR(comparison.degrees_of_freedom, 17.776, 5e-4);
  EXPECT_NEAR(comparison.p_value, 0.07939, 5e-6);
  EXPECT_NEAR(comparison.difference_low, -0.2054832, 1e-6);
  EXPECT_NEAR(comparison.difference_high, 3.3654832, 1e-6);
  EXPECT_FALSE(comparison.paired);
}

TEST(ComparePaired, MatchesStudentsSleepDataInR) {
  Comparison comparison = compare_paired(kSleepGroup1, kSleepGroup2);
  EXPECT_NEAR(comparison.difference, 1.58, 1e-12);
  EXPECT_NEAR(comparison.difference / comparison.standard_error, 4.0621, 5e-5);
  EXPECT_DOUBLE_EQ(comparison.degrees_of_freedom, 9.0);
  EXPECT_NEAR(comparison.p_value, 0.002833, 5e-7);
  EXPECT_NEAR(comparison.difference_low, 0.7001142, 1e-6);
  EXPECT_NEAR(comparison.difference_high, 2.4598858, 1e-6);
  EXPECT_TRUE(comparison.paired);
}

TEST(ComparePaired, RelativeDifferenceOfAnExactScalingHasNoWidth) {
  // Treatment = 1.1 x control in every replication: the ratio of means is exactly 1.1, and the
  // delta-method variance (v_t + r^2 v_c - 2 r cov) / c^2 is 0 since v_t = r^2 v_c = r cov.
  std::vector<double> control = {10, 12, 9, 11, 14};
  std::vector<double> treatment;
  for (double value : control)
    treatment.push_back(1.1 * value);
  Comparison comparison = compare_paired(control, treatment);
  EXPECT_NEAR(comparison.relative, 0.1, 1e-12);
  EXPECT_NEAR(comparison.relative_low, 0.1, 1e-6);
  EXPECT_NEAR(comparison.relative_high, 0.1, 1e-6);
}

TEST(CompareWelch, RelativeIntervalFollowsTheDeltaMethod) {
  // Control {1, 2, 3}: mean 2, variance of the mean 1/3; treatment {3, 4, 5}: mean 4, 1/3.
  // ratio 2; var = (1/3 + 4 * 1/3) / 4 = 5/12; df = (2/3)^2 / ((1/9)/2 * 2) = 4.
  // half-width = t(0.975, 4) * sqrt(5/12) = 2.776445105 * 0.645497224 = 1.792188.
  Comparison comparison = compare_welch(std::vector<double>{1, 2, 3}, std::vector<double>{3, 4, 5});
  EXPECT_NEAR(comparison.degrees_of_freedom, 4.0, 1e-12);
  EXPECT_NEAR(comparison.relative, 1.0, 1e-12);
  EXPECT_NEAR(comparison.relative_high - comparison.relative, 1.792188, 1e-6);
}

TEST(MultipleTesting, HolmMatchesHandWorkedExample) {
  // Sorted p = 0.01, 0.02, 0.03, 0.04, 0.05 times m - k + 1 = 5, 4, 3, 2, 1:
  // 0.05, 0.08, 0.09, 0.08, 0.05, then made non-decreasing: 0.05, 0.08, 0.09, 0.09, 0.09.
  std::vector<double> p = {0.03, 0.01, 0.05, 0.02, 0.04};
  std::vector<double> adjusted = holm_adjusted(p);
  std::vector<double> expected = {0.09, 0.05, 0.09, 0.08, 0.09};
  for (std::size_t i = 0; i < p.size(); ++i)
    EXPECT_NEAR(adjusted[i], expected[i], 1e-12) << i;
}

TEST(MultipleTesting, BenjaminiHochbergMatchesHandWorkedExample) {
  // Sorted p = 0.001, 0.008, 0.039, 0.041, 0.6 times m / k = 5, 2.5, 5/3, 1.25, 1:
  // 0.005, 0.02, 0.065, 0.05125, 0.6, then non-increasing from the top: 0.005, 0.02, 0.05125,
  // 0.05125, 0.6.
  std::vector<double> p = {0.041, 0.001, 0.6, 0.039, 0.008};
  std::vector<double> adjusted = benjamini_hochberg_adjusted(p);
  std::vector<double> expected = {0.05125, 0.005, 0.6, 0.05125, 0.02};
  for (std::size_t i = 0; i < p.size(); ++i)
    EXPECT_NEAR(adjusted[i], expected[i], 1e-12) << i;
}

TEST(ComparePaired, IdenticalArmsGiveAnExactZeroAndNoWidth) {
  // Identical arms of a common-random-numbers run: every per-replication difference is 0, so the
  // difference, its interval and the relative interval are exactly 0 (v_c + v_t - 2 cov left
  // rounding noise of either sign on values like these) and no power figure is defined.
  std::vector<double> arm = {1234567.891, 987654.321, 1111111.119, 1357913.579, 1010101.01};
  Comparison comparison = compare_paired(arm, arm);
  EXPECT_EQ(comparison.difference, 0.0);
  EXPECT_EQ(comparison.difference_low, 0.0);
  EXPECT_EQ(comparison.difference_high, 0.0);
  EXPECT_EQ(comparison.relative_low, 0.0);
  EXPECT_EQ(comparison.relative_high, 0.0);
  EXPECT_EQ(comparison.p_value, 1.0);
  EXPECT_TRUE(std::isnan(minimum_detectable_difference(comparison)));
  EXPECT_FALSE(replications_needed(comparison, 1000.0).has_value());
}

TEST(ComparePaired, UsesTheDifferencesSpread) {
  // Differences {1, 1, 1, 1, 3}: mean 1.4, s^2 = (4 * 0.16 + 2.56) / 4 = 0.8, spread 0.8.
  std::vector<double> control = {1e6, 2e6, 3e6, 4e6, 5e6};
  std::vector<double> treatment = {1e6 + 1, 2e6 + 1, 3e6 + 1, 4e6 + 1, 5e6 + 3};
  Comparison comparison = compare_paired(control, treatment);
  EXPECT_NEAR(comparison.difference, 1.4, 1e-9);
  EXPECT_NEAR(comparison.spread, 0.8, 1e-9);
  EXPECT_NEAR(comparison.standard_error, std::sqrt(0.8 / 5.0), 1e-9);
}

TEST(ComparisonRelative, IsNotDefinedOnANonPositiveBaseline) {
  // A loss of -10 growing to -5 is not "-50%": no relative change is given below 0.
  Comparison comparison =
      compare_paired(std::vector<double>{-10, -11, -9}, std::vector<double>{-5, -6, -4});
  EXPECT_NEAR(comparison.difference, 5.0, 1e-12);
  EXPECT_TRUE(std::isnan(comparison.relative));
  EXPECT_TRUE(std::isnan(comparison.relative_low));
}

// The power of the two-sided 5% t test computed without Boost: T = (Z + delta) / sqrt(V / df)
// with V chi-square(df), so P(T > c) = integral of P(Z > c sqrt(v / df) - delta) f(v) dv (and
// likewise the lower tail), by Simpson's rule on a fine grid over the bulk of the chi-square.
double integrated_power(double delta, double df, double critical) {
  auto upper_normal = [](double x) { return 0.5 * std::erfc(x / std::sqrt(2.0)); };
  auto chi_square_density = [df](double v) {
    return std::exp((df / 2.0 - 1.0) * std::log(v) - v / 2.0 - (df / 2.0) * std::log(2.0) -
                    std::lgamma(df / 2.0));
  };
  const double end = df + 40.0 * std::sqrt(2.0 * df) + 60.0;
  const int steps = 400000;  // even
  const double h = end / steps;
  double sum = 0.0;
  for (int i = 1; i < steps; ++i) {
    double v = i * h;
    double scale = std::sqrt(v / df);
    double tails = upper_normal(critical * scale - delta) + upper_normal(critical * scale + delta);
    sum += (i % 2 == 1 ? 4.0 : 2.0) * tails * chi_square_density(v);
  }
  return sum * h / 3.0;  // both ends contribute 0 (df > 2 here)
}

TEST(Power, MatchesRsPowerTTest) {
  // R: power.t.test(n = 20, delta = 1) prints power = 0.8689528 (two-sample, df = 38,
  // noncentrality 1 / sqrt(2 / 20) = sqrt(10)). R counts the upper tail only; the lower tail,
  // P(T < -t(0.975, 38)), is 2.26e-7 (scipy.stats.nct.cdf), and this power has both.
  EXPECT_NEAR(t_test_power(std::sqrt(10.0), 38.0), 0.8689528 + 2.26e-7, 1e-7);
}

TEST(Power, MinimumDetectableDifferenceHasExactlyEightyPercent) {
  // At small n the normal approximation's MDE had 73% power at n = 2: the exact one has 80%,
  // checked against the power integrated independently above to 1e-6.
  // t(0.975, df) from a printed t table.
  const std::pair<double, double> kCritical[] = {
      {3.0, 3.182446305}, {4.0, 2.776445105}, {9.0, 2.262157163}, {30.0, 2.042272456}};
  for (auto [df, critical] : kCritical) {
    double delta = detectable_noncentrality(df);
    EXPECT_NEAR(integrated_power(delta, df, critical), kPower, 1e-6) << df;
    EXPECT_NEAR(t_test_power(delta, df), kPower, 1e-9) << df;
  }
}

TEST(Power, MinimumDetectableDifferenceUsesThePairsPresent) {
  // Sleep data: 10 pairs, df 9, se of the differences' mean 0.3889587 (R's t = 1.58 / se =
  // 4.0621); the MDE is the 80%-power noncentrality on 9 df times that se.
  Comparison comparison = compare_paired(kSleepGroup1, kSleepGroup2);
  EXPECT_NEAR(minimum_detectable_difference(comparison),
              detectable_noncentrality(9.0) * comparison.standard_error, 1e-12);
  EXPECT_NEAR(minimum_detectable_difference(comparison, 10),
              minimum_detectable_difference(comparison), 1e-12);
}

TEST(Power, ReplicationsNeededInvertTheMinimumDetectableDifference) {
  Comparison comparison = compare_paired(kSleepGroup1, kSleepGroup2);
  for (std::uint32_t n : {3u, 10u, 40u, 200u}) {
    double detectable = minimum_detectable_difference(comparison, n);
    EXPECT_EQ(replications_needed(comparison, detectable * (1.0 + 1e-9)), n) << n;
    EXPECT_EQ(replications_needed(comparison, detectable * (1.0 - 1e-6)), n + 1) << n;
  }
  // Normal approximation for large n: (1.959964 + 0.841621) * sd / sqrt(n), sd^2 = spread.
  double large = minimum_detectable_difference(comparison, 100000);
  EXPECT_NEAR(large, 2.801585 * std::sqrt(comparison.spread / 100000.0), 1e-4 * large);
}

// Draws `count` normal values of mean `mean` and standard deviation 1.
std::vector<double> normals(std::mt19937_64& engine, std::size_t count, double mean) {
  std::normal_distribution<double> normal(mean, 1.0);
  std::vector<double> values(count);
  for (double& value : values)
    value = normal(engine);
  return values;
}

// 4000 experiments; a rate of 0.05 has binomial standard deviation sqrt(0.05 * 0.95 / 4000) =
// 0.00345, so 4 standard deviations (0.0138) leave a false failure chance below 1e-4.
constexpr int kExperiments = 4000;
constexpr double kRateTolerance = 4.0 * 0.00345;

TEST(AaExperiment, WelchRejectsAtTheNominalRate) {
  std::mt19937_64 engine(20261126);
  int rejections = 0;
  for (int i = 0; i < kExperiments; ++i) {
    // Unequal spreads: where Welch's correction matters.
    std::vector<double> control = normals(engine, 8, 5.0);
    std::vector<double> treatment = normals(engine, 12, 5.0);
    for (double& value : treatment)
      value = 5.0 + 3.0 * (value - 5.0);
    if (compare_welch(control, treatment).p_value < 0.05) ++rejections;
  }
  EXPECT_NEAR(rejections / double(kExperiments), 0.05, kRateTolerance);
}

TEST(AaExperiment, PairedTestRejectsAtTheNominalRate) {
  std::mt19937_64 engine(7);
  int rejections = 0;
  for (int i = 0; i < kExperiments; ++i) {
    // A shared replication effect (common random numbers) plus small independent noise.
    std::vector<double> shared = normals(engine, 10, 100.0);
    std::vector<double> control = normals(engine, 10, 0.0);
    std::vector<double> treatment = normals(engine, 10, 0.0);
    for (std::size_t r = 0; r < shared.size(); ++r) {
      control[r] = shared[r] + 0.1 * control[r];
      treatment[r] = shared[r] + 0.1 * treatment[r];
    }
    if (compare_paired(control, treatment).p_value < 0.05) ++rejections;
  }
  EXPECT_NEAR(rejections / double(kExperiments), 0.05, kRateTolerance);
}

TEST(KnownEffect, IsInsideItsIntervalAtTheNominalRate) {
  // A constructed effect of +0.5 (absolute) on top of common noise: the 95% interval of the
  // difference covers 0.5 in 95% of experiments, within the binomial tolerance above.
  std::mt19937_64 engine(99);
  int covered = 0;
  for (int i = 0; i < kExperiments; ++i) {
    std::vector<double> shared = normals(engine, 6, 20.0);
    std::vector<double> noise = normals(engine, 6, 0.0);
    std::vector<double> control = shared;
    std::vector<double> treatment = shared;
    for (std::size_t r = 0; r < shared.size(); ++r)
      treatment[r] += 0.5 + noise[r];
    Comparison comparison = compare_paired(control, treatment);
    if (comparison.difference_low <= 0.5 && 0.5 <= comparison.difference_high) ++covered;
  }
  EXPECT_NEAR(covered / double(kExperiments), 0.95, kRateTolerance);
}

TEST(ChiSquare, MatchesAHandWorkedSampleRatioCheck) {
  // 50 and 30 units where 40 and 40 were expected: chi-square = 100/40 + 100/40 = 5 on 1 df;
  // P(chi-square(1) > 5) = P(|Z| > sqrt(5)) = 2 * (1 - Phi(2.236068)) = 0.0253473.
  std::vector<double> observed = {50, 30};
  std::vector<double> shares = {0.5, 0.5};
  EXPECT_NEAR(chi_square_p_value(observed, shares), 0.0253473, 1e-7);
}

TEST(NormalDistribution, MatchesThePrintedTable) {
  // z(0.975) = 1.959963985 and z(0.8) = 0.841621234; P(|Z| > 1.96) = 0.0499958 and
  // P(|Z| > 2.575829) = 0.01, from a normal table.
  EXPECT_NEAR(normal_quantile(0.975), 1.959963985, 1e-9);
  EXPECT_NEAR(normal_quantile(0.8), 0.841621234, 1e-9);
  EXPECT_NEAR(two_sided_normal_p_value(1.96), 0.0499958, 1e-7);
  EXPECT_NEAR(two_sided_normal_p_value(-2.575829), 0.01, 1e-7);
}

}  // namespace
}  // namespace p2psim
