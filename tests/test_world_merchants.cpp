// Tests of merchants' economics in whole worlds: account freezes, per-method order limits,
// online hours, exit of unprofitable merchants, entry when spreads are rich, the eligibility
// rule, and money conservation with all of them at once.
//
// Worlds are small (a few thousand users, under two weeks) so each runs in milliseconds.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <string>

#include "metrics/kpis.hpp"
#include "small_market.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

constexpr std::uint8_t kBank = 0;
constexpr std::uint8_t kWallet = 1;
constexpr std::uint8_t kCard = 2;  // the only reversible method

MarketConfig make_market() {
  return small_market("NG", "NGN");
}

WorldConfig make_config(std::uint32_t days = 8, std::uint32_t warmup = 1) {
  WorldConfig config;
  config.simulation.days = days;
  config.simulation.warmup_days = warmup;
  config.simulation.seed = 77;
  config.markets.push_back(make_market());
  return config;
}

KpiCounters all_days(const ReplicationOutcome& outcome) {
  KpiCounters total;
  for (const KpiCounters& day : outcome.markets[0].days)
    total.merge(day);
  return total;
}

double kpi(const ReplicationOutcome& outcome, const std::string& name) {
  const MarketTally& tally = outcome.markets[0];
  for (const KpiValue& value : derive_kpis(tally.period, tally.payment_methods)) {
    if (value.name == name) return value.value;
  }
  ADD_FAILURE() << "no KPI " << name;
  return std::nan("");
}

void expect_money_conserved(const World& world) {
  const Ledger& ledger = world.ledger();
  for (CurrencyId currency = 0; currency < ledger.currency_count(); ++currency) {
    EXPECT_EQ(ledger.net_balance(currency), 0) << "currency " << currency;
  }
}

// ---- freezes ----------------------------------------------------------------------------------

// Two merchants accepting bank and wallet, plenty of everything. Merchant 0's bank account is
// frozen from day 2.0 to day 3.5: exactly that merchant's bank liquidity disappears, on both
// sides, for exactly that time; its wallet ads and merchant 1's bank ads stay.
TEST(WorldMerchants, FreezeRemovesExactlyThatMerchantsMethodForItsDuration) {
  WorldConfig config = make_config(6, 1);
  MarketConfig& market = config.markets[0];
  market.payment_methods.pop_back();  // bank and wallet only
  market.merchants.count = 2;
  market.merchants.capacity = 100000;  // never hidden for being at capacity
  market.merchants.usdt_inventory = 1e9;
  market.merchants.fiat_inventory_usd = 1e9;
  World world(config, 0);
  const Seconds start = 2 * kDay;
  const Seconds end = 3.5 * kDay;
  ASSERT_TRUE(world.run_until(start));
  world.freeze_account(MerchantId(0), kBank, end - start);
  ASSERT_TRUE(world.run_until(start + kHour));  // orders created before the freeze are done
  const AccountId frozen_account = world.merchant(MerchantId(0)).fiat_account(kBank);
  const MinorUnits frozen_balance = world.ledger().balance(frozen_account);
  const MinorUnits wallet_balance =
      world.ledger().balance(world.merchant(MerchantId(0)).fiat_account(kWallet));

  ASSERT_TRUE(world.run_until(end - 1.0));
  for (TradeSide side : {TradeSide::kUserBuys, TradeSide::kUserSells}) {
    EXPECT_FALSE(world.ad_offered(MerchantId(0), side, kBank));
    EXPECT_TRUE(world.ad_offered(MerchantId(0), side, kWallet));
    EXPECT_TRUE(world.ad_offered(MerchantId(1), side, kBank));
  }
  EXPECT_TRUE(world.merchant(MerchantId(0)).frozen(kBank));
  // No order used the frozen account: no payment in or out, no restocking at midnight.
  EXPECT_EQ(world.ledger().balance(frozen_account), frozen_balance);
  EXPECT_NE(world.ledger().balance(world.merchant(MerchantId(0)).fiat_account(kWallet)),
            wallet_balance);

  ASSERT_TRUE(world.run_until(end + 1.0));
  EXPECT_FALSE(world.merchant(MerchantId(0)).frozen(kBank));
  for (TradeSide side : {TradeSide::kUserBuys, TradeSide::kUserSells}) {
    EXPECT_TRUE(world.ad_offered(MerchantId(0), side, kBank));
  }
  ASSERT_TRUE(world.run());
  EXPECT_NE(world.ledger().balance(frozen_account), frozen_balance);  // used again

  // merchant_freeze_days: a day and a half, split over the days it covered.
  const ReplicationOutcome outcome = world.outcome();
  EXPECT_DOUBLE_EQ(outcome.markets[0].days[2].merchant_freeze_days, 1.0);
  EXPECT_DOUBLE_EQ(outcome.markets[0].days[3].merchant_freeze_days, 0.5);
  EXPECT_DOUBLE_EQ(kpi(outcome, "merchant_freeze_days"), 1.5);
  expect_money_conserved(world);
}

