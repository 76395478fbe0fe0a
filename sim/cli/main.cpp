// p2psim: the command line. A thin front end: it parses arguments, loads the scenario, hands it
// to the experiment layer and the results to the report layer, and maps failures to exit codes.
#include <fmt/core.h>
#include <fmt/format.h>

#include <unistd.h>
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/check_text.hpp"
#include "cli/comparison_table.hpp"
#include "cli/interrupt.hpp"
#include "cli/progress_line.hpp"
#include "cli/split_table.hpp"
#include "cli/terminal_table.hpp"
#include "experiment/regression_check.hpp"
#include "experiment/run_experiment.hpp"
#include "experiment/run_replications.hpp"
#include "experiment/sweep.hpp"
#include "report/baseline_file.hpp"
#include "report/check_junit.hpp"
#include "report/experiment_outputs.hpp"
#include "report/output_directory.hpp"
#include "report/run_outputs.hpp"
#include "report/split_outputs.hpp"
#include "report/sweep_csv.hpp"
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

// On a terminal and unless quiet, a progress line (docs/cli.md), drawn into `progress`, which
// must outlive the run.
RunOptions run_options(const RunArguments& arguments, std::optional<ProgressLine>& progress) {
  install_interrupt_handler();
  RunOptions options;
  options.threads = arguments.threads;
  options.stop = interrupt_flag();
  if (!arguments.quiet && isatty(STDERR_FILENO)) {
    progress.emplace(stderr);
    options.on_progress = [&progress](std::uint32_t done, std::uint32_t total) {
      progress->update(done, total);
    };
  }
  return options;
}

int split_outputs(const ExperimentResult& result, const RunArguments& arguments,
                  const std::filesystem::path& out) {
  SplitAnalysis analysis = analyze_split(result);
  write_split_outputs(result, analysis, out);
  if (arguments.quiet) return kExitOk;
  std::fputs(split_table(result, analysis).c_str(), stdout);
  fmt::print("\nRan the experiment in {:.2f} s on {} thread(s).\nResults: {}/{{{}, {}, {}}}\n",
             result.wall_seconds, result.threads, out.string(), kComparisonFile, kSummaryFile,
             kReportFile);
  return kExitOk;
}

// A scenario with an [experiment] section: its arms x replications, compared (docs/experiments.md).
int experiment_command(Scenario scenario, const RunArguments& arguments) {
  if (arguments.replications) scenario.experiment->replications = *arguments.replications;
  const std::filesystem::path out =
      arguments.out.empty() ? std::filesystem::path("results/experiments") / scenario.name
                            : std::filesystem::path(arguments.out);
  std::optional<ProgressLine> progress;
  ExperimentResult result = run_experiment(scenario, run_options(arguments, progress));
  if (interrupted()) throw RunInterrupted();
  if (result.split) return split_outputs(result, arguments, out);
  ExperimentAnalysis analysis = analyze_experiment(result);
  write_experiment_outputs(result, analysis, out);
  if (arguments.quiet) return kExitOk;
  std::fputs(comparison_table(result, analysis).c_str(), stdout);
  fmt::print(
      "\nRan {} worlds in {:.2f} s on {} thread(s); peak memory {:.0f} MiB.\nResults: "
      "{}/{{{}, {}, {}}}\n",
      result.arms.size() * scenario.experiment->replications, result.wall_seconds, result.threads,
      result.peak_memory_bytes / 1048576.0, out.string(), kComparisonFile, kSummaryFile,
      kReportFile);
  return kExitOk;
}

