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
#include "report/sweep_csv.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {

// Runs every point of the grid of --set values, each a full run of the base scenario (its
// [experiment], if any, is not run), and writes sweep.csv.
int sweep_command(const RunArguments& arguments, const std::vector<std::string>& sets) {
  std::vector<SweepAxis> axes;
  for (const std::string& set : sets)
    axes.push_back(parse_sweep_axis(set));
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
  print_scenario_warnings(warnings);
  const std::filesystem::path out =
      arguments.out.empty() ? std::filesystem::path("results/sweeps") / scenarios.front().name
                            : std::filesystem::path(arguments.out);
  // Only the lead rank writes; it creates the folder first, so that one it cannot write fails
  // before any point runs.
  std::optional<OutputDirectory> output;
  if (is_lead_rank()) output.emplace(out);
  std::ostringstream csv;
  std::vector<std::string> keys;
  for (const SweepAxis& axis : axes)
    keys.push_back(axis.key);
  write_sweep_csv_header(csv, keys);
  // Every point's replications at once: the threads (and ranks) stay busy across points.
  std::optional<ProgressLine> progress;
  const std::vector<RunResult> results = run_scenarios(scenarios, run_options(arguments, progress));
  if (interrupted()) throw RunInterrupted();
  for (std::size_t i = 0; i < points.size(); ++i) {
    write_sweep_csv_rows(csv, i, points[i], summarize_run(results[i]).estimates);
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
  output->commit();
  if (!arguments.quiet) fmt::print("Results: {}/sweep.csv\n", out.string());
  return kExitOk;
}

}  // namespace p2psim
