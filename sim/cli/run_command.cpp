#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "cli/commands.hpp"
#include "cli/comparison_table.hpp"
#include "cli/exit_codes.hpp"
#include "cli/interrupt.hpp"
#include "cli/run_options.hpp"
#include "cli/scenario_warnings.hpp"
#include "cli/split_table.hpp"
#include "cli/terminal_table.hpp"
#include "experiment/ranks.hpp"
#include "experiment/resource_estimate.hpp"
#include "experiment/run_experiment.hpp"
#include "report/experiment_outputs.hpp"
#include "report/export_files.hpp"
#include "report/output_directory.hpp"
#include "report/report_html.hpp"
#include "report/run_outputs.hpp"
#include "report/split_outputs.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {
namespace {

// "2 thread(s)", or "2 rank(s) x 2 thread(s)" under mpirun.
std::string workers_text(std::uint32_t threads) {
  if (rank_count() == 1) return fmt::format("{} thread(s)", threads);
  return fmt::format("{} rank(s) x {} thread(s)", rank_count(), threads);
}

// The lead rank's output folder, opened and locked before anything runs: a folder another run is
// writing, or one that cannot be written, fails at once rather than after the simulation.
void open_output(std::optional<OutputDirectory>& output, const std::filesystem::path& out) {
  if (is_lead_rank()) output.emplace(out);
}

int split_outputs(const ExperimentResult& result, const RunArguments& arguments,
                  const std::filesystem::path& out, OutputDirectory& output) {
  SplitAnalysis analysis = analyze_split(result);
  write_split_outputs(result, analysis, output);
  if (arguments.quiet) return kExitOk;
  std::fputs(split_table(result, analysis).c_str(), stdout);
  fmt::print("\nRan the experiment in {:.2f} s on {}.\nResults: {}/{{{}, {}, {}}}\n",
             result.wall_seconds, workers_text(result.threads), out.string(), kComparisonFile,
             kSummaryFile, kReportFile);
  return kExitOk;
}

// What --export asks for, and the scenario's [export] table.
ExportTables export_tables(const RunArguments& arguments, const Scenario& scenario) {
  ExportTables tables{.orders = scenario.exports.orders, .accounts = scenario.exports.accounts};
  for (const std::string& table : arguments.export_tables) {
    tables.orders = tables.orders || table == "orders";
    tables.accounts = tables.accounts || table == "accounts";
  }
  return tables;
}

// What is about to run, printed before it runs: a long run otherwise shows nothing on a
// redirected output until it ends.
void print_run_header(const Scenario& scenario, std::uint32_t threads) {
  const SimulationConfig& simulation = scenario.world.simulation;
  fmt::print("Running {}: {} replication(s) of {} days ({} warm-up), {} market(s), seed {}, {}\n",
             scenario.name, simulation.replications, simulation.days, simulation.warmup_days,
             scenario.world.markets.size(), simulation.seed, workers_text(threads));
  std::fflush(stdout);
}

// A scenario with an [experiment] section: its arms x replications, compared (docs/experiments.md).
int experiment_command(Scenario scenario, const RunArguments& arguments) {
  if (export_tables(arguments, scenario).any()) {
    throw std::runtime_error(arguments.scenario +
                             ": an export (--export or [export]) writes the data of a scenario's "
                             "own replications; an experiment's arms are not exported yet (run "
                             "each arm's scenario)");
  }
  const std::filesystem::path out =
      arguments.out.empty() ? std::filesystem::path("results/experiments") / scenario.name
                            : std::filesystem::path(arguments.out);
  std::optional<OutputDirectory> output;
  open_output(output, out);
  std::optional<ProgressLine> progress;
  ExperimentResult result = run_experiment(scenario, run_options(arguments, progress));
  if (interrupted()) throw RunInterrupted();
  if (!output) return kExitOk;  // the lead rank writes the outputs
  if (result.split) return split_outputs(result, arguments, out, *output);
  ExperimentAnalysis analysis = analyze_experiment(result);
  write_experiment_outputs(result, analysis, *output);
  if (arguments.quiet) return kExitOk;
  std::fputs(comparison_table(result, analysis).c_str(), stdout);
  fmt::print(
      "\nRan {} worlds in {:.2f} s on {}; peak memory {:.0f} MiB.\nResults: "
      "{}/{{{}, {}, {}}}\n",
      result.arms.size() * scenario.experiment->replications, result.wall_seconds,
      workers_text(result.threads), result.peak_memory_bytes / 1048576.0, out.string(),
      kComparisonFile, kSummaryFile, kReportFile);
  return kExitOk;
}

// Refuses, before any world is built, a run whose estimated peak exceeds the memory the machine
// has available or --max-memory: a run killed for memory halfway says nothing.
void check_memory(const Scenario& scenario, const RunArguments& arguments) {
  const ResourceEstimate estimate = estimate_resources(scenario, arguments.threads, rank_count());
  const std::uint64_t available = available_memory_bytes();
  const bool user_limit =
      arguments.max_memory_bytes && (available == 0 || *arguments.max_memory_bytes < available);
  const std::uint64_t limit = user_limit ? *arguments.max_memory_bytes : available;
  if (limit == 0 || estimate.peak_bytes <= limit) return;
  throw std::runtime_error(
      fmt::format("{}: the run would need {}, more than the {} {}; lower the populations, days or "
                  "replications, or run fewer worlds at a time (--threads)",
                  arguments.scenario, resource_estimate_text(estimate), memory_text(limit),
                  user_limit ? "--max-memory allows" : "this machine has available"));
}

}  // namespace

