// p2psim: the command line. A thin front end: it parses arguments, loads the scenario, hands it
// to the experiment layer and the results to the report layer, and maps failures to exit codes.
#include <fmt/core.h>

#include <unistd.h>
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "experiment/run_replications.hpp"
#include "report/baseline_check.hpp"
#include "report/interrupt.hpp"
#include "report/progress_line.hpp"
#include "report/run_outputs.hpp"
#include "report/terminal_table.hpp"
#include "scenario/scenario_loader.hpp"
#include "version.hpp"

namespace p2psim {
namespace {

// Exit codes, documented in docs/cli.md.
constexpr int kExitOk = 0;
constexpr int kExitInputError = 1;
constexpr int kExitUsageError = 2;
constexpr int kExitOutputError = 3;
constexpr int kExitRegression = 4;
constexpr int kExitInterrupted = 130;

struct RunArguments {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replications;
  std::uint32_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::string out;
  bool quiet = false;
};

int run_command(const RunArguments& arguments) {
  Scenario scenario = load_scenario(arguments.scenario);
  if (arguments.seed) scenario.world.simulation.seed = *arguments.seed;
  if (arguments.replications) scenario.world.simulation.replications = *arguments.replications;
  const std::filesystem::path out = arguments.out.empty()
                                        ? std::filesystem::path("results/runs") / scenario.name
                                        : std::filesystem::path(arguments.out);

  install_interrupt_handler();
  RunOptions options;
  options.threads = arguments.threads;
  options.stop = interrupt_flag();
  std::optional<ProgressLine> progress;
  if (!arguments.quiet && isatty(STDERR_FILENO)) {
    progress.emplace(stderr);
    progress->update(0, scenario.world.simulation.replications);
    options.on_progress = [&progress](std::uint32_t done, std::uint32_t total) {
      progress->update(done, total);
    };
  }
  RunResult result = run_replications(scenario, options);
  if (interrupted()) throw RunInterrupted();

  RunSummary summary = write_run_outputs(result, out);
  if (arguments.quiet) return kExitOk;
  std::fputs(terminal_summary(result, summary).c_str(), stdout);
  std::uint64_t orders = 0;
  for (const ReplicationOutcome& replication : result.replications) {
    orders += replication.orders_simulated;
  }
  fmt::print(
      "\nSimulated {} orders in {:.2f} s on {} thread(s): {:.0f} orders/s per thread; "
      "peak memory {:.0f} MiB.\nResults: {}/{{{}, {}, {}, {}, {}}}\n",
      orders, result.wall_seconds, result.threads, orders / result.wall_seconds / result.threads,
      result.peak_memory_bytes / 1048576.0, out.string(), kKpisFile, kDailyFile, kFraudLabelsFile,
      kSummaryFile, kReportFile);
  return kExitOk;
}

int validate_command(const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    Scenario scenario = load_scenario(file);
    const SimulationConfig& simulation = scenario.world.simulation;
    fmt::print("ok: {}: scenario '{}', {} market(s), {} days ({} warm-up), {} replication(s)\n",
               file, scenario.name, scenario.world.markets.size(), simulation.days,
               simulation.warmup_days, simulation.replications);
  }
  return kExitOk;
}

struct CheckArguments {
  std::vector<std::string> scenarios{"scenarios/regression"};
  std::string baselines = "results/baselines";
  std::string junit = "results/check/junit.xml";
  std::uint32_t threads = std::max(1u, std::thread::hardware_concurrency());
  bool update = false;
  bool exact = false;
  bool quiet = false;
};

// Runs every regression scenario, prints what moved, writes the JUnit XML, and with --update
// rewrites the baselines; the comparison itself lives in report/baseline_check.
int check_command(const CheckArguments& arguments) {
  install_interrupt_handler();
  RunOptions options;
  options.threads = arguments.threads;
  options.stop = interrupt_flag();
  const bool show_progress = !arguments.quiet && isatty(STDERR_FILENO);
  std::optional<ProgressLine> progress;  // one line per scenario, restarted for each
  if (show_progress) {
    options.on_progress = [&progress](std::uint32_t done, std::uint32_t total) {
      progress->update(done, total);
    };
  }
  std::vector<CheckedScenario> checked;
  for (const std::filesystem::path& file : regression_scenario_files(arguments.scenarios)) {
    if (show_progress) progress.emplace(stderr);
    checked.push_back(check_scenario(file, arguments.baselines, options));
    if (interrupted()) throw RunInterrupted();
    const ScenarioComparison& comparison = checked.back().comparison;
    if (arguments.quiet && !comparison.failed()) continue;
    std::fputs(comparison_text(comparison).c_str(), stdout);
    std::fflush(stdout);
  }
  if (checked.empty()) throw std::runtime_error("no regression scenario (*.toml) found");
  std::vector<ScenarioComparison> comparisons;
  bool failed = false;
  for (const CheckedScenario& scenario : checked) {
    comparisons.push_back(scenario.comparison);
    failed = failed || scenario.comparison.failed() ||
             (arguments.exact && scenario.comparison.changed());
  }
  std::fputs(check_summary_text(comparisons, arguments.exact).c_str(), stdout);
  write_file_atomically(arguments.junit, junit_xml(comparisons, arguments.exact));
  fmt::print("JUnit XML: {}\n", arguments.junit);
  if (arguments.update) {
    write_baselines(arguments.baselines, checked);
    fmt::print("Updated {} baseline(s) in {} with the values above.\n", checked.size(),
               arguments.baselines);
    return kExitOk;
  }
  return failed ? kExitRegression : kExitOk;
}

int guarded(const std::function<int()>& command) {
  try {
    return command();
  } catch (const ScenarioError& error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return kExitInputError;
  } catch (const RunInterrupted& error) {
    fmt::print(stderr, "\ninterrupted: no results were written\n");
    return kExitInterrupted;
  } catch (const std::exception& error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return kExitOutputError;
  }
}

}  // namespace
}  // namespace p2psim

