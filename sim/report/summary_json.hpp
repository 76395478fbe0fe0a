#pragma once
// summary.json: the scenario, its hash and the KPI estimates of a run, then how it executed.
// Everything outside "execution" depends only on the scenario and seed, never on the thread
// count, the host or the time, so two runs of the same scenario compare byte for byte.
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/replication.hpp"
#include "analysis/run_summary.hpp"

namespace p2psim {

nlohmann::ordered_json summary_json(const RunResult& result, const RunSummary& summary);

// summary_json(...).dump(2) with a trailing newline. NaN (an interval from one replication) is
// written as null.
std::string summary_json_text(const RunResult& result, const RunSummary& summary);

}  // namespace p2psim
