#pragma once
// The analysis of a split experiment, the way an online platform computes it.
//
// market_split: in each replication markets are the units; the estimate of a KPI's effect is the
// difference between the mean of the treated markets' values and the mean of the control
// markets', with a Welch interval across the units when each arm has at least 2.
// user_split, merchant_split, switchback: in each replication users, merchants or time blocks are
// the units; a total KPI's effect is the difference in mean per-unit values times the units'
// population, a ratio KPI's the difference of the arms' ratios of sums, each with a normal
// interval from the units (delta method for ratios), optionally CUPED-adjusted.
//
// Across replications: the mean estimate and its 95% interval, and, when the worlds design ran
// too, the true effect (the paired worlds difference), the split estimate's bias, standard error,
// RMSE and the coverage of its per-replication intervals. Plus the sample-ratio check.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/experiment_analysis.hpp"
#include "analysis/experiment_result.hpp"
#include "analysis/statistics.hpp"

namespace p2psim {

struct SplitRow {
  std::string market;  // "all" in a market_split
  std::string kpi;
  KpiRole role = KpiRole::kOther;
  std::uint32_t replications = 0;  // replications with at least one market in each arm
  Estimate estimate{};             // of the difference in means, across replications
  double relative;                 // estimate.mean / the mean of the control markets' means
  // Worlds comparison: NaN without compare_with_worlds.
  double true_effect;
  double bias;            // mean of (estimate - true effect), replication by replication
  double standard_error;  // standard deviation of the per-replication estimates
  double rmse;            // sqrt(mean of (estimate - true effect)^2)
  double coverage;        // share of per-replication intervals that contain the true effect
  // Unit designs: the mean of the per-replication standard errors the units give (what an online
  // platform reports); compare with standard_error. NaN in a market_split.
  double unit_standard_error;
  // CUPED: the mean share of the difference's variance the adjustment removed; NaN without it.
  double variance_reduction;
};

struct SplitAnalysis {
  std::string design;  // "market_split", "user_split", ...
  std::string unit;    // what is randomised: "market", "user", "merchant", "block"
  std::string method;  // how a replication's estimate is computed, one sentence
  std::vector<SplitRow> rows;
  std::uint64_t treated_units = 0;  // unit-replications in the treatment arm
  std::uint64_t control_units = 0;
  double sample_ratio_p_value;
  bool sample_ratio_mismatch;  // p < 0.001
  bool with_worlds = false;
};

inline constexpr double kSampleRatioThreshold = 0.001;

// What a total KPI's per-unit mean is multiplied by in a user, merchant or block split: the units
// in both arms, or for a switchback the number of burn-in-free blocks the measured period would
// hold.
double split_population(const ExperimentResult& result, const MarketUnits& units);

// Any split design; result.split must be set.
SplitAnalysis analyze_split(const ExperimentResult& result);

}  // namespace p2psim
