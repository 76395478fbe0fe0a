#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "cli/check_text.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/interrupt.hpp"
#include "cli/progress_line.hpp"
#include "cli/scenario_warnings.hpp"
#include "experiment/ranks.hpp"
#include "experiment/regression_check.hpp"
#include "report/baseline_file.hpp"
#include "report/check_junit.hpp"
#include "report/output_directory.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {

int check_command(const CheckArguments& arguments) {
  install_interrupt_handler();
  RunOptions options;
  options.threads = arguments.threads;
  options.stop = interrupt_flag();
  const bool show_progress = !arguments.quiet && isatty(STDERR_FILENO);
  std::optional<ProgressLine> progress;  // one line per scenario, restarted for each
  if (show_progress) {
    options.on_progress = [&progress](const RunProgress& done) { progress->update(done); };
  }
  const std::filesystem::path baselines = arguments.baselines;
  const StoredBaseline stored = [&baselines](const std::string& scenario) {
    return read_baseline(baselines / baseline_file_name(scenario));
  };
  std::vector<CheckedScenario> checked;
  for (const std::filesystem::path& file : regression_scenario_files(arguments.scenarios)) {
    const Scenario scenario = load_scenario(file);
    print_scenario_warnings(scenario.warnings);
    if (show_progress) progress.emplace(stderr);
    checked.push_back(check_regression_scenario(scenario, file, stored, options));
    if (interrupted()) throw RunInterrupted();
    const ScenarioComparison& comparison = checked.back().comparison;
    if (arguments.quiet && !comparison.failed()) continue;
    std::fputs(comparison_text(comparison).c_str(), stdout);
    std::fflush(stdout);
  }
  if (checked.empty()) throw std::runtime_error("no regression scenario (*.toml) found");
  std::vector<ScenarioComparison> comparisons;
  std::vector<Baseline> currents;
  bool failed = false;
  for (const CheckedScenario& scenario : checked) {
    comparisons.push_back(scenario.comparison);
    currents.push_back(scenario.current);
    failed = failed || fails_check(scenario.comparison, arguments.exact);
  }
  if (!is_lead_rank()) return failed && !arguments.update ? kExitRegression : kExitOk;
  std::fputs(check_summary_text(comparisons, arguments.exact).c_str(), stdout);
  write_file_atomically(arguments.junit, junit_xml(comparisons, arguments.exact));
  fmt::print("JUnit XML: {}\n", arguments.junit);
  if (arguments.update) {
    write_baselines(arguments.baselines, currents);
    fmt::print("Updated {} baseline(s) in {} with the values above.\n", checked.size(),
               arguments.baselines);
    return kExitOk;
  }
  return failed ? kExitRegression : kExitOk;
}

}  // namespace p2psim
