// Users' rights and support in whole worlds (docs/model.md, Rights and support): who may cancel,
// retries within a visit that bring cancellation bans, a cancel after marking paid that opens a
// dispute, appeal tracks with evidence deadlines and verdict errors, and merchants' completion
// rate counting their own failures only; and merchants' own risk decisions (docs/model.md,
// Merchants' own risk decisions): payer-name checks and counterparty filters. Each mechanism has a
// direction test: the same seeds with the mechanism off and on (common random numbers), its KPI
// moving the stated way with the 95% interval of the paired difference excluding 0.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "direction_runs.hpp"
#include "small_market.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

constexpr int kNonPayment = static_cast<int>(FraudTypology::kNonPayment);
constexpr int kTriangulation = static_cast<int>(FraudTypology::kTriangulation);
constexpr int kPaymentReversal = static_cast<int>(FraudTypology::kPaymentReversal);

WorldConfig one_market(std::uint32_t days = 6) {
  WorldConfig config;
  config.simulation.days = days;
  config.simulation.warmup_days = 0;
  config.simulation.seed = 515;
  config.markets.push_back(small_market("ng", "NGN"));
  return config;
}

// ---- cancellations ---------------------------------------------------------------------------

TEST(WorldRights, RetriesWithinAVisitBringCancellationBans) {
  // Direction: a buyer who cancelled tries another ad within minutes, and cancels again more
  // often than a first try; three cancellations in a day (the default limit of 2, each one
  // beyond bans) then happen, where independent attempts days apart almost never reach them.
  WorldConfig off = one_market();
  off.markets[0].users.retry_after_cancel_probability = 0.0;
  WorldConfig on = one_market();
  const Interval bans =
      paired_difference(off, on, [](const KpiCounters& c) { return double(c.cancellation_bans); });
  EXPECT_GT(bans.low, 0.0);
  // The bans are felt: the banned retry is refused.
  EXPECT_GT(run_total(on).orders_blocked_by_rules, 0u);
}

TEST(WorldRights, ACancelAfterMarkingPaidOpensADisputeNotACancellation) {
  // Buyers with 1 minute of patience and merchants who release after 30: every buyer who paid
  // runs out of patience and, here, always presses cancel. Having paid, they get a dispute that
  // support settles for them (no verdict errors): no order is cancelled after payment, every
  // such cancel is an appeal, and it counts against the after-payment limit (0 allowed: each
  // one bans).
  WorldConfig config = one_market(3);
  UserConfig& users = config.markets[0].users;
  users.buy_share = 1.0;
  users.cancel_probability = 0.0;
  users.abandon_probability = 0.0;
  users.patience_minutes_median = 1.0;
  users.patience_minutes_sigma = 0.0;
  users.cancel_when_slow_probability = 1.0;
  config.markets[0].merchants.release_minutes_median = 30.0;
  config.markets[0].support.verdict_error_probability = 0.0;
  config.markets[0].rules.cancellation.max_cancels_after_marking_paid = 0;
  const KpiCounters total = run_total(config);
  ASSERT_GT(total.cancellations_after_marking_paid, 500u);
  EXPECT_EQ(total.orders_cancelled, 0u);
  EXPECT_EQ(total.cancellations_after_marking_paid, total.orders_appealed);
  EXPECT_EQ(total.cancellation_bans, total.cancellations_after_marking_paid);
}

// ---- appeals ---------------------------------------------------------------------------------

// Careful merchants dispute every non-payer's order; genuine buyers are patient enough never to
// appeal; support has agents to spare. Every appeal is then a non-payment settled by support.
WorldConfig non_payers_only(double verdict_error) {
  WorldConfig config = one_market(8);
  MarketConfig& market = config.markets[0];
  market.fraud.typology(kNonPayment).accounts_per_day = 20.0;
  market.merchants.careless_release_probability = 0.0;
  market.users.patience_minutes_median = 10000.0;
  market.support.agents = 1000;
  market.support.verdict_error_probability = verdict_error;
  return config;
}