// A second freeze of an account already frozen only extends it; the KPI counts the union.
TEST(WorldMerchants, OverlappingFreezesCountTheirUnion) {
  WorldConfig config = make_config(6, 1);
  World world(config, 0);
  ASSERT_TRUE(world.run_until(2 * kDay));
  world.freeze_account(MerchantId(0), kBank, kDay);
  world.freeze_account(MerchantId(0), kBank, 0.5 * kDay);  // inside the first: no effect
  ASSERT_TRUE(world.run_until(2.5 * kDay));
  world.freeze_account(MerchantId(0), kBank, kDay);  // to day 3.5
  ASSERT_TRUE(world.run_until(3 * kDay + 1.0));
  EXPECT_TRUE(world.merchant(MerchantId(0)).frozen(kBank));  // the first end event was stale
  ASSERT_TRUE(world.run());
  EXPECT_FALSE(world.merchant(MerchantId(0)).frozen(kBank));
  EXPECT_DOUBLE_EQ(kpi(world.outcome(), "merchant_freeze_days"), 1.5);
}

// Chargebacks are tainted fiat: with freeze_probability 1 every reversal freezes the account
// that received the money; with 0 none does.
TEST(WorldMerchants, ReversalsFreezeAccountsWithTheMethodsProbability) {
  WorldConfig config = make_config(10, 1);
  MarketConfig& market = config.markets[0];
  market.fraud[FraudTypology::kPaymentReversal].accounts_per_day = 6.0;
  market.fraud[FraudTypology::kPaymentReversal].reversal_delay_days = 1.0;
  market.payment_methods[kCard].freeze_days_mean = 2.0;
  World never(config, 0);
  ASSERT_TRUE(never.run());
  EXPECT_EQ(kpi(never.outcome(), "merchant_freeze_days"), 0.0);

  market.payment_methods[kCard].freeze_probability = 1.0;
  World always(config, 0);
  ASSERT_TRUE(always.run());
  EXPECT_GT(kpi(always.outcome(), "fraud_successes.typology.payment_reversal"), 0.0);
  EXPECT_GT(kpi(always.outcome(), "merchant_freeze_days"), 0.0);
  // Only card accounts can have been frozen.
  for (MerchantId id : every_id<MerchantId>(always.merchant_count())) {
    EXPECT_EQ(always.merchant(id).frozen_methods & ~(1u << kCard), 0u);
  }
  expect_money_conserved(always);
}

