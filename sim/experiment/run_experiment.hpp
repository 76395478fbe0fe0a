#pragma once
// Runs an experiment's arms (worlds design): every arm runs every replication as its own full
// world. With common random numbers arm a and arm b of replication r share the seed and the
// replication index, hence every random stream, so their difference is the effect of the
// overrides alone; without, each arm has its own seed. All arms x replications run in parallel
// and land by (arm, replication), so results are identical at any thread count.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "experiment/replication.hpp"
#include "experiment/run_replications.hpp"
#include "scenario/scenario.hpp"

namespace p2psim {

// A split design's run: one world per replication whose units are randomised to the two arms.
struct SplitRun {
  RunResult run;  // run.replications[r] is the split world of replication r, with its units
  // market_split only: treated[r][m] says market m (scenario order) ran the treatment arm in
  // replication r.
  std::vector<std::vector<bool>> treated;
};

struct ExperimentResult {
  Scenario scenario;  // the base, with its experiment
  // Worlds design (or a split design with compare_with_worlds): every arm as its own world, in
  // the experiment's arm order (control first); empty otherwise.
  std::vector<RunResult> arms;
  std::optional<SplitRun> split;  // split designs only
  std::uint32_t threads = 1;
  double wall_seconds = 0.0;
  std::uint64_t peak_memory_bytes = 0;
};

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
