#include "experiment/run_replications.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "world/world.hpp"

namespace p2psim {

std::uint64_t peak_memory_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

std::uint32_t run_worlds(std::span<const WorldJob> jobs, const RunOptions& options) {
  const auto total = static_cast<std::uint32_t>(jobs.size());
  const std::uint32_t threads = std::max<std::uint32_t>(1, std::min(options.threads, total));
  std::atomic<std::uint32_t> next{0};
  std::atomic<bool> stopped{false};
  std::mutex progress_lock;
  std::uint32_t done = 0;
  std::exception_ptr failure;
  auto work = [&] {
    for (std::uint32_t index = next++; index < total && !stopped; index = next++) {
      try {
        std::unique_ptr<AttemptSink> sink;
        if (options.export_sink) {
          sink = options.export_sink(*jobs[index].config, jobs[index].replication);
        }
        World world(*jobs[index].config, jobs[index].replication, sink.get());
        if (!world.run(options.stop)) {
          stopped = true;
          return;
        }
        if (sink) sink->close();
        *jobs[index].outcome = world.outcome();
      } catch (...) {
        std::lock_guard lock(progress_lock);
        if (!failure) failure = std::current_exception();
        stopped = true;
        return;
      }
      std::lock_guard lock(progress_lock);
      ++done;
      if (options.on_progress) options.on_progress(done, total);
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

RunResult run_replications(const Scenario& scenario, const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const std::uint32_t total = scenario.world.simulation.replications;
  RunResult result;
  result.scenario = scenario;
  result.replications.resize(total);
  std::vector<WorldJob> jobs;
  for (std::uint32_t index = 0; index < total; ++index)
    jobs.push_back({&scenario.world, index, &result.replications[index]});
  result.threads = run_worlds(jobs, options);
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.peak_memory_bytes = peak_memory_bytes();
  return result;
}

}  // namespace p2psim