// Card and bank payments land on the same bank account (bank_account "main"); the wallet has its
// own. A bank freezing the account after a chargeback stops both card and bank, never the
// wallet; freezes last 100 days on average, so those of the run are still on at its end.
TEST(WorldMerchants, AFreezeStopsEveryMethodPaidIntoTheSameBankAccount) {
  WorldConfig config = make_config(10, 1);
  MarketConfig& market = config.markets[0];
  market.merchants.payment_methods_each = 3;
  market.fraud[FraudTypology::kPaymentReversal].accounts_per_day = 6.0;
  market.fraud[FraudTypology::kPaymentReversal].reversal_delay_days = 1.0;
  market.payment_methods[kCard].freeze_probability = 1.0;
  market.payment_methods[kCard].freeze_days_mean = 100.0;
  market.payment_methods[kCard].bank_account = "main";
  market.payment_methods[kBank].bank_account = "main";
  World world(config, 0);
  ASSERT_TRUE(world.run());
  int frozen = 0;
  for (MerchantId id : every_id<MerchantId>(world.merchant_count())) {
    const Merchant& merchant = world.merchant(id);
    EXPECT_EQ(merchant.frozen(kBank), merchant.frozen(kCard));
    EXPECT_FALSE(merchant.frozen(kWallet));
    frozen += merchant.frozen(kCard);
  }
  EXPECT_GT(frozen, 0);
  expect_money_conserved(world);
}

// A freeze wave (a shock at 00:00 of day 2) on bank accounts: with share 1 every listed merchant
// taking bank payments is frozen on it at once (freezes of 100 days on average outlast the
// run), and nobody else; with share 0 nobody is.
TEST(WorldMerchants, AFreezeWaveFreezesTheShareOfMerchantsTakingTheMethod) {
  for (double share : {0.0, 1.0}) {
    WorldConfig config = make_config(4, 1);
    config.markets[0].payment_methods[kBank].freeze_days_mean = 100.0;
    config.shocks = {{.day = 2,
                      .market = 0,
                      .key = ShockKey::kFreezeWave,
                      .payment_method = kBank,
                      .value = share}};
    World world(config, 0);
    ASSERT_TRUE(world.run_until(2 * kDay + 1.0));
    int taking_bank = 0;
    for (MerchantId id : every_id<MerchantId>(world.merchant_count())) {
      const Merchant& merchant = world.merchant(id);
      const bool takes_bank = (merchant.accepted_methods >> kBank) & 1u;
      taking_bank += takes_bank;
      EXPECT_EQ(merchant.frozen(kBank), share == 1.0 && takes_bank) << share;
      EXPECT_FALSE(merchant.frozen(kWallet));
    }
    EXPECT_GT(taking_bank, 0);
  }
}

// ---- daily rebalancing -------------------------------------------------------------------------

// One merchant with a bank and a wallet account, users buying and selling on both: over a day
// one account fills up and the other drains. At midnight the surplus (above the per-method
// target and not reserved) first fills the other account; only the rest comes from outside.
// Balances are read just before and after the midnight tick, with no other event in between.
TEST(WorldMerchants, RestockingRebalancesBetweenMethodsBeforeToppingUp) {
  // Buyers and sellers balance on average, so only some days end with one method in surplus and
  // the other short (2 of the first 10 here): 30 days leave little chance of none.
  WorldConfig config = make_config(31, 1);
  MarketConfig& market = config.markets[0];
  market.payment_methods.pop_back();  // bank and wallet
  market.users.buy_share = 0.5;
  market.merchants.count = 1;
  market.merchants.capacity = 100000;
  market.merchants.usdt_inventory = 1e9;
  market.merchants.fiat_inventory_usd = 20000.0;
  constexpr AccountId kOutsideFiat = 3;  // opened first by the market (World::build_market)
  World world(config, 0);
  const Merchant& merchant = world.merchant(MerchantId(0));
  const MinorUnits target = to_fiat_minor(20000.0 * market.reference_rate) / 2;
  int internal_moves = 0;
  for (int day = 1; day < 31; ++day) {
    ASSERT_TRUE(world.run_until(day * kDay - 1e-3));
    const std::uint64_t events = world.events_processed();
    const MinorUnits outside = world.ledger().balance(kOutsideFiat);
    std::array<MinorUnits, 2> balance{}, surplus{}, deficit{};
    for (std::uint8_t method : {kBank, kWallet}) {
      balance[method] = world.ledger().balance(merchant.fiat_account(method));
      surplus[method] = std::max<MinorUnits>(
          0, std::min(balance[method] - target, balance[method] - merchant.fiat_committed[method]));
      deficit[method] = std::max<MinorUnits>(0, target - balance[method]);
    }
    ASSERT_TRUE(world.run_until(day * kDay + 1e-3));
    ASSERT_EQ(world.events_processed(), events + 1) << "only the midnight tick";
    const MinorUnits moved =
        std::min(surplus[kBank], deficit[kWallet]) + std::min(surplus[kWallet], deficit[kBank]);
    if (moved > 0) ++internal_moves;
    EXPECT_EQ(outside - world.ledger().balance(kOutsideFiat),
              deficit[kBank] + deficit[kWallet] - moved)
        << "day " << day;
    for (std::uint8_t method : {kBank, kWallet}) {
      EXPECT_GE(world.ledger().balance(merchant.fiat_account(method)), target);
    }
  }
  EXPECT_GT(internal_moves, 0);
}

