#pragma once
// The labelled data a risk team trains its models on (docs/risk-models.md): one row per order
// attempt, genuine or fraudulent, blocked or completed, written as soon as nothing more can
// happen to it; and one row per account when the run ends. Each row holds the features exactly as
// a policy saw them when it was asked, what it decided and why, how the attempt ended, the loss
// and who bore it, the ground truth, and apart from it what the platform could know: when and how
// the fraud came to light.
//
// The log is optional: a world without an export has none, and its components skip every call
// with one pointer test. It never draws a random number and never changes the world, so a run
// with an export gives the same results as one without. Rows go to an AttemptSink, which the
// report layer implements (compressed CSV): the world does no file I/O.
#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "metrics/facts.hpp"
#include "world/account_links.hpp"
#include "world/ad_book.hpp"
#include "world/agents.hpp"
#include "world/risk_policy.hpp"
#include "world/world_outcome.hpp"

namespace p2psim {

// How an attempt ended.
enum class AttemptOutcome : std::uint8_t {
  kOpen,            // its order was still open when the run ended
  kRefusedByRules,  // the user was banned: the cancellation ladder or a post-trade ban
  kUnmatched,       // no eligible ad
  kBlocked,  // the policy or a reviewer stopped it, or a limit left it below the ad's minimum
  kStepUpAbandoned,  // the genuine user gave up a step-up verification
  kStepUpFailed,     // the fraudster failed it
  kReviewAbandoned,  // the genuine user left the review queue
  kCompleted,
  kCancelled,  // by the buyer, or support resolved the appeal for the seller
  kExpired,
  kReversed,  // completed, then the fiat was clawed back
};
inline constexpr int kAttemptOutcomeCount = 11;
inline constexpr std::array<const char*, kAttemptOutcomeCount> kAttemptOutcomeNames = {
    "open",           "refused_by_rules", "unmatched", "blocked",   "step_up_abandoned",
    "step_up_failed", "review_abandoned", "completed", "cancelled", "expired",
    "reversed"};

inline constexpr std::uint8_t kNoPaymentMethod = 255;

struct AttemptRow {
  std::uint64_t attempt = 0;  // serial in the replication, from 1
  std::uint64_t order = 0;    // the order's serial, as in fraud_labels.csv; 0: none created
  UserId user = kNobody;
  MerchantId merchant = kNobody;  // the ad picked; kNobody when none matched
  std::uint16_t market = 0;
  TradeSide side = TradeSide::kUserBuys;
  std::uint8_t payment_method = kNoPaymentMethod;
  UserIntent intent;  // the truth: a scamming merchant's orders with genuine users are fraud
  std::uint32_t ring = kNoRing;
  Seconds attempted_at = 0.0;
  Seconds ended_at = -1.0;  // negative: still open when the run ended
  double usd = 0.0;         // the amount asked
  double order_usd = 0.0;   // the order's amount, after a limit; 0 when none was created
  // At creation: every feature as it was then (a policy reads some of them); and, when a policy
  // was asked, its decision and what made it.
  bool has_features = false;
  OrderFeatures features;
  bool screened = false;
  RiskAction creation_action = RiskAction::kAllow;
  std::uint16_t creation_reason = 0;
  // At mark-paid, when a policy was asked: the features it saw (those of creation, or of the
  // order placed after a review, with the account's age and the hour brought up to the time),
  // and the hold it put on the release (0: none).
  bool asked_at_mark_paid = false;
  OrderFeatures paid_features;
  double hold_minutes = 0.0;
  std::uint16_t hold_reason = 0;
  AttemptOutcome outcome = AttemptOutcome::kOpen;
  bool appealed = false;
  std::array<double, kLossBearerCount> loss_usd{};  // by who bore it
  // What the platform learns, and when: negative and kNever when not within the run.
  Seconds revealed_at = -1.0;
  RevealedBy revealed_by = RevealedBy::kNever;
};

struct AccountRow {
  UserId user = kNobody;
  std::uint16_t market = 0;
  // Days as the world keeps them (single precision), so that they print short and exact.
  float created_day = 0.0f;  // negative: before the run
  std::uint8_t kyc_tier = 0;
  DeviceId device = 0;
  BankAccountId bank_account = 0;
  LinkedAccountId cluster = 0;  // accounts linked through devices or bank accounts share it
  std::uint32_t cluster_size = 1;
  UserIntent intent;
  std::uint32_t ring = kNoRing;
  UserId referred_by = kNobody;
  bool sign_up_blocked = false;
  std::int32_t banned_day = -1;  // by a post-trade decision; -1: never
  std::uint32_t orders = 0;      // created within the run
  std::uint32_t completed_orders = 0;
  float first_order_day = -1.0f;  // within the run; -1: none
  float last_order_day = -1.0f;
  double first_revealed_day = -1.0;  // the first of its fraud orders the platform learnt of
};

// Where rows go. The report layer writes them as compressed CSV (report/export_files.hpp).
class AttemptSink {
 public:
  virtual ~AttemptSink() = default;
  virtual void write(const AttemptRow& row) = 0;
  virtual void write(const AccountRow& row) = 0;
  // The world has finished: write out what is buffered (throws when that fails).
  virtual void close() = 0;
  // Whether it writes the attempts' rows; without them the world computes no features for it.
  virtual bool wants_attempts() const { return true; }
};

class AttemptLog {
 public:
  struct Wiring {
    AttemptSink& sink;
    const Seconds& now;
    const UserRecords& users;
    const ProfileRecords& profiles;
    const AccountLinks& links;
    const OrderRecords& orders;
  };
  explicit AttemptLog(const Wiring& wiring);
  // Whether the world computes every feature of each attempt for the log (it reads the account's
  // records, and counts velocity in markets without a policy): only when attempts are written.
  bool wants_features() const { return wants_features_; }
  AttemptLog(const AttemptLog&) = delete;
  AttemptLog& operator=(const AttemptLog&) = delete;

