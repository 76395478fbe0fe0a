#include "experiment/regression_check.hpp"

#include <algorithm>

#include "scenario/scenario_loader.hpp"

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

RunResult run_regression_scenario(const fs::path& file, const RunOptions& options) {
  return run_replications(load_scenario(file), options);
}

}  // namespace p2psim
