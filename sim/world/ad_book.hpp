#pragma once
// Matching: the ads a user sees and the one they pick. Ads are listed best price first (lowest
// for a buyer, highest for a seller), as on a P2P page. The user scrolls down, keeps the first
// `ads_viewed` ads that are eligible (the merchant accepts their payment method, the amount fits
// the ad's limits and the merchant's inventory, and the merchant has capacity), and picks one by
// a logit over price and completion rate: utility = -price_sensitivity x (margin in bps / 100)
// + quality_sensitivity x completion rate, where the margin is how far the ad's price is from
// the reference rate, against the user.
#include <cstdint>
#include <span>
#include <vector>

#include "world/agents.hpp"

namespace p2psim {

struct AdRequest {
  TradeSide side;
  std::uint8_t payment_method;
  double usd;
  MinorUnits usdt;
};

struct ChoiceModel {
  double price_sensitivity;
  double quality_sensitivity;
  std::uint32_t ads_viewed;
  double min_order_usd;
  double max_order_usd;
};

// exp(utility) of a merchant's ads. It only changes when the merchant's completion rate does, so
// the world stores it in Merchant::choice_weight instead of recomputing it for every user.
double choice_weight(const Merchant& merchant, const ChoiceModel& model);

class AdBook {
 public:
  // Lists the merchants' ads in price order; merchant prices are taken as fixed.
  void list(std::span<const Merchant> merchants, std::span<const MerchantId> market_merchants);

  // The chosen merchant, or kNobody when no ad is eligible.
  MerchantId match(const AdRequest& request, const ChoiceModel& model,
                   std::span<const Merchant> merchants, const Ledger& ledger,
                   RandomStream& stream) const;

  // The best quoted spread in bps of the mid price among ads with inventory, or a negative
  // value when one side has no ad.
  double best_spread_bps(std::span<const Merchant> merchants, const Ledger& ledger) const;

 private:
  std::vector<MerchantId> sell_ads_;  // merchants selling USDT, cheapest first
  std::vector<MerchantId> buy_ads_;   // merchants buying USDT, best paying first
};

}  // namespace p2psim
