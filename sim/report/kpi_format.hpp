#pragma once
// KPI numbers as people read them, shared by the terminal tables and report.html: each
// formatted by the KPI's unit from kpi_catalogue() (find_kpi).
#include <cstdint>
#include <string>
#include <string_view>

#include "analysis/statistics.hpp"
#include "metrics/kpis.hpp"

namespace p2psim {

// One number in a unit: counts with thousands separators (one decimal below 100, where a mean
// over replications is rarely whole), ratios as percentages with 2 decimals, usd with
// separators and 2 decimals, bps with 1 decimal, minutes and hours with 2; "n/a" for NaN.
std::string format_kpi_number(double value, std::string_view unit);

// "mean [low, high]", or "mean [n/a]" without an interval, plus " (n=k)" when only k of the
// run's replications produced the KPI. A count cell drops its decimal when all its numbers are
// whole, so a mean and its bounds always share one style.
std::string format_estimate(const Estimate& estimate, std::string_view unit,
                            std::uint32_t replications);

// A cell in two parts, so the means of a column can be right-aligned on their last digit.
struct EstimateText {
  std::string mean;
  std::string interval;
};
// format_estimate's text before it is joined.
EstimateText estimate_text(const Estimate& estimate, std::string_view unit,
                           std::uint32_t replications);

}  // namespace p2psim
