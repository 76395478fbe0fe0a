// Tests of the split units' tally: what each fact adds to its unit's values.
#include "metrics/unit_metrics.hpp"

#include <gtest/gtest.h>

namespace p2psim {
namespace {

// A unit's slot for its experiment period (its pre-period starts kUnitMetricCount later).
constexpr std::uint32_t slot_of(std::uint32_t unit) {
  return unit * kUnitMomentSize;
}

FraudLossBooked loss(std::uint32_t unit, LossBearer bearer, bool farmed_bonus) {
  return FraudLossBooked{.market = 0,
                         .cohort_day = 0,
                         .unit = unit,
                         .typology = FraudTypology::kNonPayment,
                         .bearer = bearer,
                         .payment_method = 0,
                         .usd = 10.0,
                         .farmed_bonus = farmed_bonus};
}

TEST(UnitTally, AFactIsBookedToItsUnitAndPeriod) {
  UnitTally units;
  units.assign(2);
  units.record(OrderAttempted{.market = 0, .day = 0, .unit = slot_of(1), .first_today = true});
  units.record(OrderAttempted{
      .market = 0, .day = 0, .unit = slot_of(1) + kUnitMetricCount, .first_today = false});
  const UnitValues values = units.values(1);
  EXPECT_EQ(values[experiment_period(UnitMetric::kOrderAttempts)], 1.0);
  EXPECT_EQ(values[pre_period(UnitMetric::kOrderAttempts)], 1.0);
  EXPECT_EQ(units.values(0)[experiment_period(UnitMetric::kOrderAttempts)], 0.0);
}

TEST(UnitTally, AFactWithoutAUnitIsNotBooked) {
  UnitTally units;
  units.assign(1);
  units.record(OrderCreated{.market = 0,
                            .cohort_day = 0,
                            .unit = kNoUnit,
                            .fraudulent = false,
                            .typology = FraudTypology::kNonPayment,
                            .first_order = true});
  for (double value : units.values(0))
    EXPECT_EQ(value, 0.0);
}

TEST(UnitTally, OnlyAPlatformLossThatIsNoPayoutLowersNetRevenue) {
  UnitTally units;
  units.assign(3);
  units.record(loss(slot_of(0), LossBearer::kPlatform, false));
  units.record(loss(slot_of(1), LossBearer::kPlatform, true));  // a farmed bonus
  units.record(loss(slot_of(2), LossBearer::kMerchant, false));
  for (std::uint32_t unit = 0; unit < 3; ++unit)
    EXPECT_EQ(units.values(unit)[experiment_period(UnitMetric::kFraudLossUsd)], 10.0) << unit;
  EXPECT_EQ(units.values(0)[experiment_period(UnitMetric::kNetRevenueUsd)], -10.0);
  EXPECT_EQ(units.values(1)[experiment_period(UnitMetric::kNetRevenueUsd)], 0.0);
  EXPECT_EQ(units.values(2)[experiment_period(UnitMetric::kNetRevenueUsd)], 0.0);
}

TEST(UnitTally, FeesRaiseNetRevenueAndOnlyPaidIncentivesLowerIt) {
  UnitTally units;
  units.assign(1);
  units.record(FeesCollected{.market = 0, .cohort_day = 0, .unit = 0, .usd = 5.0});
  units.record(IncentiveGranted{.market = 0, .cohort_day = 0, .unit = 0, .usd = 2.0});
  units.record(
      IncentiveGranted{.market = 0, .cohort_day = 0, .unit = 0, .usd = 1.0, .fee_waiver = true});
  const UnitValues values = units.values(0);
  EXPECT_EQ(values[experiment_period(UnitMetric::kFeeRevenueUsd)], 5.0);
  EXPECT_EQ(values[experiment_period(UnitMetric::kIncentiveCostUsd)], 3.0);
  // A waived fee never reached the revenue, so it is not taken from it again.
  EXPECT_EQ(values[experiment_period(UnitMetric::kNetRevenueUsd)], 3.0);
}

TEST(UnitTally, AStopCatchesFraudButAGenuineUserGivingUpIsNoCatch) {
  UnitTally units;
  units.assign(1);
  units.record(StepUpStopped{.market = 0, .unit = 0, .genuine = true});
  units.record(StepUpStopped{.market = 0, .unit = 0, .genuine = false});
  units.record(OrderBlocked{.market = 0, .screened_day = 0, .unit = 0, .genuine = true});
  const UnitValues values = units.values(0);
  EXPECT_EQ(values[experiment_period(UnitMetric::kFraudCaught)], 1.0);
  EXPECT_EQ(values[experiment_period(UnitMetric::kGoodOrdersBlocked)], 1.0);
}

}  // namespace
}  // namespace p2psim
