#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/interrupt.hpp"
#include "cli/progress_line.hpp"
#include "cli/scenario_warnings.hpp"
#include "cli/terminal_table.hpp"
#include "experiment/calibration.hpp"
#include "experiment/ranks.hpp"
#include "metrics/kpis.hpp"
#include "report/calibration_outputs.hpp"
#include "report/kpi_format.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {
namespace {

// "  evaluation 12/95 (local), best objective 3.21, about 40 s left", redrawn in place.
class CalibrationProgress {
 public:
  void update(const CalibrationResult& result, std::uint32_t planned) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const auto done = static_cast<std::uint32_t>(result.trace.size());
    const double left = elapsed / done * (planned > done ? planned - done : 0);
    const std::string text =
        fmt::format("  evaluation {}/{} ({}), best objective {:.4g}, about {} left", done, planned,
                    kCalibrationStageNames[static_cast<int>(result.trace.back().stage)],
                    result.trace[result.best].objective, duration_text(left));
    fmt::print(stderr, "\r{:<{}}", text, width_);
    width_ = text.size();
    std::fflush(stderr);
  }
  // Redraws the line once more with the total and the time taken, and ends it.
  void finish(const CalibrationResult& result) {
    if (width_ == 0) return;
    const std::string text =
        fmt::format("  {} evaluations, best objective {:.4g}, done in {}", result.trace.size(),
                    result.trace[result.best].objective, duration_text(result.wall_seconds));
    fmt::print(stderr, "\r{:<{}}\n", text, width_);
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::size_t width_ = 0;
};

std::string target_cell(const CalibrationTarget& target, const SimulatedTarget& simulated,
                        std::uint32_t replications) {
  if (!simulated.produced) return "not produced";
  return format_estimate(simulated.estimate, kpi_unit(target.kpi), replications);
}

void print_fit(const CalibrationTargets& calibration, const CalibrationResult& result) {
  const CalibrationEvaluation& start = result.trace[result.start];
  const CalibrationEvaluation& best = result.trace[result.best];
  std::vector<std::vector<std::string>> targets = {
      {"target", "observed", "start", "fit", "standardised error"}};
  for (std::size_t t = 0; t < calibration.targets.size(); ++t) {
    const CalibrationTarget& target = calibration.targets[t];
    targets.push_back({target.label(), format_kpi_number(target.value, kpi_unit(target.kpi)),
                       target_cell(target, start.simulated[t], calibration.search.replications),
                       target_cell(target, best.simulated[t], calibration.search.replications),
                       best.simulated[t].produced
                           ? fmt::format("{:.3g}", standardised_error(target, best.simulated[t]))
                           : ""});
  }
  std::vector<std::vector<std::string>> parameters = {
      {"parameter", "start", "fit", "standard error"}};
  for (std::size_t p = 0; p < calibration.parameters.size(); ++p) {
    parameters.push_back({calibration.parameters[p].key, fmt::format("{:.6g}", start.values[p]),
                          fmt::format("{:.6g}", best.values[p]), standard_error_text(result, p)});
  }
  fmt::print("\n{}\n{}", left_aligned_columns(targets), left_aligned_columns(parameters));
  fmt::print("objective {:.4g} -> {:.4g} after {} evaluations{}\n", start.objective, best.objective,
             result.trace.size(), result.interrupted ? " (interrupted: best point so far)" : "");
  for (const std::string& warning : calibration_warnings(calibration, result))
    fmt::print("warning: {}\n", warning);
}

}  // namespace

int calibrate_command(const RunArguments& arguments, const std::string& targets_file) {
  Scenario scenario = load_scenario(arguments.scenario);
  print_scenario_warnings(scenario.warnings);
  CalibrationTargets calibration =
      read_calibration_targets(targets_file, arguments.scenario, scenario);
  if (arguments.seed) calibration.search.seed = *arguments.seed;
  if (arguments.replications) calibration.search.replications = *arguments.replications;
  const std::filesystem::path out =
      arguments.out.empty() ? std::filesystem::path("results/calibrations") / scenario.name
                            : std::filesystem::path(arguments.out);
  install_interrupt_handler();
  CalibrationProgress progress;
  CalibrationOptions options;
  options.threads = arguments.threads;
  options.stop = interrupt_flag();
  if (!arguments.quiet && isatty(STDERR_FILENO)) {
    options.on_evaluation = [&progress](const CalibrationResult& result, std::uint32_t planned) {
      progress.update(result, planned);
    };
  }
  const CalibrationResult result = calibrate(arguments.scenario, calibration, options);
  if (!result.trace.empty()) progress.finish(result);
  if (result.trace.empty()) {
    fmt::print(stderr, "interrupted before the first evaluation ended: nothing was written\n");
    return kExitInterrupted;
  }
  if (!is_lead_rank()) return result.interrupted ? kExitInterrupted : kExitOk;
  write_calibration_files(calibration, result, {arguments.scenario, scenario.name}, out);
  if (!arguments.quiet) {
    print_fit(calibration, result);
    fmt::print("Results: {}/ (calibrated.toml, calibration.json, calibration.html), {}\n",
               out.string(), duration_text(result.wall_seconds));
  }
  return result.interrupted ? kExitInterrupted : kExitOk;
}

}  // namespace p2psim
