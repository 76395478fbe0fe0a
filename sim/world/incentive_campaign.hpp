#pragma once
// Growth incentives: the interface the world calls where a campaign can act, and what
// it passes. Concrete kinds (fee waiver, maker rebate, new-user bonus, referral bonus, merchant
// volume tiers) live in strategies/ and are built by the scenario layer; the world only knows
// this interface. A campaign is immutable and shared by every replication and thread: what it has
// spent lives in the world (CampaignBudgets). docs/strategies.md, Growth incentives.
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "world/risk_policy.hpp"

namespace p2psim {

// What every campaign has, whatever its kind: where and when it runs and how much it may spend.
struct CampaignTerms {
  std::string kind;
  std::vector<bool> markets;  // by market index: does the campaign run there?
  std::int32_t start_day = 0;
  std::int32_t end_day = std::numeric_limits<std::int32_t>::max();  // last day, included
  double budget_usd = std::numeric_limits<double>::infinity();
  double per_user_cap_usd = std::numeric_limits<double>::infinity();  // per user or merchant
};

// A completed trade, as a campaign sees it.
struct TradeFacts {
  OrderFeatures features;  // the user's order, at completion (for eligibility)
  std::uint16_t market = 0;
  double usd = 0.0;
  double taker_fee_usd = 0.0;        // the user's fee before any waiver
  bool first_trade = false;          // the user's first completed order
  bool referred = false;             // the user came by a referral
  double merchant_volume_usd = 0.0;  // the merchant's completed volume over the last 30 days
};

// What a campaign would give on a trade, before its budget and per-user cap are applied.
struct IncentiveOffer {
  double taker_fee_waived_usd = 0.0;  // the user keeps this part of the taker fee
  double user_bonus_usd = 0.0;        // paid to the user
  double referrer_bonus_usd = 0.0;    // paid to the user who referred them
  double merchant_rebate_usd = 0.0;   // paid to the merchant
};

class IncentiveCampaign {
 public:
  explicit IncentiveCampaign(CampaignTerms terms) : terms_(std::move(terms)) {}
  virtual ~IncentiveCampaign() = default;

  const CampaignTerms& terms() const { return terms_; }
  bool targets(std::uint16_t market) const {
    return market < terms_.markets.size() && terms_.markets[market];
  }
  bool runs(std::uint16_t market, std::int32_t day) const {
    return targets(market) && day >= terms_.start_day && day <= terms_.end_day;
  }

  // Hook at sign-up: the first-trade bonus a newly verified user is told about (the response
  // model's B). Eligibility is checked when the bonus is paid, not here.
  virtual double sign_up_offer_usd() const { return 0.0; }
  // Hook at a first trade that may bring referrals: the bonus per referred user's first trade
  // (the response model's R).
  virtual double referral_offer_usd() const { return 0.0; }
  // The share of the taker fee waived, for the attempt-rate response.
  virtual double taker_fee_waived_share() const { return 0.0; }
  // Whether on_trade reads TradeFacts::merchant_volume_usd (the world tracks it only then).
  virtual bool needs_merchant_volume() const { return false; }
  // Hook on every completed trade (first trades included): what the campaign gives on it.
  // Must not allocate.
  virtual IncentiveOffer on_trade(const TradeFacts& trade) const = 0;

 private:
  CampaignTerms terms_;
};

}  // namespace p2psim
