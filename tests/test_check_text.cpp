// What `p2psim check` prints of a comparison: a change within tolerance, a move with its test,
// setup changes, and a scenario without a baseline.
#include <gtest/gtest.h>

#include <string>

#include "analysis/baseline_comparison.hpp"
#include "cli/check_text.hpp"
#include "hand_built_baseline.hpp"

namespace p2psim {
namespace {

TEST(BaselineCheck, ExactTierReportsTheSmallestChangeWithoutFailing) {
  const Baseline before = baseline_with({kpi("orders_created", {100, 104, 98, 101})});
  const Baseline after = baseline_with({kpi("orders_created", {100, 104, 98, 101.000001})});
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  EXPECT_EQ(find(comparison, "orders_created").status, KpiStatus::kChanged);
  EXPECT_TRUE(comparison.changed());
  EXPECT_FALSE(comparison.failed());
  EXPECT_NE(comparison_text(comparison).find("changed  ng  orders_created  100.75 -> 100.75"),
            std::string::npos);
}

TEST(BaselineCheck, AMoveBeyondToleranceAndNoiseFails) {
  const Baseline before = baseline_with(
      {kpi("orders_created", {100, 104, 98, 101}), kpi("gmv_usd", {1000, 1010, 990, 1000})});
  // orders +30% with little noise; gmv +1%, within its 5% tolerance.
  const Baseline after = baseline_with(
      {kpi("orders_created", {131, 133, 129, 130}), kpi("gmv_usd", {1010, 1020, 1000, 1010})});
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  const KpiComparison& orders = find(comparison, "orders_created");
  EXPECT_EQ(orders.status, KpiStatus::kMoved);
  EXPECT_LT(orders.adjusted_p, 0.01);
  EXPECT_EQ(find(comparison, "gmv_usd").status, KpiStatus::kChanged);
  EXPECT_TRUE(comparison.failed());
  const std::string text = comparison_text(comparison);
  EXPECT_NE(
      text.find("MOVED    ng  orders_created  100.75 -> 130.75 (+29.78%; tolerance 5%; paired p"),
      std::string::npos)
      << text;
}

TEST(BaselineCheck, ReportsSetupChangesAndAMissingBaseline) {
  const Baseline before = baseline_with({kpi("orders_created", {1, 2})});
  Baseline after = before;
  after.scenario_hash = "fedcba9876543210";
  after.seed = 8;
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  ASSERT_EQ(comparison.setup_changes.size(), 2u);
  EXPECT_EQ(comparison.setup_changes[1], "seed 7 -> 8");
  EXPECT_TRUE(comparison.changed());
  EXPECT_FALSE(comparison.failed());
  const ScenarioComparison without = compare_with_baseline(after, nullptr, CheckConfig{});
  EXPECT_TRUE(without.failed());
  EXPECT_NE(comparison_text(without).find("FAILED: no baseline"), std::string::npos);
}

}  // namespace
}  // namespace p2psim
