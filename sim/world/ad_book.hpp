#pragma once
// Matching: the ads a user sees and the one they pick. Ads are listed best price first (lowest
// for a buyer, highest for a seller), as on a P2P page. The user scrolls down, keeps the first
// `ads_viewed` ads that are eligible (the merchant accepts one of their payment methods, the
// amount fits the method's and the ad's limits, the cap of the merchant's tier and the merchant's
// inventory, and the merchant has capacity), and picks one by a logit over price and completion
// rate: utility = -price_sensitivity x (margin in bps / 100) + quality_sensitivity x completion
// rate, where the margin is how far the ad's price is from the reference rate, against the user.
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "world/agents.hpp"

namespace p2psim {

struct AdRequest {
  TradeSide side;
  std::uint32_t payment_methods;  // bit mask of the user's methods: an ad taking one is eligible
  std::uint8_t preferred_method;  // paid with when the chosen ad takes it
  double usd;
  MinorUnits usdt;
  // What a merchant's counterparty filter reads: the user's completed orders, KYC tier and
  // whole days since registration (the defaults pass every filter).
  std::uint32_t completed_orders = 0xFFFFFFFF;
  std::uint8_t kyc_tier = 2;
  std::uint32_t account_age_days = 0xFFFFFFFF;
};

// The chosen ad and the payment method the order will use.
struct AdMatch {
  MerchantId merchant = kNobody;
  std::uint8_t payment_method = 0;
};

inline constexpr std::array<double, kMaxPaymentMethods> kNoMethodLimits = [] {
  std::array<double, kMaxPaymentMethods> limits{};
  limits.fill(std::numeric_limits<double>::infinity());
  return limits;
}();

inline constexpr std::array<double, kMaxMerchantTiers> kNoTierLimits = [] {
  std::array<double, kMaxMerchantTiers> limits{};
  limits.fill(std::numeric_limits<double>::infinity());
  return limits;
}();

struct ChoiceModel {
  double price_sensitivity;
  double quality_sensitivity;
  std::uint32_t ads_viewed;
  double min_order_usd;
  double max_order_usd;
  // Per payment method limits (PaymentMethodConfig): an order outside them cannot use the method.
  std::array<double, kMaxPaymentMethods> method_min_usd{};
  std::array<double, kMaxPaymentMethods> method_max_usd = kNoMethodLimits;
  // Per merchant tier (Merchant::tier): the largest order the tier's ads take.
  std::array<double, kMaxMerchantTiers> tier_max_usd = kNoTierLimits;
};

// The logit utility of a merchant's ad serving users on `side`. It only changes when the
// merchant's completion rate or margins do, so the world keeps it in Merchant::choice_utility
// instead of recomputing it per user.
double choice_utility(const Merchant& merchant, const ChoiceModel& model, TradeSide side);

class AdBook {
 public:
  // Lists the merchants' ads in price order. The merchants of one market have consecutive ids.
  void list(MerchantView merchants, std::span<const MerchantId> market_merchants);

  // Ranks the ads again after the merchants' prices changed. Prices mostly move together with
  // the reference rate, so the order is first checked in O(n) and only sorted when it broke;
  // what each ad is shown for follows it.
  void rerank(MerchantView merchants);

  // Platform rule: users paying with a disabled method find no ad, and ads are shown only for
  // enabled methods. All methods start enabled.
  void set_method_enabled(std::uint8_t method, bool enabled, MerchantView merchants);
  std::uint32_t enabled_methods() const { return enabled_methods_; }

  // Shows or hides one of a merchant's ads: the world hides an ad while the merchant is at
  // capacity or lacks the inventory for even the smallest order, as a P2P page does. Hidden ads
  // are skipped 64 at a time; match() still checks every ad it keeps, so a stale flag can only
  // cost time, never an ineligible match. `side` is the side of the users the ad serves.
  // Visibility is kept per payment method, so that a user scans only the ads shown for theirs.
  void set_visible(MerchantId merchant, TradeSide side, bool visible);
  // Shows the ad for the payment methods in `methods` (a bit mask, cut to the accepted and
  // enabled ones) and hides it for the others: the world hides a method whose fiat account is
  // frozen or, on buy ads, short of fiat. The ad is hidden altogether when no method is left.
  void set_offered_methods(MerchantId merchant, TradeSide side, std::uint32_t methods);
  // The merchant's accepted methods changed (it dropped one): its ads follow, on both sides.
  void update_accepted(MerchantId merchant, MerchantView merchants);
  // Is the ad shown to users paying with `method`?
  bool offers(MerchantId merchant, TradeSide side, std::uint8_t method) const;

  // The chosen ad, or merchant kNobody when no ad is eligible.
  AdMatch match(const AdRequest& request, const ChoiceModel& model, MerchantView merchants,
                const Ledger& ledger, RandomStream& stream) const;

  // The best quoted spread in bps of the mid price among ads with inventory, or a negative
  // value when one side has no ad.
  double best_spread_bps(MerchantView merchants, const Ledger& ledger) const;

 private:
  // One side of the book (sell ads or buy ads), by rank: rank 0 is the best price.
  struct Listing {
    std::vector<MerchantId> merchant_at;     // rank -> merchant
    std::vector<std::uint32_t> accepted_at;  // rank -> accepted and enabled methods (bit mask)
    std::vector<std::uint32_t> offered_at;   // rank -> methods the ad is shown for now
    // rank -> the merchant's USDT account: a sell ad's inventory is checked on the ledger alone,
    // before the merchant's record is read (most sell ads a buyer scans lack the USDT).
    std::vector<AccountId> usdt_account_at;
    // One bitset per payment method, a bit per rank: is the ad shown to users paying with it?
    // Method m's bitset is words [m x words, (m + 1) x words).
    std::vector<std::uint64_t> visible;
    std::size_t words = 0;
    std::vector<std::uint32_t> rank_of;  // (merchant - first_merchant_) -> rank
    std::vector<std::uint32_t> wanted;   // (merchant - first_merchant_) -> methods asked for
  };

  static void set_offered(Listing& listing, std::uint32_t rank, std::uint32_t methods);
  // The sell side's inventory check for the ads in `shown` (the ranks of word `word`), taken
  // from `shown` in rank order until `needed` of them hold at least `usdt`: those are returned.
  // A branch per ad would mispredict: most ads a buyer scans lack the USDT.
  static std::uint64_t take_stocked(const Listing& listing, std::size_t word, std::uint64_t& shown,
                                    MinorUnits usdt, std::uint32_t needed, const Ledger& ledger);
  Listing& listing_for(TradeSide side) {
    return side == TradeSide::kUserBuys ? sell_ads_ : buy_ads_;
  }
  const Listing& listing_for(TradeSide side) const {
    return side == TradeSide::kUserBuys ? sell_ads_ : buy_ads_;
  }

  void rank(Listing& listing, MerchantView merchants, std::span<const MerchantId> market_merchants,
            bool cheapest_first);
  void rerank(Listing& listing, MerchantView merchants, bool cheapest_first);
  // Rebuilds what is indexed by rank from merchant_at, and shows each ad for what it wants.
  void index_ranks(Listing& listing, MerchantView merchants);

  MerchantId first_merchant_{0};
  // A merchant's place among its market's merchants, whose ids are consecutive.
  std::uint32_t local(MerchantId id) const { return id.index() - first_merchant_.index(); }
  Listing sell_ads_;                     // merchants selling USDT, cheapest first
  Listing buy_ads_;                      // merchants buying USDT, best paying first
  std::uint32_t enabled_methods_ = ~0u;  // bit mask over the market's payment methods
};

}  // namespace p2psim
