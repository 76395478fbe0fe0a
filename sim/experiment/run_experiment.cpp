#include "experiment/run_experiment.hpp"

#include <cassert>
#include <chrono>

#include "world/split_assignment.hpp"

namespace p2psim {

std::uint64_t arm_seed(const ExperimentConfig& experiment, std::uint64_t seed, std::size_t arm) {
  if (experiment.common_random_numbers || arm == 0) return seed;
  // Distinct arms get unrelated stream families; kept below 2^63, like a scenario's seed.
  return splitmix64(seed + 0x9E3779B97F4A7C15ULL * (arm + 1)) >> 1;
}

namespace {

// The split world of each replication: the control's configuration with the treated markets
// taken from the treatment arm.
SplitRun prepare_split(const Scenario& scenario) {
  const ExperimentConfig& experiment = *scenario.experiment;
  const std::uint64_t seed = scenario.world.simulation.seed;
  SplitRun split;
  split.run.scenario.name = scenario.name + ".market_split";
  split.run.scenario.world = experiment.arms[0].world;
  split.run.replications.resize(experiment.replications);
  for (std::uint32_t r = 0; r < experiment.replications; ++r) {
    std::vector<bool> treated;
    for (const MarketConfig& market : experiment.arms[0].world.markets)
      treated.push_back(market_in_treatment(market.code, seed, r, experiment.allocation));
    split.treated.push_back(std::move(treated));
  }
  return split;
}

WorldConfig split_world(const ExperimentConfig& experiment, const std::vector<bool>& treated,
                        std::uint64_t seed) {
  WorldConfig world = experiment.arms[0].world;
  world.simulation.seed = seed;
  for (std::size_t m = 0; m < world.markets.size(); ++m)
    if (treated[m]) world.markets[m] = experiment.arms[1].world.markets[m];
  return world;
}

}  // namespace

bool market_in_treatment(std::string_view code, std::uint64_t seed, std::uint32_t replication,
                         double allocation) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a of the code
  for (char c : code)
    hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return unit_in_treatment(hash, seed, replication, allocation);
}

ExperimentResult run_experiment(const Scenario& scenario, const RunOptions& options) {
  assert(scenario.experiment.has_value());
  const auto started = std::chrono::steady_clock::now();
  const ExperimentConfig& experiment = *scenario.experiment;
  ExperimentResult result;
  result.scenario = scenario;
  const bool split = experiment.design == ExperimentDesign::kMarketSplit;
  const bool worlds = !split || experiment.compare_with_worlds;
  for (std::size_t arm = 0; worlds && arm < experiment.arms.size(); ++arm) {
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
  // The split worlds share (seed, replication) with the arms' worlds: common random numbers
  // between the split estimate and the true effect it is compared with.
  std::vector<WorldConfig> split_worlds;
  if (split) {
    result.split = prepare_split(scenario);
    for (const std::vector<bool>& treated : result.split->treated)
      split_worlds.push_back(split_world(experiment, treated, scenario.world.simulation.seed));
    for (std::uint32_t replication = 0; replication < experiment.replications; ++replication) {
      jobs.push_back(
          {&split_worlds[replication], replication, &result.split->run.replications[replication]});
    }
  }
  result.threads = run_worlds(jobs, options);
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.peak_memory_bytes = peak_memory_bytes();
  if (result.split) {
    result.split->run.threads = result.threads;
    result.split->run.wall_seconds = result.wall_seconds;
    result.split->run.peak_memory_bytes = result.peak_memory_bytes;
  }
  for (RunResult& arm : result.arms) {
    arm.threads = result.threads;
    arm.wall_seconds = result.wall_seconds;
    arm.peak_memory_bytes = result.peak_memory_bytes;
  }
  return result;
}

}  // namespace p2psim
