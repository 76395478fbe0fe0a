#pragma once
// Matching: the ads a user sees and the one they pick. Ads are listed best price first (lowest
// for a buyer, highest for a seller), as on a P2P page. The user scrolls down, keeps the first
// `ads_viewed` ads that are eligible (the merchant accepts one of their payment methods, the amount
// fits the ad's limits and the merchant's inventory, and the merchant has capacity), and picks one
// by a logit over price and completion rate: utility = -price_sensitivity x (margin in bps / 100)
// + quality_sensitivity x completion rate, where the margin is how far the ad's price is from
// the reference rate, against the user.
#include <cstdint>
#include <span>
#include <vector>

#include "world/agents.hpp"

namespace p2psim {

struct AdRequest {
  TradeSide side;
  std::uint32_t payment_methods;  // bit mask: an ad accepting any of them is eligible
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

// The logit utility of a merchant's ad serving users on `side`. It only changes when the
// merchant's completion rate or margins do, so the world keeps it in Merchant::choice_utility
// instead of recomputing it per user.
double choice_utility(const Merchant& merchant, const ChoiceModel& model, TradeSide side);

class AdBook {
 public:
  // Lists the merchants' ads in price order; merchant prices are taken as fixed. The merchants
  // of one market have consecutive ids.
  void list(std::span<const Merchant> merchants, std::span<const MerchantId> market_merchants);

  // Ranks the ads again after the merchants' prices changed. Prices mostly move together with
  // the reference rate, so the order is first checked in O(n) and only sorted when it broke;
  // visibility flags follow their ads.
  void rerank(std::span<const Merchant> merchants);

  // Platform rule: users paying with a disabled method find no ad, and ads are shown only for
  // enabled methods. All methods start enabled.
  void set_method_enabled(std::uint8_t method, bool enabled, std::span<const Merchant> merchants);
  std::uint32_t enabled_methods() const { return enabled_methods_; }

  // Shows or hides one of a merchant's ads: the world hides an ad while the merchant is at
  // capacity or lacks the inventory for even the smallest order, as a P2P page does. Hidden ads
  // are skipped 64 at a time; match() still checks every ad it keeps, so a stale flag can only
  // cost time, never an ineligible match. `side` is the side of the users the ad serves.
  void set_visible(MerchantId merchant, TradeSide side, bool visible);

  // The chosen merchant, or kNobody when no ad is eligible.
  MerchantId match(const AdRequest& request, const ChoiceModel& model,
                   std::span<const Merchant> merchants, const Ledger& ledger,
                   RandomStream& stream) const;

  // The best quoted spread in bps of the mid price among ads with inventory, or a negative
  // value when one side has no ad.
  double best_spread_bps(std::span<const Merchant> merchants, const Ledger& ledger) const;

 private:
  // One side of the book (sell ads or buy ads), by rank: rank 0 is the best price.
  struct Listing {
    std::vector<MerchantId> merchant_at;     // rank -> merchant
    std::vector<std::uint32_t> accepted_at;  // rank -> accepted payment methods (bit mask)
    std::vector<std::uint64_t> visible;      // bit per rank
    std::vector<std::uint32_t> rank_of;      // (merchant - first_merchant_) -> rank
  };

  void rank(Listing& listing, std::span<const Merchant> merchants,
            std::span<const MerchantId> market_merchants, bool cheapest_first);
  void rerank(Listing& listing, std::span<const Merchant> merchants, bool cheapest_first);
  void index_ranks(Listing& listing, std::span<const Merchant> merchants);

  MerchantId first_merchant_ = 0;
  Listing sell_ads_;                       // merchants selling USDT, cheapest first
  Listing buy_ads_;                        // merchants buying USDT, best paying first
  std::uint32_t enabled_methods_ = ~0u;    // bit mask over the market's payment methods
  std::vector<std::uint8_t> was_visible_;  // rerank's scratch: (merchant - first) -> flag
};

}  // namespace p2psim
