// Users' rights and support in whole worlds (docs/model.md, Rights and support): who may cancel,
// retries within a visit that bring cancellation bans, a cancel after marking paid that opens a
// dispute, appeal tracks with evidence deadlines and verdict errors, and merchants' completion
// rate counting their own failures only. Each mechanism has a direction test: the same seeds
// with the mechanism off and on (common random numbers), its KPI moving the stated way with the
// 95% interval of the paired difference excluding 0.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "small_market.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

constexpr int kNonPayment = static_cast<int>(FraudTypology::kNonPayment);

WorldConfig one_market(std::uint32_t days = 6) {
  WorldConfig config;
  config.simulation.days = days;
  config.simulation.warmup_days = 0;
  config.simulation.seed = 515;
  config.markets.push_back(small_market("ng", "NGN"));
  return config;
}

// The first market's tallies over the whole run, replication `replication`.
KpiCounters run_total(const WorldConfig& config, std::uint32_t replication = 0) {
  World world(config, replication);
  EXPECT_TRUE(world.run());
  const ReplicationOutcome outcome = world.outcome();
  KpiCounters total;
  for (const KpiCounters& day : outcome.markets[0].days)
    total.merge(day);
  total.merchants_rated = outcome.markets[0].period.merchants_rated;
  total.merchant_completion_rate_sum = outcome.markets[0].period.merchant_completion_rate_sum;
  return total;
}

// The 95% interval of the mean paired difference (on - off) of a KPI over kReplications
// replications, each run with the same seed and replication in both arms.
struct Interval {
  double low;
  double high;
};
constexpr std::uint32_t kReplications = 8;
constexpr double kStudent95 = 2.365;  // t quantile 0.975 at 7 degrees of freedom

Interval paired_difference(const WorldConfig& off, const WorldConfig& on,
                           const std::function<double(const KpiCounters&)>& kpi) {
  std::vector<double> differences;
  for (std::uint32_t r = 0; r < kReplications; ++r)
    differences.push_back(kpi(run_total(on, r)) - kpi(run_total(off, r)));
  double mean = 0.0;
  for (double d : differences)
    mean += d / kReplications;
  double sum_squares = 0.0;
  for (double d : differences)
    sum_squares += (d - mean) * (d - mean);
  const double half = kStudent95 * std::sqrt(sum_squares / (kReplications - 1) / kReplications);
  return {mean - half, mean + half};
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
  // 2 m^2 (1 - e^{-D/m} (1 + D/m)) = 14.22, so Var(min) = 14.22 - 3.108^2 = 4.56, plus h^2 =
  // 0.25: sd 2.19 h. Held to 4 standard errors of the mean over the appeals resolved.
  WorldConfig config = non_payers_only(0.0);
  SupportConfig& support = config.markets[0].support;
  support.fast_track_share = 0.0;
  support.evidence_hours_mean = 4.0;
  support.evidence_deadline_hours = 6.0;
  support.resolution_minutes_mean = 30.0;
  const KpiCounters total = run_total(config);
  ASSERT_GT(total.appeals_resolved, 200u);
  const double hours = total.appeal_resolution_seconds / total.appeals_resolved / kHour;
  EXPECT_NEAR(hours, 3.608, 4.0 * 2.19 / std::sqrt(double(total.appeals_resolved)));
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
  // Only buyers here, and merchants who never fail them: whatever the buyers do, merchants'
  // completion rate stays 100%, while the platform's share of orders completed falls.
  auto with_cancels = [](double cancel) {
    WorldConfig config = one_market(3);
    config.markets[0].users.buy_share = 1.0;
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

}  // namespace
}  // namespace p2psim
