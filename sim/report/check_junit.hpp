#pragma once
// The JUnit XML of `p2psim check`, for CI.
#include <string>
#include <vector>

#include "analysis/baseline_comparison.hpp"

namespace p2psim {

// JUnit XML (tests/junit.xsd): one <testsuite> per scenario, one <testcase> per market and KPI,
// a <failure> for a KPI that moved or went missing (or, with `exact`, merely changed) and a
// <system-out> line for one that changed within its tolerance.
std::string junit_xml(const std::vector<ScenarioComparison>& comparisons, bool exact);

}  // namespace p2psim
