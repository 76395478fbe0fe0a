#pragma once
// Matching: the ads a user sees and the one they pick. Ads are listed best price first (lowest
// for a buyer, highest for a seller), as on a P2P page. The user scrolls down, keeps the first
// `ads_viewed` ads that are eligible (the merchant accepts their payment method, the amount fits
// the ad's limits and the merchant's inventory, and the merchant has capacity), and picks one by
// a logit over price and completion rate: utility = -price_sensitivity x (margin in bps / 100)
// + quality_sensitivity x completion rate, where the margin is how far the ad's price is from
// the reference rate, against the user.
#include <array>
#include <cstdint>
#include <limits>
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

inline constexpr std::array<double, kMaxPaymentMethods> kNoMethodLimits = [] {
  std::array<double, kMaxPaymentMethods> limits{};
  limits.fill(std::numeric_limits<double>::infinity());
  return limits;
}();

struct ChoiceModel {
  double price_sensitivity;
  double quality_sensitivity;
  std::uint32_t ads_viewed;
  double min_order_usd;
  double max_order_usd;
  // Per payment method limits (PaymentMethodConfig): an order outside them finds no ad.
  std::array<double, kMaxPaymentMethods> method_min_usd{};
  std::array<double, kMaxPaymentMethods> method_max_usd = kNoMethodLimits;
};

// The logit utility of a merchant's ads. It only changes when the merchant's completion rate
// does, so the world keeps it in Merchant::choice_utility instead of recomputing it per user.
double choice_utility(const Merchant& merchant, const ChoiceModel& model);

class AdBook {
 public:
  // Lists the merchants' ads in price order; merchant prices are taken as fixed. The merchants
  // of one market have consecutive ids.
  void list(std::span<const Merchant> merchants, std::span<const MerchantId> market_merchants);

  // Shows or hides one of a merchant's ads: the world hides an ad while the merchant is at
  // capacity or lacks the inventory for even the smallest order, as a P2P page does. Hidden ads
  // are skipped 64 at a time; match() still checks every ad it keeps, so a stale flag can only
  // cost time, never an ineligible match. `side` is the side of the users the ad serves.
  // Visibility is kept per payment method, so that a user scans only the ads shown for theirs.
  void set_visible(MerchantId merchant, TradeSide side, bool visible);
  // Shows the ad for the payment methods in `methods` (a bit mask, cut to the accepted ones)
  // and hides it for the others: the world hides a method whose fiat account is frozen or, on
  // buy ads, short of fiat. The ad is hidden altogether when no method is left.
  void set_offered_methods(MerchantId merchant, TradeSide side, std::uint32_t methods);
  // Is the ad shown to users paying with `method`?
  bool offers(MerchantId merchant, TradeSide side, std::uint8_t method) const;

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
    std::vector<std::uint32_t> offered_at;   // rank -> methods the ad is shown for now
    // One bitset per payment method, a bit per rank: is the ad shown to users paying with it?
    // Method m's bitset is words [m x words, (m + 1) x words).
    std::vector<std::uint64_t> visible;
    std::size_t words = 0;
    std::vector<std::uint32_t> rank_of;  // (merchant - first_merchant_) -> rank
  };

  static void set_offered(Listing& listing, std::uint32_t rank, std::uint32_t methods);

  void rank(Listing& listing, std::span<const Merchant> merchants,
            std::span<const MerchantId> market_merchants, bool cheapest_first);

  MerchantId first_merchant_ = 0;
  Listing sell_ads_;  // merchants selling USDT, cheapest first
  Listing buy_ads_;   // merchants buying USDT, best paying first
};

}  // namespace p2psim
