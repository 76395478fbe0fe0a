// A run's KPIs per replication, per measured day and estimated across replications, in the
// orders the outputs rely on.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/run_summary.hpp"
#include "hand_built_run.hpp"
#include "metrics/kpis.hpp"

namespace p2psim {
namespace {

TEST(MergeNameOrder, InsertsNewNamesAfterTheirPredecessor) {
  std::vector<std::string> order = {"a", "c", "e"};
  std::vector<std::string> names = {"a", "b", "c", "d", "e", "f"};
  merge_name_order(order, names);
  EXPECT_EQ(order, names);
  std::vector<std::string> first_missing = {"z", "a"};
  merge_name_order(order, first_missing);
  EXPECT_EQ(order.front(), "z");
}

TEST(EstimateKpis, KeepsKpiOrderAndCountsReplicationsPerKpi) {
  std::vector<ReplicationKpis> replications = {
      {0, {{"NG", {{"orders_created", 3.0}, {"gmv_usd", 10.0}}}}},
      {1, {{"NG", {{"orders_created", 5.0}, {"appeal_rate", 0.5}, {"gmv_usd", 30.0}}}}},
  };
  std::vector<MarketEstimates> estimates = estimate_kpis(replications);
  ASSERT_EQ(estimates.size(), 1u);
  ASSERT_EQ(estimates[0].kpis.size(), 3u);
  EXPECT_EQ(estimates[0].kpis[0].name, "orders_created");
  EXPECT_EQ(estimates[0].kpis[1].name, "appeal_rate");
  EXPECT_EQ(estimates[0].kpis[2].name, "gmv_usd");
  EXPECT_DOUBLE_EQ(estimates[0].kpis[0].estimate.mean, 4.0);
  EXPECT_EQ(estimates[0].kpis[0].estimate.count, 2u);
  EXPECT_EQ(estimates[0].kpis[1].estimate.count, 1u);
  EXPECT_TRUE(std::isnan(estimates[0].kpis[1].estimate.low));
  EXPECT_DOUBLE_EQ(estimates[0].kpis[2].estimate.mean, 20.0);
}

TEST(EstimateKpis, KeepsMarketsInTallyOrder) {
  std::vector<ReplicationKpis> replications = {
      {0, {{"NG", {{"x", 1.0}}}, {"KE", {{"x", 2.0}}}, {"all", {{"x", 3.0}}}}},
  };
  std::vector<MarketEstimates> estimates = estimate_kpis(replications);
  ASSERT_EQ(estimates.size(), 3u);
  EXPECT_EQ(estimates[0].market, "NG");
  EXPECT_EQ(estimates[1].market, "KE");
  EXPECT_EQ(estimates[2].market, "all");
}

TEST(EstimateKpi, CutsTheIntervalToTheValuesTheKpiCanTake) {
  // Four replications, one with a rare fraud: mean 1.25, s = 2.5, t(0.975, 3) s / 2 = 3.978, so
  // the t interval is [-2.73, 5.23]; a count cannot be negative, so it starts at 0.
  const std::vector<double> rare = {0, 0, 0, 5};
  const Estimate count = estimate_kpi(rare, "fraud_attempts");
  EXPECT_DOUBLE_EQ(count.mean, 1.25);
  EXPECT_EQ(count.low, 0.0);
  EXPECT_NEAR(count.high, 1.25 + 3.182446305 * 1.25, 1e-6);
  EXPECT_EQ(estimate_kpi(rare, "review_queue_wait").low, 0.0);  // minutes
  EXPECT_EQ(estimate_kpi(rare, "fraud_loss_usd.typology.non_payment").low, 0.0);
  // A share ends at 1 at most.
  const std::vector<double> shares = {0.99, 1.0, 0.9};
  EXPECT_EQ(estimate_kpi(shares, "completion_rate").high, 1.0);
  // A P&L, a net revenue and a spread can be negative: their intervals are the t intervals.
  EXPECT_LT(estimate_kpi(rare, "merchant_pnl").low, 0.0);
  EXPECT_LT(estimate_kpi(rare, "net_revenue_usd").low, 0.0);
  EXPECT_LT(estimate_kpi(rare, "avg_spread_bps").low, 0.0);
}

TEST(SummarizeRun, DerivesKpisOfEachMarketsMeasuredPeriod) {
  RunResult result = hand_built_run(2);
  RunSummary summary = summarize_run(result);
  ASSERT_EQ(summary.replications.size(), 2u);
  EXPECT_EQ(summary.replications[1].replication, 1u);
  ASSERT_EQ(summary.replications[1].markets.size(), 3u);
  const MarketTally& tally = result.replications[1].markets[1];
  const MarketKpis& kpis = summary.replications[1].markets[1];
  EXPECT_EQ(kpis.market, "KE");
  std::vector<KpiValue> expected = derive_kpis(tally.period, tally.payment_methods);
  ASSERT_EQ(kpis.kpis.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(kpis.kpis[i].name, expected[i].name);
    EXPECT_EQ(kpis.kpis[i].value, expected[i].value);
  }
  ASSERT_EQ(summary.estimates.size(), 3u);
  EXPECT_EQ(summary.estimates[0].kpis.size(), expected.size());
}

TEST(DailyKpis, CoverMeasuredDaysOnlyWithAbsoluteIndex) {
  RunResult result = hand_built_run(2);
  std::vector<DayKpis> days = daily_kpis(result);
  ASSERT_EQ(days.size(), 6u);  // 2 replications x days 2, 3, 4
  EXPECT_EQ(days[0].replication, 0u);
  EXPECT_EQ(days[0].day, 2u);
  EXPECT_EQ(days[2].day, 4u);
  EXPECT_EQ(days[3].replication, 1u);
  const MarketTally& tally = result.replications[1].markets[0];
  std::vector<KpiValue> expected = derive_kpis(tally.days[3], tally.payment_methods);
  ASSERT_EQ(days[4].markets[0].kpis.size(), expected.size());
  EXPECT_EQ(days[4].markets[0].kpis[0].value, expected[0].value);
}

}  // namespace
}  // namespace p2psim
