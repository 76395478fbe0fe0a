// Question: what does a per-agent counter-based stream (Philox4x32-10) cost per draw, and per
// distribution sample, compared with the work of one event?
#include <benchmark/benchmark.h>

#include "core/random_stream.hpp"

namespace p2psim {
namespace {

void BM_RawDraw(benchmark::State& state) {
  RandomStream stream(42, 0, {7, 1});
  for (auto _ : state)
    benchmark::DoNotOptimize(stream());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawDraw);

void BM_Uniform01(benchmark::State& state) {
  RandomStream stream(42, 0, {7, 1});
  for (auto _ : state)
    benchmark::DoNotOptimize(uniform01(stream));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Uniform01);

void BM_Exponential(benchmark::State& state) {
  RandomStream stream(42, 0, {7, 1});
  for (auto _ : state)
    benchmark::DoNotOptimize(exponential(stream, 3.0));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Exponential);

void BM_Lognormal(benchmark::State& state) {
  RandomStream stream(42, 0, {7, 1});
  for (auto _ : state)
    benchmark::DoNotOptimize(lognormal_from_median(stream, 100.0, 0.9));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Lognormal);

void BM_CreateStream(benchmark::State& state) {
  // Creating a stream is free of state: agents can be made by the million.
  std::uint32_t entity = 0;
  for (auto _ : state) {
    RandomStream stream(42, 0, {entity++, 6});
    benchmark::DoNotOptimize(stream());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CreateStream);

}  // namespace
}  // namespace p2psim
