#pragma once
// The order lifecycle: the pool of order slots, escrow, payment, release, appeals and the support
// team that settles them, cancellation and expiry, and what a completed order books. A user
// whose order closed moves on: that is the users' business, so the World takes it from here
// (take_closed) once the event is handled.
#include <cstdint>
#include <vector>

#include "core/event_queue.hpp"
#include "metrics/metrics.hpp"
#include "world/ad_book.hpp"
#include "world/agents.hpp"
#include "world/attempt_log.hpp"
#include "world/cancellation_rules.hpp"
#include "world/churn_hazard.hpp"
#include "world/event_kind.hpp"
#include "world/fraudsters.hpp"
#include "world/incentives.hpp"
#include "world/ledger.hpp"
#include "world/merchants.hpp"
#include "world/risk_screening.hpp"
#include "world/split_booking.hpp"
#include "world/support_team.hpp"

namespace p2psim {

class Orders {
 public:
  // What orders read and write below them, all owned by the World.
  struct Wiring {
    const WorldConfig& config;
    std::uint32_t replication;
    const Seconds& now;
    EventQueue& queue;
    Ledger& ledger;
    Metrics& metrics;
    SplitBooking& split;
    Merchants& merchants;
    RiskScreening& risk;
    Incentives& incentives;
    Fraudsters& fraudsters;
    UserRecords& users;
    ProfileRecords& profiles;
    MerchantRecords& merchant_records;
    OrderRecords& orders;
    AccountId outside_usdt;
    AccountId escrow_usdt;
    AttemptLog* log;  // null without an export
  };
  // The user of an order that just closed, and how it went for them.
  struct Closed {
    UserId user = kNobody;
    Experience experience = 0;
    bool retry_in_visit = false;  // the buyer cancelled and tries another ad at once
  };

  explicit Orders(const Wiring& wiring);
  Orders(const Orders&) = delete;
  Orders& operator=(const Orders&) = delete;

  void add_market(std::uint16_t index);
  const CancellationRules& cancellation_rules(std::uint16_t market) const {
    return markets_[market].cancellation_rules;
  }
  std::uint64_t simulated() const { return simulated_; }

  // A matched attempt becomes an order, escrowed; plan_buyer then schedules the buyer's moves.
  OrderId create(UserId user, const AdMatch& match, double usd);
  void plan_buyer(OrderId order);

  // Order events
  void on_buyer_pays(OrderId order);
  void on_user_cancels(OrderId order);
  void on_payment_deadline(OrderId order);
  void on_seller_checks(OrderId order);
  void on_appeal(OrderId order);
  void on_buyer_out_of_patience(OrderId order);
  void on_evidence_in(OrderId order);
  void on_withdrawal_unlocks(OrderId order);
  void on_support_resolves(OrderId order);
  void on_fraud_surfaces(OrderId order);
  // The user whose order the last event closed, if any (kNobody otherwise); forgets it.
  Closed take_closed() {
    const Closed closed = closed_;
    closed_.user = kNobody;
    return closed;
  }

 private:
  struct MarketOrders {
    SupportTeam support;  // settles appeals
    CancellationRules cancellation_rules;
    RandomStream appeal_tracks;  // each appeal's track, evidence time and verdict error
    RandomStream withdrawals;    // locked-in genuine buyers' own withdrawal times
  };

  void schedule(Seconds time, EventKind kind, OrderId order);
  // A buyer's move at `time`, and the payment deadline only when that move could come too late.
  void schedule_before_deadline(Seconds time, EventKind kind, Seconds deadline, OrderId order);
  void transition(Order& order, OrderEvent event);
  AccountId seller_account(const Order& order) const;
  AccountId buyer_account(const Order& order) const;
  void complete(OrderId order, OrderEvent how);
  // The fiat a recall of the order takes from the merchant's receiving account: all of it, or
  // what the account holds on a method whose recovery is limited to the balance.
  MinorUnits recallable_fiat(const Order& order, AccountId receiving) const;
  void return_escrow(OrderId order, OrderEvent event);
  void queue_for_agent(OrderId order);
  void withdraw(OrderId order);
  bool payer_name_fails(const Order& order);
  void refund_third_party(OrderId order);
  void settle_appeal(OrderId order);
  void close(OrderId order, bool merchant_failed);
  static Experience experience_of(const Order& order);
  void release_slot_if_done(OrderId order);
  void record_cancellation(const Order& order, CancelStage stage);
  void schedule_referrals(UserId user);

  const WorldConfig& config_;
  std::uint32_t replication_;
  const Seconds& now_;
  EventQueue& queue_;
  Ledger& ledger_;
  Metrics& metrics_;
  SplitBooking& split_;
  Merchants& merchant_books_;
  RiskScreening& risk_;
  Incentives& incentives_;
  Fraudsters& fraudsters_;
  UserRecords& users_;
  ProfileRecords& profiles_;
  MerchantRecords& merchants_;
  OrderRecords& orders_;
  AccountId outside_usdt_;
  AccountId escrow_usdt_;
  AttemptLog* log_;  // null without an export
  std::vector<MarketOrders> markets_;
  std::vector<OrderId> free_orders_;
  std::uint64_t simulated_ = 0;
  Closed closed_;
};

}  // namespace p2psim
