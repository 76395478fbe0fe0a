#pragma once
// The human-readable end-of-run summary: one row per KPI, one "mean [low, high]" column per
// market, numbers formatted by the KPI's unit (report/kpi_format.hpp).
#include <string>
#include <vector>

#include "analysis/run_summary.hpp"

namespace p2psim {

// Rows of cells as left-aligned columns two spaces apart, the first row a header underlined
// with dashes; lines end in '\n' without trailing spaces.
std::string left_aligned_columns(const std::vector<std::vector<std::string>>& rows);

// The table: one row per KPI, one column per market, means right-aligned within a column. A
// header names the scenario, seed, replications and measured days; "-" marks a KPI a market
// did not produce. Lines end in '\n' and carry no trailing spaces.
std::string terminal_summary(const RunResult& result, const RunSummary& summary);

}  // namespace p2psim
