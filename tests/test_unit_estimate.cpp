// The per-unit estimator of split experiments: hand-made cases checked against formulas written
// out here from the unit lists (not through the moments), CUPED against its closed form, and
// A/A and known-effect simulations against the nominal 5% and 95% rates.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "analysis/unit_estimate.hpp"
#include "core/random_stream.hpp"
#include "metrics/unit_metrics.hpp"

namespace p2psim {
namespace {

// The hand-made cases compute the same quantities in another order (unit lists against raw
// sums): they agree to rounding, a few 1e-16 relative, far inside 1e-10.
constexpr double kRelative = 1e-10;

UnitValues unit_with(std::vector<std::pair<int, double>> columns) {
  UnitValues values{};
  for (auto [column, value] : columns)
    values[column] = value;
  return values;
}

UnitMoments moments_of(const std::vector<UnitValues>& units) {
  UnitMoments moments;
  for (const UnitValues& unit : units)
    moments.add(unit);
  return moments;
}

double mean_of(const std::vector<double>& values) {
  double sum = 0.0;
  for (double value : values)
    sum += value;
  return sum / static_cast<double>(values.size());
}

// Two-pass sample variance, independent of the estimator's raw-sum covariance.
double variance_of(const std::vector<double>& values) {
  double mean = mean_of(values);
  double squares = 0.0;
  for (double value : values)
    squares += (value - mean) * (value - mean);
  return squares / static_cast<double>(values.size() - 1);
}

void expect_relatively_near(double actual, double expected) {
  EXPECT_NEAR(actual, expected, kRelative * std::fabs(expected)) << "expected " << expected;
}

std::vector<UnitValues> units_of(UnitMetric metric, const std::vector<double>& values) {
  std::vector<UnitValues> units;
  for (double value : values)
    units.push_back(unit_with({{experiment_period(metric), value}}));
  return units;
}

TEST(UnitMoments, MergingTwoHalvesEqualsAddingAllUnits) {
  RandomStream stream(7, 0, {0, 1});
  UnitMoments all, first, second, all_counts, first_counts, second_counts;
  for (int unit = 0; unit < 200; ++unit) {
    UnitValues values{};
    UnitValues counts{};
    for (int column = 0; column < kUnitMomentSize; ++column) {
      values[column] = exponential(stream, 100.0);
      counts[column] = poisson_count(stream, 1.0);  // zeros included: rows the add skips
    }
    all.add(values);
    all_counts.add(counts);
    (unit < 100 ? first : second).add(values);
    (unit < 100 ? first_counts : second_counts).add(counts);
  }
  first.merge(second);
  first_counts.merge(second_counts);
  EXPECT_EQ(first.units, all.units);
  // Small integers have exact sums and products in doubles: any order gives the same bits.
  EXPECT_EQ(first_counts.sum, all_counts.sum);
  EXPECT_EQ(first_counts.cross, all_counts.cross);
  // Sums of 200 positive terms in another order differ by at most 200 x 1.1e-16 relative.
  for (int i = 0; i < kUnitMomentSize; ++i)
    EXPECT_NEAR(first.sum[i], all.sum[i], 1e-12 * all.sum[i]);
  for (std::size_t i = 0; i < all.cross.size(); ++i)
    EXPECT_NEAR(first.cross[i], all.cross[i], 1e-12 * all.cross[i]);
}

TEST(EstimateSplitKpi, TotalIsTheDifferenceOfMeansTimesPopulation) {
  const SplitKpi kpi{.name = "half_gmv", .numerator = UnitMetric::kGmvUsd, .scale = 0.5};
  std::vector<double> control = {1, 2, 3, 6};
  std::vector<double> treatment = {2, 4, 4, 7, 8};
  double population = 9.0;
  std::optional<UnitEstimate> estimate =
      estimate_split_kpi(kpi, moments_of(units_of(kpi.numerator, control)),
                         moments_of(units_of(kpi.numerator, treatment)), population, false);
  ASSERT_TRUE(estimate.has_value());
  // Each arm: population x scale x mean; Welch's standard error of the difference of means. The
  // degrees of freedom are the smaller of Welch-Satterthwaite's, with v_c = 14/3 / 4 and
  // v_t = 6 / 5 (before the factor), (v_c + v_t)^2 / (v_c^2 / 3 + v_t^2 / 4) = 6.883, and
  // Bell-McCaffrey's for 4 and 5 units, 9^2 x 3 x 4 / (5^2 x 4 + 4^2 x 3) = 972 / 148 = 6.568.
  // t(0.975, 6.568) = 2.3965556600 is where scipy.special.stdtr (the t cdf) gives 0.975 to the
  // last bit, and 0.237344144 is scipy.stats.t's two-sided p-value of t = 2 / sqrt(v_c + v_t).
  constexpr double kT975 = 2.3965556599981053;
  double factor = population * kpi.scale;
  double control_variance = factor * factor * variance_of(control) / 4.0;
  double treatment_variance = factor * factor * variance_of(treatment) / 5.0;
  double standard_error = std::sqrt(control_variance + treatment_variance);
  double difference = factor * (mean_of(treatment) - mean_of(control));
  expect_relatively_near(estimate->control, factor * 3.0);
  expect_relatively_near(estimate->treatment, factor * 5.0);
  expect_relatively_near(estimate->difference, difference);
  expect_relatively_near(estimate->standard_error, standard_error);
  expect_relatively_near(estimate->degrees_of_freedom, 972.0 / 148.0);
  expect_relatively_near(estimate->low, difference - kT975 * standard_error);
  expect_relatively_near(estimate->high, difference + kT975 * standard_error);
  expect_relatively_near(estimate->p_value, 0.23734414437728144);
  double ratio = 5.0 / 3.0;
  double relative_error =
      std::sqrt(treatment_variance + ratio * ratio * control_variance) / estimate->control;
  expect_relatively_near(estimate->relative, ratio - 1.0);
  expect_relatively_near(estimate->relative_low, ratio - 1.0 - kT975 * relative_error);
  expect_relatively_near(estimate->relative_high, ratio - 1.0 + kT975 * relative_error);
  EXPECT_FALSE(estimate->adjusted);
}

struct RatioUnit {
  double numerator;
  double denominator;
};

std::vector<UnitValues> ratio_units(const SplitKpi& kpi, const std::vector<RatioUnit>& units) {
  std::vector<UnitValues> values;
  for (RatioUnit unit : units)
    values.push_back(unit_with({{experiment_period(kpi.numerator), unit.numerator},
                                {experiment_period(kpi.denominator), unit.denominator}}));
  return values;
}

// var(sum y / sum x) from the per-unit linearisation u = (y - R x) / mean(x): var(u) / n.
double ratio_variance(const std::vector<RatioUnit>& units) {
  double numerator = 0.0;
  double denominator = 0.0;
  for (RatioUnit unit : units) {
    numerator += unit.numerator;
    denominator += unit.denominator;
  }
  double ratio = numerator / denominator;
  double mean_denominator = denominator / static_cast<double>(units.size());
  std::vector<double> influence;
  for (RatioUnit unit : units)
    influence.push_back((unit.numerator - ratio * unit.denominator) / mean_denominator);
  return variance_of(influence) / static_cast<double>(units.size());
}

TEST(EstimateSplitKpi, RatioFollowsTheDeltaMethodOfItsUnits) {
  const SplitKpi& kpi = *find_split_kpi("fraud_loss_bps");  // fraud loss / GMV x 1e4
  std::vector<RatioUnit> control = {{0, 100}, {5, 200}, {1, 50}, {0, 300}, {12, 400}};
  std::vector<RatioUnit> treatment = {{2, 150}, {0, 100}, {7, 250}, {3, 120}};
  std::optional<UnitEstimate> estimate =
      estimate_split_kpi(kpi, moments_of(ratio_units(kpi, control)),
                         moments_of(ratio_units(kpi, treatment)), 1000.0, false);
  ASSERT_TRUE(estimate.has_value());
  double control_ratio = 1e4 * 18.0 / 1050.0;  // the population plays no part in a ratio
  double treatment_ratio = 1e4 * 12.0 / 620.0;
  double standard_error = 1e4 * std::sqrt(ratio_variance(control) + ratio_variance(treatment));
  expect_relatively_near(estimate->control, control_ratio);
  expect_relatively_near(estimate->treatment, treatment_ratio);
  expect_relatively_near(estimate->difference, treatment_ratio - control_ratio);
  expect_relatively_near(estimate->standard_error, standard_error);
  // Welch-Satterthwaite on the linearised units gives 6.768, Bell-McCaffrey for 5 and 4 units
  // 972 / 148 = 6.568 (as above, the arms swapped), the smaller; t(0.975, 6.568) = 2.3965556600.
  expect_relatively_near(estimate->degrees_of_freedom, 972.0 / 148.0);
  expect_relatively_near(estimate->high - estimate->low, 2.0 * 2.3965556599981053 * standard_error);
}

// CR2 for one arm's ratio of sums, written out from its definition with explicit matrices (not
// the estimator's closed forms): the variance sum of c_i e_i^2, and, under the working model
// cov(e) = diag(1 / x) - 1 1^T / X (sigma = 1), the mean tr(C S) and variance tr((C S)^2) / 2
// of that estimate, with e_i = y_i / x_i - R, c_i = a_i^2 / (1 - a_i) and a_i = x_i / X.
struct WrittenOutCr2 {
  double variance;
  double mean;
  double spread;  // tr((C S)^2), the estimate's variance over 2
};

WrittenOutCr2 written_out_cr2(const std::vector<RatioUnit>& units) {
  const std::size_t n = units.size();
  double total_x = 0.0;
  double total_y = 0.0;
  for (RatioUnit unit : units) {
    total_x += unit.denominator;
    total_y += unit.numerator;
  }
  const double ratio = total_y / total_x;
  std::vector<double> c(n);
  WrittenOutCr2 result{0.0, 0.0, 0.0};
  for (std::size_t i = 0; i < n; ++i) {
    const double a = units[i].denominator / total_x;
    c[i] = a * a / (1.0 - a);
    const double e = units[i].numerator / units[i].denominator - ratio;
    result.variance += c[i] * e * e;
  }
  // (C S)_ij = c_i S_ij.
  std::vector<std::vector<double>> product(n, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      product[i][j] = c[i] * ((i == j ? 1.0 / units[i].denominator : 0.0) - 1.0 / total_x);
  for (std::size_t i = 0; i < n; ++i) {
    result.mean += product[i][i];
    for (std::size_t j = 0; j < n; ++j)
      result.spread += product[i][j] * product[j][i];
  }
  return result;
}

TEST(EstimateSplitKpi, ListedUnitsGiveARatioItsLeverageCorrectedVarianceAndDegreesOfFreedom) {
  const SplitKpi& kpi = *find_split_kpi("fraud_loss_bps");
  std::vector<RatioUnit> control = {{0, 100}, {5, 200}, {1, 50}, {0, 300}, {12, 400}};
  std::vector<RatioUnit> treatment = {{2, 150}, {0, 100}, {7, 250}, {3, 120}};
  const std::vector<UnitValues> control_units = ratio_units(kpi, control);
  const std::vector<UnitValues> treatment_units = ratio_units(kpi, treatment);
  std::optional<UnitEstimate> estimate =
      estimate_split_kpi(kpi, moments_of(control_units), moments_of(treatment_units), 1000.0, false,
                         {control_units, treatment_units});
  ASSERT_TRUE(estimate.has_value());
  const WrittenOutCr2 c = written_out_cr2(control);
  const WrittenOutCr2 t = written_out_cr2(treatment);
  expect_relatively_near(estimate->standard_error, 1e4 * std::sqrt(c.variance + t.variance));
  // Satterthwaite: (E V)^2 / var(V) with var = 2 tr((C S)^2) per arm, E = tr(C S); it is below
  // Welch's here (the 400-unit merchant weighs most), so it is the one used.
  const double bell_mccaffrey = (c.mean + t.mean) * (c.mean + t.mean) / (c.spread + t.spread);
  expect_relatively_near(estimate->degrees_of_freedom, bell_mccaffrey);
  EXPECT_LT(estimate->degrees_of_freedom, 972.0 / 148.0);
  // The leverage widens the interval against the moments-only delta method.
  std::optional<UnitEstimate> plain = estimate_split_kpi(
      kpi, moments_of(control_units), moments_of(treatment_units), 1000.0, false);
  EXPECT_GT(estimate->high - estimate->low, plain->high - plain->low);
}

TEST(EstimateSplitKpi, ListedUnitsOfEqualWeightChangeNothing) {
  // Equal denominators: every leverage is 1 / n, and CR2 with its degrees of freedom is the plain
  // delta method with the means' Bell-McCaffrey degrees of freedom.
  const SplitKpi& kpi = *find_split_kpi("completion_rate");
  const std::vector<UnitValues> control = ratio_units(kpi, {{3, 10}, {7, 10}, {9, 10}, {4, 10}});
  const std::vector<UnitValues> treatment = ratio_units(kpi, {{6, 10}, {8, 10}, {5, 10}});
  auto listed = estimate_split_kpi(kpi, moments_of(control), moments_of(treatment), 7.0, false,
                                   {control, treatment});
  auto plain = estimate_split_kpi(kpi, moments_of(control), moments_of(treatment), 7.0, false);
  ASSERT_TRUE(listed && plain);
  expect_relatively_near(listed->standard_error, plain->standard_error);
  expect_relatively_near(listed->degrees_of_freedom, plain->degrees_of_freedom);
}

TEST(EstimateSplitKpi, NeedsTwoUnitsPerArmAndADenominator) {
  const SplitKpi& ratio = *find_split_kpi("completion_rate");
  const SplitKpi& total = *find_split_kpi("orders_created");
  UnitMoments two = moments_of(ratio_units(ratio, {{1, 2}, {2, 2}}));
  UnitMoments one = moments_of(ratio_units(ratio, {{1, 2}}));
  UnitMoments no_denominator = moments_of(ratio_units(ratio, {{0, 0}, {0, 0}}));
  EXPECT_TRUE(estimate_split_kpi(ratio, two, two, 4.0, true).has_value());
  EXPECT_FALSE(estimate_split_kpi(ratio, one, two, 3.0, false).has_value());
  EXPECT_FALSE(estimate_split_kpi(total, two, one, 3.0, false).has_value());
  EXPECT_FALSE(estimate_split_kpi(ratio, two, no_denominator, 4.0, false).has_value());
  EXPECT_TRUE(estimate_split_kpi(total, two, no_denominator, 4.0, false).has_value());
}

// y = x + e with x ~ N(10, 0.8^2) in the pre-period and e ~ N(0, 0.6^2): var(y) = 1, cov = 0.64,
// rho^2 = 0.64, so the regression on x removes rho^2 of the variance.
UnitMoments correlated_arm(RandomStream& stream, const SplitKpi& kpi, int units) {
  UnitMoments moments;
  for (int unit = 0; unit < units; ++unit) {
    double pre = 10.0 + 0.8 * standard_normal(stream);
    double experiment = pre + 0.6 * standard_normal(stream);
    moments.add(unit_with(
        {{pre_period(kpi.numerator), pre}, {experiment_period(kpi.numerator), experiment}}));
  }
  return moments;
}

TEST(Cuped, RemovesTheSquaredCorrelationOfThePrePeriod) {
  const SplitKpi& kpi = *find_split_kpi("gmv_usd");
  RandomStream stream(11, 0, {0, 1});
  UnitMoments control = correlated_arm(stream, kpi, 5000);
  UnitMoments treatment = correlated_arm(stream, kpi, 5000);
  std::optional<UnitEstimate> estimate = estimate_split_kpi(kpi, control, treatment, 1e4, true);
  ASSERT_TRUE(estimate.has_value());
  EXPECT_TRUE(estimate->adjusted);
  // The reduction is the sample r^2 of 10,000 pooled units, whose standard deviation is
  // 2 rho (1 - rho^2) / sqrt(n) = 2 x 0.8 x 0.36 / 100 = 0.0058: 4 of them is 0.023.
  EXPECT_NEAR(estimate->variance_reduction, 0.64, 0.023);
}

TEST(Cuped, WithoutPrePeriodVarianceFallsBackToTheUnadjustedEstimate) {
  const SplitKpi& kpi = *find_split_kpi("orders_created");
  std::vector<UnitValues> control = units_of(kpi.numerator, {1, 4, 2, 0, 3});
  std::vector<UnitValues> treatment = units_of(kpi.numerator, {2, 5, 1, 3});
  for (UnitValues& unit : treatment)
    unit[pre_period(kpi.numerator)] = 3.0;  // a constant pre-period varies no more than none
  std::optional<UnitEstimate> plain =
      estimate_split_kpi(kpi, moments_of(control), moments_of(treatment), 9.0, false);
  std::optional<UnitEstimate> cuped =
      estimate_split_kpi(kpi, moments_of(control), moments_of(treatment), 9.0, true);
  ASSERT_TRUE(plain.has_value() && cuped.has_value());
  EXPECT_FALSE(cuped->adjusted);
  EXPECT_EQ(cuped->variance_reduction, 0.0);
  EXPECT_EQ(cuped->difference, plain->difference);
  EXPECT_EQ(cuped->standard_error, plain->standard_error);
}

// Deng et al.'s adjustment written out from the unit lists: theta = pooled within-arm cov(x, y) /
// pooled var(x); each arm's mean moves by -theta (its mean x - the mean x of all units) and its
// variance becomes var(y - theta x).
TEST(Cuped, TotalMatchesTheRegressionWrittenOutFromItsUnits) {
  const SplitKpi& kpi = *find_split_kpi("orders_completed");
  std::vector<double> control_pre = {1, 3, 0, 5, 2, 4};
  std::vector<double> control_y = {2, 3, 1, 6, 2, 3};
  std::vector<double> treatment_pre = {2, 0, 6, 1, 3};
  std::vector<double> treatment_y = {4, 1, 7, 3, 2};
  auto arm_of = [&](const std::vector<double>& pre, const std::vector<double>& y) {
    UnitMoments moments;
    for (std::size_t i = 0; i < y.size(); ++i)
      moments.add(unit_with(
          {{pre_period(kpi.numerator), pre[i]}, {experiment_period(kpi.numerator), y[i]}}));
    return moments;
  };
  auto covariance = [](const std::vector<double>& a, const std::vector<double>& b) {
    double a_mean = mean_of(a);
    double b_mean = mean_of(b);
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
      sum += (a[i] - a_mean) * (b[i] - b_mean);
    return sum;  // not divided: pooling divides by n_C + n_T - 2
  };
  double theta = (covariance(control_pre, control_y) + covariance(treatment_pre, treatment_y)) /
                 (covariance(control_pre, control_pre) + covariance(treatment_pre, treatment_pre));
  double overall_pre = (mean_of(control_pre) * 6 + mean_of(treatment_pre) * 5) / 11;
  auto residual_variance = [&](const std::vector<double>& pre, const std::vector<double>& y) {
    std::vector<double> residuals;
    for (std::size_t i = 0; i < y.size(); ++i)
      residuals.push_back(y[i] - theta * pre[i]);
    return variance_of(residuals) / static_cast<double>(y.size());
  };
  double population = 11.0;
  double control = population * (mean_of(control_y) - theta * (mean_of(control_pre) - overall_pre));
  double treatment =
      population * (mean_of(treatment_y) - theta * (mean_of(treatment_pre) - overall_pre));
  double standard_error = population * std::sqrt(residual_variance(control_pre, control_y) +
                                                 residual_variance(treatment_pre, treatment_y));
  double plain_variance =
      population * population * (variance_of(control_y) / 6 + variance_of(treatment_y) / 5);
  std::optional<UnitEstimate> estimate = estimate_split_kpi(
      kpi, arm_of(control_pre, control_y), arm_of(treatment_pre, treatment_y), population, true);
  ASSERT_TRUE(estimate.has_value());
  EXPECT_TRUE(estimate->adjusted);
  expect_relatively_near(estimate->control, control);
  expect_relatively_near(estimate->treatment, treatment);
  expect_relatively_near(estimate->standard_error, standard_error);
  expect_relatively_near(estimate->variance_reduction,
                         1.0 - standard_error * standard_error / plain_variance);
}

// A ratio's pre-period numerator proportional to its denominator adds nothing to the
// denominator alone: the collinear covariate is left out rather than the adjustment.
TEST(Cuped, LeavesOutACovariateCollinearWithAnother) {
  const SplitKpi& kpi = *find_split_kpi("completion_rate");
  RandomStream stream(13, 0, {0, 1});
  std::vector<UnitValues> collinear[2];
  std::vector<UnitValues> denominator_only[2];
  for (int arm = 0; arm < 2; ++arm) {
    for (int unit = 0; unit < 50; ++unit) {
      double pre_created = poisson_count(stream, 5.0);
      double created = pre_created + poisson_count(stream, 2.0);
      double completed = std::floor(0.8 * created) + poisson_count(stream, 0.5);
      UnitValues values = unit_with({{experiment_period(kpi.numerator), completed},
                                     {experiment_period(kpi.denominator), created},
                                     {pre_period(kpi.denominator), pre_created}});
      denominator_only[arm].push_back(values);
      values[pre_period(kpi.numerator)] = 0.5 * pre_created;
      collinear[arm].push_back(values);
    }
  }
  std::optional<UnitEstimate> reference = estimate_split_kpi(
      kpi, moments_of(denominator_only[0]), moments_of(denominator_only[1]), 100.0, true);
  std::optional<UnitEstimate> estimate =
      estimate_split_kpi(kpi, moments_of(collinear[0]), moments_of(collinear[1]), 100.0, true);
  ASSERT_TRUE(reference.has_value() && estimate.has_value());
  ASSERT_TRUE(reference->adjusted);
  EXPECT_TRUE(estimate->adjusted);
  // The same one-covariate regression, through another column of equal information.
  EXPECT_NEAR(estimate->difference, reference->difference, 1e-9);
  EXPECT_NEAR(estimate->standard_error, reference->standard_error, 1e-9);
}

// Synthetic users of a skewed market: each has an activity drawn from an exponential with mean 3
// and creates Poisson(activity) orders in the pre-period and again in the experiment, each
// completed with probability 0.8 (before the treatment) or `completion` (during it). The
// pre-period is correlated with the experiment through the activity, which is what CUPED uses.
constexpr double kMeanActivity = 3.0;
constexpr double kCompletion = 0.8;

std::uint32_t completed_of(RandomStream& stream, std::uint32_t created, double completion) {
  std::uint32_t completed = 0;
  for (std::uint32_t order = 0; order < created; ++order)
    completed += bernoulli(stream, completion) ? 1 : 0;
  return completed;
}

UnitMoments skewed_arm(RandomStream& stream, int units, double completion) {
  using M = UnitMetric;
  UnitMoments moments;
  for (int unit = 0; unit < units; ++unit) {
    double activity = exponential(stream, kMeanActivity);
    std::uint32_t pre_created = poisson_count(stream, activity);
    std::uint32_t created = poisson_count(stream, activity);
    moments.add(unit_with({
        {pre_period(M::kOrdersCreated), pre_created},
        {pre_period(M::kOrdersCompleted), completed_of(stream, pre_created, kCompletion)},
        {experiment_period(M::kOrdersCreated), created},
        {experiment_period(M::kOrdersCompleted), completed_of(stream, created, completion)},
    }));
  }
  return moments;
}

// 2000 experiments of 200 units per arm. A rate of 0.05 (or 0.95) over 2000 has binomial
// standard deviation sqrt(0.05 x 0.95 / 2000) = 0.0049: 4 of them is 0.0195.
constexpr int kExperiments = 2000;
constexpr int kUnitsPerArm = 200;
constexpr double kRateTolerance = 0.0195;

struct Tally {
  int rejected = 0;
  int covered = 0;
  double variance_reduction = 0.0;
};

// Runs the experiments with the treatment's completion probability and tallies, for each
// (KPI, cuped), how often the 5% test rejects and how often the interval covers `true_effect`.
void run_experiments(std::uint32_t purpose, double completion, Tally (&tallies)[2][2]) {
  const SplitKpi* kpis[2] = {find_split_kpi("orders_completed"), find_split_kpi("completion_rate")};
  double population = 2.0 * kUnitsPerArm;
  // Totals: population x (completion - 0.8) x mean activity; ratios: completion - 0.8.
  double effects[2] = {population * (completion - kCompletion) * kMeanActivity,
                       completion - kCompletion};
  for (int experiment = 0; experiment < kExperiments; ++experiment) {
    RandomStream stream(2026, static_cast<std::uint32_t>(experiment), {0, purpose});
    UnitMoments control = skewed_arm(stream, kUnitsPerArm, kCompletion);
    UnitMoments treatment = skewed_arm(stream, kUnitsPerArm, completion);
    for (int k = 0; k < 2; ++k) {
      for (int cuped = 0; cuped < 2; ++cuped) {
        std::optional<UnitEstimate> estimate =
            estimate_split_kpi(*kpis[k], control, treatment, population, cuped == 1);
        ASSERT_TRUE(estimate.has_value());
        ASSERT_EQ(estimate->adjusted, cuped == 1);
        Tally& tally = tallies[k][cuped];
        tally.rejected += estimate->p_value < 0.05 ? 1 : 0;
        tally.covered += estimate->low <= effects[k] && effects[k] <= estimate->high ? 1 : 0;
        tally.variance_reduction += estimate->variance_reduction / kExperiments;
      }
    }
  }
}

TEST(AaSplit, RejectsAtTheNominalRateWithAndWithoutCuped) {
  Tally tallies[2][2];
  run_experiments(1, kCompletion, tallies);
  for (int k = 0; k < 2; ++k) {
    for (int cuped = 0; cuped < 2; ++cuped) {
      SCOPED_TRACE(testing::Message() << "kpi " << k << " cuped " << cuped);
      EXPECT_NEAR(tallies[k][cuped].rejected / double(kExperiments), 0.05, kRateTolerance);
    }
  }
  // Completed orders given the activity a are Poisson(0.8 a) in both periods, so their
  // correlation is 0.64 var(a) / (0.64 var(a) + 0.8 E a) = 5.76 / 8.16 and CUPED removes
  // rho^2 = 0.498 of the total's variance. The mean of 2000 sample r^2 has a standard deviation
  // well under 0.002 and a bias of order 1 / n = 0.0025: 0.02 covers both.
  EXPECT_NEAR(tallies[0][1].variance_reduction, 0.498, 0.02);
  EXPECT_GT(tallies[1][1].variance_reduction, 0.0);
}

TEST(KnownSplitEffect, IsInsideTheIntervalAtTheNominalRate) {
  Tally tallies[2][2];
  run_experiments(2, 0.85, tallies);
  for (int k = 0; k < 2; ++k) {
    for (int cuped = 0; cuped < 2; ++cuped) {
      SCOPED_TRACE(testing::Message() << "kpi " << k << " cuped " << cuped);
      EXPECT_NEAR(tallies[k][cuped].covered / double(kExperiments), 0.95, kRateTolerance);
    }
  }
}

}  // namespace
}  // namespace p2psim
