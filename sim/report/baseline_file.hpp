#pragma once
// A regression baseline: what one scenario's run produced, KPI by KPI and replication by
// replication, kept in results/baselines/<scenario name>.json so that `p2psim check` can tell
// whether the simulator still produces it. Readable JSON: a reviewer sees in a diff which KPI
// moved by how much.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "experiment/replication.hpp"
#include "report/kpi_tables.hpp"

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

struct Baseline {
  std::string scenario;       // the scenario's name
  std::string scenario_file;  // as given on the command line, for the reader
  std::string scenario_hash;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  std::string p2psim_version;
  std::vector<BaselineKpi> kpis;  // markets in run order, KPIs in derive_kpis order
};

Baseline baseline_of(const RunResult& result, const RunSummary& summary,
                     const std::string& scenario_file);

// The file's text: JSON, two-space indented, numbers at full precision, newline-terminated.
std::string baseline_json_text(const Baseline& baseline);

// Throws std::runtime_error naming `origin` and what is wrong when the text is not a baseline.
Baseline parse_baseline(const std::string& text, const std::string& origin);

}  // namespace p2psim