// ---- order limits per payment method --------------------------------------------------------

TEST(WorldMerchants, PaymentMethodLimitsBlockOrdersOutsideThem) {
  WorldConfig config = make_config();
  for (PaymentMethodConfig& method : config.markets[0].payment_methods) {
    method.max_order_usd = 50.0;
  }
  World capped(config, 0);
  ASSERT_TRUE(capped.run());
  const KpiCounters total = all_days(capped.outcome());
  ASSERT_GT(total.orders_created, 100u);
  // Order sizes have a median of 100 USD: about three quarters are above 50 and find no ad.
  EXPECT_GT(total.orders_unmatched, total.order_attempts / 2);
  EXPECT_LE(total.gmv_usd, 50.0 * static_cast<double>(total.orders_completed));

  config.markets[0].payment_methods[kBank].max_order_usd = 1e9;
  for (PaymentMethodConfig& method : config.markets[0].payment_methods) {
    method.min_order_usd = 1e6;
  }
  World floored(config, 0);
  ASSERT_TRUE(floored.run());
  EXPECT_EQ(all_days(floored.outcome()).orders_created, 0u);
}

// ---- online hours -----------------------------------------------------------------------------

TEST(WorldMerchants, AdsAreShownOnlyDuringOnlineHours) {
  WorldConfig config = make_config(3, 1);
  config.markets[0].merchants.online_hours = 6;
  config.markets[0].merchants.capacity = 100000;
  World world(config, 0);
  const Merchant& merchant = world.merchant(MerchantId(0));
  const std::uint8_t method =
      static_cast<std::uint8_t>(std::countr_zero(merchant.accepted_methods));
  const Seconds window = kDay + merchant.online_start_hour * kHour;
  ASSERT_TRUE(world.run_until(window + 5 * kHour + 1800.0));  // last online hour
  EXPECT_TRUE(world.ad_offered(MerchantId(0), TradeSide::kUserBuys, method));
  ASSERT_TRUE(world.run_until(window + 6 * kHour + 1800.0));  // first offline hour
  EXPECT_FALSE(world.ad_offered(MerchantId(0), TradeSide::kUserBuys, method));
  EXPECT_FALSE(world.ad_offered(MerchantId(0), TradeSide::kUserSells, method));
  ASSERT_TRUE(world.run_until(window + kDay + 1800.0));  // online again the next day
  EXPECT_TRUE(world.ad_offered(MerchantId(0), TradeSide::kUserBuys, method));
}

