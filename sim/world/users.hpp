#pragma once
// Users and their accounts: arrival through the funnel and by referral, accounts and their
// links, order attempts and matching, the platform's rules on cancellations, the demand surge
// after a devaluation, coming back or churning. The records (users, profiles, account links)
// are the World's; this owns each market's arrival, funnel and churn state.
#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/event_queue.hpp"
#include "core/random_stream.hpp"
#include "metrics/metrics.hpp"
#include "world/account_links.hpp"
#include "world/agents.hpp"
#include "world/arrival_process.hpp"
#include "world/attempt_log.hpp"
#include "world/churn_hazard.hpp"
#include "world/fraudsters.hpp"
#include "world/incentives.hpp"
#include "world/ledger.hpp"
#include "world/merchants.hpp"
#include "world/orders.hpp"
#include "world/payment_method_shares.hpp"
#include "world/profile_clock.hpp"
#include "world/review_queue.hpp"
#include "world/risk_features.hpp"
#include "world/risk_screening.hpp"
#include "world/split_booking.hpp"

namespace p2psim {

class Users {
 public:
  // What users read and write below them, all owned by the World.
  struct Wiring {
    const WorldConfig& config;
    std::uint32_t replication;
    const Seconds& now;
    EventQueue& queue;
    Ledger& ledger;
    Metrics& metrics;
    SplitBooking& split;
    ReviewQueue& reviews;
    RiskFeatures& features;
    Fraudsters& fraudsters;
    Incentives& incentives;
    RiskScreening& risk;
    Merchants& merchants;
    Orders& orders;
    UserRecords& users;
    ProfileRecords& profiles;
    AccountLinks& links;
    AttemptLog* log;  // null without an export
  };

  Users(const Wiring& wiring, std::size_t expected_users);
  Users(const Users&) = delete;
  Users& operator=(const Users&) = delete;

  void add_market(std::uint16_t index);
  const PaymentMethodShares& method_shares(std::uint16_t market) const {
    return markets_[market].method_shares;
  }
  // The market's users already on the platform at day 0, and its first visitor.
  // Stops early, leaving the market part-built, once `stop` is raised: building a market of
  // millions takes seconds, and an interrupt must not wait for it.
  void populate(std::uint16_t market, const std::atomic<bool>* stop = nullptr);

  UserId create(std::uint16_t market, UserIntent intent, bool referred = false,
                std::uint32_t ring = kNoRing);

  // Events
  bool visitor_current(std::uint16_t market, std::uint32_t generation) const {
    return generation == markets_[market].visitor_generation;
  }
  void on_visitor(std::uint16_t market);
  void on_referred_visitor(UserId referrer);
  void on_order_attempt(UserId user);
  // Starts loading what an order attempt of `user` reads first: the user's record, the
  // account's when a policy or the export reads it, and the export's account activity.
  void prefetch(UserId user) const;
  // The second step, a little later, once the account's link record has arrived: what it points
  // to.
  void prefetch_links(UserId user) const;
  void on_surge_attempt(UserId user);
  // The hour's demand multiplier, from the rate's move over the last day.
  void update_demand(std::uint16_t market);
  // A shock set the market's visitors per day.
  void set_visitor_rate(std::uint16_t market, double per_day);

  // The user's attempt or order is over: they try again later, or churn.
  void moves_on(UserId user, Experience experience);
  // A buyer who cancelled tries another ad within the same visit, a few minutes later.
  void retries_in_visit(UserId user);
  // The platform stopped the attempt (a block or a reviewer's stop).
  void stop_attempt(UserId user, bool genuine, std::int32_t screened_day, std::uint32_t unit_slot,
                    const OrderSegment& segment);
  // A reviewer let the attempt through: the user picks an ad again, for the approved amount.
  void place_order(UserId user, double usd);

 private:
  struct MarketUsers {
    ArrivalProcess visitors;
    ProfileClock attempt_clock;    // users' order attempts follow the market's profile too
    RandomStream funnel;           // registration and KYC outcomes of visitors
    RandomStream referral_funnel;  // the same for referred visitors
    RandomStream device_changes;   // when accounts present at day 0 last changed their phone
    std::vector<UserId> genuine_accounts;  // the market's, in sign-up order: takeovers' victims
    ChurnHazard churn;
    PaymentMethodShares method_shares;
    std::uint32_t next_user_number = 0;
    std::uint32_t next_referred_user_number = 0;
    UserId last_genuine_user = kNobody;        // the latest sign-up: whom a household shares with
    std::optional<DeviceId> household_device;  // the latest device shared by genuine users
    double demand_multiplier = 1.0;            // set hourly, at most demand_bound
    double demand_bound = 1.0;                 // 1 when devaluations do not move demand
    double remembered_depreciation = 0.0;      // S: hourly changes, decaying
    double rate_an_hour_ago = 0.0;
    // Visitor events carry this; a shock that changes the rate bumps it to void the pending
    // candidate (see ArrivalProcess::set_daily_mean).
    std::uint32_t visitor_generation = 0;
    // Spreads of log order sizes (sigma): between users' own medians, and within one user's.
    double order_usd_sigma_between = 0.0;
    double order_usd_sigma_within = 0.0;
  };

  // The account's KYC tier, device and bank account; a taken-over account keeps its owner's
  // tier and, unless the attacker brings a new one, device.
  void draw_account(UserId user, double created_day, UserId hijacked);
  // A genuine account of the market, uniform, for a takeover; kNobody when none is found.
  UserId account_to_take_over(std::uint16_t market, RandomStream& stream) const;
  // An account's completed orders before the run or the takeover (User::completed_orders), as its
  // genuine owner made them.
  void draw_history(User& user, double age_days, double activity);
  // A genuine user's own activity and order size (User::activity, User::order_usd_median).
  void draw_habits(const MarketUsers& market, const UserConfig& settings, User& user);
  void draw_payment_methods(const MarketUsers& market, User& user);
  void schedule_visitor(std::uint16_t market);
  // A verified new user's first order attempt, after an exponential delay (first_order_hours).
  void schedule_first_attempt(UserId user);
  void schedule_next_attempt(UserId user, double mean_gap);
  bool surges(const User& user) const;
  bool blocked_by_rules(UserId user);
  // A visitor goes through registration and KYC; true when they come out verified.
  bool pass_funnel(std::uint16_t market, RandomStream& stream, bool referred);
  double order_size_cap(const User& user) const;
  // What the ad search and merchants' counterparty filters read of the user, for `usd`.
  AdRequest ad_request(UserId user, double usd) const;
  // Screens an attempt in a market with a policy; false when the attempt ends there.
  bool screen_order(UserId user, const AdMatch& match, double& usd, OrderFeatures& features);
  // No ad took the attempt: it fails and the user moves on.
  void unmatched(UserId user);

  const WorldConfig& config_;
  std::uint32_t replication_;
  const Seconds& now_;
  EventQueue& queue_;
  Ledger& ledger_;
  Metrics& metrics_;
  SplitBooking& split_;
  ReviewQueue& reviews_;
  RiskFeatures& features_;
  Fraudsters& fraudsters_;
  Incentives& incentives_;
  RiskScreening& risk_;
  Merchants& merchant_books_;
  Orders& order_book_;
  UserRecords& users_;
  ProfileRecords& profiles_;
  AccountLinks& account_links_;
  AttemptLog* log_;  // null without an export
  std::vector<MarketUsers> markets_;
  std::vector<DeviceId> ring_devices_;  // ring -> the device its sybil accounts share
};

}  // namespace p2psim
