// Competition and capital in whole worlds (docs/model.md, Competition and capital): merchants
// who undercut the book within their cost floors, price their own fraud losses in, and trade on
// bounded capital restocked with a delay; users who answer a taker fee and a devaluation, whose
// surge fades. Each mechanism has a direction test: the same seeds with the mechanism off and on
// (common random numbers), its KPI moving the stated way with the 95% interval of the paired
// difference excluding 0.
#include <gtest/gtest.h>

#include <vector>

#include "direction_runs.hpp"
#include "small_market.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

WorldConfig one_market(std::uint32_t days = 6) {
  WorldConfig config;
  config.simulation.days = days;
  config.simulation.warmup_days = 0;
  config.simulation.seed = 616;
  config.markets.push_back(small_market("ng", "NGN"));
  return config;
}

// A market whose merchants compete on price.
WorldConfig competing(std::uint32_t merchants = 15) {
  WorldConfig config = one_market();
  MerchantConfig& settings = config.markets[0].merchants;
  settings.count = merchants;
  settings.competitive_pricing = true;
  return config;
}

double average_spread_bps(const KpiCounters& c) {
  return c.spread_bps_sum / static_cast<double>(c.spread_samples);
}

// ---- competition -------------------------------------------------------------------------------

TEST(WorldCompetition, UndercuttingNarrowsTheSpread) {
  // Own margins of 80 +/- 30 bps against cost floors of 30 +/- 10: merchants who undercut the
  // best competing ad end near the floors, so the best quoted spread narrows.
  WorldConfig off = competing();
  off.markets[0].merchants.competitive_pricing = false;
  // Competition never raises an ad above what its merchant would ask alone.
  const Interval spread = paired_difference(off, competing(), average_spread_bps);
  EXPECT_LT(spread.high, 0.0);
}

TEST(WorldCompetition, MoreMerchantsNarrowTheSpread) {
  // Under competition the leader quotes just under the second-lowest cost floor: with 40
  // merchants instead of 8 the low order statistics of the floors, and the spread, fall. The
  // first 8 merchants are the same in both worlds (a merchant's draws come from its own stream).
  const Interval spread = paired_difference(competing(8), competing(40), average_spread_bps);
  EXPECT_LT(spread.high, 0.0);
}

TEST(WorldCompetition, MoreOfTheListedMerchantsTradeUnderCompetition) {
  // Merchants priced off the first page never trade; undercutting brings them onto it.
  WorldConfig off = competing(30);
  off.markets[0].merchants.competitive_pricing = false;
  const Interval trading = paired_difference(
      off, competing(30), [](const KpiCounters& c) { return double(c.active_merchants); });
  EXPECT_GT(trading.low, 0.0);
}

TEST(WorldCompetition, ADevaluationWidensTheSpreadAndRaisesVolume) {
  // A 20% devaluation at 00:00 of day 2: merchants widen both ads by 0.05 bps per bp of the
  // 24-hour move (floors too), and buyers rush in, 1 + 3 x the remembered depreciation.
  WorldConfig off = competing();
  off.markets[0].merchants.volatility_margin_factor = 0.05;
  off.markets[0].users.devaluation_demand_factor = 3.0;
  WorldConfig on = off;
  on.markets[0].rate.scheduled_jumps = {{.day = 2, .change = 0.2}};
  EXPECT_LT(0.0, paired_difference(off, on, average_spread_bps).low);
  EXPECT_LT(0.0, paired_difference(off, on, [](const KpiCounters& c) { return c.gmv_usd; }).low);
}

TEST(WorldCompetition, ADevaluationsSurgeFadesInsteadOfStopping) {
  // S = S x exp(-1 / 24) + hourly change: 24 to 48 hours after a 20% jump, S is still between
  // 0.2 / e^2 and 0.2 / e, so visitors still arrive faster than on the same day without the
  // jump (under a 24-hour window the surge would stop at 24 hours), and by less than on the
  // jump's own day. Visitors' arrivals follow the multiplier of their own hour only.
  WorldConfig off = one_market(5);
  off.markets[0].users.devaluation_demand_factor = 3.0;
  WorldConfig on = off;
  on.markets[0].rate.scheduled_jumps = {{.day = 1, .change = 0.2}};
  std::vector<double> first_day;
  std::vector<double> second_day;
  for (std::uint32_t r = 0; r < kDirectionReplications; ++r) {
    World with(on, r);
    World without(off, r);
    ASSERT_TRUE(with.run());
    ASSERT_TRUE(without.run());
    const ReplicationOutcome surged_outcome = with.outcome();
    const ReplicationOutcome flat_outcome = without.outcome();
    const auto& surged = surged_outcome.markets[0].days;
    const auto& flat = flat_outcome.markets[0].days;
    first_day.push_back(double(surged[1].visitors) - double(flat[1].visitors));
    second_day.push_back(double(surged[2].visitors) - double(flat[2].visitors));
  }
  EXPECT_GT(mean_interval(second_day, kStudent95With7Df).low, 0.0);
  std::vector<double> fading;
  for (std::uint32_t r = 0; r < kDirectionReplications; ++r)
    fading.push_back(first_day[r] - second_day[r]);
  EXPECT_GT(mean_interval(fading, kStudent95With7Df).low, 0.0);
}

