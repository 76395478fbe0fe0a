// Tests of market dynamics in whole worlds: a devaluation brings more buy orders and wider
// spreads than the same world without it, shocks change a market from their day on (visitors,
// payment methods, the rate), and money stays conserved while the rate moves.
//
// Worlds are small (2,000 users, 10 days) and compared with common random numbers: the same
// seed with and without the change, so that the days before it are identical and the days
// after differ only by the change's effect.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "small_market.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

constexpr std::uint32_t kJumpDay = 6;
constexpr std::size_t kCard = 2;  // the only reversible payment method of the test market

WorldConfig market_config() {
  WorldConfig config;
  config.simulation.days = 10;
  config.simulation.warmup_days = 2;
  config.simulation.seed = 31337;
  MarketConfig market = small_market("ar", "ARS", 1000.0);
  market.users.profile.hourly.fill(1.0);  // flat: a day's expected visitors is daily_visitors
  market.users.profile.weekly.fill(1.0);
  market.users.devaluation_demand_factor = 4.0;  // a 30% devaluation: multiplier 2.2
  market.users.max_demand_multiplier = 3.0;
  market.merchants.volatility_margin_factor = 0.05;  // a 30% move widens each ad by 150 bps
  market.merchants.inventory_margin_bps = 10.0;
  market.fraud[FraudTypology::kPaymentReversal].accounts_per_day = 10.0;
  market.fraud[FraudTypology::kPaymentReversal].attempts_per_account = 3.0;
  market.fraud[FraudTypology::kPaymentReversal].reversal_delay_days = 1.0;
  config.markets.push_back(market);
  return config;
}

struct MarketRun {
  std::vector<KpiCounters> days;
  Ledger ledger;
};

MarketRun run_world(const WorldConfig& config) {
  World world(config, 0);
  EXPECT_TRUE(world.run());
  return {world.outcome().markets.at(0).days, world.ledger()};
}

double average_spread(const KpiCounters& day) {
  return day.spread_bps_sum / static_cast<double>(day.spread_samples);
}

void expect_conserved(const Ledger& ledger) {
  for (CurrencyId currency = 0; currency < ledger.currency_count(); ++currency) {
    EXPECT_EQ(ledger.net_balance(currency), 0) << "currency " << currency;
  }
}

// The rate is 30% higher from day 6, 00:00, for the rest of the run. During day 6 the 24 h
// depreciation is 0.3, so buyers' arrivals and attempts run at 1 + 4 x 0.3 = 2.2 times their
// rate: with 80% buyers, about 0.8 x 2.2 + 0.2 = 1.96 times the attempts, against a Poisson
// noise of about 3% on a day's ~1,000 orders, so "at least 1.5 times" has a wide margin. Each
// ad's margin widens by 0.05 x 3000 = 150 bps, the quoted spread by about 300 bps.
TEST(WorldMarket, DevaluationBringsMoreBuyOrdersAndWiderSpreads) {
  WorldConfig calm = market_config();
  WorldConfig devalued = market_config();
  devalued.markets[0].rate.scheduled_jumps = {{.day = kJumpDay, .change = 0.3}};
  const MarketRun before = run_world(calm);
  const MarketRun after = run_world(devalued);
  for (std::uint32_t day = 0; day < kJumpDay; ++day) {
    // Common random numbers: nothing differs before the jump.
    EXPECT_EQ(after.days[day].orders_created, before.days[day].orders_created) << day;
    EXPECT_EQ(after.days[day].spread_bps_sum, before.days[day].spread_bps_sum) << day;
  }
  const KpiCounters& calm_day = before.days[kJumpDay];
  const KpiCounters& shock_day = after.days[kJumpDay];
  EXPECT_GT(static_cast<double>(shock_day.order_attempts),
            1.5 * static_cast<double>(calm_day.order_attempts));
  EXPECT_GT(static_cast<double>(shock_day.orders_created),
            1.5 * static_cast<double>(calm_day.orders_created));
  EXPECT_GT(static_cast<double>(shock_day.visitors), 1.5 * static_cast<double>(calm_day.visitors));
  EXPECT_GT(average_spread(shock_day), average_spread(calm_day) + 200.0);
  // Within the devalued run too, day 6 has more orders and a wider spread than the day before.
  EXPECT_GT(shock_day.orders_created, after.days[kJumpDay - 1].orders_created);
  EXPECT_GT(average_spread(shock_day), average_spread(after.days[kJumpDay - 1]) + 200.0);
  // A day later the move is over: the multiplier and the widening are back to nothing.
  EXPECT_LT(average_spread(after.days[kJumpDay + 1]), average_spread(shock_day) - 200.0);
  expect_conserved(after.ledger);
}

// A rate.jump shock at 00:00 of a day does what the same scheduled jump does.
TEST(WorldMarket, RateJumpShockMatchesScheduledJump) {
  WorldConfig scheduled = market_config();
  scheduled.markets[0].rate.scheduled_jumps = {{.day = kJumpDay, .change = 0.3}};
  WorldConfig shocked = market_config();
  shocked.shocks = {{.day = kJumpDay, .market = 0, .key = ShockKey::kRateJump, .value = 0.3}};
  const MarketRun a = run_world(scheduled);
  const MarketRun b = run_world(shocked);
  for (std::size_t day = 0; day < a.days.size(); ++day) {
    EXPECT_EQ(a.days[day].orders_created, b.days[day].orders_created) << day;
    EXPECT_EQ(a.days[day].spread_bps_sum, b.days[day].spread_bps_sum) << day;
    EXPECT_EQ(a.days[day].gmv_usd, b.days[day].gmv_usd) << day;
  }
}

