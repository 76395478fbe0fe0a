#pragma once
// `p2psim check`: runs regression scenarios and compares every KPI with its stored baseline in
// two tiers (docs/cli.md#check):
//  - exact: same scenario, seed and replications must give the same values, bit for bit; any
//    difference is reported as "changed", however small;
//  - statistical: a KPI fails ("moved") when its mean moved by more than its tolerance beyond
//    the noise between replications (a Welch test, experiment/tolerance_test.hpp), with Holm's
//    correction across the scenario's KPIs.
// A KPI in the baseline that the run no longer produces fails too ("missing"); a KPI the
// baseline lacks is reported ("new") but does not fail.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "experiment/run_replications.hpp"
#include "report/baseline_file.hpp"
#include "scenario/scenario.hpp"

namespace p2psim {

enum class KpiStatus { kIdentical, kChanged, kMoved, kMissing, kNew };

struct KpiComparison {
  std::string market;
  std::string kpi;
  KpiStatus status = KpiStatus::kIdentical;
  double baseline_mean = 0.0;  // NaN for a new KPI
  double current_mean = 0.0;   // NaN for a missing KPI
  double tolerance = 0.0;      // relative
  double p_value = 1.0;        // of the tolerance test, before correction
  double adjusted_p = 1.0;     // after Holm's correction over the scenario's changed KPIs
};

struct ScenarioComparison {
  std::string scenario;
  std::string scenario_file;
  bool baseline_found = false;
  // Exact-tier differences of the set-up itself: the scenario text (its hash), seed, replications.
  std::vector<std::string> setup_changes;
  double alpha = 0.01;
  double seconds = 0.0;  // wall time of the run
  std::vector<KpiComparison> kpis;

  std::size_t count(KpiStatus status) const;
  // A statistical regression: a KPI moved or went missing, or there is no baseline at all.
  bool failed() const;
  // Anything differs from the baseline, however little.
  bool changed() const;
};

ScenarioComparison compare_with_baseline(const Baseline& current, const Baseline* baseline,
                                         const CheckConfig& check);

// What moved and by how much: one line per scenario, then one per KPI that is not identical.
std::string comparison_text(const ScenarioComparison& comparison);
// The closing line: scenarios, regressions, changes, and what the exit code will say.
std::string check_summary_text(const std::vector<ScenarioComparison>& comparisons, bool exact);

// JUnit XML (tests/junit.xsd): one <testsuite> per scenario, one <testcase> per market and KPI,
// a <failure> for a KPI that moved or went missing (or, with `exact`, merely changed) and a
// <system-out> line for one that changed within its tolerance.
std::string junit_xml(const std::vector<ScenarioComparison>& comparisons, bool exact);

// The regression scenarios named by `arguments`: files as given, folders replaced by their
// *.toml files in name order.
std::vector<std::filesystem::path> regression_scenario_files(
    const std::vector<std::string>& arguments);

// Loads a regression scenario, runs it and compares it with `baselines`/<name>.json (absent:
// no baseline). Throws ScenarioError for a bad scenario, RunInterrupted on Ctrl-C and
// std::runtime_error for an unreadable baseline.
struct CheckedScenario {
  Baseline current;
  ScenarioComparison comparison;
};
CheckedScenario check_scenario(const std::filesystem::path& file,
                               const std::filesystem::path& baselines, const RunOptions& options);

// Rewrites the baselines of `checked` in `directory`, all or nothing (report/output_directory).
void write_baselines(const std::filesystem::path& directory,
                     const std::vector<CheckedScenario>& checked);

// Writes one file atomically: nothing, or the complete file, is ever at `path`.
void write_file_atomically(const std::filesystem::path& path, const std::string& contents);

}  // namespace p2psim
