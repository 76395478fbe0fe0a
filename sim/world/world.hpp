#pragma once
// One simulated world: markets with their users, merchants, fraudsters, ad books, support teams
// and a shared ledger, driven by one event queue. Built from a description and an explicit
// (seed, replication); the same pair always gives the same history.
//
// The World is the composition root: it owns the clock, the event queue, the ledger and the
// records (users, profiles, account links, merchants, orders, by dense id), dispatches every
// event to the component it concerns, and wires the components, each of which owns its own
// state. Calls go one way, down this list; a component reaches only what it was handed at
// construction (references fixed for the world's life, so no lookup on the hot path):
//
//   World          -> every component; implements FraudHost; moves a closed order's user on
//   Users          -> Orders, Merchants, RiskScreening, Incentives, Fraudsters, RiskFeatures,
//                     ReviewQueue, SplitBooking, Metrics, Ledger, queue, records
//   Orders         -> Merchants, RiskScreening, Incentives, Fraudsters, SplitBooking,
//                     Metrics, Ledger, queue, records
//   RiskScreening  -> ReviewQueue, Fraudsters, RiskFeatures, SplitBooking, Metrics, records
//   Incentives     -> Fraudsters, Merchants, RiskFeatures, SplitBooking, Metrics, Ledger,
//                     records
//   Fraudsters     -> FraudScheme (one per typology), Merchants, SplitBooking, Metrics,
//                     Ledger, queue, records; FraudHost for opening accounts and the sign-up
//                     screen (implemented by the World, called only when a fraud account arrives)
//   FraudScheme    -> Fraudsters (the scheme acts through the component that calls it)
//   Merchants      -> Metrics, Ledger, queue, records
//   ReviewQueue    -> Metrics, queue (a verdict's consequences are the World's)
//   RiskFeatures   -> records (reads; writes only the velocity counts in profiles)
//   SplitBooking   -> configuration, clock, the split units' tally of Metrics
//   Metrics        -> clock (metrics/metrics.hpp: every component reports what happens as
//                     typed facts; the KPI tallies and the split units consume them)
//   AttemptLog     -> records (reads), its sink: with an export only, Users, Orders,
//                     RiskScreening, Fraudsters and the World tell it what happens to each
//                     attempt (world/attempt_log.hpp)
//
// Two calls go up, both through the World: an order that closes leaves its user to Users
// (Orders::take_closed after each order event), and fraud opens accounts through FraudHost.

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/event_queue.hpp"
#include "core/random_stream.hpp"
#include "metrics/kpi_counters.hpp"
#include "metrics/metrics.hpp"
#include "world/account_links.hpp"
#include "world/ad_book.hpp"
#include "world/agents.hpp"
#include "world/arrival_process.hpp"
#include "world/attempt_log.hpp"
#include "world/campaign_budgets.hpp"
#include "world/event_kind.hpp"
#include "world/fraudsters.hpp"
#include "world/incentives.hpp"
#include "world/ledger.hpp"
#include "world/merchants.hpp"
#include "world/orders.hpp"
#include "world/payment_method_shares.hpp"
#include "world/reference_rate.hpp"
#include "world/review_queue.hpp"
#include "world/risk_features.hpp"
#include "world/risk_screening.hpp"
#include "world/split_booking.hpp"
#include "world/support_team.hpp"
#include "world/users.hpp"
#include "world/world_config.hpp"
#include "world/world_outcome.hpp"

namespace p2psim {

// What a shock changes in its market's configuration (the World then tells the component
// concerned); the resource estimate replays a run's shocks day by day with it.
void apply_shock(const ShockConfig& shock, MarketConfig& market);

class World final : private FraudHost {
 public:
  // With an `export_sink`, every order attempt and account is written to it as the run goes
  // (world/attempt_log.hpp); run() writes the last rows when it reaches the end. Once `stop` is
  // raised, building ends early: the part-built world's run() then returns false at once.
  World(const WorldConfig& config, std::uint32_t replication, AttemptSink* export_sink = nullptr,
        const std::atomic<bool>* stop = nullptr);
  // Markets point into the world's own copy of the configuration: a copy would point into the
  // original's.
  World(const World&) = delete;
  // The bytes a world keeps for each user account and each merchant: the records every component
  // holds per account (resource estimates, experiment/resource_estimate.hpp).
  static std::size_t bytes_per_account();
  static std::size_t bytes_per_merchant(std::size_t payment_methods);
  World& operator=(const World&) = delete;

