#pragma once
// Runs a scenario's replications, in parallel on threads. Each replication is its own world
// built from (seed, replication), and results are stored by replication index, so the outcome
// is the same whatever the number of threads or the order in which they finish.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "analysis/replication.hpp"
#include "scenario/scenario.hpp"
#include "world/attempt_log.hpp"

namespace p2psim {

// How far a run has gone: whole worlds (replications) and simulated days, summed over all the
// worlds of the run, those in progress included, so that a single long replication shows
// progress too.
struct RunProgress {
  std::uint32_t replications_done = 0;
  std::uint32_t replications = 0;
  std::uint64_t days_done = 0;
  std::uint64_t days = 0;
};

struct RunOptions {
  std::uint32_t threads = 1;
  const std::atomic<bool>* stop = nullptr;  // raised by Ctrl-C: the run ends without results
  // Called after each simulated day of each world and after each world, from the worker
  // threads, serialised.
  std::function<void(const RunProgress&)> on_progress;
  // When set, each world writes its attempts and accounts to the sink this returns for its
  // (configuration, replication); called from the worker threads.
  std::function<std::unique_ptr<AttemptSink>(const WorldConfig&, std::uint32_t)> export_sink;
};

class RunInterrupted : public std::runtime_error {
 public:
  RunInterrupted() : std::runtime_error("interrupted before all replications finished") {}
};

// Throws RunInterrupted when options.stop was raised.
RunResult run_replications(const Scenario& scenario, const RunOptions& options);
// Every replication of every scenario as one list of worlds, so that threads and ranks stay busy
// across them (a sweep's points); the results in scenario order, each timed as the whole.
std::vector<RunResult> run_scenarios(std::span<const Scenario> scenarios,
                                     const RunOptions& options);

// One world to run: built from (config, replication), its outcome written to *outcome.
struct WorldJob {
  const WorldConfig* config;
  std::uint32_t replication;
  ReplicationOutcome* outcome;
};

// Runs the jobs on up to options.threads threads, each job's outcome into its own slot, so the
// results do not depend on the thread count. Returns the threads used. Throws RunInterrupted
// when options.stop was raised, and rethrows the first failure of a job.
std::uint32_t run_worlds(std::span<const WorldJob> jobs, const RunOptions& options);

// The process's peak resident memory so far, in bytes.
std::uint64_t peak_memory_bytes();

}  // namespace p2psim
