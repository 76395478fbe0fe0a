#include "experiment/regression_check.hpp"

#include <algorithm>

namespace p2psim {

namespace fs = std::filesystem;

std::vector<fs::path> regression_scenario_files(const std::vector<std::string>& arguments) {
  std::vector<fs::path> files;
  for (const std::string& argument : arguments) {
    if (!fs::is_directory(argument)) {
      files.emplace_back(argument);
      continue;
    }
    std::vector<fs::path> found;
    for (const fs::directory_entry& entry : fs::directory_iterator(argument)) {
      if (entry.is_regular_file() && entry.path().extension() == ".toml") {
        found.push_back(entry.path());
      }
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

CheckedScenario check_regression_scenario(const Scenario& scenario, const fs::path& file,
                                          const StoredBaseline& stored, const RunOptions& options) {
  const RunResult result = run_replications(scenario, options);
  const RunSummary summary = summarize_run(result);
  CheckedScenario checked{baseline_of(result, summary, file.string()), {}};
  const std::optional<Baseline> baseline = stored(result.scenario.name);
  checked.comparison = compare_with_baseline(checked.current, baseline ? &*baseline : nullptr,
                                             result.scenario.check);
  checked.comparison.seconds = result.wall_seconds;
  return checked;
}

}  // namespace p2psim
