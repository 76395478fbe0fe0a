// A run compared with its baseline: the exact tier, the statistical tier with Holm's correction,
// missing and new KPIs.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "analysis/baseline_comparison.hpp"
#include "hand_built_baseline.hpp"

namespace p2psim {
namespace {

TEST(BaselineCheck, IdenticalValuesPass) {
  const Baseline baseline = baseline_with({kpi("orders_created", {100, 104, 98, 101}),
                                           kpi("catch_rate", {0.5, std::nullopt, 0.4, 0.6})});
  const ScenarioComparison comparison = compare_with_baseline(baseline, &baseline, CheckConfig{});
  EXPECT_FALSE(comparison.failed());
  EXPECT_FALSE(comparison.changed());
  EXPECT_EQ(comparison.count(KpiStatus::kIdentical), 2u);
}

TEST(BaselineCheck, AWiderToleranceFromTheScenarioLetsTheMovePass) {
  const Baseline before = baseline_with({kpi("orders_created", {100, 104, 98, 101})});
  const Baseline after = baseline_with({kpi("orders_created", {131, 133, 129, 130})});
  CheckConfig check;
  check.tolerances = {{"orders_created", 0.5}};
  EXPECT_FALSE(compare_with_baseline(after, &before, check).failed());
}

TEST(BaselineCheck, HolmKeepsManyNoisyKpisFromRaisingAnAlarm) {
  // 50 KPIs each moved by 8% on a 5% tolerance with a noise that makes each p-value about
  // 0.002 (excess 3 over a standard error of 0.82: t = 3.67 on 10 degrees of freedom): alone,
  // each would fail at alpha = 0.01; corrected for 50 (Holm: x50 = 0.1), none does.
  std::vector<BaselineKpi> before_kpis, after_kpis;
  for (int i = 0; i < 50; ++i) {
    const std::string name = "orders_created_" + std::to_string(i);
    before_kpis.push_back(kpi(name, {98, 102, 99, 101, 100, 100}));
    after_kpis.push_back(kpi(name, {106, 110, 107, 109, 108, 108}));
  }
  const Baseline before = baseline_with(before_kpis);
  Baseline after = baseline_with(after_kpis);
  after.seed = 8;  // other random numbers: Welch's test (paired, the constant +8 would fail)
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  const KpiComparison& first = comparison.kpis.front();
  EXPECT_FALSE(first.paired);
  EXPECT_LT(first.p_value, 0.01);
  EXPECT_GE(first.adjusted_p, 0.01);
  EXPECT_FALSE(comparison.failed());
  EXPECT_EQ(comparison.count(KpiStatus::kChanged), 50u);
}

TEST(BaselineCheck, SameSeedAndReplicationsPairTheReplications) {
  // +20% on each replication of a KPI whose replications spread by +-30%: Welch's test cannot
  // tell the move from that spread, the paired test of the differences (20 +- 4) can.
  const Baseline before =
      baseline_with({kpi("fraud_attempts", {100, 130, 70, 120, 80, 100, 110, 90})});
  Baseline after = baseline_with({kpi("fraud_attempts", {121, 155, 85, 145, 95, 121, 131, 109})});
  const ScenarioComparison paired = compare_with_baseline(after, &before, CheckConfig{});
  EXPECT_TRUE(find(paired, "fraud_attempts").paired);
  EXPECT_EQ(find(paired, "fraud_attempts").status, KpiStatus::kMoved);
  after.replications = 8;  // no longer the baseline's set-up: Welch's test
  const ScenarioComparison welch = compare_with_baseline(after, &before, CheckConfig{});
  EXPECT_FALSE(find(welch, "fraud_attempts").paired);
  EXPECT_EQ(find(welch, "fraud_attempts").status, KpiStatus::kChanged);
}

TEST(BaselineCheck, PairsOnlyTheReplicationsBothRunsProduced) {
  // Replications 1 and 2 lack the KPI on one side: the pairs are 0 and 3, (50, 60) -> (60, 72).
  const Baseline before = baseline_with({kpi("catch_rate", {50, std::nullopt, 40, 60})});
  const Baseline after = baseline_with({kpi("catch_rate", {60, 45, std::nullopt, 72})});
  const KpiComparison compared =  // a copy: the comparison is a temporary
      find(compare_with_baseline(after, &before, CheckConfig{}), "catch_rate");
  EXPECT_TRUE(compared.paired);
  // Excess d_r less 5% of each pair's baseline: (7.5, 9), mean 8.25, se 0.75, t = 11 on 1
  // degree of freedom; the other tail (12.5, 15) has t = 13.75 / 1.25 = 11 too; p = 2 P(T > 11)
  // (Cauchy: 0.5 - atan(t) / pi).
  EXPECT_NEAR(compared.p_value, 2.0 * (0.5 - std::atan(11.0) / M_PI), 1e-9);
  // One pair left: too few for a test of the differences, so Welch's test of what exists.
  const Baseline sparse = baseline_with({kpi("catch_rate", {60, 45, std::nullopt, std::nullopt})});
  EXPECT_FALSE(find(compare_with_baseline(sparse, &before, CheckConfig{}), "catch_rate").paired);
}

TEST(BaselineCheck, AMissingKpiFailsAndANewOneIsReported) {
  // catch_rate produced in both replications before, in none now: it vanished (p = 0), where
  // Fisher's exact test of 2 of 2 against 0 of 4 would give only 1/15.
  const Baseline before = baseline_with({kpi("orders_created", {1, 2}), kpi("catch_rate", {1, 1})});
  const Baseline after = baseline_with({kpi("orders_created", {1, 2}), kpi("fill_rate", {1, 1})});
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  EXPECT_EQ(find(comparison, "catch_rate").status, KpiStatus::kMissing);
  EXPECT_EQ(find(comparison, "catch_rate").p_value, 0.0);
  EXPECT_EQ(find(comparison, "fill_rate").status, KpiStatus::kNew);
  EXPECT_TRUE(comparison.failed());
}

TEST(BaselineCheck, AKpiRarelyProducedIsComparedByHowOftenItIsProduced) {
  // A ratio produced in 3 of 40 replications before and in none now: as likely by chance as
  // not (Fisher's exact test: p = 0.24), so it is changed, not missing.
  std::vector<std::optional<double>> rare(40, std::nullopt);
  rare[3] = 0.5;
  rare[17] = 0.25;
  rare[30] = 1.0;
  Baseline before = baseline_with({kpi("catch_rate", rare)});
  Baseline after = baseline_with({});
  before.replications = after.replications = 40;
  const ScenarioComparison missing = compare_with_baseline(after, &before, CheckConfig{});
  EXPECT_EQ(find(missing, "catch_rate").status, KpiStatus::kChanged);
  EXPECT_NEAR(find(missing, "catch_rate").p_value, 0.2405063, 1e-6);
  EXPECT_FALSE(missing.failed());
  // One value on each side, far apart: no spread to weigh them by, and produced as often on
  // both sides (p = 1), so nothing fails where a plain comparison would.
  std::vector<std::optional<double>> once(40, std::nullopt);
  once[5] = 0.9;
  after.kpis = {kpi("catch_rate", once)};
  before.kpis = {kpi("catch_rate", std::vector<std::optional<double>>(40, std::nullopt))};
  before.kpis[0].values[8] = 0.1;
  const KpiComparison single =  // a copy: the comparison is a temporary
      find(compare_with_baseline(after, &before, CheckConfig{}), "catch_rate");
  EXPECT_EQ(single.status, KpiStatus::kChanged);
  EXPECT_NEAR(single.p_value, 1.0, 1e-9);
  // Two equal values against one: no spread either, and produced about as often.
  before.kpis[0].values[20] = 0.1;
  EXPECT_EQ(find(compare_with_baseline(after, &before, CheckConfig{}), "catch_rate").status,
            KpiStatus::kChanged);
}

}  // namespace
}  // namespace p2psim
