// A run compared with its baseline: the exact tier, the statistical tier with Holm's correction,
// missing and new KPIs.
#include <gtest/gtest.h>

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
  const Baseline after = baseline_with(after_kpis);
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  const KpiComparison& first = comparison.kpis.front();
  EXPECT_LT(first.p_value, 0.01);
  EXPECT_GE(first.adjusted_p, 0.01);
  EXPECT_FALSE(comparison.failed());
  EXPECT_EQ(comparison.count(KpiStatus::kChanged), 50u);
}

TEST(BaselineCheck, AMissingKpiFailsAndANewOneIsReported) {
  const Baseline before = baseline_with({kpi("orders_created", {1, 2}), kpi("catch_rate", {1, 1})});
  const Baseline after = baseline_with({kpi("orders_created", {1, 2}), kpi("fill_rate", {1, 1})});
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  EXPECT_EQ(find(comparison, "catch_rate").status, KpiStatus::kMissing);
  EXPECT_EQ(find(comparison, "fill_rate").status, KpiStatus::kNew);
  EXPECT_TRUE(comparison.failed());
}

}  // namespace
}  // namespace p2psim
