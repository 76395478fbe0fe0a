#include "analysis/tolerance_test.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cassert>
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

// The test's means and margin, before the standard error is known.
ToleranceTest test_of_means(double baseline_mean, double current_mean, double tolerance) {
  ToleranceTest test{};
  test.baseline_mean = baseline_mean;
  test.current_mean = current_mean;
  test.margin = tolerance * std::fabs(baseline_mean);
  return test;
}

// t, the degrees of freedom and p, given the variance of the difference of the means.
void conclude(ToleranceTest& test, double variance, double degrees_of_freedom) {
  const double distance = std::fabs(test.current_mean - test.baseline_mean);
  const double excess = distance - test.margin;
  if (!(variance > 0.0)) {
    test.t = excess > 0.0 ? kInfinity : -kInfinity;
    test.degrees_of_freedom = 0.0;
    test.p_value = excess > 0.0 ? 0.0 : 1.0;
    return;
  }
  const double se = std::sqrt(variance);
  test.t = excess / se;
  test.degrees_of_freedom = degrees_of_freedom;
  const boost::math::students_t distribution(degrees_of_freedom);
  // Both tails at a true move of +margin: |d| reached upwards, or -|d| reached downwards.
  test.p_value = std::min(1.0, boost::math::cdf(boost::math::complement(distribution, test.t)) +
                                   boost::math::cdf(boost::math::complement(
                                       distribution, (distance + test.margin) / se)));
}

// log C(n, k).
double log_choose(std::size_t n, std::size_t k) {
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
}

}  // namespace

double presence_p_value(std::size_t produced_before, std::size_t replications_before,
                        std::size_t produced_now, std::size_t replications_now) {
  // Given the replications that produced it (both runs together), the count among the
  // baseline's is hypergeometric; the p-value sums the chances of the counts no more likely than
  // the one observed.
  const std::size_t produced = produced_before + produced_now;
  const std::size_t replications = replications_before + replications_now;
  auto chance = [&](std::size_t before) {
    return std::exp(log_choose(replications_before, before) +
                    log_choose(replications_now, produced - before) -
                    log_choose(replications, produced));
  };
  const std::size_t lowest = produced > replications_now ? produced - replications_now : 0;
  const std::size_t highest = std::min(produced, replications_before);
  const double observed = chance(produced_before);
  double p = 0.0;
  for (std::size_t before = lowest; before <= highest; ++before) {
    const double each = chance(before);
    if (each <= observed * (1.0 + 1e-9)) p += each;
  }
  return std::min(1.0, p);
}

ToleranceTest tolerance_test(std::span<const double> baseline, std::span<const double> current,
                             double tolerance) {
  ToleranceTest test = test_of_means(mean_of(baseline), mean_of(current), tolerance);
  const double variance_b = variance_of_mean(baseline, test.baseline_mean);
  const double variance_c = variance_of_mean(current, test.current_mean);
  // A single value's own variance is unknown, not 0: it is taken to be the other sample's (s^2
  // for one value), on that sample's n - 1 degrees of freedom, the test of one new observation.
  if (baseline.size() == 1 && current.size() > 1) {
    const double variance = variance_c * (1.0 + static_cast<double>(current.size()));
    conclude(test, variance, current.size() - 1.0);
    return test;
  }
  if (current.size() == 1 && baseline.size() > 1) {
    const double variance = variance_b * (1.0 + static_cast<double>(baseline.size()));
    conclude(test, variance, baseline.size() - 1.0);
    return test;
  }
  // Welch-Satterthwaite; one value on each side leaves no variance (the plain comparison).
  const double variance = variance_b + variance_c;
  double denominator = 0.0;
  if (baseline.size() > 1) denominator += variance_b * variance_b / (baseline.size() - 1.0);
  if (current.size() > 1) denominator += variance_c * variance_c / (current.size() - 1.0);
  conclude(test, variance, variance > 0.0 ? variance * variance / denominator : 0.0);
  return test;
}

ToleranceTest paired_tolerance_test(std::span<const double> baseline,
                                    std::span<const double> current, double tolerance) {
  assert(baseline.size() == current.size() && !baseline.empty());
  ToleranceTest test = test_of_means(mean_of(baseline), mean_of(current), tolerance);
  // The margin moves with each pair's baseline value, so that its noise is in the variance:
  // excess_r = direction x d_r - tolerance x |baseline|_r has mean |d| - margin exactly, and
  // under a true move of exactly the margin its t has n - 1 degrees of freedom (taking the
  // margin from the baseline's mean, as Welch's test must, makes the test liberal at the
  // boundary). beyond_r = direction x d_r + the margin is the other tail's.
  const double direction = test.current_mean >= test.baseline_mean ? 1.0 : -1.0;
  const double sign = test.baseline_mean >= 0.0 ? 1.0 : -1.0;
  std::vector<double> excess(baseline.size());
  std::vector<double> beyond(baseline.size());
  for (std::size_t r = 0; r < baseline.size(); ++r) {
    const double difference = direction * (current[r] - baseline[r]);
    const double margin = tolerance * sign * baseline[r];
    excess[r] = difference - margin;
    beyond[r] = difference + margin;
  }
  const double variance = variance_of_mean(excess, mean_of(excess));
  if (!(variance > 0.0)) {
    conclude(test, 0.0, 0.0);  // the plain comparison
    return test;
  }
  test.t = mean_of(excess) / std::sqrt(variance);
  test.degrees_of_freedom = static_cast<double>(baseline.size()) - 1.0;
  const boost::math::students_t distribution(test.degrees_of_freedom);
  const double beyond_variance = variance_of_mean(beyond, mean_of(beyond));
  const double other_tail = beyond_variance > 0.0
                                ? boost::math::cdf(boost::math::complement(
                                      distribution, mean_of(beyond) / std::sqrt(beyond_variance)))
                                : (mean_of(beyond) > 0.0 ? 0.0 : 1.0);
  test.p_value =
      std::min(1.0, boost::math::cdf(boost::math::complement(distribution, test.t)) + other_tail);
  return test;
}

}  // namespace p2psim
