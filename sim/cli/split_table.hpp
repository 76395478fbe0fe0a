#pragma once
// The terminal view of a split experiment: one row per declared KPI (primary, secondary,
// guardrails) with the estimate, its interval and, with the worlds design, how far it is from
// the true effect; then the sample-ratio check. comparison.csv holds every KPI.
#include <string>

#include "analysis/split_analysis.hpp"

namespace p2psim {

std::string split_table(const ExperimentResult& result, const SplitAnalysis& analysis);

}  // namespace p2psim
