#pragma once
// Fraud: attackers arriving per typology with the signature of their orders, their losses booked
// to whoever bears them, when the platform learns of each fraud (delayed truth), and how
// fraudsters adapt to their failures. Each typology's own ways are a FraudScheme; this owns what
// fraudsters remember, their arrival streams and the fraud labels. docs/model.md gives the
// equations.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/event_queue.hpp"
#include "core/random_stream.hpp"
#include "metrics/metrics.hpp"
#include "world/agents.hpp"
#include "world/arrival_process.hpp"
#include "world/attempt_log.hpp"
#include "world/fraud_scheme.hpp"
#include "world/ledger.hpp"
#include "world/merchants.hpp"
#include "world/payment_method_shares.hpp"
#include "world/split_booking.hpp"
#include "world/world_outcome.hpp"

namespace p2psim {

// What a market's fraud brings in a day on average, with `rings_per_day` promotion-abuse rings
// (its accounts_per_day, or what campaigns draw: sybil_ring_rate): the accounts it opens (each
// ring's members counted) and their orders (each account's attempts, and a scamming merchant's
// capacity turned over every hour of its exit). The fraud labels' reservation and the resource
// estimate (experiment/resource_estimate.hpp) both size from them.
double fraud_accounts_per_day(const MarketConfig& market, double rings_per_day);
double fraud_orders_per_day(const MarketConfig& market, double rings_per_day);

// What fraud asks of the users and the sign-up screen above it (both call fraud themselves); the
// World implements it. Called only when a fraud account arrives.
class FraudHost {
 public:
  // Opens an account of `intent` in `market` (a member of sybil ring `ring`, or kNoRing).
  virtual UserId open_fraud_account(std::uint16_t market, UserIntent intent,
                                    std::uint32_t ring) = 0;
  // Asks the risk policy at sign-up; false when it blocks the account.
  virtual bool admit_sign_up(UserId user) = 0;

 protected:
  ~FraudHost() = default;
};

class Fraudsters {
 public:
  // What fraud reads and writes below it, all owned by the World.
  struct Wiring {
    const WorldConfig& config;
    std::uint32_t replication;
    const Seconds& now;
    Seconds horizon;
    EventQueue& queue;
    Ledger& ledger;
    Metrics& metrics;
    SplitBooking& split;
    UserRecords& users;
    ProfileRecords& profiles;
    Merchants& merchant_books;
    MerchantRecords& merchants;
    OrderRecords& orders;
    AccountId outside_usdt;
    AccountId platform_usdt;
    FraudHost& host;
    AttemptLog* log;  // null without an export
  };

  explicit Fraudsters(const Wiring& wiring);
  Fraudsters(const Fraudsters&) = delete;
  Fraudsters& operator=(const Fraudsters&) = delete;

  // Arrivals
  void add_market(std::uint16_t index);
  void schedule_arrival(std::uint16_t market, int typology);
  // Whether an arrival event was drawn at the typology's current rate.
  bool arrival_current(std::uint32_t subject, std::uint32_t generation) const;
  void on_account_arrives(std::uint16_t market, int typology);
  // A new rate of accounts: the pending candidate, drawn at the old one, is voided.
  void set_arrival_rate(std::uint16_t market, int typology, double per_day);
  // The remembered failure rate of a typology's fraudsters in a market.
  double failure(std::uint16_t market, int typology) const {
    return markets_[market].memory[typology].failure;
  }

  // Accounts and their orders
  RandomStream next_account_stream(std::uint16_t market, int typology);
  std::uint8_t draw_method(std::uint16_t market, int typology, RandomStream& stream,
                           const PaymentMethodShares& shares) const;
  void shape_account(User& user, double& created_day) const;
  Seconds next_attempt(User& user, Seconds from) const;
  double order_usd(User& user) const;
  void note_outcome(const User& user, bool failed);

  // Orders
  void open_label(Order& order, std::uint64_t serial);
  void on_completed(OrderId id);
  void reveal(const Order& order, Seconds at, RevealedBy how, double loss_usd);
  void book_loss(const Order& order, double usd, LossBearer bearer);
  // The fraudster's USDT, still locked in, goes back for `usd` of the order: that much of the
  // booked loss is undone.
  void claw_back(const Order& order, double usd);
  // The receiving account held less than the recall claimed: `usd` of the loss never happens.
  void fall_short(const Order& order, double usd);
  void compensate_if_platform_bears(const Order& order, MinorUnits usdt);
  const std::vector<FraudLabel>& labels() const { return labels_; }

  // What the schemes do with an arrival or a completed order.
  void enlist(std::uint16_t market, UserIntent intent, std::uint32_t ring);
  void enlist_ring(std::uint16_t market);
  void start_exit_scam(std::uint16_t market);
  std::uint16_t market_for(std::uint16_t market, int typology);
  void count_success(const Order& order);
  Seconds reveal_delay(const Order& order);
  bool reveal_draw(const Order& order, double probability);
  bool chargeback_granted(const Order& order);
  void schedule_surfacing(OrderId id, Seconds delay, RevealedBy how);
  const FraudTypologyConfig& settings(std::uint16_t market, UserIntent intent) const {
    return config_.markets[market].fraud.typology(typology_of(intent));
  }
  Seconds now() const { return now_; }
  const MarketConfig& market_config(std::uint16_t market) const { return config_.markets[market]; }
  Merchant& merchant(MerchantId id) { return merchants_[id]; }
  Merchants& merchant_books() { return merchant_books_; }
  User& user(UserId id) { return users_[id]; }

 private:
  // What a typology's fraudsters in one market have learnt from their outcomes: exponential
  // moving averages of their failure rate, overall and per payment method.
  struct Memory {
    double failure = 0.0;
    std::vector<double> method_failure;
  };
  struct MarketFraud {
    std::array<ArrivalProcess, kFraudTypologyCount> arrivals;
    // Arrival events carry these; a new rate bumps them to void the pending candidate.
    std::array<std::uint32_t, kFraudTypologyCount> generation{};
    std::array<std::uint32_t, kFraudTypologyCount> next_account_number{};
    RandomStream reveal;      // delays until fraud surfaces, and which mule orders a bank freezes
    RandomStream adaptation;  // fraudsters' choices of market when they adapt
    std::array<Memory, kFraudTypologyCount> memory;
  };

  const WorldConfig& config_;
  std::uint32_t replication_;
  const Seconds& now_;
  Seconds horizon_;
  EventQueue& queue_;
  Ledger& ledger_;
  Metrics& metrics_;
  SplitBooking& split_;
  UserRecords& users_;
  ProfileRecords& profiles_;
  Merchants& merchant_books_;
  MerchantRecords& merchants_;
  OrderRecords& orders_;
  AccountId outside_usdt_;
  AccountId platform_usdt_;
  FraudHost& host_;
  AttemptLog* log_;  // null without an export
  std::vector<MarketFraud> markets_;
  std::vector<FraudLabel> labels_;
  std::uint32_t next_ring_ = 0;
};

}  // namespace p2psim
