#pragma once
// comparison.csv: one row per arm, market and KPI, with full precision:
// arm,market,kpi,role,replications,mean,low,high,difference,difference_low,difference_high,
// relative,relative_low,relative_high,p_value,adjusted_p_value,test,guardrail_worst_change,
// guardrail,minimum_detectable_difference,minimum_detectable_relative,replications_needed
// Comparison fields are empty for the control arm (and where a KPI had under 2 replications).
#include <ostream>
#include <string>

#include "analysis/experiment_analysis.hpp"

namespace p2psim {

void write_comparison_csv(std::ostream& out, const ExperimentAnalysis& analysis);
std::string comparison_csv(const ExperimentAnalysis& analysis);

}  // namespace p2psim
