#pragma once
// The statistical tier of `p2psim check`: did a KPI move by more than its tolerance, beyond
// what the noise between replications explains? And Holm's correction, so that a scenario with
// fifty KPIs does not raise a false alarm each time one of them is unlucky.
#include <cstddef>
#include <span>
#include <vector>

#include "analysis/statistics.hpp"  // holm_adjusted, applied across KPIs

namespace p2psim {

struct ToleranceTest {
  double baseline_mean;
  double current_mean;
  double margin;  // tolerance x |baseline_mean|: the move that is allowed
  double t;       // (|difference| - margin) / standard error; +inf/-inf without spread
  double degrees_of_freedom;
  double p_value;  // one-sided, of "the KPI moved by more than the margin"
};

// A Welch test of H0: |mean(current) - mean(baseline)| <= tolerance x |mean(baseline)| against
// H1: it moved by more. t = (|d| - margin) / se with se^2 = s_c^2/n_c + s_b^2/n_b and
// Welch-Satterthwaite degrees of freedom; p = P(T > t). Taking the observed baseline mean in the
// margin is an approximation, conservative enough for a regression alarm. When neither sample
// has spread (one replication each, or identical values), the test is the plain comparison:
// p = 0 if |d| > margin, else 1. Both samples must be non-empty.
ToleranceTest tolerance_test(std::span<const double> baseline, std::span<const double> current,
                             double tolerance);

}  // namespace p2psim
