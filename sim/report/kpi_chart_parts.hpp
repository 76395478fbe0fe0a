#pragma once
// What the HTML pages (a run's report.html, a sweep's) share about drawing KPIs: finding a
// market's estimate of a KPI, which markets a chart draws, and each KPI's axis.
#include <span>
#include <string>
#include <vector>

#include "analysis/run_summary.hpp"
#include "report/svg_chart.hpp"

namespace p2psim {

// The estimate of `kpi` in `market`; nullptr when that market does not produce it.
const Estimate* find_estimate(std::span<const MarketEstimates> estimates, const std::string& market,
                              const std::string& kpi);
inline const Estimate* find_estimate(const RunSummary& summary, const std::string& market,
                                     const std::string& kpi) {
  return find_estimate(summary.estimates, market, kpi);
}

// The markets drawn: each market of the scenario; the "all" total only when it is the sole one.
std::vector<std::string> drawn_markets(std::span<const MarketEstimates> estimates);
inline std::vector<std::string> drawn_markets(const RunSummary& summary) {
  return drawn_markets(summary.estimates);
}

// Ratios on a percentage axis, everything else on a plain one.
AxisFormat kpi_axis_format(const std::string& kpi);

// The axis title of a KPI: its name and unit, "per day" for daily sums and counts, else "over
// the measured period".
std::string kpi_axis_label(const std::string& kpi, bool daily);

}  // namespace p2psim