  // ---- an attempt before its order: one at a time, the current one
  // Starts loading the account's activity, which an order updates (a million accounts do not
  // stay in cache): the world calls it a few events before the attempt.
  void prefetch_activity(UserId user) const;
  void begin(UserId user);
  void matched(const AdMatch& match, double usd);
  void saw(const OrderFeatures& features);
  // A policy was asked at creation; `intent` is the order's (a scamming merchant's victim's
  // orders are fraud).
  void screened(const OrderFeatures& features, const RiskDecision& decision, UserIntent intent);
  void end(AttemptOutcome outcome);
  // The current attempt waits for a reviewer, and comes back with the verdict.
  void wait_for_review(UserId user);
  void resume_after_review(UserId user);
  void created(OrderId order, std::uint64_t serial);

  // ---- the order's life
  void asked_at_mark_paid(OrderId order, const OrderFeatures& features,
                          const RiskDecision& decision);
  void lost(const Order& order, double usd, LossBearer bearer);
  // The order slot is free again: nothing more can happen to the order. Writes its row, with
  // what the platform learns of it when it is fraud (`label`, else null).
  void order_done(OrderId order, const FraudLabel* label);

  // ---- accounts
  void sign_up_blocked(UserId user);
  void banned(UserId user, std::int32_t day);

  // The run ended: writes the rows of orders still open, then every account. `labels`: every
  // fraud order's, by Order::label.
  void finish(const std::vector<FraudLabel>& labels);

 private:
  struct AccountActivity {
    std::uint32_t orders = 0;
    float first_order_day = -1.0f;
    float last_order_day = -1.0f;
    std::int32_t banned_day = -1;
    bool sign_up_blocked = false;
  };

  AccountActivity& activity(UserId user);
  void write_order_row(AttemptRow& row, const Order& order, const FraudLabel* label);
  void write_accounts(const std::vector<FraudLabel>& labels);

  AttemptSink& sink_;
  bool wants_features_;
  const Seconds& now_;
  const UserRecords& users_;
  const ProfileRecords& profiles_;
  const AccountLinks& links_;
  const OrderRecords& orders_;
  std::uint64_t attempts_ = 0;
  AttemptRow current_;
  std::unordered_map<std::uint32_t, AttemptRow> in_review_;  // by user; reviews are few
  RecordArray<OrderId, AttemptRow> by_order_;                // rows of orders not yet done
  std::vector<AccountActivity> accounts_;                    // by user
};

}  // namespace p2psim
