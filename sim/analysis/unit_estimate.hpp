#pragma once
// The effect of a split experiment on one KPI, estimated from its two arms' per-unit moments as
// an online platform computes it: a difference in means for a total, a delta-method ratio of
// sums for a ratio, optionally with CUPED's regression adjustment on the units' pre-period
// metrics. Intervals and p-values are Student t with small-sample degrees of freedom (the smaller
// of Welch-Satterthwaite's and Bell-McCaffrey's): the normal ones when units are many (users), and
// the correction a switchback's few blocks or a merchant split's few merchants need.
#include <optional>
#include <span>

#include "metrics/unit_metrics.hpp"

namespace p2psim {

struct UnitEstimate {
  double control;         // the KPI in each arm: population x mean per unit x scale for a total,
  double treatment;       // scale x sum(numerator) / sum(denominator) for a ratio
  double difference;      // treatment - control
  double standard_error;  // of the difference
  double low, high;       // 95% interval of the difference
  double p_value;         // two-sided, of difference = 0
  double degrees_of_freedom;  // of the t distribution used
  double relative;            // treatment / control - 1; NaN (and its interval) unless control > 0
  double relative_low, relative_high;  // 95%, delta method with independent arms
  bool adjusted = false;               // CUPED was applied
  // 1 - adjusted variance / unadjusted variance of the difference (0 when not adjusted).
  double variance_reduction = 0.0;
};

// `population`: for a total KPI, the number of units the total runs over (e.g. all units of both
// arms), so that each arm's value reads as "the total if every unit had been in this arm". It is
// not used for a ratio.
// `cuped`: adjust on the pre-period numerator (a total) or the pre-period numerator and
// denominator (a ratio), with theta fitted on the arms' pooled within-arm covariance. A covariate
// without variance (no pre-period data) is left out, as is one collinear with those before it;
// when none is left the estimate is the unadjusted one (adjusted = false).
// Empty when an arm has fewer than 2 units or, for a ratio, its denominator sums to 0.
// Each arm's units one by one, where the outcome lists them (MarketUnits::listed): a ratio's
// unadjusted variance then takes each unit's leverage into account (CR2, below).
struct ListedUnits {
  std::span<const UnitValues> control;
  std::span<const UnitValues> treatment;
};

// `listed`, when given for both arms: a ratio's variance is the small-sample cluster-robust CR2
// one, sum of u_i^2 / (1 - h_i) / n^2 with u the delta method's linearisation and h_i = x_i /
// sum(x) the unit's leverage (its share of the denominator): a few large units (merchants with
// most of the orders) no longer make the interval too narrow. With equal leverages it is the
// plain delta-method variance; a total's is unchanged.
std::optional<UnitEstimate> estimate_split_kpi(const SplitKpi& kpi, const UnitMoments& control,
                                               const UnitMoments& treatment, double population,
                                               bool cuped, const ListedUnits& listed = {});

// The same from a market's units, with their list where the outcome keeps one.
std::optional<UnitEstimate> estimate_split_kpi(const SplitKpi& kpi, const MarketUnits& units,
                                               double population, bool cuped);

}  // namespace p2psim
