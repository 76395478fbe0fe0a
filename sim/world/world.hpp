#pragma once
// One simulated world: markets with their users, merchants, fraudsters, ad books, support teams
// and a shared ledger, driven by one event queue. Built from a description and an explicit
// (seed, replication); the same pair always gives the same history.
#include <atomic>
#include <cstdint>
#include <vector>

#include "core/event_queue.hpp"
#include "core/random_stream.hpp"
#include "metrics/kpi_counters.hpp"
#include "world/ad_book.hpp"
#include "world/agents.hpp"
#include "world/arrival_process.hpp"
#include "world/ledger.hpp"
#include "world/support_team.hpp"
#include "world/world_config.hpp"
#include "world/world_outcome.hpp"

namespace p2psim {

class World {
 public:
  World(const WorldConfig& config, std::uint32_t replication);

  // Runs to the end of the last day. Returns false if `stop` was raised before that.
  bool run(const std::atomic<bool>* stop = nullptr);
  // Runs the events before `end` (at most the end of the last day); run() continues from there.
  bool run_until(Seconds end, const std::atomic<bool>* stop = nullptr);

  ReplicationOutcome outcome() const;
  const Ledger& ledger() const { return ledger_; }
  std::uint64_t events_processed() const { return events_processed_; }
  std::uint64_t orders_simulated() const { return orders_simulated_; }
  std::size_t open_orders() const;
  std::size_t user_count() const { return users_.size(); }
  // Every fraudulent order so far with its true typology and when the platform learns it.
  const std::vector<FraudLabel>& fraud_labels() const { return fraud_labels_; }

  // Stops every merchant of `market` from accepting `method` (a bank cutting P2P merchants off):
  // its ads can no longer serve users who pay with it. Call before run(); used to show how
  // fraudsters displace when a method is closed to them.
  void withdraw_payment_method(std::uint16_t market, std::uint8_t method);

  // Merchants' economics (the merchants' branch): the fiat of `order` is proceeds of fraud, so
  // the receiving merchant's account is frozen.
  void on_tainted_fiat(OrderId order);
  // Merchants' economics: how much of a victim's loss on `order` the scamming merchant's
  // security deposit pays back, in micro-USDT (moved to the victim by the call).
  MinorUnits exit_scam_deposit_covers(OrderId order, MinorUnits loss);

 private:
  enum EventKind : std::uint8_t {
    kVisitorArrives,
    kFraudAccountArrives,
    kOrderAttempt,
    kBuyerPays,
    kBuyerCancels,
    kPaymentDeadline,
    kSellerChecks,
    kBuyerAppeals,
    kSupportResolves,
    kFraudSurfaces,  // a chargeback, a victim's complaint or a bank freeze, after the trade
    kMerchantVanishes,
    kHourTick,
  };

  // What a typology's fraudsters in one market have learnt from their outcomes: exponential
  // moving averages of their failure rate, overall and per payment method.
  struct FraudMemory {
    double failure = 0.0;
    std::vector<double> method_failure;
  };

  struct Market {
    const MarketConfig* config;
    CurrencyId fiat_currency;
    AccountId outside_fiat;
    ArrivalProcess visitors;
    std::array<ArrivalProcess, kFraudTypologyCount> fraud_accounts;
    RandomStream funnel;  // registration and KYC outcomes of visitors
    SupportTeam support;
    AdBook ads;
    ChoiceModel choice;
    std::vector<MerchantId> merchants;
    std::vector<double> method_weights;  // cumulative shares of payment methods
    std::uint32_t next_user_number = 0;
    std::array<std::uint32_t, kFraudTypologyCount> next_fraudster_number{};
    std::vector<KpiCounters> days;
    RandomStream reveal;      // delays until fraud surfaces, and which mule orders a bank freezes
    RandomStream adaptation;  // fraudsters' choices of market when they adapt
    std::array<FraudMemory, kFraudTypologyCount> fraud_memory;
  };

  // set-up
  void build_market(std::uint16_t index, const MarketConfig& config);
  void create_merchants(Market& market, std::uint16_t index);
  UserId create_user(std::uint16_t market, UserIntent intent);
  void restock_merchants(const Market& market);
  void refresh_ads(MerchantId merchant);

  // event handlers
  void dispatch(const Event& event);
  void on_visitor(std::uint16_t market);
  void on_fraud_account(std::uint16_t market, int typology);
  void on_order_attempt(UserId user);
  void on_buyer_pays(OrderId order);
  void on_buyer_cancels(OrderId order);
  void on_payment_deadline(OrderId order);
  void on_seller_checks(OrderId order);
  void on_appeal(OrderId order);
  void on_support_resolves(OrderId order);
  void on_fraud_surfaces(OrderId order);
  void on_merchant_vanishes(MerchantId merchant);
  void on_hour(std::uint16_t market);

  // the order lifecycle
  OrderId create_order(UserId user, MerchantId merchant, double usd);
  void plan_buyer(OrderId order);
  void transition(Order& order, OrderEvent event);
  void complete(OrderId order, OrderEvent how);
  void return_escrow(OrderId order, OrderEvent event);
  void close(OrderId order);
  void book_fraud_loss(const Order& order, double usd, LossBearer bearer);
  void on_fraud_completed(OrderId order);
  void compensate_if_platform_bears(const Order& order, MinorUnits usdt);
  void schedule_surfacing(OrderId order, Seconds delay, RevealedBy how);
  void release_slot_if_done(OrderId order);
  void schedule_order_event(Seconds time, EventKind kind, OrderId order);
  void user_moves_on(UserId user, bool bad_experience);

  // fraud
  void enlist_fraudster(std::uint16_t market, UserIntent intent, std::uint32_t ring);
  std::uint16_t market_for_fraud(std::uint16_t market, int typology);
  void start_exit_scam(std::uint16_t market);
  Seconds next_fraud_attempt(User& user, Seconds from);
  Seconds reveal_delay(std::uint16_t market, UserIntent intent);
  double fraud_order_usd(User& user);
  void note_fraud_outcome(const User& user, bool failed);
  void open_fraud_label(Order& order);
  void reveal_fraud(const Order& order, Seconds at, RevealedBy how, double loss_usd);
  std::uint8_t draw_fraud_method(std::uint16_t market, int typology, RandomStream& stream) const;

  // helpers
  KpiCounters& day(std::uint16_t market, std::int32_t day_index) {
    return markets_[market].days[day_index];
  }
  KpiCounters& today(std::uint16_t market) { return day(market, day_of(now_)); }
  AccountId seller_account(const Order& order) const;
  AccountId buyer_account(const Order& order) const;
  std::uint8_t draw_payment_method(const Market& market, RandomStream& stream) const;
  const FraudTypologyConfig& typology_config(std::uint16_t market, UserIntent intent) const;

  WorldConfig config_;
  std::uint32_t replication_;
  Seconds horizon_;
  Seconds now_ = 0.0;
  EventQueue queue_;
  Ledger ledger_;
  AccountId outside_usdt_;
  AccountId escrow_usdt_;
  AccountId platform_usdt_;
  std::vector<Market> markets_;
  std::vector<User> users_;
  std::vector<Merchant> merchants_;
  std::vector<Order> orders_;
  std::vector<OrderId> free_orders_;
  std::uint64_t events_processed_ = 0;
  std::uint64_t orders_simulated_ = 0;
  std::uint32_t next_ring_ = 0;
  std::vector<FraudLabel> fraud_labels_;
};

}  // namespace p2psim
