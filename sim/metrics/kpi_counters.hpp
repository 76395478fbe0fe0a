#pragma once
// The raw tallies behind every KPI, for one market over one span of time (a day or the measured
// period), and what each fact the world reports (metrics/facts.hpp) adds to them. Tallies only
// add up, so days sum to a period and markets sum to a total; KPIs (ratios, percentiles) are
// derived from them afterwards (metrics/kpis.cpp), never averaged.
//
// Order outcomes are booked to the day the order was created (a cohort): an order created on
// day 5 and completed on day 6 counts on day 5. Funnel stages are booked to the day they happen.
//
// A new tally is a field here and a line in the handler of the fact it counts; merge needs no
// line (KpiCounts and KpiAmounts are summed field by field).
#include <array>
#include <cstdint>
#include <vector>

#include "core/time.hpp"
#include "metrics/duration_histogram.hpp"
#include "metrics/facts.hpp"
#include "metrics/fraud_typology.hpp"
#include "metrics/score_histogram.hpp"

namespace p2psim {

// The tallies that count: unsigned integers only, so that merging sums them as an array.
struct KpiCounts {
  // volume and experience
  std::uint64_t order_attempts = 0;    // a user looked for an ad
  std::uint64_t orders_unmatched = 0;  // ...and found no eligible one
  std::uint64_t orders_created = 0;
  std::uint64_t orders_completed = 0;
  std::uint64_t orders_cancelled = 0;
  std::uint64_t orders_expired = 0;
  std::uint64_t orders_appealed = 0;
  std::uint64_t appeals_resolved = 0;
  std::uint64_t appeals_misjudged = 0;            // support ruled for the side in the wrong
  std::uint64_t payer_name_refusals_genuine = 0;  // merchants refunded a third party's payment
  std::uint64_t payer_name_refusals_fraud = 0;

  // funnel
  std::uint64_t visitors = 0;
  std::uint64_t referred_visitors = 0;  // visitors who came by a user's referral
  std::uint64_t registered = 0;
  std::uint64_t kyc_verified = 0;
  std::uint64_t placed_first_order = 0;
  std::uint64_t completed_first_order = 0;
  std::uint64_t repeat_within_7d = 0;  // booked to the day of the first order (funnel cohort)
  std::uint64_t repeat_within_30d = 0;

  // users (distinct counts: for a period they are counted over the period, not summed over days)
  std::uint64_t active_users = 0;  // users with at least one order attempt
  std::uint64_t churned_users = 0;
  std::uint64_t active_merchants = 0;  // merchants with at least one completed order

  // platform rules acting on users
  std::uint64_t orders_blocked_by_rules = 0;           // attempts refused: the user was banned
  std::uint64_t cancellation_bans = 0;                 // bans imposed for cancelling too often
  std::uint64_t cancellations_after_marking_paid = 0;  // each opened a dispute

  // the platform's risk policy (docs/strategies.md), by the order's true intent; all zero when
  // the market has no policy
  std::uint64_t risk_screened_genuine = 0;  // orders a policy screened at creation
  std::uint64_t risk_screened_fraud = 0;
  std::uint64_t risk_blocked_genuine = 0;  // ...and blocked: never created
  std::uint64_t risk_blocked_fraud = 0;
  std::uint64_t orders_held = 0;                 // releases a policy delayed at mark-paid
  std::uint64_t withdrawals_locked_genuine = 0;  // completed purchases whose USDT was locked in
  std::uint64_t withdrawals_locked_fraud = 0;
  std::uint64_t orders_limited = 0;             // amounts a policy capped at creation
  std::uint64_t orders_stepped_up = 0;          // step-up verifications asked at creation
  std::uint64_t step_up_abandoned_genuine = 0;  // ...that the genuine user gave up
  std::uint64_t step_up_failed_fraud = 0;       // ...that the fraudster failed
  std::uint64_t orders_sent_to_review = 0;      // all below booked to the screening day
  std::uint64_t orders_reviewed = 0;            // reviews a reviewer finished
  std::uint64_t review_started = 0;             // reviews a reviewer took up
  std::uint64_t review_abandoned = 0;           // genuine users who left the queue
  // A reviewer's stops are also counted in risk_blocked_genuine / risk_blocked_fraud.
  std::uint64_t signups_screened = 0;  // new accounts the policy screened at sign-up
  std::uint64_t signups_blocked_genuine = 0;
  std::uint64_t signups_blocked_fraud = 0;
  std::uint64_t accounts_banned_genuine = 0;  // by the policy after a completed order
  std::uint64_t accounts_banned_fraud = 0;
  // Orders screened, blocked and caught at creation by segment (metrics/order_segment.hpp):
  // kSegmentCounts slots per value, at segment_slot(value, count). Typologies count fraud only.
  std::array<std::uint64_t, kKycTierCount * kSegmentCounts> risk_by_kyc_tier{};
  std::array<std::uint64_t, kAccountAgeBandCount * kSegmentCounts> risk_by_account_age{};
  std::array<std::uint64_t, kFraudTypologyCount * kSegmentCounts> risk_by_typology{};

