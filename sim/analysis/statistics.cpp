#include "analysis/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace p2psim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double mean_of(std::span<const double> values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// Two passes (mean first, then squared deviations) rather than the one-pass sum of squares,
// which loses precision when the mean is large next to the spread (GMV in the millions).
double sample_standard_deviation(std::span<const double> values, double mean) {
  double squares = 0.0;
  for (double value : values)
    squares += (value - mean) * (value - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double t_quantile(double degrees_of_freedom, double probability) {
  boost::math::students_t distribution(degrees_of_freedom);
  return boost::math::quantile(distribution, probability);
}

double t_quantile(std::size_t degrees_of_freedom) {
  return t_quantile(static_cast<double>(degrees_of_freedom), 1.0 - (1.0 - kConfidenceLevel) / 2.0);
}

double sample_variance(std::span<const double> values, double mean) {
  double deviation = sample_standard_deviation(values, mean);
  return deviation * deviation;
}

double sample_covariance(std::span<const double> left, double left_mean,
                         std::span<const double> right, double right_mean) {
  double sum = 0.0;
  for (std::size_t i = 0; i < left.size(); ++i)
    sum += (left[i] - left_mean) * (right[i] - right_mean);
  return sum / static_cast<double>(left.size() - 1);
}

// The moments a comparison is built from: means, the variances of the two means and their
// covariance (0 for independent samples).
struct Moments {
  double control_mean;
  double treatment_mean;
  double control_variance;  // of the mean
  double treatment_variance;
  double covariance;
};

Comparison compare(const Moments& moments, double degrees_of_freedom, double spread,
                   double df_per_replication, bool paired) {
  Comparison result{};
  result.paired = paired;
  result.spread = spread;
  result.df_per_replication = df_per_replication;
  result.degrees_of_freedom = degrees_of_freedom;
  result.difference = moments.treatment_mean - moments.control_mean;
  double variance =
      moments.control_variance + moments.treatment_variance - 2.0 * moments.covariance;
  result.standard_error = std::sqrt(std::max(0.0, variance));
  double critical = t_quantile(degrees_of_freedom, 1.0 - (1.0 - kConfidenceLevel) / 2.0);
  if (!std::isfinite(critical)) critical = 0.0;  // zero spread: no degrees of freedom to speak of
  double half = critical * result.standard_error;
  result.difference_low = result.difference - half;
  result.difference_high = result.difference + half;
  if (result.standard_error > 0.0) {
    result.p_value =
        two_sided_p_value(result.difference / result.standard_error, degrees_of_freedom);
  } else {
    result.p_value = result.difference == 0.0 ? 1.0 : 0.0;
  }
  double control = moments.control_mean;
  double ratio = moments.treatment_mean / control;
  result.relative = ratio - 1.0;
  // d(ratio) = d(treatment) / control - ratio * d(control) / control.
  double relative_variance =
      (moments.treatment_variance + ratio * ratio * moments.control_variance -
       2.0 * ratio * moments.covariance) /
      (control * control);
  double relative_half = critical * std::sqrt(std::max(0.0, relative_variance));
  result.relative_low = result.relative - relative_half;
  result.relative_high = result.relative + relative_half;
  if (control == 0.0) result.relative = result.relative_low = result.relative_high = kNaN;
  return result;
}

}  // namespace

double standard_error_of_mean(std::span<const double> values) {
  if (values.size() < 2) return kNaN;
  return sample_standard_deviation(values, mean_of(values)) /
         std::sqrt(static_cast<double>(values.size()));
}

Estimate estimate_mean(std::span<const double> values) {
  auto count = static_cast<std::uint32_t>(values.size());
  if (values.empty()) return {kNaN, kNaN, kNaN, 0};
  double mean = mean_of(values);
  if (values.size() < 2) return {mean, kNaN, kNaN, count};
  double standard_error = standard_error_of_mean(values);
  double half_width = t_quantile(values.size() - 1) * standard_error;
  return {mean, mean - half_width, mean + half_width, count};
}

Comparison compare_paired(std::span<const double> control, std::span<const double> treatment) {
  auto n = static_cast<double>(control.size());
  double control_mean = mean_of(control);
  double treatment_mean = mean_of(treatment);
  double covariance = sample_covariance(control, control_mean, treatment, treatment_mean);
  Moments moments{control_mean, treatment_mean, sample_variance(control, control_mean) / n,
                  sample_variance(treatment, treatment_mean) / n, covariance / n};
  double spread =
      n * (moments.control_variance + moments.treatment_variance - 2.0 * moments.covariance);
  return compare(moments, n - 1.0, spread, 1.0, true);
}

Comparison compare_welch(std::span<const double> control, std::span<const double> treatment) {
  auto control_n = static_cast<double>(control.size());
  auto treatment_n = static_cast<double>(treatment.size());
  double control_mean = mean_of(control);
  double treatment_mean = mean_of(treatment);
  double control_variance = sample_variance(control, control_mean) / control_n;
  double treatment_variance = sample_variance(treatment, treatment_mean) / treatment_n;
  // Welch-Satterthwaite: (v1 + v2)^2 / (v1^2 / (n1 - 1) + v2^2 / (n2 - 1)).
  double sum = control_variance + treatment_variance;
  double degrees_of_freedom = sum * sum /
                              (control_variance * control_variance / (control_n - 1.0) +
                               treatment_variance * treatment_variance / (treatment_n - 1.0));
  // Two constant samples (a KPI that is 0 throughout) leave 0 / 0: any df gives the zero-width
  // interval, so take the pooled one.
  if (!(degrees_of_freedom > 0.0)) degrees_of_freedom = control_n + treatment_n - 2.0;
  // With equal n per arm the same formula gives df = (n - 1) * (s1^2 + s2^2)^2 / (s1^4 + s2^4).
  double a = control_variance * control_n;
  double b = treatment_variance * treatment_n;
  double per_replication = (a * a + b * b) > 0.0 ? (a + b) * (a + b) / (a * a + b * b) : 1.0;
  Moments moments{control_mean, treatment_mean, control_variance, treatment_variance, 0.0};
  return compare(moments, degrees_of_freedom, a + b, per_replication, false);
}

double two_sided_p_value(double t, double degrees_of_freedom) {
  boost::math::students_t distribution(degrees_of_freedom);
  return 2.0 * boost::math::cdf(boost::math::complement(distribution, std::fabs(t)));
}

double two_sided_normal_p_value(double z) {
  boost::math::normal distribution;
  return 2.0 * boost::math::cdf(boost::math::complement(distribution, std::fabs(z)));
}

double normal_quantile(double probability) {
  return boost::math::quantile(boost::math::normal(), probability);
}

namespace {

std::vector<std::size_t> ascending_order(std::span<const double> p_values) {
  std::vector<std::size_t> order(p_values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  return order;
}

}  // namespace

std::vector<double> holm_adjusted(std::span<const double> p_values) {
  // Holm (1979): the k-th smallest of m p-values is multiplied by (m - k + 1), and adjusted
  // values are made non-decreasing in that order.
  std::vector<double> adjusted(p_values.size());
  std::vector<std::size_t> order = ascending_order(p_values);
  double running = 0.0;
  auto m = static_cast<double>(p_values.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    running = std::max(running, std::min(1.0, (m - static_cast<double>(k)) * p_values[order[k]]));
    adjusted[order[k]] = running;
  }
  return adjusted;
}

std::vector<double> benjamini_hochberg_adjusted(std::span<const double> p_values) {
  // Benjamini and Hochberg (1995): the k-th smallest is multiplied by m / k, and adjusted values
  // are made non-increasing from the largest down.
  std::vector<double> adjusted(p_values.size());
  std::vector<std::size_t> order = ascending_order(p_values);
  double running = 1.0;
  auto m = static_cast<double>(p_values.size());
  for (std::size_t k = order.size(); k-- > 0;) {
    running = std::min(running, m / static_cast<double>(k + 1) * p_values[order[k]]);
    adjusted[order[k]] = running;
  }
  return adjusted;
}

double minimum_detectable_difference(const Comparison& comparison, std::uint32_t replications) {
  double n = replications;
  double degrees_of_freedom = std::max(1.0, comparison.df_per_replication * (n - 1.0));
  double critical = t_quantile(degrees_of_freedom, 1.0 - (1.0 - kConfidenceLevel) / 2.0) +
                    t_quantile(degrees_of_freedom, kPower);
  return critical * std::sqrt(comparison.spread / n);
}

std::uint32_t replications_needed(const Comparison& comparison, double difference) {
  if (!(comparison.spread > 0.0)) return comparison.spread == 0.0 ? 0 : kTooManyReplications;
  if (difference == 0.0) return kTooManyReplications;
  // The detectable difference falls monotonically with n: bisect between 2 and the cap.
  std::uint32_t low = 2;
  std::uint32_t high = kTooManyReplications;
  if (minimum_detectable_difference(comparison, high) > std::fabs(difference)) return high;
  while (low < high) {
    std::uint32_t middle = low + (high - low) / 2;
    if (minimum_detectable_difference(comparison, middle) <= std::fabs(difference)) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return low;
}

double chi_square_p_value(std::span<const double> observed, std::span<const double> shares) {
  double total = std::accumulate(observed.begin(), observed.end(), 0.0);
  double statistic = 0.0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    double expected = total * shares[i];
    statistic += (observed[i] - expected) * (observed[i] - expected) / expected;
  }
  boost::math::chi_squared distribution(static_cast<double>(observed.size() - 1));
  return boost::math::cdf(boost::math::complement(distribution, statistic));
}

}  // namespace p2psim
