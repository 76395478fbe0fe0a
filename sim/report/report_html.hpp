#pragma once
// report.html: one self-contained page (inline CSS and SVG, no request when opened) that shows
// a run: a header (scenario, seed, replications, version), the experiment's decision and
// comparison when there is one, daily KPIs with 95% intervals, the funnel per market, fraud
// losses by typology, payment method and bearer, merchant liquidity and spread over time, and
// every KPI's mean and interval. Numbers come from the same RunSummary as summary.json.
//
// The page is built from arms: today a run has one, the base world. An experiment adds arms
// (each with its own results, drawn as more series and bars) and an ExperimentReport with the
// decision line and the comparison rows behind the table and the forest plot.
#include <span>
#include <string>
#include <vector>

#include "experiment/replication.hpp"
#include "experiment/statistics.hpp"
#include "report/kpi_tables.hpp"

namespace p2psim {

inline constexpr const char* kReportFile = "report.html";

struct ReportArm {
  std::string name;  // "base" for a run without experiment
  const RunResult* result = nullptr;
  const RunSummary* summary = nullptr;
};

// One KPI of one market compared between an arm and the base arm.
struct EffectRow {
  std::string arm;
  std::string market;
  std::string kpi;
  Estimate base;
  Estimate treatment;
  Estimate difference;           // treatment - base, with its 95% interval
  Estimate relative_difference;  // difference / base mean, with its 95% interval (NaN if base 0)
  double p_value = 0.0;          // after the experiment's correction for many KPIs
  std::string verdict;           // e.g. "better", "worse", "no detectable change"
};

struct ExperimentReport {
  std::string design;    // e.g. "worlds (common random numbers)"
  std::string decision;  // the decision line, as the experiment layer words it
  std::vector<EffectRow> comparisons;
};

struct ReportInput {
  std::vector<ReportArm> arms;                   // the base arm first
  const ExperimentReport* experiment = nullptr;  // null: the run has no experiment
};

std::string report_html(const ReportInput& input);

// A run without experiment: one arm, the base.
std::string report_html(const RunResult& result, const RunSummary& summary);

}  // namespace p2psim
