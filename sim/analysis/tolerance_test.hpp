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
  double p_value;  // of "the KPI moved by more than the margin"
};

// Both tests below are of H0: |mean(current) - mean(baseline)| <= tolerance x |mean(baseline)|
// against H1: it moved by more, and differ only in the standard error of the difference d of the
// means. t = (|d| - margin) / se, and p is the chance of a |d| at least as large at the worst
// point of H0, a true move of exactly +margin or -margin: p = P(T > t) + P(T > (|d| + margin) /
// se), so that the test keeps its level alpha even when the margin is small against se (with
// P(T > t) alone, a margin of 0 would make it a two-sided test at level 2 alpha). Welch's test
// takes the observed baseline mean in the margin, an approximation (slightly liberal at the
// boundary when the margin is large against the baseline's noise). When there is no spread (one
// replication each, or identical values or differences), the test is the plain comparison: p = 0 if
// |d| > margin, else 1.

// Welch's test, for independent samples (runs with different random numbers): se^2 =
// s_c^2/n_c + s_b^2/n_b with Welch-Satterthwaite degrees of freedom; against a single value,
// whose own variance is unknown, se^2 = s^2 (1/n + 1) of the other sample, n - 1 degrees of
// freedom. Both samples must be non-empty.
ToleranceTest tolerance_test(std::span<const double> baseline, std::span<const double> current,
                             double tolerance);

// The paired test, for runs that share their random numbers replication by replication (common
// random numbers: same seed and replications): on d_r = current[r] - baseline[r] less each
// pair's own margin, tolerance x |baseline[r]| (so that the margin's noise is in the variance
// too), se^2 = s^2 / n, n - 1 degrees of freedom. Where the pairing correlates the two runs it
// removes their common noise from se; where it does not (the random numbers were used differently),
// it is still a valid test, with fewer degrees of freedom. The spans are the pairs, of equal,
// non-zero size.
ToleranceTest paired_tolerance_test(std::span<const double> baseline,
                                    std::span<const double> current, double tolerance);

// For a KPI produced in too few replications for its values to be tested (a ratio whose
// denominator is rarely positive): Fisher's exact two-sided test that the baseline's and the
// current run's replications produce it equally often, from `produced_before` of
// `replications_before` and `produced_now` of `replications_now`.
double presence_p_value(std::size_t produced_before, std::size_t replications_before,
                        std::size_t produced_now, std::size_t replications_now);

}  // namespace p2psim