TEST(WorldRights, RegularTrackAppealsWaitForEvidenceUpToTheDeadline) {
  // Closed form: on the regular track an appeal waits min(E, D) for evidence, E exponential
  // with mean m = 4 h and D = 6 h, then an agent's exponential handling of mean h = 0.5 h (no
  // queue with 1,000 agents). Mean: m (1 - e^{-D/m}) + h = 3.608 h. Variance: E[min^2] =
  // 2 m^2 (1 - e^{-D/m} (1 + D/m)) = 14.15, so Var(min) = 14.15 - 3.108^2 = 4.49, plus h^2 =
  // 0.25: sd 2.18 h. Held to 4 standard errors of the mean over the appeals resolved.
  WorldConfig config = non_payers_only(0.0);
  SupportConfig& support = config.markets[0].support;
  support.fast_track_share = 0.0;
  support.evidence_hours_mean = 4.0;
  support.evidence_deadline_hours = 6.0;
  support.resolution_minutes_mean = 30.0;
  const KpiCounters total = run_total(config);
  ASSERT_GT(total.appeals_resolved, 200u);
  const double hours = total.appeal_resolution_seconds / total.appeals_resolved / kHour;
  EXPECT_NEAR(hours, 3.608, 4.0 * 2.18 / std::sqrt(double(total.appeals_resolved)));
}

TEST(WorldRights, TheFastTrackShortensAppeals) {
  // Direction: all appeals on the fast track against the default share of 0.3.
  WorldConfig regular = non_payers_only(0.0);
  WorldConfig fast = regular;
  fast.markets[0].support.fast_track_share = 1.0;
  const Interval hours = paired_difference(regular, fast, [](const KpiCounters& c) {
    return c.appeal_resolution_seconds / c.appeals_resolved / kHour;
  });
  EXPECT_LT(hours.high, 0.0);
}

TEST(WorldRights, VerdictErrorsLetNonPayersWin) {
  // Direction: with careful merchants a non-payer only gets the USDT when support misjudges
  // the dispute; an error rate of 0.2 against none raises non-payment losses.
  const Interval loss =
      paired_difference(non_payers_only(0.0), non_payers_only(0.2),
                        [](const KpiCounters& c) { return c.fraud_loss_usd[kNonPayment]; });
  EXPECT_GT(loss.low, 0.0);
  // And against the closed form: each disputed non-payment is won by the fraudster with
  // probability 0.2 (binomial; 4 standard errors).
  const KpiCounters total = run_total(non_payers_only(0.2));
  const double disputes = double(total.appeals_resolved);
  ASSERT_GT(disputes, 200.0);
  EXPECT_NEAR(double(total.fraud_successes[kNonPayment]) / disputes, 0.2,
              4.0 * std::sqrt(0.2 * 0.8 / disputes));
  EXPECT_EQ(total.fraud_successes[kNonPayment], total.appeals_misjudged);
}

// ---- completion rate ---------------------------------------------------------------------------

TEST(WorldRights, BuyersCancellingDoesNotLowerMerchantsCompletionRate) {
  // Only buyers here, patient enough never to appeal, and merchants who never fail them:
  // whatever the buyers do, merchants' completion rate stays 100%, while the platform's share
  // of orders completed falls.
  auto with_cancels = [](double cancel) {
    WorldConfig config = one_market(3);
    config.markets[0].users.buy_share = 1.0;
    config.markets[0].users.patience_minutes_median = 10000.0;
    config.markets[0].users.cancel_probability = cancel;
    return run_total(config);
  };
  const KpiCounters few = with_cancels(0.02);
  const KpiCounters many = with_cancels(0.3);
  ASSERT_GT(few.merchants_rated, 10u);
  EXPECT_EQ(few.merchant_completion_rate_sum, double(few.merchants_rated));
  EXPECT_EQ(many.merchant_completion_rate_sum, double(many.merchants_rated));
  EXPECT_LT(double(many.orders_completed) / many.orders_created,
            double(few.orders_completed) / few.orders_created - 0.2);
}