int main(int argc, char** argv) {
  using namespace p2psim;
  CLI::App app{"p2psim: simulate peer-to-peer crypto marketplaces and read their KPIs"};
  app.set_version_flag("--version", std::string("p2psim ") + kVersion);
  app.require_subcommand(1);

  RunArguments run;
  CLI::App* run_app = app.add_subcommand(
      "run",
      "Run a scenario's replications, print its KPIs and write kpis.csv, daily.csv, "
      "fraud_labels.csv, summary.json and report.html");
  run_app->add_option("scenario", run.scenario, "Scenario file (TOML)")->required();
  run_app->add_option("--seed", run.seed, "Seed, overriding simulation.seed");
  run_app
      ->add_option("--replications", run.replications,
                   "Replications, overriding simulation.replications")
      ->check(CLI::Range(1u, 100000u));
  run_app->add_option("--threads", run.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  run_app->add_option("--out", run.out, "Output folder (default: results/runs/<scenario name>)");
  run_app->add_flag("--quiet,-q", run.quiet, "Print nothing but errors");

  std::vector<std::string> validate_files;
  CLI::App* validate_app =
      app.add_subcommand("validate", "Check scenario files without running them");
  validate_app->add_option("scenarios", validate_files, "Scenario files (TOML)")->required();

  CheckArguments check;
  CLI::App* check_app = app.add_subcommand(
      "check",
      "Run regression scenarios and compare every KPI with its stored baseline (exact and "
      "statistical tiers); exit 4 on a regression");
  check_app->add_option("scenarios", check.scenarios,
                        "Scenario files or folders of them (default: scenarios/regression)");
  check_app->add_option("--baselines", check.baselines,
                        "Folder of baselines, <scenario name>.json (default: results/baselines)");
  check_app->add_option("--junit", check.junit,
                        "JUnit XML report to write (default: results/check/junit.xml)");
  check_app->add_option("--threads", check.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  check_app->add_flag("--update", check.update,
                      "Print the differences, then rewrite the baselines with this run's values");
  check_app->add_flag("--exact", check.exact,
                      "Fail on any difference from the baseline, even within tolerance");
  check_app->add_flag("--quiet,-q", check.quiet,
                      "No progress line; print only failing scenarios and the closing line");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version end here with 0; every usage error exits with 2.
    return app.exit(error) == 0 ? kExitOk : kExitUsageError;
  }
  if (*run_app) return guarded([&] { return run_command(run); });
  if (*check_app) return guarded([&] { return check_command(check); });
  return guarded([&] { return validate_command(validate_files); });
}
