#pragma once
// The raw tallies behind every KPI, for one market over one span of time (a day or the measured
// period). Tallies only add up, so days sum to a period and markets sum to a total; KPIs (ratios,
// percentiles) are derived from them afterwards, never averaged.
//
// Order outcomes are booked to the day the order was created (a cohort): an order created on
// day 5 and completed on day 6 counts on day 5. Funnel stages are booked to the day they happen.
#include <array>
#include <cstdint>
#include <vector>

#include "metrics/duration_histogram.hpp"

namespace p2psim {

// The one list of fraud typologies: the world's fraudulent intents (UserIntent) and every
// per-typology tally follow it.
enum class FraudTypology : std::uint8_t {
  kNonPayment,
  kPaymentReversal,
  kTriangulation,
  kPromotionAbuse,
  kAccountTakeover,
  kMuleStructuring,
  kMerchantExitScam,
};
inline constexpr int kFraudTypologyCount = static_cast<int>(FraudTypology::kMerchantExitScam) + 1;
inline constexpr std::array<const char*, kFraudTypologyCount> kFraudTypologyNames = {
    "non_payment",      "payment_reversal", "triangulation",     "promotion_abuse",
    "account_takeover", "mule_structuring", "merchant_exit_scam"};

inline constexpr int kLossBearerCount = 3;  // indexed by LossBearer
inline constexpr std::array<const char*, kLossBearerCount> kLossBearerNames = {"merchant",
                                                                               "platform", "user"};

struct KpiCounters {
  // volume and experience
  std::uint64_t order_attempts = 0;    // a user looked for an ad
  std::uint64_t orders_unmatched = 0;  // ...and found no eligible one
  std::uint64_t orders_created = 0;
  std::uint64_t orders_completed = 0;
  std::uint64_t orders_cancelled = 0;
  std::uint64_t orders_expired = 0;
  std::uint64_t orders_appealed = 0;
  std::uint64_t appeals_resolved = 0;
  double appeal_resolution_seconds = 0.0;  // summed over resolved appeals
  double gmv_usd = 0.0;
  DurationHistogram time_to_complete;

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
  std::uint64_t orders_blocked_by_rules = 0;  // attempts refused: the user was banned
  std::uint64_t cancellation_bans = 0;        // bans imposed for cancelling too often

  // the platform's risk policy (docs/strategies.md), by the order's true intent; all zero when
  // the market has no policy
  std::uint64_t risk_screened_genuine = 0;  // orders a policy screened at creation
  std::uint64_t risk_screened_fraud = 0;
  std::uint64_t risk_blocked_genuine = 0;  // ...and blocked: never created
  std::uint64_t risk_blocked_fraud = 0;
  std::uint64_t orders_held = 0;                // releases a policy delayed at mark-paid
  double hold_minutes = 0.0;                    // summed over held orders
  std::uint64_t orders_limited = 0;             // amounts a policy capped at creation
  std::uint64_t orders_stepped_up = 0;          // step-up verifications asked at creation
  std::uint64_t step_up_abandoned_genuine = 0;  // ...that the genuine user gave up
  std::uint64_t step_up_failed_fraud = 0;       // ...that the fraudster failed
  std::uint64_t orders_sent_to_review = 0;      // all below booked to the screening day
  std::uint64_t orders_reviewed = 0;            // reviews a reviewer finished
  std::uint64_t review_started = 0;             // reviews a reviewer took up
  double review_wait_seconds = 0.0;             // summed over those, queueing to start
  std::uint64_t review_abandoned = 0;           // genuine users who left the queue
  // A reviewer's stops are also counted in risk_blocked_genuine / risk_blocked_fraud.
  std::uint64_t signups_screened = 0;  // new accounts the policy screened at sign-up
  std::uint64_t signups_blocked_genuine = 0;
  std::uint64_t signups_blocked_fraud = 0;
  std::uint64_t accounts_banned_genuine = 0;  // by the policy after a completed order
  std::uint64_t accounts_banned_fraud = 0;

  // risk, from the simulator's ground truth
  std::array<std::uint64_t, kFraudTypologyCount> fraud_attempts{};
  std::array<std::uint64_t, kFraudTypologyCount> fraud_successes{};
  std::array<double, kFraudTypologyCount> fraud_loss_usd{};
  std::array<double, kLossBearerCount> fraud_loss_by_bearer_usd{};
  std::vector<double> fraud_loss_by_method_usd;  // indexed by the market's payment methods
  // What the platform sees: fraud losses booked to the day it learns of them, not the cohort.
  double fraud_loss_revealed_usd = 0.0;

  // liquidity: the quoted spread between the best sell and best buy ad, sampled hourly
  double spread_bps_sum = 0.0;
  std::uint64_t spread_samples = 0;

  // merchants' economics, booked to the day they happen
  double merchant_pnl_usd = 0.0;      // spread earned - fraud losses borne - operating costs
  double merchant_freeze_days = 0.0;  // frozen merchant payment accounts x days frozen
  std::uint64_t merchants_entered = 0;
  std::uint64_t merchants_exited = 0;
  std::uint64_t merchants_suspended = 0;
  // merchant tiers (rules.merchant_tiers), judged at each day's close over listed merchants;
  // merchant_tier_days is 0 where no tiers are configured (the tier KPIs are then absent)
  std::uint64_t merchant_tier_days = 0;  // listed merchants x day closes
  std::uint64_t merchant_tier_sum = 0;   // their tier indices, summed
  std::uint64_t merchant_tier_promotions = 0;
  std::uint64_t merchant_tier_demotions = 0;

  // the platform's money: fees and growth incentives (docs/kpis.md, Money), booked to the
  // order's cohort day
  double fee_revenue_usd = 0.0;             // fees collected on completed orders, after waivers
  double fees_waived_usd = 0.0;             // taker fees incentive campaigns waived
  double incentive_paid_usd = 0.0;          // bonuses and rebates paid out
  double incentive_cost_abusers_usd = 0.0;  // waived for or paid to fraud accounts
  // Fees collected on trades whose user or merchant had received an incentive (that trade's
  // included): the revenue an attribution ROI credits to the incentives.
  double incentive_recipient_fee_revenue_usd = 0.0;
  std::uint64_t incentive_campaign_days = 0;  // campaigns running in the market, x days

  void merge(const KpiCounters& other);
};

}  // namespace p2psim