  // Runs to the end of the last day. Returns false if `stop` was raised before that.
  bool run(const std::atomic<bool>* stop = nullptr);
  // Runs the events before `end` (at most the end of the last day); run() continues from there.
  bool run_until(Seconds end, const std::atomic<bool>* stop = nullptr);

  ReplicationOutcome outcome() const;
  const Ledger& ledger() const { return ledger_; }
  std::uint64_t events_processed() const { return events_processed_; }
  std::uint64_t orders_simulated() const { return order_book_.simulated(); }
  std::size_t open_orders() const;
  std::size_t user_count() const { return users_.size(); }
  const User& user(UserId id) const { return users_[id]; }
  const UserProfile& user_profile(UserId id) const { return profiles_[id]; }
  // Devices and bank accounts shared between accounts; a user's linked account id is its
  // UserId. Part of the account features a risk engine sees (docs/model.md).
  const AccountLinks& account_links() const { return account_links_; }
  const Merchant& merchant(MerchantId id) const { return merchants_[id]; }
  std::size_t merchant_count() const { return merchants_.size(); }
  // Is the merchant's ad serving users on `side` shown to those paying with `method`?
  bool ad_offered(MerchantId merchant, TradeSide side, std::uint8_t method) const {
    return merchant_books_.ad_offered(merchant, side, method);
  }

  // Freezes the merchant's fiat account for `method` until now + `duration` (or extends a
  // freeze that ends earlier): its fiat cannot be used and its ads on that method are hidden
  // until a kFreezeEnds event restores them. Books merchant_freeze_days.
  void freeze_account(MerchantId merchant, std::uint8_t method, Seconds duration) {
    merchant_books_.freeze_account(merchant, method, duration);
  }
  // Every fraudulent order so far with its true typology and when the platform learns it.
  const std::vector<FraudLabel>& fraud_labels() const { return fraudsters_.labels(); }

  // The platform's fee account: fees in, incentive payouts out (docs/model.md, Fees and
  // incentives).
  AccountId platform_fee_account() const { return incentives_.fee_account(); }
  // What each incentive campaign has spent so far in this replication.
  const CampaignBudgets& campaign_budgets() const { return incentives_.budgets(); }

 private:
  // set-up
  void build_market(std::uint16_t index, const MarketConfig& config, const std::atomic<bool>* stop);
  UserId open_fraud_account(std::uint16_t market, UserIntent intent, std::uint32_t ring) override {
    return user_base_.create(market, intent, false, ring);
  }

  // event handlers
  static constexpr std::size_t kPrefetchDistance = 4;  // events ahead (bench: docs/performance.md)
  void prefetch_ahead() const;
  void dispatch(const Event& event);
  void on_hour(std::uint16_t market);
  void on_shock(const ShockConfig& shock);

  // After an order event: the user of an order it closed moves on.
  void move_on_after_order();

  bool admit_sign_up(UserId user) override { return risk_.admit_sign_up(user); }

  // manual review's verdicts
  void on_review_done(UserId user);
  void on_review_patience_ends(UserId user, std::uint32_t generation);

  WorldConfig config_;
  std::uint32_t replication_;
  Seconds horizon_;
  Seconds now_ = 0.0;
  EventQueue queue_;
  Metrics metrics_{now_};
  SplitBooking split_;
  ReviewQueue reviews_;
  Ledger ledger_;
  AccountId outside_usdt_;
  AccountId escrow_usdt_;
  AccountId platform_usdt_;
  UserRecords users_;
  ProfileRecords profiles_;     // by UserId, like users_
  AccountLinks account_links_;  // accounts by UserId
  MerchantRecords merchants_;
  OrderRecords orders_;
  std::unique_ptr<AttemptLog> log_;  // null without an export
  std::uint64_t events_processed_ = 0;
  bool last_day_charged_ = false;
  Merchants merchant_books_;
  RiskFeatures features_;
  Fraudsters fraudsters_;
  Incentives incentives_;
  RiskScreening risk_;
  Orders order_book_;
  Users user_base_;
};

}  // namespace p2psim