int run_command(const RunArguments& arguments) {
  Scenario scenario = load_scenario(arguments.scenario);
  if (arguments.seed) scenario.world.simulation.seed = *arguments.seed;
  if (scenario.experiment) return experiment_command(std::move(scenario), arguments);
  if (arguments.replications) scenario.world.simulation.replications = *arguments.replications;
  const std::filesystem::path out = arguments.out.empty()
                                        ? std::filesystem::path("results/runs") / scenario.name
                                        : std::filesystem::path(arguments.out);

  std::optional<ProgressLine> progress;
  RunResult result = run_replications(scenario, run_options(arguments, progress));
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

// Runs every point of the grid of --set values, each a full run of the base scenario (its
// [experiment], if any, is not run), and writes sweep.csv.
int sweep_command(const RunArguments& arguments, const std::vector<std::string>& sets) {
  std::vector<SweepAxis> axes;
  for (const std::string& set : sets)
    axes.push_back(parse_sweep_axis(set));
  std::vector<SweepPoint> points = sweep_points(axes);
  std::vector<Scenario> scenarios;  // all loaded first: a bad value fails before any run
  for (const SweepPoint& point : points) {
    scenarios.push_back(load_scenario(arguments.scenario, point_settings(axes, point)));
    if (arguments.seed) scenarios.back().world.simulation.seed = *arguments.seed;
    if (arguments.replications)
      scenarios.back().world.simulation.replications = *arguments.replications;
  }
  const std::filesystem::path out =
      arguments.out.empty() ? std::filesystem::path("results/sweeps") / scenarios.front().name
                            : std::filesystem::path(arguments.out);
  RunArguments quiet_points = arguments;
  quiet_points.quiet = true;  // one progress line per point would scroll; print a line each
  OutputDirectory output(out);
  std::ostream& csv = output.open("sweep.csv");
  std::vector<std::string> keys;
  for (const SweepAxis& axis : axes)
    keys.push_back(axis.key);
  write_sweep_csv_header(csv, keys);
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::optional<ProgressLine> no_progress;
    RunResult result = run_replications(scenarios[i], run_options(quiet_points, no_progress));
    if (interrupted()) throw RunInterrupted();
    write_sweep_csv_rows(csv, i, points[i], summarize_run(result).estimates);
    if (!arguments.quiet) {
      fmt::print("point {}/{}: {} ({:.2f} s)\n", i + 1, points.size(),
                 fmt::join(point_settings(axes, points[i]), " "), result.wall_seconds);
    }
  }
  output.commit();
  if (!arguments.quiet) fmt::print("Results: {}/sweep.csv\n", out.string());
  return kExitOk;
}

int validate_command(const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    Scenario scenario = load_scenario(file);
    const SimulationConfig& simulation = scenario.world.simulation;
    fmt::print(
        "ok: {}: scenario '{}', {} market(s), {} days ({} warm-up), {} replication(s){}\n", file,
        scenario.name, scenario.world.markets.size(), simulation.days, simulation.warmup_days,
        simulation.replications,
        scenario.experiment
            ? fmt::format("; {} experiment of {} arms x {} replications",
                          kDesignNames[static_cast<int>(scenario.experiment->design)],
                          scenario.experiment->arms.size(), scenario.experiment->replications)
            : "");
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

// A regression scenario's run as a baseline, and its comparison with the stored one.
struct CheckedScenario {
  Baseline current;
  ScenarioComparison comparison;
};

// Runs the regression scenario `file` and compares it with `baselines`/<name>.json (absent: no
// baseline). Throws std::runtime_error for an unreadable baseline.
CheckedScenario check_scenario(const std::filesystem::path& file,
                               const std::filesystem::path& baselines, const RunOptions& options) {
  const RunResult result = run_regression_scenario(file, options);
  const RunSummary summary = summarize_run(result);
  CheckedScenario checked{baseline_of(result, summary, file.string()), {}};
  const std::optional<Baseline> stored =
      read_baseline(baselines / baseline_file_name(result.scenario.name));
  checked.comparison =
      compare_with_baseline(checked.current, stored ? &*stored : nullptr, result.scenario.check);
  checked.comparison.seconds = result.wall_seconds;
  return checked;
}

// Runs every regression scenario, prints what moved, writes the JUnit XML, and with --update
// rewrites the baselines.
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
  std::vector<Baseline> currents;
  bool failed = false;
  for (const CheckedScenario& scenario : checked) {
    comparisons.push_back(scenario.comparison);
    currents.push_back(scenario.current);
    failed = failed || fails_check(scenario.comparison, arguments.exact);
  }
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

int guarded(const std::function<int()>& command) {
  try {
    return command();
  } catch (const ScenarioError& error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return kExitInputError;
  } catch (const SweepError& error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return kExitUsageError;
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

  RunArguments sweep;
  std::vector<std::string> sweep_sets;
  CLI::App* sweep_app = app.add_subcommand(
      "sweep", "Run a scenario at every point of a grid of settings and write sweep.csv");
  sweep_app->add_option("scenario", sweep.scenario, "Scenario file (TOML)")->required();
  sweep_app
      ->add_option("--set", sweep_sets,
                   "key.path=v1,v2,... (TOML values); repeat for more axes of the grid")
      ->required()
      ->allow_extra_args(false);
  sweep_app->add_option("--seed", sweep.seed, "Seed, overriding simulation.seed");
  sweep_app
      ->add_option("--replications", sweep.replications,
                   "Replications per point, overriding simulation.replications")
      ->check(CLI::Range(1u, 100000u));
  sweep_app->add_option("--threads", sweep.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  sweep_app->add_option("--out", sweep.out,
                        "Output folder (default: results/sweeps/<scenario name>)");
  sweep_app->add_flag("--quiet,-q", sweep.quiet, "Print nothing but errors");

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
  if (*sweep_app) return guarded([&] { return sweep_command(sweep, sweep_sets); });
  return guarded([&] { return validate_command(validate_files); });
}