// Merchants online one hour a day: an order paid near the end of the hour is released only the
// next day, so some orders take many hours, which never happens with round-the-clock merchants.
TEST(WorldMerchants, ReleasesWaitForTheNextOnlineWindow) {
  WorldConfig config = make_config(6, 1);
  World always(config, 0);
  ASSERT_TRUE(always.run());
  config.markets[0].merchants.online_hours = 1;
  World hourly(config, 0);
  ASSERT_TRUE(hourly.run());
  const double always_p90 = kpi(always.outcome(), "time_to_complete_p90_minutes");
  const double hourly_p90 = kpi(hourly.outcome(), "time_to_complete_p90_minutes");
  EXPECT_LT(always_p90, 60.0);
  // Releases are lognormal with a 3-minute median after settlement: about a tenth of the orders
  // created in the hour are paid too late to be released within it.
  EXPECT_GT(hourly_p90, always_p90);
  expect_money_conserved(hourly);
}

// ---- profit and loss, exit and entry ----------------------------------------------------------

// Operating costs far above any spread: every merchant's P&L over 2 days is negative, so all
// leave at the close of day 1 (or when their last open order is final) and return their
// deposits; from then on no order finds an ad.
TEST(WorldMerchants, UnprofitableMerchantsLeave) {
  WorldConfig config = make_config(6, 1);
  MerchantConfig& merchants = config.markets[0].merchants;
  merchants.daily_cost_usd = 1e6;
  merchants.exit_after_days = 2;
  merchants.deposit_usdt = 1000.0;
  World world(config, 0);
  ASSERT_TRUE(world.run());
  const ReplicationOutcome outcome = world.outcome();
  const KpiCounters total = all_days(outcome);
  EXPECT_EQ(total.merchants_exited, merchants.count);
  for (MerchantId id : every_id<MerchantId>(world.merchant_count())) {
    EXPECT_EQ(world.merchant(id).status, MerchantStatus::kGone);
    EXPECT_EQ(world.ledger().balance(world.merchant(id).deposit_account), 0);
  }
  const KpiCounters& last = outcome.markets[0].days.back();
  EXPECT_GT(last.order_attempts, 0u);
  EXPECT_EQ(last.orders_created, 0u);
  EXPECT_LT(kpi(outcome, "merchant_pnl"), 0.0);
  expect_money_conserved(world);
}

// Chargebacks land after a merchant stopped trading: it stays (without ads) until the last one
// has found its account, then leaves with exactly what is left, so no account of a merchant who
// left is ever overdrawn and nothing is left behind on it.
TEST(WorldMerchants, LeaversWaitForTheirChargebacks) {
  WorldConfig config = make_config(30, 1);
  MarketConfig& market = config.markets[0];
  market.merchants.daily_cost_usd = 1e6;
  market.merchants.exit_after_days = 2;
  market.fraud[FraudTypology::kPaymentReversal].accounts_per_day = 30.0;
  market.fraud[FraudTypology::kPaymentReversal].attempts_per_account = 3.0;
  World world(config, 0);
  ASSERT_TRUE(world.run());
  std::size_t gone = 0;
  for (MerchantId id : every_id<MerchantId>(world.merchant_count())) {
    const Merchant& merchant = world.merchant(id);
    if (merchant.status != MerchantStatus::kGone) continue;
    ++gone;
    EXPECT_EQ(merchant.pending_clawbacks, 0u);
    EXPECT_EQ(world.ledger().balance(merchant.usdt_account), 0) << id;
    for (std::uint8_t method = 0; method < market.payment_methods.size(); ++method) {
      if (merchant.frozen(method)) continue;  // withdrawn when the freeze ends
      EXPECT_EQ(world.ledger().balance(merchant.fiat_account(method)), 0) << id;
    }
  }
  EXPECT_GT(gone, 0u);
  EXPECT_GT(all_days(world.outcome()).fraud_successes[1], 0u);  // chargebacks did happen
  expect_money_conserved(world);
}

// Without costs or fraud, merchants only earn spreads: the P&L is positive and nobody leaves.
// It equals the spread on completed GMV: margins are drawn with mean 80 bps, so the P&L per
// USD of GMV lies well inside (0, 200 bps).
TEST(WorldMerchants, ProfitableMerchantsStay) {
  WorldConfig config = make_config(6, 1);
  config.markets[0].merchants.exit_after_days = 2;
  World world(config, 0);
  ASSERT_TRUE(world.run());
  const ReplicationOutcome outcome = world.outcome();
  EXPECT_EQ(all_days(outcome).merchants_exited, 0u);
  const double pnl = kpi(outcome, "merchant_pnl");
  const double gmv = kpi(outcome, "gmv_usd");
  EXPECT_GT(pnl, 0.0);
  EXPECT_LT(pnl, 0.02 * gmv);
}