TEST(WorldRights, AReleaseSupportForcesCountsAgainstTheMerchant) {
  // Buyers with 1 minute of patience appeal every order; merchants take 5 hours to release and
  // support rules within minutes (fast track, agents to spare): support releases every order
  // for the buyer, and each is a failure of the merchant's.
  WorldConfig config = one_market(3);
  MarketConfig& market = config.markets[0];
  market.users.buy_share = 1.0;
  market.users.cancel_probability = 0.0;
  market.users.patience_minutes_median = 1.0;
  market.users.patience_minutes_sigma = 0.0;
  market.users.cancel_when_slow_probability = 0.0;
  market.merchants.release_minutes_median = 300.0;
  market.merchants.release_minutes_sigma = 0.0;
  market.support = {.agents = 1000,
                    .resolution_minutes_mean = 5.0,
                    .fast_track_share = 1.0,
                    .verdict_error_probability = 0.0};
  const KpiCounters total = run_total(config);
  ASSERT_GT(total.orders_appealed, 500u);
  ASSERT_GT(total.merchants_rated, 10u);
  EXPECT_LT(total.merchant_completion_rate_sum / total.merchants_rated, 0.05);
}

// ---- merchants' own risk decisions --------------------------------------------------------------

// Triangulation: a third party (the victim) pays. Careful merchants dispute what they cannot
// reconcile, support never errs, and chargebacks do not exist here.
WorldConfig triangulation_only(double name_checks) {
  WorldConfig config = one_market(8);
  MarketConfig& market = config.markets[0];
  market.fraud.typology(kTriangulation).accounts_per_day = 20.0;
  market.support.verdict_error_probability = 0.0;
  market.merchants.name_check_probability_mean = name_checks;
  return config;
}

TEST(WorldRights, PayerNameChecksStopTriangulation) {
  // Direction: merchants who check the payer's name (60% of the time on average) against none;
  // triangulation losses fall.
  const Interval loss =
      paired_difference(triangulation_only(0.0), triangulation_only(0.6),
                        [](const KpiCounters& c) { return c.fraud_loss_usd[kTriangulation]; });
  EXPECT_LT(loss.high, 0.0);
  // Every merchant checking: no triangulation succeeds, every paid one is refused; genuine
  // buyers paying from someone else's account (2%) are refused too: binomial, 4 standard errors.
  const KpiCounters always = run_total(triangulation_only(1.0));
  ASSERT_GT(always.fraud_attempts[kTriangulation], 100u);
  EXPECT_EQ(always.fraud_successes[kTriangulation], 0u);
  EXPECT_GT(always.payer_name_refusals_fraud, 100u);
  const double genuine = double(always.orders_completed + always.payer_name_refusals_genuine);
  EXPECT_NEAR(always.payer_name_refusals_genuine / genuine, 0.02,
              4.0 * std::sqrt(0.02 * 0.98 / genuine));
}

TEST(WorldRights, CounterpartyFiltersShutFreshAccountsOut) {
  // Every merchant asks for one completed order: newcomers, whose first order it would be, and
  // fresh fraud accounts find no ad, while users present at day 0 with a history still trade.
  WorldConfig config = one_market(4);
  MarketConfig& market = config.markets[0];
  market.fraud.typology(kPaymentReversal).accounts_per_day = 10.0;
  market.merchants.counterparty_filter_share = 1.0;
  market.merchants.filter_min_completed_orders = 1;
  market.merchants.filter_min_kyc_tier = 0;
  const KpiCounters total = run_total(config);
  EXPECT_EQ(total.placed_first_order, 0u);
  EXPECT_EQ(total.fraud_attempts[kPaymentReversal], 0u);
  EXPECT_GT(total.orders_completed, 500u);
  EXPECT_GT(total.orders_unmatched, 100u);
}

