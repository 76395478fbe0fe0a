#pragma once
// What an experiment produced: every arm as its own world (worlds design), or one split world
// per replication whose units were randomised to the two arms, or both.
#include <cstdint>
#include <optional>
#include <vector>

#include "analysis/replication.hpp"
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
  std::uint32_t threads = 1;      // per rank
  std::uint32_t ranks = 1;        // processes of a distributed run (mpirun)
  double wall_seconds = 0.0;
  std::uint64_t peak_memory_bytes = 0;
};

}  // namespace p2psim
