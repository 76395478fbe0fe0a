#include "analysis/tolerance_test.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace p2psim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

double mean_of(std::span<const double> values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// The sample variance of the mean (s^2 / n); 0 for a single value.
double variance_of_mean(std::span<const double> values, double mean) {
  if (values.size() < 2) return 0.0;
  double squares = 0.0;
  for (double value : values)
    squares += (value - mean) * (value - mean);
  const double n = static_cast<double>(values.size());
  return squares / (n - 1.0) / n;
}

}  // namespace

ToleranceTest tolerance_test(std::span<const double> baseline, std::span<const double> current,
                             double tolerance) {
  ToleranceTest test{};
  test.baseline_mean = mean_of(baseline);
  test.current_mean = mean_of(current);
  test.margin = tolerance * std::fabs(test.baseline_mean);
  const double excess = std::fabs(test.current_mean - test.baseline_mean) - test.margin;
  const double variance_b = variance_of_mean(baseline, test.baseline_mean);
  const double variance_c = variance_of_mean(current, test.current_mean);
  const double variance = variance_b + variance_c;
  if (!(variance > 0.0)) {
    test.t = excess > 0.0 ? kInfinity : -kInfinity;
    test.degrees_of_freedom = 0.0;
    test.p_value = excess > 0.0 ? 0.0 : 1.0;
    return test;
  }
  test.t = excess / std::sqrt(variance);
  // Welch-Satterthwaite; a sample of one contributes no variance and no degrees of freedom.
  double denominator = 0.0;
  if (baseline.size() > 1) denominator += variance_b * variance_b / (baseline.size() - 1.0);
  if (current.size() > 1) denominator += variance_c * variance_c / (current.size() - 1.0);
  test.degrees_of_freedom = variance * variance / denominator;
  const boost::math::students_t distribution(test.degrees_of_freedom);
  test.p_value = boost::math::cdf(boost::math::complement(distribution, test.t));
  return test;
}

}  // namespace p2psim
