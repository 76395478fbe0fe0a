#include "experiment/run_experiment.hpp"

#include <cassert>
#include <chrono>

namespace p2psim {

std::uint64_t arm_seed(const ExperimentConfig& experiment, std::uint64_t seed, std::size_t arm) {
  if (experiment.common_random_numbers || arm == 0) return seed;
  // A splitmix64 step of (seed, arm): distinct arms get unrelated stream families.
  std::uint64_t mixed = seed + 0x9E3779B97F4A7C15ULL * (arm + 1);
  mixed = (mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9ULL;
  mixed = (mixed ^ (mixed >> 27)) * 0x94D049BB133111EBULL;
  return (mixed ^ (mixed >> 31)) >> 1;  // kept below 2^63, like a scenario's seed
}

ExperimentResult run_experiment(const Scenario& scenario, const RunOptions& options) {
  assert(scenario.experiment.has_value());
  const auto started = std::chrono::steady_clock::now();
  const ExperimentConfig& experiment = *scenario.experiment;
  ExperimentResult result;
  result.scenario = scenario;
  for (std::size_t arm = 0; arm < experiment.arms.size(); ++arm) {
    RunResult run;
    run.scenario.name = scenario.name + "." + experiment.arms[arm].name;
    run.scenario.description = scenario.description;
    run.scenario.world = experiment.arms[arm].world;
    run.scenario.world.simulation.seed = arm_seed(experiment, scenario.world.simulation.seed, arm);
    run.scenario.world.simulation.replications = experiment.replications;
    run.replications.resize(experiment.replications);
    result.arms.push_back(std::move(run));
  }
  std::vector<WorldJob> jobs;
  for (RunResult& arm : result.arms) {
    for (std::uint32_t replication = 0; replication < experiment.replications; ++replication)
      jobs.push_back({&arm.scenario.world, replication, &arm.replications[replication]});
  }
  result.threads = run_worlds(jobs, options);
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.peak_memory_bytes = peak_memory_bytes();
  for (RunResult& arm : result.arms) {
    arm.threads = result.threads;
    arm.wall_seconds = result.wall_seconds;
    arm.peak_memory_bytes = result.peak_memory_bytes;
  }
  return result;
}

}  // namespace p2psim
