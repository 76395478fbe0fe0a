#pragma once
// The platform's risk policy acting on accounts and orders (docs/strategies.md): the sign-up
// screen; blocks, limits, step-up verification and sending to manual review at creation;
// release holds at mark-paid; post-trade bans. Nothing here runs in a market without a policy.
// What a stopped attempt means for the user (moving on) is the World's.
#include <array>
#include <cstdint>
#include <vector>

#include "core/random_stream.hpp"
#include "metrics/metrics.hpp"
#include "world/ad_book.hpp"
#include "world/agents.hpp"
#include "world/attempt_log.hpp"
#include "world/fraudsters.hpp"
#include "world/review_queue.hpp"
#include "world/risk_features.hpp"
#include "world/split_booking.hpp"

namespace p2psim {

class RiskScreening {
 public:
  // What screening reads and writes below it, all owned by the World.
  struct Wiring {
    const WorldConfig& config;
    std::uint32_t replication;
    const Seconds& now;
    Metrics& metrics;
    SplitBooking& split;
    RiskFeatures& features;
    Fraudsters& fraudsters;
    ReviewQueue& reviews;
    UserRecords& users;
    const MerchantRecords& merchants;
    OrderRecords& orders;
    AttemptLog* log;  // null without an export
  };
  // How an order attempt leaves screening.
  enum class Screening : std::uint8_t {
    kPass,      // the order is created (perhaps for less)
    kBlocked,   // stopped by the platform: the user moves on, blocked
    kFailed,    // the user gave up a step-up verification: moves on, failed
    kInReview,  // waits for a reviewer
  };

  explicit RiskScreening(const Wiring& wiring);
  RiskScreening(const RiskScreening&) = delete;
  RiskScreening& operator=(const RiskScreening&) = delete;

  void add_market(std::uint16_t index);
  // Some arm has a policy in the market.
  bool screened(std::uint16_t market) const { return markets_[market].screened; }
  // The intent an order of `user` with `merchant` really has: a scamming merchant's orders with
  // genuine users are its fraud attempts.
  static UserIntent intent_of_order(const User& user, const Merchant& merchant);

  // Asks the policy when a new account signs up; false when it blocks (the account never
  // trades). True when the market has no policy.
  bool admit_sign_up(UserId user);
  // Asks the policy at order creation. May lower `usd` (a limit). `features` receives what the
  // order's mark-paid decision starts from (keep_context).
  Screening screen(UserId user, const AdMatch& match, double& usd, OrderFeatures& features);
  // An attempt no policy screens, where someone still reads the account's velocity (the other
  // arm's policy, an incentive campaign's eligibility, the export): counts it, and gives the
  // export what a policy would have seen.
  void pass_unscreened(UserId user, const AdMatch& match, double usd);
  // Whether the export wants every feature of each attempt.
  bool exports_features() const { return log_ != nullptr && log_->wants_features(); }
  // Whether some order attempt reads its account's records: a market has a policy, or the export
  // wants every feature.
  bool reads_accounts() const { return any_screened_ || exports_features(); }
  // The attempt ends stopped by the platform (a block or a reviewer's stop): Screening::kBlocked.
  Screening stop(UserId user, bool genuine, std::int32_t screened_day, std::uint32_t unit_slot,
                 const OrderSegment& segment);
  OrderFeatures creation_features(UserId user, const AdMatch& match, double usd) const;
  void keep_context(OrderId order, OrderFeatures features);
  // The policy's decision when the order is marked paid: the delay it puts on the release
  // (returned), and a lock on the withdrawal of a buying user's USDT (locked_until).
  Seconds decide_at_mark_paid(OrderId order);
  // Until when the USDT an order bought may not leave the buyer's balance (0: no lock), as
  // decided at its creation, mark-paid or completion (the latest end of those locks). Kept
  // beside the orders, not in them: only policies lock.
  void forget_withdrawal_lock(OrderId order) {
    if (order.index() < locked_until_.size()) locked_until_[order.index()] = 0.0f;
  }
  Seconds locked_until(OrderId order) const {
    return order.index() < locked_until_.size() ? locked_until_[order.index()] : 0.0;
  }
  // After the release, before the bought USDT may be withdrawn: a post-trade decision may ban
  // the account or lock the withdrawal.
  void notify_completion(OrderId order);

 private:
  struct MarketScreening {
    // What the risk policy reads at each RiskStage, asked once: the features worth computing
    // (in a split world, what either arm's policy reads).
    std::array<FeatureSet, kRiskStageCount> features{};
    bool screened = false;  // some arm has a risk policy here
    RandomStream step_up;   // who gives up or fails a step-up verification
  };

  FeatureSet wanted(std::uint16_t market, RiskStage stage) const {
    return markets_[market].features[static_cast<int>(stage)];
  }
  Screening step_up(UserId user, bool genuine, const StepUpConfig& step_up, std::uint32_t unit_slot,
                    const OrderSegment& segment);
  // The limit action: caps `usd`; false when the capped amount is below the ad's minimum.
  bool apply_limit(const AdMatch& match, double limit_usd, double& usd);
  void lock_withdrawal(OrderId order, double hours);

  const WorldConfig& config_;
  std::uint32_t replication_;
  const Seconds& now_;
  Metrics& metrics_;
  SplitBooking& split_;
  RiskFeatures& features_;
  Fraudsters& fraudsters_;
  ReviewQueue& reviews_;
  UserRecords& users_;
  const MerchantRecords& merchants_;
  OrderRecords& orders_;
  AttemptLog* log_;  // null without an export
  std::vector<MarketScreening> markets_;
  bool any_screened_ = false;
  // By OrderId, in markets with a risk policy: the features the order was created with, which
  // its mark-paid decision starts from (docs/strategies.md, Order features).
  RecordArray<OrderId, OrderFeatures> context_;
  std::vector<float> locked_until_;   // by order; see locked_until()
  double creation_lock_hours_ = 0.0;  // decided by screen(), for the order keep_context() gets
};

}  // namespace p2psim
