// Tests of the interface the world reports through: each fact reaches every consumer of it.
#include "metrics/kpis.hpp"
#include "metrics/metrics.hpp"

#include <gtest/gtest.h>

namespace p2psim {
namespace {

TEST(Metrics, AFactReachesTheKpiTalliesAndTheSplitUnits) {
  Seconds now = 0.0;
  Metrics metrics(now);
  metrics.kpis().add_market(1, 1);
  metrics.units().assign(1);
  metrics.record(OrderScreened{.market = 0, .unit = 0, .genuine = false});
  EXPECT_EQ(metrics.kpis().day(0, 0).risk_screened_fraud, 1u);
  EXPECT_EQ(metrics.units().values(0)[experiment_period(UnitMetric::kScreenedFraud)], 1.0);
}

TEST(Metrics, AFactOutsideTheSplitReachesTheKpiTalliesAlone) {
  Seconds now = 0.0;
  Metrics metrics(now);
  metrics.kpis().add_market(1, 1);
  metrics.units().assign(1);
  // Outside a split experiment or its measured period the world reports no unit.
  metrics.record(OrderScreened{.market = 0, .unit = kNoUnit, .genuine = false});
  EXPECT_EQ(metrics.kpis().day(0, 0).risk_screened_fraud, 1u);
  for (double value : metrics.units().values(0))
    EXPECT_EQ(value, 0.0);
}

TEST(FindKpi, MatchesExactNamesAndLongestStem) {
  const KpiDefinition* exact = find_kpi("completion_rate");
  ASSERT_NE(exact, nullptr);
  EXPECT_STREQ(exact->unit, "ratio");
  const KpiDefinition* stem = find_kpi("fraud_loss_usd.typology.non_payment");
  ASSERT_NE(stem, nullptr);
  EXPECT_STREQ(stem->name, "fraud_loss_usd.typology.");
  EXPECT_EQ(find_kpi("no_such_kpi"), nullptr);
  EXPECT_EQ(find_kpi("completion_rate_extra"), nullptr);
  EXPECT_EQ(find_kpi("fraud_loss_usd.typology."), nullptr);  // a stem alone names no KPI
}

}  // namespace
}  // namespace p2psim