// Entry at a fixed rate of 3 a day (no spread term) over 19 daily closes: the count is Poisson
// with mean 57 and sd 7.5; 4 sd either side leaves a false-failure chance below 1e-4.
TEST(WorldMerchants, EntrantsArriveAtThePoissonRate) {
  WorldConfig config = make_config(20, 1);
  MerchantConfig& merchants = config.markets[0].merchants;
  merchants.max_entrants = 200;
  merchants.entry_per_day = 3.0;
  World world(config, 0);
  ASSERT_TRUE(world.run());
  const double entered = static_cast<double>(all_days(world.outcome()).merchants_entered);
  EXPECT_NEAR(entered, 57.0, 4 * std::sqrt(57.0));
  std::uint32_t trading = 0;
  for (MerchantId id : every_id<MerchantId>(world.merchant_count())) {
    if (id.index() < merchants.count) continue;
    if (world.merchant(id).orders_completed > 0) ++trading;
  }
  EXPECT_GT(trading, 0u);  // entrants' ads are listed and used
  expect_money_conserved(world);
}

// The entry rate grows with the spread above the threshold: wide margins (spread about 600 bps)
// attract entrants, up to the pool; narrow ones (about 40 bps) attract none.
TEST(WorldMerchants, RichSpreadsAttractEntrants) {
  WorldConfig config = make_config(8, 1);
  MerchantConfig& merchants = config.markets[0].merchants;
  merchants.max_entrants = 5;
  merchants.entry_per_day_per_bps = 0.01;  // 5 a day at 500 bps over the threshold
  merchants.entry_spread_threshold_bps = 100.0;
  merchants.margin_bps_mean = 300.0;
  merchants.margin_bps_sd = 0.0;
  World rich(config, 0);
  ASSERT_TRUE(rich.run());
  EXPECT_EQ(all_days(rich.outcome()).merchants_entered, 5u);

  merchants.margin_bps_mean = 20.0;
  World narrow(config, 0);
  ASSERT_TRUE(narrow.run());
  EXPECT_EQ(all_days(narrow.outcome()).merchants_entered, 0u);
}

// ---- eligibility ------------------------------------------------------------------------------

// A rule no merchant can meet (a million orders): all are suspended at the end of their
// probation (close of day 1), trade nothing while suspended (days 2-4), are back on day 5 with
// a new probation, and are suspended again at its end (close of day 6).
TEST(WorldMerchants, IneligibleMerchantsAreSuspendedThenGetANewProbation) {
  WorldConfig config = make_config(8, 1);
  MerchantEligibilityConfig& rule = config.markets[0].rules.merchant_eligibility;
  rule.enabled = true;
  rule.min_orders = 1000000;
  rule.probation_days = 2;
  rule.suspension_days = 3;
  World world(config, 0);
  ASSERT_TRUE(world.run());
  const ReplicationOutcome outcome = world.outcome();
  const std::vector<KpiCounters>& days = outcome.markets[0].days;
  EXPECT_EQ(days[1].merchants_suspended, config.markets[0].merchants.count);
  EXPECT_GT(days[1].orders_created, 0u);
  for (int day = 2; day <= 4; ++day) {
    EXPECT_EQ(days[day].orders_created, 0u) << "day " << day;
  }
  EXPECT_GT(days[5].orders_created, 0u);
  EXPECT_EQ(days[6].merchants_suspended, config.markets[0].merchants.count);
}

