#pragma once
// A regression scenario's run compared with its stored baseline, in two tiers
// (docs/cli.md#check):
//  - exact: same scenario, seed and replications must give the same values, bit for bit; any
//    difference is reported as "changed", however small;
//  - statistical: a KPI fails ("moved") when its mean moved by more than its tolerance beyond
//    the noise between replications (analysis/tolerance_test.hpp: a paired test of the
//    replications' differences when the run and the baseline share their random numbers, same
//    seed and replications; else a Welch test), with Holm's correction across the scenario's
//    KPIs.
// A KPI in the baseline that the run no longer produces fails too ("missing"), unless the few
// baseline replications that produced it could be chance (Fisher's exact test of how often each
// run produced it, within Holm's correction); a KPI the baseline lacks is reported ("new") but
// does not fail.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/run_summary.hpp"
#include "scenario/scenario.hpp"

namespace p2psim {

// One KPI of one market: its value in each replication (nullopt where the replication did not
// produce it, a ratio with a zero denominator) and their mean.
struct BaselineKpi {
  std::string market;
  std::string kpi;
  std::vector<std::optional<double>> values;
  // The values that exist, in replication order.
  std::vector<double> present() const;
};

// What one scenario's run produced, KPI by KPI and replication by replication: the stored
// baseline, or the current run in the same shape (report/baseline_file.hpp writes and reads it).
struct Baseline {
  std::string scenario;       // the scenario's name
  std::string scenario_file;  // as given on the command line, for the reader
  std::string scenario_hash;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  std::string p2psim_version;
  std::vector<BaselineKpi> kpis;  // markets in run order, KPIs in derive_kpis order
};

// `result` as a baseline: its scenario's name, hash and seed, this build's version, and each
// replication's value of every KPI of `summary` (`summarize_run(result)`).
Baseline baseline_of(const RunResult& result, const RunSummary& summary,
                     const std::string& scenario_file);

enum class KpiStatus { kIdentical, kChanged, kMoved, kMissing, kNew };

struct KpiComparison {
  std::string market;
  std::string kpi;
  KpiStatus status = KpiStatus::kIdentical;
  double baseline_mean = 0.0;  // NaN for a new KPI
  double current_mean = 0.0;   // NaN for a missing KPI
  double tolerance = 0.0;      // relative
  double p_value = 1.0;        // of the tolerance test, before correction
  bool paired = false;         // the test was on replication-by-replication differences
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

// The verdict on one scenario: a statistical regression fails; with `exact` (--exact) any
// difference does.
bool fails_check(const ScenarioComparison& comparison, bool exact);

// "identical", "changed", "MOVED", "MISSING" or "new": the terminal and JUnit XML share them.
std::string_view kpi_status_word(KpiStatus status);
// What moved and by how much: "412 -> 830 (+101.45%; tolerance 5%; paired p 1.2e-06, after
// Holm 3.4e-05 < 0.01)" ("paired" when the test was on the replications' differences).
std::string kpi_comparison_detail(const KpiComparison& kpi, double alpha);

}  // namespace p2psim
