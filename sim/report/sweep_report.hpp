#pragma once
// A sweep's report.html, written beside sweep.csv: a header (scenario, seed, replications, the
// swept keys and their values, version), a chart of one KPI against another (or against the
// swept setting) with one point per grid point and its 95% intervals as whiskers, and a table of
// the main KPIs per point and market. Its numbers are sweep.csv's: each drawn point and each
// cell carries them unrounded in data- attributes. Like sweep.csv it takes the grid as plain
// text, so it needs nothing of the sweep that ran it.
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/run_summary.hpp"
#include "scenario/scenario.hpp"

namespace p2psim {

// A KPI on an axis of the sweep chart: `kpi` of `market`, or of each drawn market when
// `market` is empty.
struct ChartKpi {
  std::string market;
  std::string kpi;
};

// What the chart draws. Without x, the horizontal axis is the first swept key that takes
// several values (its value when every value is a number, else its values in order).
struct SweepChart {
  std::optional<ChartKpi> x;
  ChartKpi y;
};

class ChartKpiError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// `text` as an option (`option`, e.g. "--chart-x") gives it: "kpi" (each market) or
// "market.kpi", the KPI named in the catalogue (metrics/kpis.hpp) and the market one of
// `markets`. Throws ChartKpiError saying what is wrong.
ChartKpi parse_chart_kpi(std::string_view option, const std::string& text,
                         std::span<const std::string> markets);

// The chart when none is asked for: a sweep of a risk policy key (markets.<code>.risk.*, with
// several values) draws catch_rate against false_positive_rate, the policy's trade-off; any
// other draws gmv_usd against the first swept key.
SweepChart default_sweep_chart(std::span<const std::string> keys,
                               std::span<const std::vector<std::string>> values);

struct SweepReportInput {
  const Scenario* scenario = nullptr;  // the first point's: name, description, seed, replications
  std::span<const std::string> keys;   // the swept keys, in --set order
  std::span<const std::vector<std::string>> values;         // per point, one value per key
  std::span<const std::vector<MarketEstimates>> estimates;  // per point, as sweep.csv writes them
  std::span<const std::string> scenario_hashes;             // per point
  SweepChart chart;
};

std::string sweep_report_html(const SweepReportInput& input);

}  // namespace p2psim
