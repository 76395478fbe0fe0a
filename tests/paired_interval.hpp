#pragma once
// The interval of the mean of paired differences that the direction tests check: each
// difference is one replication's KPI with a mechanism on minus off, same seed and replication
// (common random numbers), and the mean's t interval must exclude 0.
#include <cmath>
#include <vector>

namespace p2psim {

struct Interval {
  double low;
  double high;
};

// t quantile 0.975 at 7 degrees of freedom: the 95% interval over 8 replications.
inline constexpr double kStudent95With7Df = 2.365;

// mean ± t x sd / sqrt(n), with `student` the t quantile at n - 1 degrees of freedom.
inline Interval mean_interval(const std::vector<double>& values, double student) {
  const double n = static_cast<double>(values.size());
  double mean = 0.0;
  for (double v : values)
    mean += v / n;
  double sum_squares = 0.0;
  for (double v : values)
    sum_squares += (v - mean) * (v - mean);
  const double half = student * std::sqrt(sum_squares / (n - 1.0) / n);
  return {mean - half, mean + half};
}

}  // namespace p2psim
