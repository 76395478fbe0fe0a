#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/scenario_warnings.hpp"
#include "experiment/ranks.hpp"
#include "experiment/resource_estimate.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {

int validate_command(const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    Scenario scenario = load_scenario(file);
    print_scenario_warnings(scenario.warnings);
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
    fmt::print("  memory: {}\n",
               resource_estimate_text(estimate_resources(
                   scenario, std::max(1u, std::thread::hardware_concurrency()), rank_count())));
  }
  return kExitOk;
}

}  // namespace p2psim
