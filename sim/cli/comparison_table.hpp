#pragma once
// The terminal view of an experiment: one row per arm and declared KPI (primary, secondary,
// guardrails) with its value, lift over the control, the lift's 95% interval, p-values and the
// guardrail's verdict; then each arm's decision with the rule that made it, and the primary
// KPI's minimum detectable effect. comparison.csv holds every KPI.
#include <string>

#include "analysis/experiment_analysis.hpp"

namespace p2psim {

std::string comparison_table(const ExperimentResult& result, const ExperimentAnalysis& analysis);

}  // namespace p2psim