// Every merchant meets a rule asking no orders, and the deposit each one has: none is
// suspended. (A rule asking one order would depend on every merchant being picked in the
// window, which a small market does not promise.)
TEST(WorldMerchants, MerchantsMeetingTheRuleKeepAdvertising) {
  WorldConfig config = make_config(8, 1);
  MerchantEligibilityConfig& rule = config.markets[0].rules.merchant_eligibility;
  rule.enabled = true;
  rule.min_orders = 0;
  rule.min_completion_rate = 0.0;
  rule.min_deposit_usdt = config.markets[0].merchants.deposit_usdt;
  rule.probation_days = 2;
  World world(config, 0);
  ASSERT_TRUE(world.run());
  EXPECT_EQ(all_days(world.outcome()).merchants_suspended, 0u);
}

// ---- merchant tiers -----------------------------------------------------------------------------

bool has_kpi(const ReplicationOutcome& outcome, const std::string& name) {
  const MarketTally& tally = outcome.markets[0];
  for (const KpiValue& value : derive_kpis(tally.period, tally.payment_methods)) {
    if (value.name == name) return true;
  }
  return false;
}

TEST(WorldMerchants, TierKpisAreAbsentWithoutTiers) {
  World world(make_config(), 0);
  ASSERT_TRUE(world.run());
  EXPECT_FALSE(has_kpi(world.outcome(), "avg_merchant_tier"));
  EXPECT_FALSE(has_kpi(world.outcome(), "merchant_tier_promotions"));
}

// Busy merchants reach 3 completed orders within a day or two: promotions, an average tier
// between 0 and 1, and at the end each merchant in the tier its completed orders earn.
TEST(WorldMerchants, MerchantsRiseToTheTierTheirTalliesEarn) {
  WorldConfig config = make_config();
  config.markets[0].rules.merchant_tiers = {{.name = "new", .max_order_usd = 60.0},
                                            {.name = "trusted", .min_completed_orders = 3}};
  World world(config, 0);
  // Just past the last day's 00:00 close (the last day itself is never closed), before any
  // order completes after it.
  ASSERT_TRUE(world.run_until((config.simulation.days - 1) * kDay + 1e-3));
  std::uint32_t trusted = 0;
  for (MerchantId id : every_id<MerchantId>(config.markets[0].merchants.count)) {
    const Merchant& merchant = world.merchant(id);
    EXPECT_EQ(merchant.tier, merchant.orders_completed >= 3 ? 1 : 0) << "merchant " << id;
    trusted += merchant.tier;
  }
  EXPECT_GT(trusted, 0u);
  ASSERT_TRUE(world.run());
  const ReplicationOutcome outcome = world.outcome();
  EXPECT_GT(kpi(outcome, "merchant_tier_promotions"), 0.0);
  EXPECT_GT(kpi(outcome, "avg_merchant_tier"), 0.0);
  EXPECT_LE(kpi(outcome, "avg_merchant_tier"), 1.0);
}

// A requirement nobody meets (a deposit above the one merchants post) keeps everyone in tier 0,
// whatever the other requirements.
TEST(WorldMerchants, TiersNeedEveryRequirement) {
  WorldConfig config = make_config();
  config.markets[0].merchants.deposit_usdt = 500.0;
  config.markets[0].rules.merchant_tiers = {
      {.name = "new"}, {.name = "gold", .min_completed_orders = 1, .min_deposit_usdt = 501.0}};
  World world(config, 0);
  ASSERT_TRUE(world.run());
  EXPECT_EQ(kpi(world.outcome(), "merchant_tier_promotions"), 0.0);
  EXPECT_EQ(kpi(world.outcome(), "avg_merchant_tier"), 0.0);
}

// ---- everything at once -------------------------------------------------------------------------

