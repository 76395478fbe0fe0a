// Tests of the interface the world reports through: each fact reaches every consumer of it.
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

}  // namespace
}  // namespace p2psim
