#pragma once
// What happens in the world, as the world reports it to its metrics (metrics/metrics.hpp): one
// small plain record per kind of happening, built on the stack where it happens. The world says
// what happened and to whom; the metrics decide what it adds to which KPI tally and to which
// split unit, so a new KPI of things the world already reports is a change to metrics alone.
//
// Every fact names its market. A fact about an order carries the order's creation day (its
// cohort, where order outcomes are booked) and the split unit slot it belongs to
// (SplitAssignment: kNoUnit outside a split experiment or its measured period). A fact without
// a day happens now and is booked to today.
#include <array>
#include <cstdint>
#include <limits>

#include "metrics/fraud_typology.hpp"
#include "metrics/order_segment.hpp"

namespace p2psim {

// Who ends up paying for a fraud loss: the merchant who was cheated, the platform that
// compensates whoever was cheated, or the user whose own money was taken.
enum class LossBearer : std::uint8_t { kMerchant, kPlatform, kUser };
inline constexpr int kLossBearerCount = 3;
inline constexpr std::array<const char*, kLossBearerCount> kLossBearerNames = {"merchant",
                                                                               "platform", "user"};

// The slot of no split unit: nothing is booked per unit.
inline constexpr std::uint32_t kNoUnit = std::numeric_limits<std::uint32_t>::max();

// ---- the funnel and users ---------------------------------------------------------------------

// A visitor came (by a user's referral or not) and went as far as the funnel let them.
struct VisitorArrived {
  std::uint16_t market;
  bool referred = false;
  bool registered = false;
  bool kyc_verified = false;
};

// A user looked for an ad, on `day` (today).
struct OrderAttempted {
  std::uint16_t market;
  std::int32_t day;
  std::uint32_t unit;
  bool first_today;  // the user's first attempt of the day: an active user
};

// The platform's rules refused the attempt: the user is banned.
struct AttemptRefusedByRules {
  std::uint16_t market;
};

// The user found no eligible ad.
struct AttemptUnmatched {
  std::uint16_t market;
};

struct UserChurned {
  std::uint16_t market;
};

// Cancelling too often earned the user a ban.
struct CancellationBanImposed {
  std::uint16_t market;
};

// ---- orders -----------------------------------------------------------------------------------

// A risk policy locked the withdrawal of a buyer's USDT. A genuine buyer waited `wait_hours`
// beyond when they would have withdrawn.
struct WithdrawalLocked {
  std::uint16_t market;
  std::int32_t cohort_day;
  bool genuine;
  double wait_hours;
};

// Fraud surfaced while the fraudster's USDT was locked in: the platform took it back.
struct FraudClawedBack {
  std::uint16_t market;
  std::int32_t cohort_day;
  double usd;
};

// A recall on a method whose recovery is limited to the receiving balance (Pix MED) found less
// there than it claimed: this much of the fraud's loss stays with the merchant.
struct FraudClaimUncovered {
  std::uint16_t market;
  std::int32_t cohort_day;
  double usd;
};

// A merchant found the payer's name was not the buyer's and refunded the payment.
struct PayerNameRefused {
  std::uint16_t market;
  std::int32_t cohort_day;
  bool genuine;
};

// Support ruled for the side in the wrong. `buyer_loss_usd`: the fiat a paying buyer lost.
struct AppealMisjudged {
  std::uint16_t market;
  std::int32_t cohort_day;
  double buyer_loss_usd;
};

// A buyer who had marked the order paid pressed cancel: a dispute, since the fiat has left them.
struct CancelledAfterMarkingPaid {
  std::uint16_t market;
  std::int32_t cohort_day;
};

struct OrderCreated {
  std::uint16_t market;
  std::int32_t cohort_day;
  std::uint32_t unit;
  bool fraudulent;
  FraudTypology typology;  // read only when fraudulent
  bool first_order;        // the user's first order: its day is the user's funnel cohort
};

struct OrderAppealed {
  std::uint16_t market;
  std::int32_t cohort_day;
};

// The USDT left escrow for the buyer.
struct OrderCompleted {
  std::uint16_t market;
  std::int32_t cohort_day;
  std::uint32_t unit;
  double usd;
  double seconds_to_complete;
  bool appealed;
  double appeal_seconds;      // from the appeal to now, when appealed
  bool merchant_first_today;  // the merchant's first completed order of the day
};

// The completed order was its user's first trade, or their second. These are booked to the user's
// funnel cohort, the day of their first order, so that each funnel stage is a subset of the one
// before it; they are facts of their own because most completions are neither.
struct FirstTradeCompleted {
  std::uint16_t market;
  std::int32_t cohort_day;  // the order's
  std::int32_t funnel_day;
  double usd;
};

struct SecondTradeCompleted {
  std::uint16_t market;
  std::int32_t funnel_day;
  double seconds_after_first_trade;
};

// The USDT went back to the seller: no trade.
struct EscrowReturned {
  std::uint16_t market;
  std::int32_t cohort_day;
  bool expired;
  bool cancelled;  // by the buyer, or support resolved the appeal for the seller
  bool appealed;
  double appeal_seconds;  // from the appeal to now, when appealed
};

// ---- fraud ------------------------------------------------------------------------------------

// A new fraudster of `typology` arrived in the market's Poisson stream at accounts_per_day: an
// account, a sybil ring or a merchant about to exit-scam, counted whether or not it then gets
// past the sign-up screen or finds a merchant to turn.
struct FraudsterArrived {
  std::uint16_t market;
  FraudTypology typology;
};

struct FraudSucceeded {
  std::uint16_t market;
  std::int32_t cohort_day;
  FraudTypology typology;
};

// A fraud loss became certain and was booked to its bearer.
struct FraudLossBooked {
  std::uint16_t market;
  std::int32_t cohort_day;
  std::uint32_t unit;
  FraudTypology typology;
  LossBearer bearer;
  std::uint8_t payment_method;
  double usd;
  bool farmed_bonus;  // the loss is a bonus paid out: already an incentive cost in net revenue
};

// The platform learnt of a fraud loss on `day`.
struct FraudLossRevealed {
  std::uint16_t market;
  std::int32_t day;
  double usd;
};

// ---- merchants --------------------------------------------------------------------------------

// A merchant's profit (or, negative, loss) on `day`.
struct MerchantPnlBooked {
  std::uint16_t market;
  std::int32_t day;
  double usd;
};

// A merchant payment account is newly frozen for `days` of day `day`.
struct MerchantAccountFrozen {
  std::uint16_t market;
  std::int32_t day;
  double days;
};

struct MerchantSuspended {
  std::uint16_t market;
  std::int32_t day;
};

// A merchant stopped taking a payment method after the losses it bore on it.
struct PaymentMethodDropped {
  std::uint16_t market;
  std::int32_t day;
};

// A listed merchant's tier, judged at the close of `day`.
struct MerchantTierJudged {
  std::uint16_t market;
  std::int32_t day;
  std::uint8_t from_tier;
  std::uint8_t to_tier;
};

struct MerchantEntered {
  std::uint16_t market;
};

struct MerchantExited {
  std::uint16_t market;
};

// The hourly quote: the spread between the best sell and best buy ad.
struct SpreadSampled {
  std::uint16_t market;
  double bps;
};

// ---- incentives and fees ----------------------------------------------------------------------

// An incentive campaign runs in the market on `day`.
struct CampaignDayScheduled {
  std::uint16_t market;
  std::int32_t day;
};

// A campaign granted `usd` for the order: a taker fee waived, or a bonus or rebate paid.
struct IncentiveGranted {
  std::uint16_t market;
  std::int32_t cohort_day;
  std::uint32_t unit;
  double usd;
  bool fee_waiver;
  bool to_fraud_account;
};

// The completed order's fees were collected.
struct FeesCollected {
  std::uint16_t market;
  std::int32_t cohort_day;
  std::uint32_t unit;
  double usd;
  bool incentive_recipient;  // either side had received an incentive
};

// ---- the risk policy and manual review --------------------------------------------------------

struct SignUpScreened {
  std::uint16_t market;
  bool genuine;
  bool blocked;
};

// The policy screened an order at creation.
struct OrderScreened {
  std::uint16_t market;
  std::uint32_t unit;
  bool genuine;  // the order's true intent
  OrderSegment segment;
};

// A risk score ranked an order screened at creation: its log-odds (report.html's score curves).
struct OrderScored {
  std::uint16_t market;
  bool genuine;  // the order's true intent
  double log_odds;
};

// The policy or a reviewer stopped an order.
struct OrderBlocked {
  std::uint16_t market;
  std::int32_t screened_day;  // booked there: a reviewer may stop it on a later day
  std::uint32_t unit;
  bool genuine;
  OrderSegment segment;
};

// The policy capped an order's amount.
struct OrderLimited {
  std::uint16_t market;
};

struct StepUpAsked {
  std::uint16_t market;
};

// A step-up stopped the order: the fraudster failed it or the genuine user gave up.
struct StepUpStopped {
  std::uint16_t market;
  std::uint32_t unit;
  bool genuine;
  OrderSegment segment;
};

// The policy delayed a release at mark-paid.
struct ReleaseHeld {
  std::uint16_t market;
  std::int32_t cohort_day;
  double minutes;
};

// The policy banned an account after a completed order.
struct AccountBanned {
  std::uint16_t market;
  bool genuine;  // the account's own intent
};

// Review facts are booked to the day the order was screened.
struct OrderSentToReview {
  std::uint16_t market;
  std::int32_t screened_day;
};

struct ReviewStarted {
  std::uint16_t market;
  std::int32_t screened_day;
  double waited_seconds;
};

struct OrderReviewed {
  std::uint16_t market;
  std::int32_t screened_day;
};

// A genuine user left the review queue before a reviewer took the order up.
struct ReviewAbandoned {
  std::uint16_t market;
  std::int32_t screened_day;
};

}  // namespace p2psim