  // risk, from the simulator's ground truth
  std::array<std::uint64_t, kFraudTypologyCount> fraud_arrivals{};  // booked to the arrival day
  std::array<std::uint64_t, kFraudTypologyCount> fraud_attempts{};
  std::array<std::uint64_t, kFraudTypologyCount> fraud_successes{};

  // liquidity: the quoted spread between the best sell and best buy ad, sampled hourly
  std::uint64_t spread_samples = 0;

  // merchants, booked to the day they happen
  std::uint64_t merchants_entered = 0;
  std::uint64_t merchants_exited = 0;
  std::uint64_t merchants_suspended = 0;
  std::uint64_t payment_methods_dropped = 0;  // by merchants, after losses on them
  // merchants' completion rates (completed / completed + own failures) at the end of the run,
  // over merchants with at least one counted order: a period-only tally, 0 for days
  std::uint64_t merchants_rated = 0;
  std::uint64_t merchants_rated_at_least_95 = 0;  // ...with a completion rate of 95% or more
  // merchant tiers (rules.merchant_tiers), judged at each day's close over listed merchants;
  // merchant_tier_days is 0 where no tiers are configured (the tier KPIs are then absent)
  std::uint64_t merchant_tier_days = 0;  // listed merchants x day closes
  std::uint64_t merchant_tier_sum = 0;   // their tier indices, summed
  std::uint64_t merchant_tier_promotions = 0;
  std::uint64_t merchant_tier_demotions = 0;

  std::uint64_t incentive_campaign_days = 0;  // campaigns running in the market, x days
};

// The tallies that sum amounts: doubles only, so that merging sums them as an array.
struct KpiAmounts {
  double appeal_resolution_seconds = 0.0;  // summed over resolved appeals
  double misjudged_appeal_loss_usd = 0.0;  // fiat paying buyers lost to wrong verdicts
  double gmv_usd = 0.0;
  double first_trade_gmv_usd = 0.0;  // of which users' first completed orders

  double hold_minutes = 0.0;           // summed over held orders
  double withdrawal_wait_hours = 0.0;  // genuine buyers' waits beyond their own withdrawal
  double fraud_loss_clawed_back_usd = 0.0;
  double fraud_claims_uncovered_usd = 0.0;  // recalls the receiving balance could not cover
  double review_wait_seconds = 0.0;         // summed over reviews started, queueing to start

  std::array<double, kFraudTypologyCount> fraud_loss_usd{};
  std::array<double, kLossBearerCount> fraud_loss_by_bearer_usd{};
  // What the platform sees: fraud losses booked to the day it learns of them, not the cohort.
  double fraud_loss_revealed_usd = 0.0;

  double spread_bps_sum = 0.0;

  // merchants' economics, booked to the day they happen
  double merchant_pnl_usd = 0.0;      // spread earned - fraud losses borne - operating costs
  double merchant_freeze_days = 0.0;  // frozen merchant payment accounts x days frozen
  double merchant_completion_rate_sum = 0.0;  // over merchants_rated

