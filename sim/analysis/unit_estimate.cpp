#include "analysis/unit_estimate.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "analysis/statistics.hpp"

namespace p2psim {
namespace {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;
using CrossMatrix = Eigen::Matrix<double, kUnitMomentSize, kUnitMomentSize, Eigen::RowMajor>;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A covariate whose variance is below this share of its squared mean is constant up to rounding:
// covariances come from raw sums, cross - n m m^T, which leave an error of order n x 1e-16 x m^2
// at worst (about sqrt(n) x 1e-16 x m^2 typically), far below it for any realistic n.
constexpr double kConstantVariance = 1e-9;
// The smallest pivot of the covariates' correlation matrix taken as full rank: below it a
// covariate is collinear with the others (1 - R^2 < 1e-10) and theta is not identified.
constexpr double kCollinearPivot = 1e-10;

// The columns of UnitValues a KPI reads: its outcome (the experiment-period numerator, then the
// denominator for a ratio) followed by its CUPED covariates (the same metrics in the pre-period).
std::vector<int> columns_of(const SplitKpi& kpi) {
  std::vector<int> columns = {experiment_period(kpi.numerator)};
  if (kpi.ratio) columns.push_back(experiment_period(kpi.denominator));
  columns.push_back(pre_period(kpi.numerator));
  if (kpi.ratio) columns.push_back(pre_period(kpi.denominator));
  return columns;
}

// An arm's means and sample covariance of the KPI's columns.
struct ArmColumns {
  double units;
  Vector mean;
  Matrix covariance;
};

ArmColumns summarise(const UnitMoments& moments, const std::vector<int>& columns) {
  Eigen::Map<const CrossMatrix> cross(moments.cross.data());
  auto size = static_cast<Eigen::Index>(columns.size());
  ArmColumns arm{static_cast<double>(moments.units), Vector(size), Matrix(size, size)};
  for (Eigen::Index i = 0; i < size; ++i)
    arm.mean(i) = moments.sum[columns[i]] / arm.units;
  // The arm's own means are subtracted before any pooling: a treatment effect on the means must
  // not leak into the spread.
  for (Eigen::Index i = 0; i < size; ++i) {
    for (Eigen::Index j = 0; j < size; ++j) {
      double centred = cross(columns[i], columns[j]) - arm.units * arm.mean(i) * arm.mean(j);
      arm.covariance(i, j) = centred / (arm.units - 1.0);
    }
  }
  return arm;
}

// What the estimate needs of one arm, in terms of the per-unit influence u: the arm's point
// estimate has variance var(u) / n. For a total u is the numerator y and the estimate its mean;
// for a ratio R = mean(y) / mean(x), u = (y - R x) / mean(x), the delta method's linearisation.
struct ArmInfluence {
  double units;
  double value;  // the point estimate before scale and population
  double variance;
  Vector covariate_mean;
  Vector covariance_cu;  // of the covariates with u
  Matrix covariance_cc;
};

// The weights of u on the outcome columns.
Vector influence_weights(const SplitKpi& kpi, const ArmColumns& arm) {
  if (!kpi.ratio) return Vector::Ones(1);
  double ratio = arm.mean(0) / arm.mean(1);
  Vector weights(2);
  weights << 1.0 / arm.mean(1), -ratio / arm.mean(1);
  return weights;
}

ArmInfluence influence_of(const SplitKpi& kpi, const ArmColumns& arm) {
  Eigen::Index outcomes = kpi.ratio ? 2 : 1;
  Eigen::Index covariates = arm.mean.size() - outcomes;
  Vector weights = influence_weights(kpi, arm);
  ArmInfluence influence;
  influence.units = arm.units;
  influence.value = kpi.ratio ? arm.mean(0) / arm.mean(1) : arm.mean(0);
  influence.variance = weights.dot(arm.covariance.topLeftCorner(outcomes, outcomes) * weights);
  influence.covariate_mean = arm.mean.tail(covariates);
  influence.covariance_cu = arm.covariance.bottomLeftCorner(covariates, outcomes) * weights;
  influence.covariance_cc = arm.covariance.bottomRightCorner(covariates, covariates);
  return influence;
}

// Within-arm covariances pooled with weights n - 1, as the two-sample t test pools variances.
template <typename Dense>
Dense pooled(const Dense& control, const Dense& treatment, double control_units,
             double treatment_units) {
  return ((control_units - 1.0) * control + (treatment_units - 1.0) * treatment) /
         (control_units + treatment_units - 2.0);
}

// The correlation matrix of some covariates (which all vary). Working on the correlation scale
// makes the rank test independent of the covariates' units (USD against counts).
Matrix correlation_of(const Matrix& covariance, const std::vector<Eigen::Index>& covariates) {
  auto size = static_cast<Eigen::Index>(covariates.size());
  Matrix correlation(size, size);
  for (Eigen::Index k = 0; k < size; ++k) {
    for (Eigen::Index l = 0; l < size; ++l) {
      double scale = std::sqrt(covariance(covariates[k], covariates[k]) *
                               covariance(covariates[l], covariates[l]));
      correlation(k, l) = covariance(covariates[k], covariates[l]) / scale;
    }
  }
  return correlation;
}

bool full_rank(const Eigen::LDLT<Matrix>& ldlt) {
  return ldlt.info() == Eigen::Success && ldlt.vectorD().minCoeff() > kCollinearPivot;
}

// The covariates theta can be fitted on: those that vary, each kept only when it is not collinear
// with those kept before it (a pre-period numerator proportional to its denominator adds nothing).
std::vector<Eigen::Index> usable_covariates(const Matrix& covariance_cc,
                                            const Vector& squared_mean) {
  std::vector<Eigen::Index> kept;
  for (Eigen::Index i = 0; i < covariance_cc.rows(); ++i) {
    if (!(covariance_cc(i, i) > kConstantVariance * squared_mean(i))) continue;
    kept.push_back(i);
    if (!full_rank(Eigen::LDLT<Matrix>(correlation_of(covariance_cc, kept)))) kept.pop_back();
  }
  return kept;
}

// theta = Sigma_cc^-1 Sigma_cu on the usable covariates (the others get 0); nothing when none is
// usable. With D the covariates' standard deviations and C their correlation, Sigma = D C D, so
// theta = D^-1 C^-1 D^-1 Sigma_cu.
std::optional<Vector> fit_theta(const Matrix& covariance_cc, const Vector& covariance_cu,
                                const Vector& squared_mean) {
  std::vector<Eigen::Index> usable = usable_covariates(covariance_cc, squared_mean);
  if (usable.empty()) return std::nullopt;
  auto size = static_cast<Eigen::Index>(usable.size());
  Vector deviation(size);
  Vector right(size);
  for (Eigen::Index k = 0; k < size; ++k) {
    deviation(k) = std::sqrt(covariance_cc(usable[k], usable[k]));
    right(k) = covariance_cu(usable[k]) / deviation(k);
  }
  Vector scaled = Eigen::LDLT<Matrix>(correlation_of(covariance_cc, usable)).solve(right);
  Vector theta = Vector::Zero(covariance_cc.rows());
  for (Eigen::Index k = 0; k < size; ++k)
    theta(usable[k]) = scaled(k) / deviation(k);
  return theta;
}

std::optional<Vector> fit_theta(const ArmInfluence& control, const ArmInfluence& treatment) {
  Matrix covariance_cc =
      pooled(control.covariance_cc, treatment.covariance_cc, control.units, treatment.units);
  Vector covariance_cu =
      pooled(control.covariance_cu, treatment.covariance_cu, control.units, treatment.units);
  Vector squared_mean =
      control.covariate_mean.cwiseAbs2().cwiseMax(treatment.covariate_mean.cwiseAbs2());
  return fit_theta(covariance_cc, covariance_cu, squared_mean);
}

// An arm's point estimate and its variance, before scale and population.
// Under the Bell-McCaffrey working model (independent units, errors of variance sigma^2 / x_i for a
// ratio's units, sigma^2 for a mean's), the arm's variance estimate has mean sigma^2 x
// working_mean and variance sigma^4 x working_spread: the Satterthwaite degrees of freedom of the
// difference come from them. For a mean of n units they are 1 / n and 1 / (n^2 (n - 1)).
struct ArmValue {
  double value;
  double variance;
  double units;
  double working_mean;
  double working_spread;
};

ArmValue arm_value(double value, double variance, double units) {
  return {value, variance, units, 1.0 / units, 1.0 / (units * units * (units - 1.0))};
}

ArmValue unadjusted(const ArmInfluence& arm) {
  return arm_value(arm.value, arm.variance / arm.units, arm.units);
}

// CR2 for a ratio of sums R = sum(y) / sum(x) over an arm's listed units (X = sum(x)): the ratio
// is the weighted mean of y_i / x_i with weights a_i = x_i / X and leverages h_i = a_i, so its
// variance is sum of c_i e_i^2 with e_i = y_i / x_i - R and c_i = a_i^2 / (1 - h_i), that is
// sum of u_i^2 / (1 - h_i) / n^2 for the delta method's u_i = (y_i - R x_i) / mean(x). Under the
// working model var(e_i) = sigma^2 / x_i the residuals' covariance is sigma^2 (diag(1 / x) -
// 1 1^T / X), which gives the estimate's mean sum(d) - sum(c) / X and variance sum(d^2) - 2
// sum(d c) / X + sum(c)^2 / X^2 (per sigma^2 and sigma^4), d_i = c_i / x_i. With equal x these
// are the plain delta-method variance and the mean's 1 / n and 1 / (n^2 (n - 1)). A unit with all
// of the denominator (h_i = 1) has e_i = 0 and adds nothing.
ArmValue with_leverage(const SplitKpi& kpi, ArmValue plain, std::span<const UnitValues> units) {
  const int numerator = experiment_period(kpi.numerator);
  const int denominator = experiment_period(kpi.denominator);
  double total_x = 0.0;
  for (const UnitValues& unit : units)
    total_x += unit[denominator];
  double variance = 0.0, sum_c = 0.0, sum_d = 0.0, sum_dd = 0.0, sum_dc = 0.0;
  for (const UnitValues& unit : units) {
    const double x = unit[denominator];
    const double remaining = 1.0 - x / total_x;  // 1 - h_i
    if (!(remaining > 0.0)) continue;
    const double weighted_residual = (unit[numerator] - plain.value * x) / total_x;  // a_i e_i
    variance += weighted_residual * weighted_residual / remaining;
    const double c = x * x / (total_x * total_x * remaining);
    const double d = x / (total_x * total_x * remaining);
    sum_c += c;
    sum_d += d;
    sum_dd += d * d;
    sum_dc += d * c;
  }
  plain.variance = variance;
  plain.working_mean = sum_d - sum_c / total_x;
  plain.working_spread = sum_dd - 2.0 * sum_dc / total_x + sum_c * sum_c / (total_x * total_x);
  return plain;
}

// CUPED (Deng, Xu, Kohavi and Walker 2013): u - theta^T (c - E c), with E c estimated by both
// arms' pooled covariate means, which randomisation makes the same for either arm; what remains
// of var(u) is var(u) - 2 theta^T cov(c, u) + theta^T var(c) theta.
ArmValue adjusted(const ArmInfluence& arm, const Vector& theta, const Vector& overall_mean) {
  double value = arm.value - theta.dot(arm.covariate_mean - overall_mean);
  double variance =
      arm.variance - 2.0 * theta.dot(arm.covariance_cu) + theta.dot(arm.covariance_cc * theta);
  return arm_value(value, std::max(0.0, variance) / arm.units, arm.units);
}

// The t degrees of freedom of a difference of two arms' values: the smaller of
// - Welch-Satterthwaite's, (v_c + v_t)^2 / (v_c^2 / (n_c - 1) + v_t^2 / (n_t - 1)) with v each
//   arm's variance, right when the arms' spreads differ; and
// - Bell and McCaffrey's Satterthwaite degrees of freedom of the CR2 variance under their
//   working model (Imbens and Kolesar 2016): (m_c + m_t)^2 / (s_c + s_t) from each arm's
//   working_mean m and working_spread s. For means this is (n_c + n_t)^2 (n_c - 1)(n_t - 1) /
//   (n_t^2 (n_t - 1) + n_c^2 (n_c - 1)), which depends on the arm sizes alone, so a noisy variance
//   in a small arm cannot inflate it (Welch's alone rejected 6.1% of 15-merchant A/A tests); for
//   a ratio, units with much of the denominator count for more and the degrees of freedom fall.
// Each covariate CUPED fitted costs one more; at least 1. Both are the normal when units are many.
double small_sample_degrees_of_freedom(const ArmValue& control, const ArmValue& treatment,
                                       int fitted_covariates) {
  const double sum = control.variance + treatment.variance;
  double welch = sum * sum /
                 (control.variance * control.variance / (control.units - 1.0) +
                  treatment.variance * treatment.variance / (treatment.units - 1.0));
  const double working = control.working_mean + treatment.working_mean;
  const double bell_mccaffrey =
      working * working / (control.working_spread + treatment.working_spread);
  if (!(welch > 0.0)) welch = bell_mccaffrey;  // two constant arms: 0 / 0
  return std::max(1.0, std::min(welch, bell_mccaffrey) - fitted_covariates);
}

UnitEstimate compare_arms(const ArmValue& control, const ArmValue& treatment, double factor,
                          int fitted_covariates) {
  UnitEstimate estimate{};
  estimate.control = factor * control.value;
  estimate.treatment = factor * treatment.value;
  double control_variance = factor * factor * control.variance;
  double treatment_variance = factor * factor * treatment.variance;
  estimate.difference = estimate.treatment - estimate.control;
  estimate.standard_error = std::sqrt(control_variance + treatment_variance);
  estimate.degrees_of_freedom =
      small_sample_degrees_of_freedom(control, treatment, fitted_covariates);
  double critical = t_quantile(estimate.degrees_of_freedom, 1.0 - (1.0 - kConfidenceLevel) / 2.0);
  estimate.low = estimate.difference - critical * estimate.standard_error;
  estimate.high = estimate.difference + critical * estimate.standard_error;
  if (estimate.standard_error > 0.0) {
    estimate.p_value = two_sided_p_value(estimate.difference / estimate.standard_error,
                                         estimate.degrees_of_freedom);
  } else {
    estimate.p_value = estimate.difference == 0.0 ? 1.0 : 0.0;
  }
  if (!(estimate.control > 0.0)) {
    estimate.relative = estimate.relative_low = estimate.relative_high = kNaN;
    return estimate;
  }
  // Delta method, independent arms: var(T / C) = var(T) / C^2 + T^2 var(C) / C^4.
  double ratio = estimate.treatment / estimate.control;
  double relative_variance = (treatment_variance + ratio * ratio * control_variance) /
                             (estimate.control * estimate.control);
  double half_width = critical * std::sqrt(relative_variance);
  estimate.relative = ratio - 1.0;
  estimate.relative_low = estimate.relative - half_width;
  estimate.relative_high = estimate.relative + half_width;
  return estimate;
}

bool estimable(const SplitKpi& kpi, const UnitMoments& arm) {
  if (arm.units < 2) return false;
  return !kpi.ratio || arm.sum[experiment_period(kpi.denominator)] != 0.0;
}

}  // namespace

std::optional<UnitEstimate> estimate_split_kpi(const SplitKpi& kpi, const UnitMoments& control,
                                               const UnitMoments& treatment, double population,
                                               bool cuped, const ListedUnits& listed) {
  if (!estimable(kpi, control) || !estimable(kpi, treatment)) return std::nullopt;
  std::vector<int> columns = columns_of(kpi);
  ArmInfluence control_arm = influence_of(kpi, summarise(control, columns));
  ArmInfluence treatment_arm = influence_of(kpi, summarise(treatment, columns));
  double factor = kpi.ratio ? kpi.scale : kpi.scale * population;
  ArmValue control_value = unadjusted(control_arm);
  ArmValue treatment_value = unadjusted(treatment_arm);
  if (kpi.ratio && listed.control.size() == control.units &&
      listed.treatment.size() == treatment.units) {
    control_value = with_leverage(kpi, control_value, listed.control);
    treatment_value = with_leverage(kpi, treatment_value, listed.treatment);
  }
  UnitEstimate plain = compare_arms(control_value, treatment_value, factor, 0);
  if (!cuped) return plain;
  std::optional<Vector> theta = fit_theta(control_arm, treatment_arm);
  if (!theta) return plain;
  Vector overall_mean = (control_arm.units * control_arm.covariate_mean +
                         treatment_arm.units * treatment_arm.covariate_mean) /
                        (control_arm.units + treatment_arm.units);
  const auto fitted = static_cast<int>((theta->array() != 0.0).count());
  UnitEstimate result = compare_arms(adjusted(control_arm, *theta, overall_mean),
                                     adjusted(treatment_arm, *theta, overall_mean), factor, fitted);
  result.adjusted = true;
  double plain_variance = plain.standard_error * plain.standard_error;
  if (plain_variance > 0.0)
    result.variance_reduction =
        1.0 - result.standard_error * result.standard_error / plain_variance;
  return result;
}

std::optional<UnitEstimate> estimate_split_kpi(const SplitKpi& kpi, const MarketUnits& units,
                                               double population, bool cuped) {
  return estimate_split_kpi(kpi, units.arms[0], units.arms[1], population, cuped,
                            {units.listed[0], units.listed[1]});
}

}  // namespace p2psim
