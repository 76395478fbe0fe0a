#pragma once
// Runs an experiment's arms (worlds design): every arm runs every replication as its own full
// world. With common random numbers arm a and arm b of replication r share the seed and the
// replication index, hence every random stream, so their difference is the effect of the
// overrides alone; without, each arm has its own seed. All arms x replications run in parallel
// and land by (arm, replication), so results are identical at any thread count.
#include <cstdint>
#include <string_view>

#include "analysis/experiment_result.hpp"
#include "experiment/run_replications.hpp"
#include "scenario/scenario.hpp"

namespace p2psim {

// The seed arm `arm` runs with: the scenario's seed with common random numbers, else a seed of
// its own derived from the scenario's seed and the arm's index.
std::uint64_t arm_seed(const ExperimentConfig& experiment, std::uint64_t seed, std::size_t arm);

// Whether market `code` runs the treatment in replication `replication`: a hash of the code,
// the seed and the replication, read as a uniform number in [0, 1), below `allocation`.
bool market_in_treatment(std::string_view code, std::uint64_t seed, std::uint32_t replication,
                         double allocation);

// `scenario` must have an experiment. Throws RunInterrupted when options.stop was raised.
ExperimentResult run_experiment(const Scenario& scenario, const RunOptions& options);

}  // namespace p2psim