  // the platform's money: fees and growth incentives (docs/kpis.md, Money), booked to the
  // order's cohort day
  double fee_revenue_usd = 0.0;             // fees collected on completed orders, after waivers
  double fees_waived_usd = 0.0;             // taker fees incentive campaigns waived
  double incentive_paid_usd = 0.0;          // bonuses and rebates paid out
  double incentive_cost_abusers_usd = 0.0;  // waived for or paid to fraud accounts
  // Fees collected on trades whose user or merchant had received an incentive (that trade's
  // included): the revenue an attribution ROI credits to the incentives.
  double incentive_recipient_fee_revenue_usd = 0.0;
};

struct KpiCounters : KpiCounts, KpiAmounts {
  DurationHistogram time_to_complete;
  ScoreHistogram order_scores;  // the risk score's log-odds of the orders screened, by intent
  std::vector<double> fraud_loss_by_method_usd;  // indexed by the market's payment methods
  std::vector<std::uint64_t> risk_by_method;     // as risk_by_kyc_tier, by payment method

  void merge(const KpiCounters& other);
};

// Each market's tallies, one per simulated day: the KPI consumer of the world's facts.
class KpiTallies {
 public:
  // `now` is the world's clock, read as it moves: a fact without a day is booked to today.
  explicit KpiTallies(const Seconds& now) : now_(now) {}
  KpiTallies(const KpiTallies&) = delete;
  KpiTallies& operator=(const KpiTallies&) = delete;

  // The next market's days, with a fraud loss slot per payment method.
  void add_market(std::uint32_t days, std::size_t payment_methods) {
    std::vector<KpiCounters>& market = days_.emplace_back(days);
    for (KpiCounters& counters : market) {
      counters.fraud_loss_by_method_usd.assign(payment_methods, 0.0);
      counters.risk_by_method.assign(payment_methods * kSegmentCounts, 0);
    }
  }
  const KpiCounters& day(std::uint16_t market, std::int32_t day_index) const {
    return days_[market][day_index];
  }
  const std::vector<KpiCounters>& days(std::uint16_t market) const { return days_[market]; }

  // ---- the funnel and users
  void record(const VisitorArrived& fact) {
    KpiCounters& counters = today(fact.market);
    ++counters.visitors;
    counters.referred_visitors += fact.referred;
    counters.registered += fact.registered;
    counters.kyc_verified += fact.kyc_verified;
  }
  void record(const OrderAttempted& fact) {
    KpiCounters& counters = at(fact.market, fact.day);
    ++counters.order_attempts;
    counters.active_users += fact.first_today;
  }
  void record(const AttemptRefusedByRules& fact) { ++today(fact.market).orders_blocked_by_rules; }
  void record(const AttemptUnmatched& fact) { ++today(fact.market).orders_unmatched; }
  void record(const UserChurned& fact) { ++today(fact.market).churned_users; }
  void record(const FraudsterArrived& fact) {
    ++today(fact.market).fraud_arrivals[static_cast<int>(fact.typology)];
  }
  void record(const CancellationBanImposed& fact) { ++today(fact.market).cancellation_bans; }
  void record(const PayerNameRefused& fact) {
    KpiCounters& cohort = at(fact.market, fact.cohort_day);
    ++(fact.genuine ? cohort.payer_name_refusals_genuine : cohort.payer_name_refusals_fraud);
  }
  void record(const AppealMisjudged& fact) {
    KpiCounters& cohort = at(fact.market, fact.cohort_day);
    ++cohort.appeals_misjudged;
    cohort.misjudged_appeal_loss_usd += fact.buyer_loss_usd;
  }
  void record(const CancelledAfterMarkingPaid& fact) {
    ++at(fact.market, fact.cohort_day).cancellations_after_marking_paid;
  }

