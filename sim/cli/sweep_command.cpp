#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/interrupt.hpp"
#include "cli/run_options.hpp"
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

}  // namespace p2psim