TEST(WorldCompetition, ATakerFeeLowersVolume) {
  // A 50 bps taker fee multiplies genuine users' attempt rate by exp(-0.5) = 0.61.
  WorldConfig on = one_market();
  on.markets[0].fees.taker_bps = 50.0;
  const Interval orders = paired_difference(
      one_market(), on, [](const KpiCounters& c) { return double(c.orders_completed); });
  EXPECT_LT(orders.high, 0.0);
}

TEST(WorldCompetition, MerchantsPriceTheirOwnFraudLossesIn) {
  // Card payments charged back on merchants (5 reversal accounts a day): with a weight of 1 a
  // merchant's margins and floor rise by its losses in bps of its traded volume.
  WorldConfig off = competing();
  off.markets[0].fraud[FraudTypology::kPaymentReversal].accounts_per_day = 5.0;
  off.markets[0].fraud[FraudTypology::kPaymentReversal].reversal_delay_days = 0.5;
  WorldConfig on = off;
  on.markets[0].merchants.loss_pricing_weight = 1.0;
  EXPECT_GT(paired_difference(off, on, average_spread_bps).low, 0.0);
}

// ---- capital -----------------------------------------------------------------------------------

// Buyers only, and merchants with 1,000 USDT of capital on bounded capital.
WorldConfig short_of_usdt(double restock_below_share, double delay_hours = 2.0) {
  WorldConfig config = one_market(4);
  config.markets[0].users.buy_share = 1.0;
  MerchantConfig& settings = config.markets[0].merchants;
  settings.usdt_inventory = 1000.0;
  settings.bounded_capital = true;
  settings.restock_below_share = restock_below_share;
  settings.restock_delay_hours = delay_hours;
  return config;
}

TEST(WorldCapital, MerchantsWhoNeverConvertSellNoMoreThanTheirCapital) {
  // With no conversion and nothing topped up, merchants can sell at most the USDT they put in:
  // 15 merchants x 1,000 USDT. Demand (a few hundred orders a day) is far above it.
  const WorldConfig config = short_of_usdt(0.0);
  const KpiCounters total = run_total(config);
  EXPECT_LE(total.gmv_usd, 15 * 1000.0 + 1e-6);
  EXPECT_GT(total.gmv_usd, 0.5 * 15 * 1000.0);
  // The daily top-up of unbounded capital sells far more.
  WorldConfig unbounded = config;
  unbounded.markets[0].merchants.bounded_capital = false;
  EXPECT_GT(run_total(unbounded).gmv_usd, 2.0 * 15 * 1000.0);
}

TEST(WorldCapital, ConversionsRecycleTheFiatMerchantsTakeIn) {
  // Merchants short of USDT buy it back with the fiat their sales brought in: they sell well
  // beyond their capital.
  EXPECT_GT(run_total(short_of_usdt(0.3)).gmv_usd, 2.0 * 15 * 1000.0);
}

TEST(WorldCapital, ALongerRestockDelayCostsVolume) {
  const Interval gmv = paired_difference(short_of_usdt(0.3, 1.0), short_of_usdt(0.3, 24.0),
                                         [](const KpiCounters& c) { return c.gmv_usd; });
  EXPECT_LT(gmv.high, 0.0);
}

TEST(WorldCapital, WhatFreezesCostLowersMerchantsProfit) {
  // Triangulation sends victims' money to merchants and a bank freezes the receiving account
  // with probability 1 for 2 days on average, in both worlds. Where frozen fiat costs its
  // forgone return (30% a year) and the bank keeps 10% of it when the freeze ends, merchants
  // earn less; the trading is the same.
  WorldConfig off = one_market();
  MarketConfig& market = off.markets[0];
  market.merchants.bounded_capital = true;
  market.fraud[FraudTypology::kTriangulation].accounts_per_day = 3.0;
  for (PaymentMethodConfig& method : market.payment_methods) {
    method.freeze_probability = 1.0;
    method.freeze_days_mean = 2.0;
  }
  WorldConfig on = off;
  on.markets[0].merchants.capital_cost_per_year = 0.3;
  on.markets[0].merchants.frozen_fiat_loss_share = 0.1;
  const Interval pnl =
      paired_difference(off, on, [](const KpiCounters& c) { return c.merchant_pnl_usd; });
  EXPECT_LT(pnl.high, 0.0);
}

TEST(WorldCapital, FreezesLowerMerchantsProfitAtThePresetsCosts) {
  // The same, freezes off against on, with the presets' kind of costs (15% a year, 5% kept):
  // locked capital and what the bank keeps outweigh the trades other merchants pick up.
  WorldConfig off = one_market();
  MarketConfig& market = off.markets[0];
  market.merchants.bounded_capital = true;
  market.merchants.capital_cost_per_year = 0.15;
  market.merchants.frozen_fiat_loss_share = 0.05;
  market.fraud[FraudTypology::kTriangulation].accounts_per_day = 3.0;
  for (PaymentMethodConfig& method : market.payment_methods)
    method.freeze_days_mean = 10.0;
  WorldConfig on = off;
  for (PaymentMethodConfig& method : on.markets[0].payment_methods)
    method.freeze_probability = 1.0;
  const Interval pnl =
      paired_difference(off, on, [](const KpiCounters& c) { return c.merchant_pnl_usd; });
  EXPECT_LT(pnl.high, 0.0);
}

}  // namespace
}  // namespace p2psim