TEST(WorldMerchants, MoneyIsConservedWithFreezesExitsAndEntries) {
  WorldConfig config = make_config(14, 1);
  MarketConfig& market = config.markets[0];
  market.fraud[FraudTypology::kPaymentReversal].accounts_per_day = 8.0;
  market.fraud[FraudTypology::kPaymentReversal].reversal_delay_days = 1.0;
  market.fraud[FraudTypology::kNonPayment].accounts_per_day = 8.0;
  market.payment_methods[kCard].freeze_probability = 0.7;
  market.payment_methods[kCard].freeze_days_mean = 2.0;
  market.payment_methods[kWallet].max_order_usd = 500.0;
  market.merchants.online_hours = 16;
  market.merchants.deposit_usdt = 5000.0;
  market.merchants.daily_cost_usd = 12.0;
  market.merchants.exit_after_days = 3;
  market.merchants.max_entrants = 30;
  market.merchants.entry_per_day = 2.0;
  market.merchants.fiat_inventory_usd = 3000.0;  // scarce: rebalancing between methods matters
  // No merchant finishes 200 orders in 4 days here: each one judged after its probation, and
  // not leaving first, is suspended.
  market.rules.merchant_eligibility = {.enabled = true,
                                       .min_deposit_usdt = 1000.0,
                                       .min_completion_rate = 0.8,
                                       .min_orders = 200,
                                       .window_days = 4,
                                       .probation_days = 3,
                                       .suspension_days = 2};
  World world(config, 0);
  ASSERT_TRUE(world.run());
  const KpiCounters total = all_days(world.outcome());
  // The run exercised every mechanism.
  EXPECT_GT(total.merchant_freeze_days, 0.0);
  EXPECT_GT(total.merchants_entered, 0u);
  EXPECT_GT(total.merchants_exited, 0u);
  EXPECT_GT(total.merchants_suspended, 0u);
  expect_money_conserved(world);
  // Deposits are held exactly for the merchants still on the platform.
  for (MerchantId id : every_id<MerchantId>(world.merchant_count())) {
    const Merchant& merchant = world.merchant(id);
    const bool holds =
        merchant.status == MerchantStatus::kListed || merchant.status == MerchantStatus::kLeaving;
    EXPECT_EQ(world.ledger().balance(merchant.deposit_account), holds ? 5'000'000'000 : 0);
  }
}

TEST(WorldMerchants, SameSeedGivesIdenticalMerchantOutcomes) {
  WorldConfig config = make_config(10, 1);
  config.markets[0].fraud[FraudTypology::kPaymentReversal].accounts_per_day = 8.0;
  config.markets[0].payment_methods[kCard].freeze_probability = 0.5;
  config.markets[0].merchants.daily_cost_usd = 20.0;
  config.markets[0].merchants.exit_after_days = 3;
  config.markets[0].merchants.max_entrants = 10;
  config.markets[0].merchants.entry_per_day = 1.0;
  World first(config, 2);
  World second(config, 2);
  ASSERT_TRUE(first.run());
  ASSERT_TRUE(second.run());
  EXPECT_EQ(first.events_processed(), second.events_processed());
  EXPECT_EQ(kpi(first.outcome(), "merchant_pnl"), kpi(second.outcome(), "merchant_pnl"));
  EXPECT_EQ(kpi(first.outcome(), "merchant_freeze_days"),
            kpi(second.outcome(), "merchant_freeze_days"));
}

// Every listed day costs daily_cost_usd, the last one included although no midnight follows it:
// with no trade at all, the P&L is exactly -(merchants x days x cost).
TEST(WorldMerchants, EveryDayIncludingTheLastIsCharged) {
  WorldConfig config = make_config(3, 1);
  MarketConfig& market = config.markets[0];
  market.users.initial_users = 0;
  market.users.daily_visitors = 0.0;
  market.merchants.count = 2;
  market.merchants.daily_cost_usd = 10.0;
  World world(config, 0);
  ASSERT_TRUE(world.run());
  EXPECT_DOUBLE_EQ(all_days(world.outcome()).merchant_pnl_usd, -60.0);
  ASSERT_TRUE(world.run());  // running on from the end charges nothing twice
  EXPECT_DOUBLE_EQ(all_days(world.outcome()).merchant_pnl_usd, -60.0);
}

}  // namespace
}  // namespace p2psim
