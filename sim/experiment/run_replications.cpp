#include "experiment/run_replications.hpp"

#include <sys/resource.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/byte_archive.hpp"
#include "core/time.hpp"
#include "experiment/ranks.hpp"
#include "world/outcome_archive.hpp"
#include "world/world.hpp"

namespace p2psim {

std::uint64_t peak_memory_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

namespace {

// The run's progress, told to options.on_progress as worlds advance, from any thread.
class ProgressTally {
 public:
  ProgressTally(std::span<const WorldJob> jobs, const RunOptions& options) : options_(options) {
    progress_.replications = static_cast<std::uint32_t>(jobs.size());
    for (const WorldJob& job : jobs)
      progress_.days += job.config->simulation.days;
  }
  void day_done() {
    tell([](RunProgress& progress) { ++progress.days_done; });
  }
  void world_done() {
    tell([](RunProgress& progress) { ++progress.replications_done; });
  }

 private:
  template <typename Change>
  void tell(Change change) {
    if (!options_.on_progress) return;
    std::lock_guard lock(lock_);
    change(progress_);
    options_.on_progress(progress_);
  }

  const RunOptions& options_;
  std::mutex lock_;
  RunProgress progress_;
};

// Runs one world day by day, so that a long replication shows its progress; running to each
// midnight in turn processes the same events in the same order as one run to the end. False
// when options.stop was raised.
bool run_world(World& world, std::uint32_t days, const RunOptions& options, ProgressTally& tally) {
  for (std::uint32_t day = 1; day <= days; ++day) {
    if (!world.run_until(day * kDay, options.stop)) return false;
    tally.day_done();
  }
  return world.run(options.stop);
}

// Runs the jobs in this process, on its threads.
std::uint32_t run_worlds_here(std::span<const WorldJob> jobs, const RunOptions& options) {
  const auto total = static_cast<std::uint32_t>(jobs.size());
  const std::uint32_t threads = std::max<std::uint32_t>(1, std::min(options.threads, total));
  std::atomic<std::uint32_t> next{0};
  std::atomic<bool> stopped{false};
  std::mutex failure_lock;
  std::exception_ptr failure;
  ProgressTally tally(jobs, options);
  auto work = [&] {
    for (std::uint32_t index = next++; index < total && !stopped; index = next++) {
      try {
        const WorldJob& job = jobs[index];
        std::unique_ptr<AttemptSink> sink;
        if (options.export_sink) sink = options.export_sink(*job.config, job.replication);
        World world(*job.config, job.replication, sink.get(), options.stop);
        if (!run_world(world, job.config->simulation.days, options, tally)) {
          stopped = true;
          return;
        }
        if (sink) sink->close();
        *job.outcome = world.outcome();
      } catch (...) {
        std::lock_guard lock(failure_lock);
        if (!failure) failure = std::current_exception();
        stopped = true;
        return;
      }
      tally.world_done();
    }
  };
  std::vector<std::thread> workers;
  for (std::uint32_t t = 1; t < threads; ++t)
    workers.emplace_back(work);
  work();
  for (std::thread& worker : workers)
    worker.join();
  if (failure) std::rethrow_exception(failure);
  if (stopped || (options.stop != nullptr && options.stop->load())) throw RunInterrupted();
  return threads;
}

// How a rank's share went, sent with its outcomes.
enum class ShareStatus : std::uint8_t { kDone, kInterrupted, kFailed };

// Job i is rank (i mod ranks)'s: consecutive jobs (an arm's replications, a sweep's points) are
// dealt out in turn, so every rank gets a similar mix.
bool is_mine(std::size_t job) {
  return job % rank_count() == this_rank();
}

// Runs this rank's share of the jobs and packs how it went: a status, a failure's message, then
// each of its outcomes in job order. A failure is caught so that every rank still reaches the
// exchange and learns of it, instead of waiting for a rank that has stopped.
std::string run_share(std::span<const WorldJob> jobs, const RunOptions& options,
                      std::uint32_t& threads) {
  std::vector<WorldJob> share;
  for (std::size_t job = 0; job < jobs.size(); ++job) {
    if (is_mine(job)) share.push_back(jobs[job]);
  }
  ShareStatus status = ShareStatus::kDone;
  std::string failure;
  try {
    threads = run_worlds_here(share, options);
  } catch (const RunInterrupted&) {
    status = ShareStatus::kInterrupted;
  } catch (const std::exception& error) {
    status = ShareStatus::kFailed;
    failure = error.what();
  }
  ByteWriter writer;
  writer.plain(status);
  writer.text(failure);
  if (status == ShareStatus::kDone) {
    for (const WorldJob& job : share)
      writer.text(pack_outcome(*job.outcome));
  }
  return writer.take();
}

// Spreads the jobs over the ranks, and gives every rank every outcome.
std::uint32_t run_worlds_on_ranks(std::span<const WorldJob> jobs, const RunOptions& options) {
  std::uint32_t threads = 1;
  const std::vector<std::string> shares = gather_from_all_ranks(run_share(jobs, options, threads));
  std::vector<ByteReader> readers(shares.begin(), shares.end());
  bool interrupted = false;
  for (std::uint32_t rank = 0; rank < shares.size(); ++rank) {
    ShareStatus status{};
    readers[rank].plain(status);
    const std::string_view failure = readers[rank].text();
    if (status == ShareStatus::kFailed) {
      throw std::runtime_error(fmt::format("rank {}: {}", rank, failure));
    }
    interrupted = interrupted || status == ShareStatus::kInterrupted;
  }
  if (interrupted) throw RunInterrupted();
  for (std::size_t job = 0; job < jobs.size(); ++job) {
    *jobs[job].outcome = unpack_outcome(readers[job % shares.size()].text());
  }
  for (std::uint32_t rank = 0; rank < shares.size(); ++rank)
    readers[rank].expect_end("a rank's outcomes");
  return threads;
}

}  // namespace

std::uint32_t run_worlds(std::span<const WorldJob> jobs, const RunOptions& options) {
  if (rank_count() == 1) return run_worlds_here(jobs, options);
  return run_worlds_on_ranks(jobs, options);
}

std::vector<RunResult> run_scenarios(std::span<const Scenario> scenarios,
                                     const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<RunResult> results(scenarios.size());
  std::vector<WorldJob> jobs;
  for (std::size_t index = 0; index < scenarios.size(); ++index) {
    const Scenario& scenario = scenarios[index];
    RunResult& result = results[index];
    result.scenario = scenario;
    result.replications.resize(scenario.world.simulation.replications);
    for (std::uint32_t replication = 0; replication < result.replications.size(); ++replication)
      jobs.push_back({&scenario.world, replication, &result.replications[replication]});
  }
  const std::uint32_t threads = run_worlds(jobs, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (RunResult& result : results) {
    result.threads = threads;
    result.ranks = rank_count();
    result.wall_seconds = seconds;
    result.peak_memory_bytes = peak_memory_bytes();
  }
  return results;
}

RunResult run_replications(const Scenario& scenario, const RunOptions& options) {
  return std::move(run_scenarios(std::span(&scenario, 1), options).front());
}

}  // namespace p2psim
