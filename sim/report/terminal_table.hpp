#pragma once
// The human-readable end-of-run summary: one row per KPI, one "mean [low, high]" column per
// market, numbers formatted by the KPI's unit from kpi_catalogue().
#include <string>
#include <string_view>
#include <vector>

#include "experiment/replication.hpp"
#include "metrics/kpis.hpp"
#include "report/kpi_tables.hpp"

namespace p2psim {

// The catalogue entry for a KPI name: the entry of that exact name, or else the longest stem
// (an entry ending in '.') that starts the name, so "fraud_loss_usd.typology.non_payment" finds
// "fraud_loss_usd.typology.". nullptr when nothing matches.
const KpiDefinition* find_kpi_definition(std::string_view name);

// One number in a unit: counts with thousands separators (one decimal below 100, where a mean
// over replications is rarely whole), ratios as percentages with 2 decimals, usd with
// separators and 2 decimals, bps with 1 decimal, minutes and hours with 2; "n/a" for NaN.
std::string format_kpi_number(double value, std::string_view unit);

// "mean [low, high]", or "mean [n/a]" without an interval, plus " (n=k)" when only k of the
// run's replications produced the KPI. A count cell drops its decimal when all its numbers are
// whole, so a mean and its bounds always share one style.
std::string format_estimate(const Estimate& estimate, std::string_view unit,
                            std::uint32_t replications);

// Rows of cells as left-aligned columns two spaces apart, the first row a header underlined
// with dashes; lines end in '\n' without trailing spaces.
std::string left_aligned_columns(const std::vector<std::vector<std::string>>& rows);

// The table: one row per KPI, one column per market, means right-aligned within a column. A
// header names the scenario, seed, replications and measured days; "-" marks a KPI a market
// did not produce. Lines end in '\n' and carry no trailing spaces.
std::string terminal_summary(const RunResult& result, const RunSummary& summary);

}  // namespace p2psim
