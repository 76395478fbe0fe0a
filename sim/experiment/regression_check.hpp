#pragma once
// The runs of `p2psim check`: which regression scenarios there are, and each one's run. The
// comparison with the stored baseline is analysis (analysis/baseline_comparison.hpp).
#include <filesystem>
#include <string>
#include <vector>

#include "experiment/run_replications.hpp"

namespace p2psim {

// The regression scenarios named by `arguments`: files as given, folders replaced by their
// *.toml files in name order.
std::vector<std::filesystem::path> regression_scenario_files(
    const std::vector<std::string>& arguments);

// Loads a regression scenario and runs its replications. Throws ScenarioError for a bad
// scenario and RunInterrupted on Ctrl-C.
RunResult run_regression_scenario(const std::filesystem::path& file, const RunOptions& options);

}  // namespace p2psim
