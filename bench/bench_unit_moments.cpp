// Question: can a split experiment summarise its units by moments (count, sums and the 24 x 24
// sum of products) instead of keeping them, i.e. is adding a unit cheap next to simulating it,
// and is the estimate (with CUPED's Eigen solve) cheap enough to compute for every KPI, market
// and replication? A simulated user costs microseconds (a few orders at ~2-3 us each).
#include <benchmark/benchmark.h>

#include <vector>

#include "analysis/unit_estimate.hpp"
#include "core/random_stream.hpp"
#include "metrics/unit_metrics.hpp"

namespace p2psim {
namespace {

// Units like a user's: a few orders, most metrics zero, a warm-up that is often empty.
std::vector<UnitValues> users(std::size_t count) {
  RandomStream stream(7, 0, {0, 0});
  std::vector<UnitValues> units(count);
  for (UnitValues& unit : units) {
    const double orders = poisson_count(stream, 1.5);
    unit[static_cast<int>(UnitMetric::kOrderAttempts)] = orders + poisson_count(stream, 0.2);
    unit[static_cast<int>(UnitMetric::kOrdersCreated)] = orders;
    unit[static_cast<int>(UnitMetric::kOrdersCompleted)] = orders;
    unit[static_cast<int>(UnitMetric::kGmvUsd)] = orders * exponential(stream, 100.0);
    unit[static_cast<int>(UnitMetric::kFeeRevenueUsd)] = 0.001 * unit[3];
    unit[pre_period(UnitMetric::kOrdersCreated)] = poisson_count(stream, 0.5);
    unit[pre_period(UnitMetric::kGmvUsd)] = unit[pre_period(UnitMetric::kOrdersCreated)] * 100.0;
  }
  return units;
}

void BM_AddUnit(benchmark::State& state) {
  const std::vector<UnitValues> units = users(4096);
  UnitMoments moments;
  std::size_t next = 0;
  for (auto _ : state) {
    moments.add(units[next]);
    next = (next + 1) % units.size();
  }
  benchmark::DoNotOptimize(moments.cross[0]);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddUnit);

void BM_EstimateKpi(benchmark::State& state) {
  const std::vector<UnitValues> units = users(4096);
  UnitMoments control;
  UnitMoments treatment;
  for (std::size_t i = 0; i < units.size(); ++i)
    (i % 2 == 0 ? control : treatment).add(units[i]);
  const SplitKpi& kpi = *find_split_kpi(state.range(0) == 0 ? "gmv_usd" : "completion_rate");
  const bool cuped = state.range(1) != 0;
  for (auto _ : state) {
    auto estimate = estimate_split_kpi(kpi, control, treatment, 4096.0, cuped);
    benchmark::DoNotOptimize(estimate);
  }
  state.SetLabel(std::string(kpi.name) + (cuped ? " cuped" : ""));
}
BENCHMARK(BM_EstimateKpi)->Args({0, 0})->Args({0, 1})->Args({1, 0})->Args({1, 1});

}  // namespace
}  // namespace p2psim
