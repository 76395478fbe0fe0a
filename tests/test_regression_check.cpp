// The false alarms of `p2psim check` on real runs: an unchanged model whose random numbers are
// drawn differently (another seed) fails the gate at most at its alpha, with the paired test of
// common random numbers (docs/cli.md#check) as with Welch's test, at the scenario's tolerances
// and with no tolerance at all. Many worlds (runs at 600 seeds): labelled `regression`, not `unit`.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/baseline_comparison.hpp"
#include "experiment/run_replications.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {
namespace {

constexpr int kSeedPairs = 300;

// The regression scenario of fraud shrunk to 2,000 users, 300 visitors a day and 10 merchants
// over 6 days (4 measured), its fraud rates kept: its fraud KPIs are then counts of a few
// orders, mostly 0 or 1 per replication, where the t approximation is at its weakest. Its own
// [check] table and replications; 600 runs of it take one to two minutes on two threads.
Scenario small_fraud_scenario() {
  const std::vector<std::string> settings{
      "simulation.days=6", "markets.ng.users.initial_users=2000",
      "markets.ng.users.daily_visitors=300", "markets.ng.merchants.count=10"};
  return load_scenario(P2PSIM_SOURCE_DIR "/scenarios/regression/fraud_typologies.toml", settings);
}

struct FalseAlarms {
  int welch = 0;   // the check's seed differs from the baseline's: Welch's test
  int paired = 0;  // the same seed, random numbers used differently: the paired test
};

// "market.kpi (status)" of each KPI that failed the comparison, for the reader of a failure.
std::string failures_of(const ScenarioComparison& comparison) {
  std::string text;
  for (const KpiComparison& kpi : comparison.kpis) {
    if (kpi.status != KpiStatus::kMoved && kpi.status != KpiStatus::kMissing) continue;
    text +=
        " " + kpi.market + "." + kpi.kpi + " (" + std::string(kpi_status_word(kpi.status)) + ")";
  }
  return text;
}

TEST(RegressionCheck, AnUnchangedModelFailsAtMostAtAlphaOverThreeHundredSeeds) {
  const Scenario scenario = small_fraud_scenario();
  std::vector<Scenario> runs(2 * kSeedPairs, scenario);
  for (std::size_t i = 0; i < runs.size(); ++i)
    runs[i].world.simulation.seed = 1000 + i;
  RunOptions options;
  options.threads = 2;
  const std::vector<RunResult> results = run_scenarios(runs, options);
  auto baseline_at = [&results](std::size_t i) {
    return baseline_of(results[i], summarize_run(results[i]), "fraud_typologies.toml");
  };
  CheckConfig no_tolerance;
  no_tolerance.default_tolerance = 0.0;
  no_tolerance.alpha = scenario.check.alpha;
  FalseAlarms at_tolerances, at_zero;
  for (int pair = 0; pair < kSeedPairs; ++pair) {
    const Baseline before = baseline_at(2 * pair);
    Baseline after = baseline_at(2 * pair + 1);
    const ScenarioComparison welch = compare_with_baseline(after, &before, scenario.check);
    if (welch.failed()) std::printf("seed pair %d (Welch):%s\n", pair, failures_of(welch).c_str());
    at_tolerances.welch += welch.failed();
    at_zero.welch += compare_with_baseline(after, &before, no_tolerance).failed();
    // As if a change of the model had used the same seed's random numbers differently: the
    // check pairs replication r of both runs although nothing links them.
    after.seed = before.seed;
    const ScenarioComparison paired = compare_with_baseline(after, &before, scenario.check);
    for (const KpiComparison& kpi : paired.kpis) {
      if (kpi.kpi == "orders_created") EXPECT_TRUE(kpi.paired);
    }
    if (paired.failed()) {
      std::printf("seed pair %d (paired):%s\n", pair, failures_of(paired).c_str());
    }
    at_tolerances.paired += paired.failed();
    at_zero.paired += compare_with_baseline(after, &before, no_tolerance).failed();
  }
  // Holm keeps the chance of any false alarm over the scenario's KPIs at most alpha; over 300
  // independent pairs the count of alarms is then binomial, at most with mean 300 alpha and
  // standard deviation sqrt(300 alpha (1 - alpha)) (1.72 for alpha = 0.01): the bound is the
  // mean plus 3 of them.
  const double alpha = scenario.check.alpha;
  const double bound = kSeedPairs * alpha + 3.0 * std::sqrt(kSeedPairs * alpha * (1.0 - alpha));
  RecordProperty("false_alarms_welch", at_tolerances.welch);
  RecordProperty("false_alarms_paired", at_tolerances.paired);
  RecordProperty("false_alarms_welch_no_tolerance", at_zero.welch);
  RecordProperty("false_alarms_paired_no_tolerance", at_zero.paired);
  std::printf(
      "false alarms over %d seed pairs (bound %.2f): at the scenario's tolerances %d "
      "(Welch) and %d (paired); with no tolerance %d (Welch) and %d (paired)\n",
      kSeedPairs, bound, at_tolerances.welch, at_tolerances.paired, at_zero.welch, at_zero.paired);
  EXPECT_LE(at_tolerances.welch, bound);
  EXPECT_LE(at_tolerances.paired, bound);
  EXPECT_LE(at_zero.welch, bound);
  EXPECT_LE(at_zero.paired, bound);
}

}  // namespace
}  // namespace p2psim