// Visitors are Poisson: after the shock, 4 days at 1,200 a day (flat profile) plus 0 fraud
// accounts: expected 4,800, standard deviation about 69; 4 standard deviations allowed.
TEST(WorldMarket, DailyVisitorsShockChangesArrivalsFromItsDay) {
  WorldConfig config = market_config();
  config.markets[0].fraud[FraudTypology::kPaymentReversal].accounts_per_day = 0.0;
  config.markets[0].users.referrals_per_user = 0.0;  // referred visitors would add to the count
  const MarketRun base = run_world(config);
  config.shocks = {{.day = kJumpDay, .market = 0, .key = ShockKey::kDailyVisitors, .value = 1200}};
  const MarketRun run = run_world(config);
  for (std::uint32_t day = 0; day < kJumpDay; ++day) {
    EXPECT_EQ(run.days[day].visitors, base.days[day].visitors) << day;
  }
  double after = 0.0;
  for (std::uint32_t day = kJumpDay; day < config.simulation.days; ++day)
    after += static_cast<double>(run.days[day].visitors);
  const double expected = 1200.0 * (config.simulation.days - kJumpDay);
  EXPECT_NEAR(after, expected, 4.0 * std::sqrt(expected));
}

// A fraud wave: triangulation accounts start arriving on the shock's day, none before. New
// accounts over the remaining days are Poisson; each opens at least one order unless it finds
// no ad, so the accounts opened are at most the attempts and close to them: the attempts are
// checked to exceed the Poisson mean minus 4 standard deviations of the account count.
TEST(WorldMarket, FraudShockStartsAWaveOnItsDay) {
  WorldConfig config = market_config();
  config.markets[0].fraud[FraudTypology::kPaymentReversal].accounts_per_day = 0.0;
  config.markets[0].fraud[FraudTypology::kTriangulation].attempts_per_account = 1.0;
  config.markets[0].fraud[FraudTypology::kTriangulation].hours_between_attempts = 1.0;
  config.shocks = {{.day = kJumpDay,
                    .market = 0,
                    .key = ShockKey::kFraudAccountsPerDay,
                    .typology = static_cast<std::uint8_t>(FraudTypology::kTriangulation),
                    .value = 50.0}};
  const MarketRun run = run_world(config);
  const auto triangulation = static_cast<std::size_t>(FraudTypology::kTriangulation);
  for (std::uint32_t day = 0; day < kJumpDay; ++day) {
    EXPECT_EQ(run.days[day].fraud_attempts[triangulation], 0u) << day;
  }
  double after = 0.0;
  for (std::uint32_t day = kJumpDay; day < config.simulation.days; ++day)
    after += static_cast<double>(run.days[day].fraud_attempts[triangulation]);
  const double accounts = 50.0 * (config.simulation.days - kJumpDay);
  EXPECT_GT(after, accounts - 4.0 * std::sqrt(accounts));
  for (CurrencyId currency = 0; currency < run.ledger.currency_count(); ++currency) {
    EXPECT_EQ(run.ledger.net_balance(currency), 0);
  }
}

// Disabling the card (the only reversible method) on day 6: from then on payment-reversal
// fraudsters find no ad, so they open no order (fraud attempts count orders) and none
// succeeds, while they did before; card users' attempts go unmatched.
TEST(WorldMarket, DisabledPaymentMethodShockBlocksItsOrders) {
  WorldConfig config = market_config();
  config.shocks = {{.day = kJumpDay,
                    .market = 0,
                    .key = ShockKey::kPaymentMethodEnabled,
                    .payment_method = kCard,
                    .value = 0.0}};
  const MarketRun run = run_world(config);
  const int reversal = static_cast<int>(FraudTypology::kPaymentReversal);
  std::uint64_t successes_before = 0;
  for (std::uint32_t day = 0; day < kJumpDay; ++day) {
    EXPECT_GT(run.days[day].fraud_attempts[reversal], 0u) << day;
    successes_before += run.days[day].fraud_successes[reversal];
  }
  EXPECT_GT(successes_before, 0u);
  for (std::uint32_t day = kJumpDay; day < config.simulation.days; ++day) {
    EXPECT_EQ(run.days[day].fraud_attempts[reversal], 0u) << day;
    EXPECT_EQ(run.days[day].fraud_successes[reversal], 0u) << day;
    EXPECT_EQ(run.days[day].fraud_loss_by_method_usd[kCard], 0.0) << day;
    // About a fifth of genuine users pay by card: their attempts now find no ad.
    EXPECT_GT(run.days[day].orders_unmatched, run.days[day].order_attempts / 10) << day;
  }
  expect_conserved(run.ledger);
}

// A method disabled from the start (enabled = false) is never used.
TEST(WorldMarket, MethodDisabledFromTheStartIsNeverUsed) {
  WorldConfig config = market_config();
  config.markets[0].payment_methods[kCard].enabled = false;
  const MarketRun run = run_world(config);
  for (const KpiCounters& day : run.days) {
    EXPECT_EQ(day.fraud_successes[static_cast<int>(FraudTypology::kPaymentReversal)], 0u);
    EXPECT_EQ(day.fraud_loss_by_method_usd[kCard], 0.0);
  }
}

// With drift, volatility, random jumps and repricing, every unit of USDT and fiat is conserved.
TEST(WorldMarket, MovingRateConservesMoney) {
  WorldConfig config = market_config();
  config.markets[0].rate.drift_per_year = 1.0;
  config.markets[0].rate.volatility_per_year = 0.5;
  config.markets[0].rate.jumps_per_year = 50.0;
  const MarketRun run = run_world(config);
  expect_conserved(run.ledger);
}

}  // namespace
}  // namespace p2psim