TEST(WorldRights, MerchantsWhoLoseToFraudTightenTheirFilters) {
  // Direction: with no filters at first, merchants that bear a reversal loss start asking for
  // a completed order; fresh reversal accounts then find fewer ads, and fewer reversals succeed.
  auto reversals = [](bool tighten) {
    WorldConfig config = one_market(10);
    MarketConfig& market = config.markets[0];
    market.fraud.typology(kPaymentReversal).accounts_per_day = 10.0;
    market.fraud.typology(kPaymentReversal).reversal_delay_days = 0.5;
    market.merchants.tighten_filters_after_loss = tighten;
    market.merchants.filter_min_kyc_tier = 0;
    return config;
  };
  const Interval successes = paired_difference(
      reversals(false), reversals(true),
      [](const KpiCounters& c) { return double(c.fraud_successes[kPaymentReversal]); });
  EXPECT_LT(successes.high, 0.0);
}

// Fresh reversal accounts at 10 a day, their chargebacks within half a day, against merchants
// with no filter at first.
WorldConfig reversal_attack(std::uint32_t days) {
  WorldConfig config = one_market(days);
  MarketConfig& market = config.markets[0];
  market.fraud.typology(kPaymentReversal).accounts_per_day = 10.0;
  market.fraud.typology(kPaymentReversal).reversal_delay_days = 0.5;
  market.merchants.filter_min_kyc_tier = 0;
  return config;
}

TEST(WorldRights, FiltersThatRelaxAfterAQuietPeriodLetNewcomersBackIn) {
  // Direction: merchants tighten after a reversal loss in both arms; where they lift the filter
  // after 2 days without a loss, newcomers find more ads and more of them place a first order.
  WorldConfig never = reversal_attack(10);
  never.markets[0].merchants.tighten_filters_after_loss = true;
  WorldConfig relaxing = never;
  relaxing.markets[0].merchants.relax_filters_after_days = 2;
  const Interval first_orders = paired_difference(
      never, relaxing, [](const KpiCounters& c) { return double(c.placed_first_order); });
  EXPECT_GT(first_orders.low, 0.0);
}

TEST(WorldRights, MerchantsWhoDropALosingMethodLetFewerReversalsSucceed) {
  // Direction: reversals need the card, the only reversible method; a merchant that has lost
  // 300 USD on it stops taking it, so reversal accounts find fewer ads and fewer succeed.
  WorldConfig keep = reversal_attack(10);
  WorldConfig drop = keep;
  drop.markets[0].merchants.drop_method_after_loss_usd = 300.0;
  const Interval successes = paired_difference(
      keep, drop, [](const KpiCounters& c) { return double(c.fraud_successes[kPaymentReversal]); });
  EXPECT_LT(successes.high, 0.0);
  const KpiCounters dropped = run_total(drop);
  EXPECT_GT(dropped.payment_methods_dropped, 0u);
  // Each merchant drops at most the card, and keeps another method.
  EXPECT_LE(dropped.payment_methods_dropped, drop.markets[0].merchants.count);
  EXPECT_EQ(run_total(keep).payment_methods_dropped, 0u);
}

TEST(WorldRights, ARegistrationAgeFilterShutsFreshAccountsOut) {
  // Every merchant asks for an account a week old and nothing else: fresh reversal accounts
  // and newcomers, registered during these 4 days, find no ad; users with older accounts trade.
  WorldConfig config = reversal_attack(4);
  MerchantConfig& merchants = config.markets[0].merchants;
  merchants.counterparty_filter_share = 1.0;
  merchants.filter_min_completed_orders = 0;
  merchants.filter_min_account_age_days = 7;
  const KpiCounters total = run_total(config);
  EXPECT_EQ(total.placed_first_order, 0u);
  EXPECT_EQ(total.fraud_attempts[kPaymentReversal], 0u);
  EXPECT_GT(total.orders_completed, 500u);
  // The same merchants asking no age let both in.
  merchants.filter_min_account_age_days = 0;
  const KpiCounters open = run_total(config);
  EXPECT_GT(open.placed_first_order, 0u);
  EXPECT_GT(open.fraud_attempts[kPaymentReversal], 0u);
}

}  // namespace
}  // namespace p2psim