  // ---- orders
  void record(const OrderCreated& fact) {
    KpiCounters& cohort = at(fact.market, fact.cohort_day);
    ++cohort.orders_created;
    if (fact.fraudulent) ++cohort.fraud_attempts[static_cast<int>(fact.typology)];
    cohort.placed_first_order += fact.first_order;
  }
  void record(const OrderAppealed& fact) { ++at(fact.market, fact.cohort_day).orders_appealed; }
  void record(const OrderCompleted& fact) {
    KpiCounters& cohort = at(fact.market, fact.cohort_day);
    ++cohort.orders_completed;
    cohort.gmv_usd += fact.usd;
    cohort.time_to_complete.add(fact.seconds_to_complete);
    if (fact.appealed) resolve_appeal(cohort, fact.appeal_seconds);
    if (fact.merchant_first_today) ++today(fact.market).active_merchants;
  }
  void record(const FirstTradeCompleted& fact) {
    at(fact.market, fact.cohort_day).first_trade_gmv_usd += fact.usd;
    ++at(fact.market, fact.funnel_day).completed_first_order;
  }
  void record(const SecondTradeCompleted& fact) {
    if (fact.funnel_day < 0) return;
    KpiCounters& funnel = at(fact.market, fact.funnel_day);
    funnel.repeat_within_7d += fact.seconds_after_first_trade <= 7 * kDay;
    funnel.repeat_within_30d += fact.seconds_after_first_trade <= 30 * kDay;
  }
  void record(const EscrowReturned& fact) {
    KpiCounters& cohort = at(fact.market, fact.cohort_day);
    cohort.orders_expired += fact.expired;
    cohort.orders_cancelled += fact.cancelled;
    if (fact.appealed) resolve_appeal(cohort, fact.appeal_seconds);
  }

  // ---- fraud
  void record(const FraudSucceeded& fact) {
    ++at(fact.market, fact.cohort_day).fraud_successes[static_cast<int>(fact.typology)];
  }
  void record(const FraudLossBooked& fact) {
    KpiCounters& cohort = at(fact.market, fact.cohort_day);
    cohort.fraud_loss_usd[static_cast<int>(fact.typology)] += fact.usd;
    cohort.fraud_loss_by_bearer_usd[static_cast<int>(fact.bearer)] += fact.usd;
    cohort.fraud_loss_by_method_usd[fact.payment_method] += fact.usd;
  }
  void record(const FraudLossRevealed& fact) {
    at(fact.market, fact.day).fraud_loss_revealed_usd += fact.usd;
  }

  // ---- merchants
  void record(const MerchantPnlBooked& fact) {
    at(fact.market, fact.day).merchant_pnl_usd += fact.usd;
  }
  void record(const MerchantAccountFrozen& fact) {
    at(fact.market, fact.day).merchant_freeze_days += fact.days;
  }
  void record(const MerchantSuspended& fact) { ++at(fact.market, fact.day).merchants_suspended; }
  void record(const PaymentMethodDropped& fact) {
    ++at(fact.market, fact.day).payment_methods_dropped;
  }
  void record(const MerchantTierJudged& fact) {
    KpiCounters& counters = at(fact.market, fact.day);
    counters.merchant_tier_promotions += fact.to_tier > fact.from_tier;
    counters.merchant_tier_demotions += fact.to_tier < fact.from_tier;
    counters.merchant_tier_days += 1;
    counters.merchant_tier_sum += fact.to_tier;
  }
  void record(const MerchantEntered& fact) { ++today(fact.market).merchants_entered; }
  void record(const MerchantExited& fact) { ++today(fact.market).merchants_exited; }
  void record(const SpreadSampled& fact) {
    KpiCounters& counters = today(fact.market);
    counters.spread_bps_sum += fact.bps;
    ++counters.spread_samples;
  }

  // ---- incentives and fees
  void record(const CampaignDayScheduled& fact) {
    ++at(fact.market, fact.day).incentive_campaign_days;
  }
  void record(const IncentiveGranted& fact) {
    KpiCounters& cohort = at(fact.market, fact.cohort_day);
    // A waived fee is revenue forgone: no money moves.
    (fact.fee_waiver ? cohort.fees_waived_usd : cohort.incentive_paid_usd) += fact.usd;
    if (fact.to_fraud_account) cohort.incentive_cost_abusers_usd += fact.usd;
  }
  void record(const FeesCollected& fact) {
    KpiCounters& cohort = at(fact.market, fact.cohort_day);
    cohort.fee_revenue_usd += fact.usd;
    if (fact.incentive_recipient) cohort.incentive_recipient_fee_revenue_usd += fact.usd;
  }

