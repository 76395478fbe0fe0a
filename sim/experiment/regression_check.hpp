#pragma once
// The runs of `p2psim check`: which regression scenarios there are, and each one's run compared
// with its stored baseline (the comparison itself is analysis/baseline_comparison.hpp).
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/baseline_comparison.hpp"
#include "experiment/run_replications.hpp"

namespace p2psim {

// The regression scenarios named by `arguments`: files as given, folders replaced by their
// *.toml files in name order.
std::vector<std::filesystem::path> regression_scenario_files(
    const std::vector<std::string>& arguments);

// The stored baseline of the scenario named `scenario`, nullopt when there is none. The
// baselines' files are report's (report/baseline_file.hpp), so the command line supplies this.
using StoredBaseline = std::function<std::optional<Baseline>(const std::string& scenario)>;

// A regression scenario's run as a baseline, and its comparison with the stored one.
struct CheckedScenario {
  Baseline current;
  ScenarioComparison comparison;
};

// Runs the replications of `scenario`, loaded from the regression scenario `file`, then compares
// them with what `stored` gives for the scenario's name. Throws RunInterrupted on Ctrl-C, and
// what `stored` throws for an unreadable baseline.
CheckedScenario check_regression_scenario(const Scenario& scenario,
                                          const std::filesystem::path& file,
                                          const StoredBaseline& stored, const RunOptions& options);

}  // namespace p2psim
