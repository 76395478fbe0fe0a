// A split experiment's world: units randomised to two arms, the treatment's per-unit policies
// applying to its units only, and every order booked to its unit.
#include <gtest/gtest.h>

#include <memory>

#include "small_market.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

constexpr int kCreated = static_cast<int>(UnitMetric::kOrdersCreated);
constexpr int kGmv = static_cast<int>(UnitMetric::kGmvUsd);
constexpr int kFees = static_cast<int>(UnitMetric::kFeeRevenueUsd);

WorldConfig control_world() {
  WorldConfig config;
  config.simulation.days = 4;
  config.simulation.warmup_days = 1;
  config.simulation.seed = 5;
  config.markets = {small_market("ng", "NGN")};
  return config;
}

// The control with a split whose treatment charges users `taker_bps`.
WorldConfig split_world(SplitUnit unit, double taker_bps) {
  WorldConfig config = control_world();
  auto treatment = std::make_shared<WorldConfig>(config);
  treatment->markets[0].fees.taker_bps = taker_bps;
  config.split = {.unit = unit, .treatment = treatment, .allocation = 0.5, .assignment_seed = 5};
  return config;
}

ReplicationOutcome run(const WorldConfig& config) {
  World world(config, 0);
  world.run();
  return world.outcome();
}

// The fees of an arm's units per USD traded, in bps.
double fee_bps(const UnitMoments& arm) {
  return 1e4 * arm.sum[kFees] / arm.sum[kGmv];
}

class SplitUnits : public ::testing::TestWithParam<SplitUnit> {};

TEST_P(SplitUnits, TheTreatmentsFeesApplyToTreatedUnitsOnly) {
  const ReplicationOutcome outcome = run(split_world(GetParam(), 100.0));
  ASSERT_EQ(outcome.units.size(), 1u);
  const MarketUnits& units = outcome.units[0];
  ASSERT_GT(units.arms[0].units, 0u);
  ASSERT_GT(units.arms[1].units, 0u);
  // Fees are whole micro-USDT per order: far below 0.01 bps of what the arms trade.
  EXPECT_NEAR(fee_bps(units.arms[0]), 10.0, 0.01);
  EXPECT_NEAR(fee_bps(units.arms[1]), 110.0, 0.01);
}

TEST_P(SplitUnits, UnitsAddUpToTheMeasuredPeriodsOrders) {
  const ReplicationOutcome outcome = run(split_world(GetParam(), 100.0));
  const MarketUnits& units = outcome.units[0];
  const KpiCounters& period = outcome.markets[0].period;
  const double created = units.arms[0].sum[kCreated] + units.arms[1].sum[kCreated];
  const double gmv = units.arms[0].sum[kGmv] + units.arms[1].sum[kGmv];
  if (GetParam() == SplitUnit::kTimeBlock) {
    // Orders created in a block's first hour (its burn-in) are not measured: about a quarter of
    // 4-hour blocks, more or less with the hour of the day.
    EXPECT_LT(created, 0.9 * period.orders_created);
    EXPECT_GT(created, 0.5 * period.orders_created);
    return;
  }
  EXPECT_EQ(created, static_cast<double>(period.orders_created));
  EXPECT_NEAR(gmv, period.gmv_usd, 1e-6 * period.gmv_usd);
  // Warm-up orders are the units' pre-period.
  const int pre = pre_period(UnitMetric::kOrdersCreated);
  EXPECT_EQ(units.arms[0].sum[pre] + units.arms[1].sum[pre],
            static_cast<double>(outcome.markets[0].days[0].orders_created));
}

TEST_P(SplitUnits, IdenticalArmsLeaveTheWorldAsItWas) {
  const ReplicationOutcome plain = run(control_world());
  const ReplicationOutcome split = run(split_world(GetParam(), 0.0));
  EXPECT_EQ(split.markets[0].period.orders_created, plain.markets[0].period.orders_created);
  EXPECT_EQ(split.markets[0].period.gmv_usd, plain.markets[0].period.gmv_usd);
  EXPECT_EQ(split.markets[0].period.fee_revenue_usd, plain.markets[0].period.fee_revenue_usd);
}

TEST_P(SplitUnits, MoneyIsConserved) {
  WorldConfig config = split_world(GetParam(), 100.0);
  World world(config, 0);
  world.run();
  for (CurrencyId currency = 0; currency < world.ledger().currency_count(); ++currency)
    EXPECT_EQ(world.ledger().net_balance(currency), 0) << "currency " << currency;
}

INSTANTIATE_TEST_SUITE_P(WorldSplit, SplitUnits,
                         ::testing::Values(SplitUnit::kUser, SplitUnit::kMerchant,
                                           SplitUnit::kTimeBlock),
                         [](const auto& info) {
                           return std::string(info.param == SplitUnit::kUser       ? "Users"
                                              : info.param == SplitUnit::kMerchant ? "Merchants"
                                                                                   : "TimeBlocks");
                         });

// Blocks every order at creation: what it does shows whose orders it screened.
class BlockEverything : public RiskPolicy {
 public:
  RiskDecision decide(RiskStage stage, const OrderFeatures&) const override {
    return {stage == RiskStage::kOrderCreation ? RiskAction::kBlock : RiskAction::kAllow};
  }
};

TEST_P(SplitUnits, TheTreatmentsRiskPolicyScreensTreatedUnitsOnly) {
  WorldConfig config = split_world(GetParam(), 0.0);
  auto treatment = std::make_shared<WorldConfig>(*config.split.treatment);
  treatment->markets[0].risk = std::make_shared<BlockEverything>();
  config.split.treatment = treatment;
  const ReplicationOutcome outcome = run(config);
  const MarketUnits& units = outcome.units[0];
  constexpr int kScreened = static_cast<int>(UnitMetric::kScreenedGenuine);
  constexpr int kBlocked = static_cast<int>(UnitMetric::kGoodOrdersBlocked);
  // Treated units trade nothing after the warm-up: every order they try is blocked...
  EXPECT_EQ(units.arms[1].sum[kCreated], 0.0);
  EXPECT_GT(units.arms[1].sum[kBlocked], 0.0);
  EXPECT_EQ(units.arms[1].sum[kBlocked], units.arms[1].sum[kScreened]);
  // ...while the control's are neither screened nor blocked.
  EXPECT_GT(units.arms[0].sum[kCreated], 0.0);
  EXPECT_EQ(units.arms[0].sum[kScreened], 0.0);
  // During the warm-up nobody is treated: the policy blocked nothing yet.
  EXPECT_EQ(outcome.markets[0].days[0].risk_blocked_genuine, 0u);
}

TEST(WorldSplit, TwoMarketsAddUpToAll) {
  WorldConfig config = split_world(SplitUnit::kUser, 100.0);
  config.markets.push_back(small_market("ke", "KES", 130.0));
  auto treatment = std::make_shared<WorldConfig>(*config.split.treatment);
  treatment->markets.push_back(config.markets[1]);
  config.split.treatment = treatment;
  const ReplicationOutcome outcome = run(config);
  ASSERT_EQ(outcome.units.size(), 3u);
  EXPECT_EQ(outcome.units[2].market, "all");
  for (int arm = 0; arm < 2; ++arm) {
    EXPECT_EQ(outcome.units[2].arms[arm].units,
              outcome.units[0].arms[arm].units + outcome.units[1].arms[arm].units);
    EXPECT_DOUBLE_EQ(
        outcome.units[2].arms[arm].sum[kCreated],
        outcome.units[0].arms[arm].sum[kCreated] + outcome.units[1].arms[arm].sum[kCreated]);
  }
}

}  // namespace
}  // namespace p2psim