  // ---- the risk policy and manual review
  void record(const SignUpScreened& fact) {
    KpiCounters& counters = today(fact.market);
    ++counters.signups_screened;
    if (fact.blocked)
      ++(fact.genuine ? counters.signups_blocked_genuine : counters.signups_blocked_fraud);
  }
  void record(const OrderScored& fact) {
    today(fact.market).order_scores.add(fact.genuine, fact.log_odds);
  }
  void record(const OrderScreened& fact) {
    KpiCounters& counters = today(fact.market);
    ++(fact.genuine ? counters.risk_screened_genuine : counters.risk_screened_fraud);
    count_segment(counters, fact.segment,
                  fact.genuine ? SegmentCount::kScreenedGenuine : SegmentCount::kScreenedFraud);
  }
  void record(const OrderBlocked& fact) {
    KpiCounters& counters = at(fact.market, fact.screened_day);
    ++(fact.genuine ? counters.risk_blocked_genuine : counters.risk_blocked_fraud);
    count_segment(counters, fact.segment,
                  fact.genuine ? SegmentCount::kBlockedGenuine : SegmentCount::kCaughtFraud);
  }
  void record(const OrderLimited& fact) { ++today(fact.market).orders_limited; }
  void record(const StepUpAsked& fact) { ++today(fact.market).orders_stepped_up; }
  void record(const StepUpStopped& fact) {
    KpiCounters& counters = today(fact.market);
    // Giving up is the user's choice, but the friction was the platform's: a failed attempt.
    ++(fact.genuine ? counters.step_up_abandoned_genuine : counters.step_up_failed_fraud);
    if (!fact.genuine) count_segment(counters, fact.segment, SegmentCount::kCaughtFraud);
  }
  void record(const WithdrawalLocked& fact) {
    KpiCounters& cohort = at(fact.market, fact.cohort_day);
    ++(fact.genuine ? cohort.withdrawals_locked_genuine : cohort.withdrawals_locked_fraud);
    cohort.withdrawal_wait_hours += fact.wait_hours;
  }
  void record(const FraudClawedBack& fact) {
    at(fact.market, fact.cohort_day).fraud_loss_clawed_back_usd += fact.usd;
  }
  void record(const FraudClaimUncovered& fact) {
    at(fact.market, fact.cohort_day).fraud_claims_uncovered_usd += fact.usd;
  }
  void record(const ReleaseHeld& fact) {
    KpiCounters& cohort = at(fact.market, fact.cohort_day);
    ++cohort.orders_held;
    cohort.hold_minutes += fact.minutes;
  }
  void record(const AccountBanned& fact) {
    KpiCounters& counters = today(fact.market);
    ++(fact.genuine ? counters.accounts_banned_genuine : counters.accounts_banned_fraud);
  }
  void record(const OrderSentToReview& fact) {
    ++at(fact.market, fact.screened_day).orders_sent_to_review;
  }
  void record(const ReviewStarted& fact) {
    KpiCounters& counters = at(fact.market, fact.screened_day);
    ++counters.review_started;
    counters.review_wait_seconds += fact.waited_seconds;
  }
  void record(const OrderReviewed& fact) { ++at(fact.market, fact.screened_day).orders_reviewed; }
  void record(const ReviewAbandoned& fact) {
    ++at(fact.market, fact.screened_day).review_abandoned;
  }

 private:
  KpiCounters& at(std::uint16_t market, std::int32_t day_index) { return days_[market][day_index]; }
  KpiCounters& today(std::uint16_t market) { return at(market, day_of(now_)); }
  static void count_segment(KpiCounters& counters, const OrderSegment& segment,
                            SegmentCount count) {
    ++counters.risk_by_kyc_tier[segment_slot(segment.kyc_tier, count)];
    ++counters.risk_by_account_age[segment_slot(static_cast<int>(segment.age_band), count)];
    ++counters.risk_by_method[segment_slot(segment.payment_method, count)];
    const bool fraud = count == SegmentCount::kScreenedFraud || count == SegmentCount::kCaughtFraud;
    if (fraud) ++counters.risk_by_typology[segment_slot(static_cast<int>(segment.typology), count)];
  }
  static void resolve_appeal(KpiCounters& cohort, double seconds) {
    ++cohort.appeals_resolved;
    cohort.appeal_resolution_seconds += seconds;
  }

  const Seconds& now_;
  std::vector<std::vector<KpiCounters>> days_;  // by market, then day
};

}  // namespace p2psim
