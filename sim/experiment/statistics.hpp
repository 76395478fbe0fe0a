#pragma once
// Statistics across replications: each replication is one independent draw of a KPI, so the
// spread between replications is what a confidence interval has to describe.
#include <cstdint>
#include <span>

namespace p2psim {

inline constexpr double kConfidenceLevel = 0.95;

// A mean with its two-sided 95% confidence interval. low and high are NaN when count < 2 (no
// spread to estimate from); mean is NaN when count is 0.
struct Estimate {
  double mean;
  double low;
  double high;
  std::uint32_t count;
};

// Student-t interval: mean +/- t(0.975, n - 1) * s / sqrt(n), with s the sample standard
// deviation. The t quantile comes from boost::math::students_t.
Estimate estimate_mean(std::span<const double> values);

}  // namespace p2psim
