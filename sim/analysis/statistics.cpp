#include "analysis/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/non_central_t.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/tools/roots.hpp>
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

double sample_variance(std::span<const double> values, double mean) {
  double deviation = sample_standard_deviation(values, mean);
  return deviation * deviation;
}

double critical_t(double degrees_of_freedom) {
  double critical = t_quantile(degrees_of_freedom, 1.0 - (1.0 - kConfidenceLevel) / 2.0);
  return std::isfinite(critical) ? critical : 0.0;  // zero spread: no degrees of freedom
}

// The difference's interval and p-value from its variance (of the estimate) and t degrees of
// freedom; the relative fields are left to set_relative.
Comparison t_comparison(double difference, double variance, double degrees_of_freedom) {
  Comparison result{};
  result.degrees_of_freedom = degrees_of_freedom;
  result.difference = difference;
  result.standard_error = std::sqrt(std::max(0.0, variance));
  double half = critical_t(degrees_of_freedom) * result.standard_error;
  result.difference_low = difference - half;
  result.difference_high = difference + half;
  if (result.standard_error > 0.0) {
    result.p_value = two_sided_p_value(difference / result.standard_error, degrees_of_freedom);
  } else {
    result.p_value = difference == 0.0 ? 1.0 : 0.0;
  }
  return result;
}

// The relative change ratio - 1 with the delta method's variance of the ratio; NaN unless the
// control's mean is positive (a change relative to 0 or to a loss reads backwards).
void set_relative(Comparison& result, double ratio, double ratio_variance, double control_mean) {
  result.relative = ratio - 1.0;
  double half = critical_t(result.degrees_of_freedom) * std::sqrt(std::max(0.0, ratio_variance));
  result.relative_low = result.relative - half;
  result.relative_high = result.relative + half;
  if (!(control_mean > 0.0)) result.relative = result.relative_low = result.relative_high = kNaN;
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
  double half_width = critical_t(static_cast<double>(values.size() - 1)) * standard_error;
  return {mean, mean - half_width, mean + half_width, count};
}

Estimate within_domain(Estimate estimate, double domain_low, double domain_high) {
  if (estimate.low < domain_low) estimate.low = domain_low;
  if (estimate.high > domain_high) estimate.high = domain_high;
  return estimate;
}

Comparison compare_paired(std::span<const double> control, std::span<const double> treatment) {
  const std::size_t count = control.size();
  auto n = static_cast<double>(count);
  double control_mean = mean_of(control);
  double treatment_mean = mean_of(treatment);
  std::vector<double> differences(count);
  for (std::size_t r = 0; r < count; ++r)
    differences[r] = treatment[r] - control[r];
  double difference_mean = mean_of(differences);
  double spread = sample_variance(differences, difference_mean);
  Comparison result = t_comparison(difference_mean, spread / n, n - 1.0);
  result.paired = true;
  result.spread = spread;
  result.df_per_replication = 1.0;
  // The ratio of means, linearised replication by replication: (t_r - ratio * c_r) / mean(c).
  double ratio = treatment_mean / control_mean;
  std::vector<double> linearised(count);
  for (std::size_t r = 0; r < count; ++r)
    linearised[r] = (treatment[r] - ratio * control[r]) / control_mean;
  double linearised_mean = mean_of(linearised);
  set_relative(result, ratio, sample_variance(linearised, linearised_mean) / n, control_mean);
  return result;
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
  Comparison result = t_comparison(treatment_mean - control_mean, sum, degrees_of_freedom);
  result.paired = false;
  result.spread = a + b;
  result.df_per_replication = per_replication;
  // d(ratio) = d(treatment) / control - ratio * d(control) / control, the arms independent.
  double ratio = treatment_mean / control_mean;
  set_relative(
      result, ratio,
      (treatment_variance + ratio * ratio * control_variance) / (control_mean * control_mean),
      control_mean);
  return result;
}

double t_quantile(double degrees_of_freedom, double probability) {
  boost::math::students_t distribution(degrees_of_freedom);
  return boost::math::quantile(distribution, probability);
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

double t_test_power(double noncentrality, double degrees_of_freedom) {
  // Boost's series cannot start past a noncentrality of about 6e4; from 1000 on the power is 1
  // to the last bit for any df >= 1 (missing needs |Z| > 900 or chi(df) / sqrt(df) > 70).
  if (std::fabs(noncentrality) > 1000.0) return 1.0;
  double critical = critical_t(degrees_of_freedom);
  boost::math::non_central_t distribution(degrees_of_freedom, noncentrality);
  return boost::math::cdf(boost::math::complement(distribution, critical)) +
         boost::math::cdf(distribution, -critical);
}

double detectable_noncentrality(double degrees_of_freedom) {
  // Power grows with the noncentrality from 0.05 at 0; bracket 80% by doubling, then solve.
  auto shortfall = [&](double noncentrality) {
    return t_test_power(noncentrality, degrees_of_freedom) - kPower;
  };
  double low = 0.0;
  double high = 4.0;
  while (shortfall(high) < 0.0) {
    low = high;
    high *= 2.0;
  }
  boost::uintmax_t iterations = 100;
  auto [lower, upper] = boost::math::tools::toms748_solve(
      shortfall, low, high, boost::math::tools::eps_tolerance<double>(40), iterations);
  return (lower + upper) / 2.0;
}

double minimum_detectable_difference(const Comparison& comparison) {
  if (!(comparison.standard_error > 0.0)) return kNaN;
  return detectable_noncentrality(comparison.degrees_of_freedom) * comparison.standard_error;
}

namespace {

double degrees_of_freedom_at(const Comparison& comparison, double replications) {
  return std::max(1.0, comparison.df_per_replication * (replications - 1.0));
}

}  // namespace

double minimum_detectable_difference(const Comparison& comparison, std::uint32_t replications) {
  if (!(comparison.spread > 0.0)) return kNaN;
  double n = replications;
  return detectable_noncentrality(degrees_of_freedom_at(comparison, n)) *
         std::sqrt(comparison.spread / n);
}

std::optional<std::uint32_t> replications_needed(const Comparison& comparison, double difference) {
  if (!(comparison.spread > 0.0)) return std::nullopt;
  auto powerful_enough = [&](std::uint32_t replications) {
    double n = replications;
    double noncentrality = std::fabs(difference) / std::sqrt(comparison.spread / n);
    return t_test_power(noncentrality, degrees_of_freedom_at(comparison, n)) >= kPower;
  };
  // Power grows with n: bisect between 2 and the cap.
  std::uint32_t low = 2;
  std::uint32_t high = kTooManyReplications;
  if (difference == 0.0 || !powerful_enough(high)) return high;
  while (low < high) {
    std::uint32_t middle = low + (high - low) / 2;
    if (powerful_enough(middle)) {
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
