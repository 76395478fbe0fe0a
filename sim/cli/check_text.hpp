#pragma once
// What `p2psim check` prints.
#include <string>
#include <vector>

#include "analysis/baseline_comparison.hpp"

namespace p2psim {

// What moved and by how much: one line per scenario, then one per KPI that is not identical.
std::string comparison_text(const ScenarioComparison& comparison);
// The closing line: scenarios, regressions, changes, and what the exit code will say.
std::string check_summary_text(const std::vector<ScenarioComparison>& comparisons, bool exact);

}  // namespace p2psim
