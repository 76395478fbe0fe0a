#include "experiment/statistics.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

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

double t_quantile(std::size_t degrees_of_freedom) {
  boost::math::students_t distribution(static_cast<double>(degrees_of_freedom));
  return boost::math::quantile(distribution, 1.0 - (1.0 - kConfidenceLevel) / 2.0);
}

}  // namespace

Estimate estimate_mean(std::span<const double> values) {
  auto count = static_cast<std::uint32_t>(values.size());
  if (values.empty()) return {kNaN, kNaN, kNaN, 0};
  double mean = mean_of(values);
  if (values.size() < 2) return {mean, kNaN, kNaN, count};
  double standard_error =
      sample_standard_deviation(values, mean) / std::sqrt(static_cast<double>(values.size()));
  double half_width = t_quantile(values.size() - 1) * standard_error;
  return {mean, mean - half_width, mean + half_width, count};
}

}  // namespace p2psim
