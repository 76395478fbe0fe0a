#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/interrupt.hpp"
#include "cli/run_options.hpp"
#include "cli/scenario_warnings.hpp"
#include "experiment/ranks.hpp"
#include "experiment/sweep.hpp"
#include "report/output_directory.hpp"
#include "report/report_html.hpp"
#include "report/sweep_csv.hpp"
#include "report/sweep_report.hpp"
#include "scenario/scenario_json.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {
namespace {

// The chart of report.html: the default one, with what --chart-x and --chart-y ask instead. A
// bad KPI is a usage error, found before any point runs.
SweepChart chart_of(const SweepArguments& sweep, const Scenario& scenario,
                    std::span<const std::string> keys, std::span<const SweepPoint> points) {
  SweepChart chart = default_sweep_chart(keys, points);
  const std::vector<std::string> markets = reported_markets(scenario);
  try {
    if (!sweep.chart_x.empty()) chart.x = parse_chart_kpi("--chart-x", sweep.chart_x, markets);
    if (!sweep.chart_y.empty()) chart.y = parse_chart_kpi("--chart-y", sweep.chart_y, markets);
  } catch (const ChartKpiError& error) {
    throw SweepError(error.what());
  }
  return chart;
}

}  // namespace

// Runs every point of the grid of --set values, each a full run of the base scenario (its
// [experiment], if any, is not run), and writes sweep.csv and report.html.
int sweep_command(const RunArguments& arguments, const SweepArguments& sweep) {
  std::vector<SweepAxis> axes;
  std::vector<std::string> keys;
  for (const std::string& set : sweep.sets) {
    axes.push_back(parse_sweep_axis(set));
    keys.push_back(axes.back().key);
  }
  std::vector<SweepPoint> points = sweep_points(axes);
  std::vector<Scenario> scenarios;  // all loaded first: a bad value fails before any run
  std::vector<std::string> warnings;
  for (const SweepPoint& point : points) {
    scenarios.push_back(load_scenario(arguments.scenario, point_settings(axes, point)));
    warnings.insert(warnings.end(), scenarios.back().warnings.begin(),
                    scenarios.back().warnings.end());
    if (arguments.seed) scenarios.back().world.simulation.seed = *arguments.seed;
    if (arguments.replications)
      scenarios.back().world.simulation.replications = *arguments.replications;
  }
  const SweepChart chart = chart_of(sweep, scenarios.front(), keys, points);
  print_scenario_warnings(warnings);
  const std::filesystem::path out =
      arguments.out.empty() ? std::filesystem::path("results/sweeps") / scenarios.front().name
                            : std::filesystem::path(arguments.out);
  // Only the lead rank writes; it creates the folder first, so that one it cannot write fails
  // before any point runs.
  std::optional<OutputDirectory> output;
  if (is_lead_rank()) output.emplace(out);
  std::ostringstream csv;
  write_sweep_csv_header(csv, keys);
  // Every point's replications at once: the threads (and ranks) stay busy across points.
  std::optional<ProgressLine> progress;
  const std::vector<RunResult> results = run_scenarios(scenarios, run_options(arguments, progress));
  if (interrupted()) throw RunInterrupted();
  std::vector<std::vector<MarketEstimates>> estimates;
  std::vector<std::string> hashes;
  for (std::size_t i = 0; i < points.size(); ++i) {
    estimates.push_back(summarize_run(results[i]).estimates);
    hashes.push_back(scenario_hash(scenarios[i]));
    write_sweep_csv_rows(csv, i, points[i], estimates.back());
    if (!arguments.quiet) {
      fmt::print("point {}/{}: {}\n", i + 1, points.size(),
                 fmt::join(point_settings(axes, points[i]), " "));
    }
  }
  if (!arguments.quiet) {
    fmt::print("Ran {} point(s) in {:.2f} s\n", points.size(), results.front().wall_seconds);
  }
  if (!output) return kExitOk;
  output->write("sweep.csv", csv.str());
  output->write(kReportFile,
                sweep_report_html({&scenarios.front(), keys, points, estimates, hashes, chart}));
  output->commit();
  if (!arguments.quiet) {
    fmt::print("Results: {0}/sweep.csv, {0}/{1}\n", out.string(), kReportFile);
  }
  return kExitOk;
}

}  // namespace p2psim
