#pragma once
// report.html: one self-contained page (inline CSS and SVG, no request when opened) that shows
// a run: a header (scenario, seed, replications, version), the experiment's decision and
// comparison when there is one, daily KPIs with 95% intervals, the funnel per market, fraud
// losses by typology, payment method and bearer, the risk policy's decisions and the incentive
// campaigns' cost and return (each only where there is one), merchant liquidity and spread over
// time, and every KPI's mean and interval. Numbers come from the same RunSummary as summary.json.
//
// The page is built from arms: a run has one, the base world. An experiment has one per arm
// (each with its own results, drawn as more series and bars) and an ExperimentReport with the
// decision line and the comparison rows behind the table and the forest plot.
#include <span>
#include <string>
#include <vector>

#include "analysis/experiment_analysis.hpp"
#include "analysis/replication.hpp"
#include "analysis/run_summary.hpp"
#include "analysis/split_analysis.hpp"
#include "analysis/statistics.hpp"

namespace p2psim {

inline constexpr const char* kReportFile = "report.html";

struct ReportArm {
  std::string name;  // "base" for a run without experiment
  const RunResult* result = nullptr;
  const RunSummary* summary = nullptr;
};

// The experiment behind the report: its design, its decision line and the rows of the analysis
// (the same ComparisonRow that comparison.csv and summary.json write). The table shows every row
// with a comparison; the forest plot the declared KPIs' relative effects (primary, secondary,
// guardrails). A market_split run adds its split estimates.
struct ExperimentReport {
  std::string design;    // e.g. "worlds (common random numbers)"
  std::string decision;  // the decision line, as the analysis words it
  std::string control;   // the arm every comparison is against
  std::span<const ComparisonRow> comparisons;
  const SplitAnalysis* split = nullptr;  // market_split only
};

struct ReportInput {
  std::vector<ReportArm> arms;                   // the base arm first
  const ExperimentReport* experiment = nullptr;  // null: the run has no experiment
  // The scenario the header names; null: the first arm's (an experiment names its base, not
  // the control arm's world).
  const Scenario* scenario = nullptr;
};

std::string report_html(const ReportInput& input);

// A run without experiment: one arm, the base.
std::string report_html(const RunResult& result, const RunSummary& summary);

// A worlds-design experiment: one arm per experiment arm (its replications summarised as for a
// plain run), the decisions and every comparison row of `analysis`.
std::string report_html(const ExperimentResult& result, const ExperimentAnalysis& analysis);

// A market_split experiment: the arms' worlds when compare_with_worlds ran them (with their
// comparisons), else the split world as the one arm; and the split estimates.
std::string report_html(const ExperimentResult& result, const SplitAnalysis& split);

}  // namespace p2psim