int run_command(const RunArguments& arguments) {
  Scenario scenario = load_scenario(arguments.scenario, arguments.settings);
  print_scenario_warnings(scenario.warnings);
  if (arguments.seed) scenario.world.simulation.seed = *arguments.seed;
  // An experiment's replications are per arm; the base scenario's are not run.
  if (arguments.replications) {
    (scenario.experiment ? scenario.experiment->replications
                         : scenario.world.simulation.replications) = *arguments.replications;
  }
  check_memory(scenario, arguments);
  if (scenario.experiment) return experiment_command(std::move(scenario), arguments);
  const std::filesystem::path out = arguments.out.empty()
                                        ? std::filesystem::path("results/runs") / scenario.name
                                        : std::filesystem::path(arguments.out);

  std::optional<OutputDirectory> output;
  open_output(output, out);
  std::optional<ProgressLine> progress;
  RunOptions options = run_options(arguments, progress);
  std::optional<ExportDirectory> export_directory;
  if (export_tables(arguments, scenario).any()) {
    if (rank_count() > 1) {
      throw std::runtime_error(arguments.scenario +
                               ": an export (--export or [export]) is written by one process: run "
                               "it without mpirun");
    }
    export_directory.emplace(out, export_tables(arguments, scenario));
    options.export_sink = [&export_directory](const WorldConfig& config,
                                              std::uint32_t replication) {
      return std::unique_ptr<AttemptSink>(export_directory->open(config, replication));
    };
  }
  if (!arguments.quiet) print_run_header(scenario, options.threads);
  RunResult result = run_replications(scenario, options);
  if (interrupted()) throw RunInterrupted();
  if (!output) return kExitOk;  // the lead rank writes the outputs

  const RunSummary summary = summarize_run(result);
  write_run_outputs(result, summary, *output);
  if (export_directory) export_directory->commit();
  if (arguments.quiet) return kExitOk;
  std::fputs(terminal_summary(result, summary).c_str(), stdout);
  std::uint64_t orders = 0;
  for (const ReplicationOutcome& replication : result.replications) {
    orders += replication.orders_simulated;
  }
  fmt::print(
      "\nSimulated {} orders in {:.2f} s on {}: {:.0f} orders/s per thread; "
      "peak memory {:.0f} MiB.\nResults: {}/{{{}, {}, {}, {}, {}, {}}}\n",
      orders, result.wall_seconds, workers_text(result.threads),
      orders / result.wall_seconds / (result.threads * result.ranks),
      result.peak_memory_bytes / 1048576.0, out.string(), kKpisFile, kDailyFile, kFraudLabelsFile,
      kSegmentsFile, kSummaryFile, kReportFile);
  return kExitOk;
}

}  // namespace p2psim
