// Question: does the 4-ary heap keep schedule+pop cheap when the pending set holds one event per
// user (a million users means a million pending order attempts)?
#include <benchmark/benchmark.h>

#include "core/event_queue.hpp"
#include "core/random_stream.hpp"

namespace p2psim {
namespace {

void BM_HoldModel(benchmark::State& state) {
  // The classic "hold" workload: pop the earliest event, schedule one a random time later.
  const auto pending = static_cast<std::size_t>(state.range(0));
  RandomStream stream(1, 0, {0, 0});
  EventQueue queue;
  queue.reserve(pending + 1);
  for (std::size_t i = 0; i < pending; ++i)
    queue.schedule(exponential(stream, 1000.0), 0, 0);
  for (auto _ : state) {
    Event event = queue.pop();
    queue.schedule(event.time + exponential(stream, 1000.0), 0, event.subject);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HoldModel)->Arg(1000)->Arg(100000)->Arg(1000000);

}  // namespace
}  // namespace p2psim
