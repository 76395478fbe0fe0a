#pragma once
// Fees on completed orders and growth incentives: what campaigns pay within their budgets and
// caps, how users respond to what is on offer, and the sybil rings that come to farm it.
// docs/model.md, Fees and incentives; docs/strategies.md, Growth incentives.
#include <array>
#include <cstdint>
#include <vector>

#include "core/random_stream.hpp"
#include "metrics/metrics.hpp"
#include "world/agents.hpp"
#include "world/campaign_budgets.hpp"
#include "world/fraudsters.hpp"
#include "world/ledger.hpp"
#include "world/merchants.hpp"
#include "world/risk_features.hpp"
#include "world/split_booking.hpp"

namespace p2psim {

// Promotion-abuse rings a day in a market some campaign targets: the typology's accounts_per_day
// x (what an account can farm / reference_bonus_usd) x (1 - failure memory), at most
// kMaxArrivalsPerDay like any arrival rate.
double sybil_ring_rate(const FraudTypologyConfig& abuse, double farmable_usd, double friction);
// Whether some campaign of the world, in either arm of a split, targets `market`.
bool targeted_by_campaign(const WorldConfig& world, std::uint16_t market);
// The most an account can farm in `market` on `day`: the sign-up and referral bonuses of the
// campaigns running there, each capped by its campaign's per-user cap and budget; in a split
// world the larger of the two arms'. An upper bound: budgets spent are not followed.
double most_farmable_usd(const WorldConfig& world, std::uint16_t market, std::int32_t day);

class Incentives {
 public:
  // What incentives read and write below them, all owned by the World.
  struct Wiring {
    const WorldConfig& config;
    std::uint32_t replication;
    const Seconds& now;
    Ledger& ledger;
    Metrics& metrics;
    SplitBooking& split;
    Fraudsters& fraudsters;
    Merchants& merchant_books;
    const RiskFeatures& features;
    const UserRecords& users;
    const ProfileRecords& profiles;
    MerchantRecords& merchants;
    AccountId outside_usdt;
  };

  Incentives(const Wiring& wiring, std::size_t expected_users);
  Incentives(const Incentives&) = delete;
  Incentives& operator=(const Incentives&) = delete;

  void add_market(std::uint16_t index);
  void add_user() {
    if (!split_.campaigns().empty()) user_incentivised_.push_back(0);
  }
  // Once every market and its merchants exist: opens the fee account, budgets the campaigns and
  // tells each market what is on offer.
  void set_up();
  // Some campaign targets the market.
  bool active(std::uint16_t market) const { return !markets_[market].campaigns.empty(); }
  // Users' attempt rate depends on a taker fee or a waiver of one.
  bool moves_attempts(std::uint16_t market) const {
    return markets_[market].takers_pay || active(market);
  }
  // Campaigns start and end at 00:00; a budget can run out at any time.
  void on_hour(std::uint16_t market);

  // Users' responses to what is on offer.
  bool places_first_order(UserId user);
  double referral_multiplier(UserId referrer) const;
  double attempt_rate_multiplier(UserId user) const;
  // A typology's arrival rate of accounts: promotion_abuse follows the bonuses on offer.
  double fraud_arrival_rate(std::uint16_t market, int typology) const;
  // A shock set the typology's base rate of accounts.
  void on_fraud_rate_shock(std::uint16_t market, int typology);

  // Charges the fees of a completed order and pays the incentives it earns.
  void settle(const Order& order, bool first_trade);

  // The platform's fee account: fees in, incentive payouts out.
  AccountId fee_account() const { return fee_account_; }
  const CampaignBudgets& budgets() const { return budgets_; }

 private:
  // The growth incentives on offer in a market now: what users and sybil rings respond to.
  struct Offers {
    double sign_up_usd = 0.0;       // first-trade bonuses a newly verified user is told about
    double referral_usd = 0.0;      // bonuses per referred user's first trade
    double waived_taker_bps = 0.0;  // taker fee waived
    double farmable_usd = 0.0;      // what one sybil account can farm: sign-up plus referral
  };
  struct MarketIncentives {
    std::vector<std::uint16_t> campaigns;  // indices into SplitBooking::campaigns that target it
    std::array<Offers, 2> offers{};        // by arm; only the control's outside split worlds
    RandomStream response;                 // users' responses to incentives (first orders)
    double sybil_rate = -1.0;              // promotion_abuse rings per day now, once retargeted
    bool takers_pay = false;               // some arm charges a taker fee
  };

  void refresh_offers(std::uint16_t market);
  void retarget_sybils(std::uint16_t market);
  void charge_fees(const Order& order, double taker_fee_usd, double maker_fee_usd);
  // Grants what the budget and cap allow of `usd`; a fee waiver moves no money.
  double pay(std::size_t campaign, const Order& order, Recipient kind, std::uint32_t recipient,
             double usd, bool fee_waiver);
  void record_merchant_volume(MerchantId merchant, double usd);
  double merchant_volume_30d(MerchantId merchant) const;

  const WorldConfig& config_;
  std::uint32_t replication_;
  const Seconds& now_;
  Ledger& ledger_;
  Metrics& metrics_;
  SplitBooking& split_;
  Fraudsters& fraudsters_;
  Merchants& merchant_books_;
  const RiskFeatures& features_;
  const UserRecords& users_;
  const ProfileRecords& profiles_;
  MerchantRecords& merchants_;
  AccountId outside_usdt_;
  AccountId fee_account_ = 0;
  std::vector<MarketIncentives> markets_;
  CampaignBudgets budgets_;
  std::vector<std::uint8_t> user_incentivised_;      // by UserId: received an incentive
  std::vector<std::uint8_t> merchant_incentivised_;  // by MerchantId: received an incentive
  // Per merchant its completed volume by day over the last 30 days (a ring; kept only for
  // volume tiers).
  std::vector<float> merchant_volume_;             // merchant x kVolumeDays
  std::vector<std::int32_t> merchant_volume_day_;  // by MerchantId: last day written
};

}  // namespace p2psim
