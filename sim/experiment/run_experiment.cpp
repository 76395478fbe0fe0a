#include "experiment/run_experiment.hpp"

#include <cassert>
#include <chrono>
#include <memory>

#include "experiment/ranks.hpp"
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
SplitUnit split_unit(ExperimentDesign design) {
  switch (design) {
    case ExperimentDesign::kUserSplit:
      return SplitUnit::kUser;
    case ExperimentDesign::kMerchantSplit:
      return SplitUnit::kMerchant;
    case ExperimentDesign::kSwitchback:
      return SplitUnit::kTimeBlock;
    case ExperimentDesign::kWorlds:
    case ExperimentDesign::kMarketSplit:
      break;
  }
  return SplitUnit::kNone;
}

// The world of a user_split, merchant_split or switchback: the control's, its units randomised
// with `allocation` to the treatment (1: every unit treated once the warm-up ends).
WorldConfig unit_split_world(const ExperimentConfig& experiment,
                             const std::shared_ptr<const WorldConfig>& treatment, double allocation,
                             std::uint64_t seed) {
  WorldConfig world = experiment.arms[0].world;
  world.simulation.seed = seed;
  world.split = {.unit = split_unit(experiment.design),
                 .treatment = treatment,
                 .allocation = allocation,
                 .assignment_seed = seed,
                 .block_hours = experiment.block_hours,
                 .burn_in_hours = experiment.burn_in_hours};
  return world;
}

// A market_split world: the control's configuration with the treated markets taken from the
// treatment arm.
WorldConfig market_split_world(const ExperimentConfig& experiment, const std::vector<bool>& treated,
                               std::uint64_t seed) {
  WorldConfig world = experiment.arms[0].world;
  world.simulation.seed = seed;
  for (std::size_t m = 0; m < world.markets.size(); ++m)
    if (treated[m]) world.markets[m] = experiment.arms[1].world.markets[m];
  return world;
}

// The split run, and the world each of its replications runs: a market_split draws its markets
// per replication; the other split designs run one world whose units the world randomises.
SplitRun prepare_split(const Scenario& scenario, std::vector<WorldConfig>& worlds) {
  const ExperimentConfig& experiment = *scenario.experiment;
  const std::uint64_t seed = scenario.world.simulation.seed;
  SplitRun split;
  split.run.scenario.name = scenario.name + "." + kDesignNames[static_cast<int>(experiment.design)];
  split.run.scenario.world = experiment.arms[0].world;
  split.run.replications.resize(experiment.replications);
  if (experiment.design != ExperimentDesign::kMarketSplit) {
    auto treatment = std::make_shared<const WorldConfig>(experiment.arms[1].world);
    split.run.scenario.world = unit_split_world(experiment, treatment, experiment.allocation, seed);
    worlds.assign(experiment.replications, split.run.scenario.world);
    return split;
  }
  for (std::uint32_t r = 0; r < experiment.replications; ++r) {
    std::vector<bool> treated;
    for (const MarketConfig& market : experiment.arms[0].world.markets)
      treated.push_back(market_in_treatment(market.code, seed, r, experiment.allocation));
    worlds.push_back(market_split_world(experiment, treated, seed));
    split.treated.push_back(std::move(treated));
  }
  return split;
}

// The worlds design's arm `arm`. Beside a user_split, merchant_split or switchback the
// treatment's world is the split world with every unit treated, so that the true effect is that
// of launching the treatment when the warm-up ends, as the split does.
RunResult worlds_arm(const Scenario& scenario, std::size_t arm) {
  const ExperimentConfig& experiment = *scenario.experiment;
  RunResult run;
  run.scenario.name = scenario.name + "." + experiment.arms[arm].name;
  run.scenario.description = scenario.description;
  run.scenario.world = experiment.arms[arm].world;
  const std::uint64_t seed = arm_seed(experiment, scenario.world.simulation.seed, arm);
  if (arm == 1 && split_unit(experiment.design) != SplitUnit::kNone) {
    auto treatment = std::make_shared<const WorldConfig>(experiment.arms[1].world);
    run.scenario.world = unit_split_world(experiment, treatment, 1.0, seed);
  }
  run.scenario.world.simulation.seed = seed;
  run.scenario.world.simulation.replications = experiment.replications;
  run.replications.resize(experiment.replications);
  return run;
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
  const bool split = experiment.design != ExperimentDesign::kWorlds;
  const bool worlds = !split || experiment.compare_with_worlds;
  for (std::size_t arm = 0; worlds && arm < experiment.arms.size(); ++arm)
    result.arms.push_back(worlds_arm(scenario, arm));
  std::vector<WorldJob> jobs;
  for (RunResult& arm : result.arms) {
    for (std::uint32_t replication = 0; replication < experiment.replications; ++replication)
      jobs.push_back({&arm.scenario.world, replication, &arm.replications[replication]});
  }
  // The split worlds share (seed, replication) with the arms' worlds: common random numbers
  // between the split estimate and the true effect it is compared with.
  std::vector<WorldConfig> split_worlds;
  if (split) {
    result.split = prepare_split(scenario, split_worlds);
    for (std::uint32_t replication = 0; replication < experiment.replications; ++replication) {
      jobs.push_back(
          {&split_worlds[replication], replication, &result.split->run.replications[replication]});
    }
  }
  result.threads = run_worlds(jobs, options);
  result.ranks = rank_count();
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.peak_memory_bytes = peak_memory_bytes();
  if (result.split) {
    result.split->run.threads = result.threads;
    result.split->run.ranks = result.ranks;
    result.split->run.wall_seconds = result.wall_seconds;
    result.split->run.peak_memory_bytes = result.peak_memory_bytes;
  }
  for (RunResult& arm : result.arms) {
    arm.threads = result.threads;
    arm.ranks = result.ranks;
    arm.wall_seconds = result.wall_seconds;
    arm.peak_memory_bytes = result.peak_memory_bytes;
  }
  return result;
}

}  // namespace p2psim
