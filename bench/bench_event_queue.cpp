// Question: does the calendar queue (a ring of 3.75- to 15-minute slots in front of a small heap)
// keep schedule+pop cheap when the pending set holds one event per user, compared with one big
// heap? A million users means a million pending order attempts, each days away.
#include <benchmark/benchmark.h>

#include <type_traits>

#include "core/event_queue.hpp"
#include "core/random_stream.hpp"
#include "core/time.hpp"

namespace p2psim {
namespace {

// The classic "hold" workload: pop the earliest event, schedule one a random time later.
// Arguments: pending events, mean hold in seconds.
template <typename Queue>
void hold_model(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  const auto mean_hold = static_cast<Seconds>(state.range(1));
  RandomStream stream(1, 0, {0, 0});
  Queue queue;
  std::uint64_t sequence = 0;
  auto schedule = [&](Seconds time) {
    if constexpr (std::is_same_v<Queue, EventQueue>) {
      queue.schedule(time, 0, 0);
    } else {
      queue.push(Event{time, sequence++, 0, 0});
    }
  };
  // Sized as the world sizes it (one event per user): 3.75-minute slots from 400,000 pending.
  if constexpr (std::is_same_v<Queue, EventQueue>) queue.reserve(pending);
  for (std::size_t i = 0; i < pending; ++i)
    schedule(exponential(stream, mean_hold));
  for (auto _ : state) {
    Event event = queue.pop();
    schedule(event.time + exponential(stream, mean_hold));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_CalendarQueue(benchmark::State& state) {
  hold_model<EventQueue>(state);
}
void BM_PlainHeap(benchmark::State& state) {
  hold_model<EventHeap>(state);
}

// Short holds (minutes: payment, release) and long ones (days: a user's next visit).
void hold_arguments(benchmark::internal::Benchmark* benchmark) {
  benchmark->Args({1000, 600})->Args({100000, 600})->Args({1000000, 600});
  benchmark->Args({1000000, 302400});
}
BENCHMARK(BM_CalendarQueue)->Apply(hold_arguments);
BENCHMARK(BM_PlainHeap)->Apply(hold_arguments);

}  // namespace
}  // namespace p2psim
