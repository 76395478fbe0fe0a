#pragma once
// Statistics across replications: each replication is one independent draw of a KPI, so the
// spread between replications is what a confidence interval has to describe.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

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

// The interval cut to [domain_low, domain_high], the values the quantity can take: the true value
// lies there, so an interval that reaches beyond covers it exactly as often once cut (a count's
// interval never starts below 0, a share's never ends above 1).
Estimate within_domain(Estimate estimate, double domain_low, double domain_high);

// s / sqrt(n), the standard error of the mean; NaN below two values.
double standard_error_of_mean(std::span<const double> values);

}  // namespace p2psim

namespace p2psim {

// Treatment minus control on one KPI, with two-sided 95% intervals. The relative difference is
// mean(treatment) / mean(control) - 1, NaN unless mean(control) > 0; its interval comes from the
// delta method (a first-order expansion of the ratio of means; when paired, taken replication by
// replication).
struct Comparison {
  double difference;
  double difference_low;
  double difference_high;
  double relative;
  double relative_low;
  double relative_high;
  double p_value;             // two-sided, of "no difference"
  double standard_error;      // of the difference
  double degrees_of_freedom;  // of the t distribution used
  // What one more replication adds to the variance of the difference: se^2 = spread / n, and
  // the degrees of freedom grow as df_per_replication * (n - 1). They let the replications
  // needed be computed for any n.
  double spread;
  double df_per_replication;
  bool paired;
};

// Paired t test: control[i] and treatment[i] come from the same replication (common random
// numbers). Needs equal sizes of at least 2. Every moment comes from the per-replication
// differences themselves, so identical arms give exactly 0 and a zero-width interval (the
// variance v_c + v_t - 2 cov would leave rounding noise of either sign).
Comparison compare_paired(std::span<const double> control, std::span<const double> treatment);

// Welch's unequal-variance t test with Welch-Satterthwaite degrees of freedom: independent
// samples of at least 2 each.
Comparison compare_welch(std::span<const double> control, std::span<const double> treatment);

// The Student t quantile, e.g. 2.776 at 0.975 with 4 degrees of freedom.
double t_quantile(double degrees_of_freedom, double probability);

// Two-sided p-value of a t statistic: 2 * P(T > |t|).
double two_sided_p_value(double t, double degrees_of_freedom);

// The same for a statistic that is normal (an estimate over many units): 2 * P(Z > |z|).
double two_sided_normal_p_value(double z);
// The standard normal quantile, e.g. 1.96 at 0.975.
double normal_quantile(double probability);

// Adjusted p-values, in the order given. Holm's step-down method controls the family-wise
// error rate; Benjamini-Hochberg's step-up method controls the false discovery rate.
std::vector<double> holm_adjusted(std::span<const double> p_values);
std::vector<double> benjamini_hochberg_adjusted(std::span<const double> p_values);

inline constexpr double kPower = 0.8;

// The power of the two-sided 5% t test on `degrees_of_freedom` when the true difference is
// `noncentrality` standard errors: P(|T| > t(0.975, df)) with T noncentral t (Boost.Math).
double t_test_power(double noncentrality, double degrees_of_freedom);

// The true difference, in standard errors, that the test detects with 80% power.
double detectable_noncentrality(double degrees_of_freedom);

// The smallest absolute difference the comparison's own test (its standard error and degrees of
// freedom, so the replications actually present) detects with exactly 80% power; NaN when its
// standard error is 0 (the arms never differed: no power figure means anything).
double minimum_detectable_difference(const Comparison& comparison);

// The same at n replications per arm: standard error sqrt(spread / n), degrees of freedom
// df_per_replication * (n - 1).
double minimum_detectable_difference(const Comparison& comparison, std::uint32_t replications);

// The fewest replications per arm (at least 2) whose exact power against |difference| reaches
// 80%; nullopt when the spread is 0 (not defined) and kTooManyReplications when even that many
// would not do.
inline constexpr std::uint32_t kTooManyReplications = 1000000;
std::optional<std::uint32_t> replications_needed(const Comparison& comparison, double difference);

// The p-value of Pearson's chi-square test of observed counts against expected shares (which
// sum to 1), with (categories - 1) degrees of freedom: the sample-ratio check of split designs.
double chi_square_p_value(std::span<const double> observed, std::span<const double> shares);

}  // namespace p2psim
