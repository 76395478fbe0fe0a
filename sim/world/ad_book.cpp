#include "world/ad_book.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>

namespace p2psim {
namespace {

constexpr std::uint32_t kMaxAdsViewed = 64;
constexpr std::uint8_t kNoMethod = 0xFF;

bool accepts(const Merchant& merchant, std::uint8_t method) {
  return (merchant.accepted_methods >> method) & 1u;
}

bool has_inventory(const Merchant& merchant, const AdRequest& request, std::uint8_t method,
                   const Ledger& ledger) {
  if (request.side == TradeSide::kUserBuys) {
    return ledger.balance(merchant.usdt_account) >= request.usdt;
  }
  return uncommitted_fiat(merchant, ledger, method) >= fiat_for(request.usd, merchant.buy_price);
}

// Can the merchant take a new order paid with `method` now: advertising, below capacity, the
// method's account accepted and not frozen, and the inventory for the amount.
bool can_take(const Merchant& merchant, const AdRequest& request, std::uint8_t method,
              const Ledger& ledger) {
  return merchant.advertising() && merchant.open_orders < merchant.capacity_limit &&
         accepts(merchant, method) && !merchant.frozen(method) &&
         has_inventory(merchant, request, method, ledger);
}

// The method an order with this merchant is paid with: the user's preferred one when the ad
// takes it, else the lowest-numbered usable one; kNoMethod when none works.
std::uint8_t method_for(const Merchant& merchant, const AdRequest& request, std::uint32_t usable,
                        const Ledger& ledger) {
  if (((usable >> request.preferred_method) & 1u) &&
      can_take(merchant, request, request.preferred_method, ledger)) {
    return request.preferred_method;
  }
  for (std::uint32_t bits = usable; bits != 0; bits &= bits - 1) {
    const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
    if (method != request.preferred_method && can_take(merchant, request, method, ledger)) {
      return method;
    }
  }
  return kNoMethod;
}

// Best price first; ties broken by id, so the listing never depends on the sort's internals.
struct RankOrder {
  MerchantView merchants;
  bool cheapest_first;
  double price(MerchantId id) const {
    return cheapest_first ? merchants[id].sell_price : -merchants[id].buy_price;
  }
  bool operator()(MerchantId a, MerchantId b) const {
    return price(a) < price(b) || (price(a) == price(b) && a < b);
  }
};

}  // namespace

double choice_utility(const Merchant& merchant, const ChoiceModel& model, TradeSide side) {
  const double margin_bps =
      side == TradeSide::kUserBuys ? merchant.sell_margin_bps : merchant.buy_margin_bps;
  return -model.price_sensitivity * margin_bps / 100.0 +
         model.quality_sensitivity * merchant.completion_rate();
}

void AdBook::list(MerchantView merchants, std::span<const MerchantId> market_merchants) {
  first_merchant_ = market_merchants.empty()
                        ? MerchantId(0)
                        : *std::min_element(market_merchants.begin(), market_merchants.end());
  rank(sell_ads_, merchants, market_merchants, true);
  rank(buy_ads_, merchants, market_merchants, false);
}

void AdBook::rank(Listing& listing, MerchantView merchants,
                  std::span<const MerchantId> market_merchants, bool cheapest_first) {
  listing.merchant_at.assign(market_merchants.begin(), market_merchants.end());
  std::sort(listing.merchant_at.begin(), listing.merchant_at.end(),
            RankOrder{merchants, cheapest_first});
  const std::size_t count = listing.merchant_at.size();
  listing.accepted_at.resize(count);
  listing.offered_at.resize(count);
  listing.usdt_account_at.resize(count);
  listing.rank_of.resize(count);
  listing.wanted.assign(count, ~0u);  // every ad starts shown for all it accepts
  listing.words = (count + 63) / 64;
  listing.visible.resize(listing.words * kMaxPaymentMethods);
  index_ranks(listing, merchants);
}

void AdBook::index_ranks(Listing& listing, MerchantView merchants) {
  std::fill(listing.visible.begin(), listing.visible.end(), 0);
  std::fill(listing.offered_at.begin(), listing.offered_at.end(), 0);
  const std::size_t count = listing.merchant_at.size();
  for (std::uint32_t rank = 0; rank < count; ++rank) {
    const MerchantId id = listing.merchant_at[rank];
    assert(local(id) < count && "a market's merchants have consecutive ids");
    listing.rank_of[local(id)] = rank;
    listing.accepted_at[rank] = merchants[id].accepted_methods & enabled_methods_;
    listing.usdt_account_at[rank] = merchants[id].usdt_account;
    set_offered(listing, rank, listing.wanted[local(id)]);
  }
}

void AdBook::rerank(MerchantView merchants) {
  rerank(sell_ads_, merchants, true);
  rerank(buy_ads_, merchants, false);
}

void AdBook::rerank(Listing& listing, MerchantView merchants, bool cheapest_first) {
  RankOrder order{merchants, cheapest_first};
  if (std::is_sorted(listing.merchant_at.begin(), listing.merchant_at.end(), order)) return;
  std::sort(listing.merchant_at.begin(), listing.merchant_at.end(), order);
  index_ranks(listing, merchants);
}

void AdBook::set_method_enabled(std::uint8_t method, bool enabled, MerchantView merchants) {
  const std::uint32_t bit = 1u << method;
  enabled_methods_ = enabled ? (enabled_methods_ | bit) : (enabled_methods_ & ~bit);
  index_ranks(sell_ads_, merchants);
  index_ranks(buy_ads_, merchants);
}

void AdBook::set_offered(Listing& listing, std::uint32_t rank, std::uint32_t methods) {
  const std::uint32_t offered = methods & listing.accepted_at[rank];
  const std::uint64_t bit = std::uint64_t{1} << (rank % 64);
  // Only the methods whose flag changes are touched.
  for (std::uint32_t changed = offered ^ listing.offered_at[rank]; changed != 0;
       changed &= changed - 1) {
    const auto method = static_cast<std::size_t>(std::countr_zero(changed));
    listing.visible[method * listing.words + rank / 64] ^= bit;
  }
  listing.offered_at[rank] = offered;
}

void AdBook::set_visible(MerchantId merchant, TradeSide side, bool visible) {
  set_offered_methods(merchant, side, visible ? ~0u : 0u);
}

void AdBook::update_accepted(MerchantId merchant, MerchantView merchants) {
  for (Listing* listing : {&sell_ads_, &buy_ads_}) {
    const std::uint32_t rank = listing->rank_of[local(merchant)];
    listing->accepted_at[rank] = merchants[merchant].accepted_methods & enabled_methods_;
    set_offered(*listing, rank, listing->wanted[local(merchant)]);
  }
}

bool AdBook::offers(MerchantId merchant, TradeSide side, std::uint8_t method) const {
  const Listing& listing = listing_for(side);
  return (listing.offered_at[listing.rank_of[local(merchant)]] >> method) & 1u;
}

void AdBook::set_offered_methods(MerchantId merchant, TradeSide side, std::uint32_t methods) {
  Listing& listing = listing_for(side);
  listing.wanted[local(merchant)] = methods;
  set_offered(listing, listing.rank_of[local(merchant)], methods);
}

std::uint64_t AdBook::take_stocked(const Listing& listing, std::size_t word, std::uint64_t& shown,
                                   MinorUnits usdt, std::uint32_t needed, const Ledger& ledger) {
  std::uint64_t stocked = 0;
  std::uint32_t found = 0;
  for (; shown != 0 && found < needed; shown &= shown - 1) {
    const int bit = std::countr_zero(shown);
    const AccountId account = listing.usdt_account_at[word * 64 + static_cast<std::size_t>(bit)];
    const bool holds = ledger.balance(account) >= usdt;
    stocked |= static_cast<std::uint64_t>(holds) << bit;
    found += holds;
  }
  return stocked;
}

AdMatch AdBook::match(const AdRequest& request, const ChoiceModel& model, MerchantView merchants,
                      const Ledger& ledger, RandomStream& stream) const {
  if (request.usd < model.min_order_usd || request.usd > model.max_order_usd) return {};
  // The user's enabled methods whose limits admit the amount.
  std::uint32_t methods = 0;
  for (std::uint32_t bits = request.payment_methods & enabled_methods_; bits != 0;
       bits &= bits - 1) {
    const auto method = static_cast<std::size_t>(std::countr_zero(bits));
    if (request.usd >= model.method_min_usd[method] &&
        request.usd <= model.method_max_usd[method]) {
      methods |= 1u << method;
    }
  }
  if (methods == 0) return {};
  const Listing& ads = listing_for(request.side);
  const std::uint32_t wanted = std::min(model.ads_viewed, kMaxAdsViewed);
  std::array<MerchantId, kMaxAdsViewed> seen;
  std::array<std::uint8_t, kMaxAdsViewed> seen_method;
  std::uint32_t count = 0;
  for (std::size_t word = 0; word < ads.words && count < wanted; ++word) {
    // Only the ads shown for one of the user's methods are scanned.
    std::uint64_t shown = 0;
    for (std::uint32_t bits = methods; bits != 0; bits &= bits - 1) {
      shown |= ads.visible[static_cast<std::size_t>(std::countr_zero(bits)) * ads.words + word];
    }
    while (shown != 0 && count < wanted) {
      // The same inventory check as can_take's, for the sell ads a buyer sees, made first on
      // as many as are still wanted: it turns most of them away without a merchant's record.
      std::uint64_t candidates = shown;
      if (request.side == TradeSide::kUserBuys) {
        candidates = take_stocked(ads, word, shown, request.usdt, wanted - count, ledger);
      } else {
        shown = 0;
      }
      for (std::uint64_t bits = candidates; bits != 0 && count < wanted; bits &= bits - 1) {
        const std::size_t rank = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
        const MerchantId id = ads.merchant_at[rank];
        const Merchant& merchant = merchants[id];
        if (request.usd > model.tier_max_usd[merchant.tier]) continue;
        if (request.completed_orders < merchant.min_counterparty_orders ||
            request.kyc_tier < merchant.min_counterparty_kyc_tier ||
            request.account_age_days < merchant.min_counterparty_age_days) {
          continue;  // its ad's filter leaves this user out
        }
        const std::uint8_t method =
            method_for(merchant, request, ads.offered_at[rank] & methods, ledger);
        if (method == kNoMethod) continue;
        seen[count] = id;
        seen_method[count++] = method;
      }
    }
  }
  if (count == 0) return {};

  // Weights relative to the most attractive ad seen, so that no sensitivity, however large,
  // can underflow them all to zero.
  const auto side = static_cast<std::size_t>(request.side);
  double best = merchants[seen[0]].choice_utility[side];
  for (std::uint32_t i = 1; i < count; ++i) {
    best = std::max(best, merchants[seen[i]].choice_utility[side]);
  }
  std::array<double, kMaxAdsViewed> weight;
  double total = 0.0;
  for (std::uint32_t i = 0; i < count; ++i) {
    weight[i] = std::exp(merchants[seen[i]].choice_utility[side] - best);
    total += weight[i];
  }
  double pick = uniform01(stream) * total;
  for (std::uint32_t i = 0; i < count; ++i) {
    pick -= weight[i];
    if (pick < 0.0) return {seen[i], seen_method[i]};
  }
  return {seen[count - 1], seen_method[count - 1]};
}

double AdBook::best_spread_bps(MerchantView merchants, const Ledger& ledger) const {
  // An ad counts when it is shown for an enabled method and has inventory on a usable account:
  // USDT for sell ads, fiat of an unfrozen method for buy ads.
  auto first_with = [&](const Listing& ads, bool usdt) -> const Merchant* {
    for (std::size_t rank = 0; rank < ads.merchant_at.size(); ++rank) {
      const Merchant& merchant = merchants[ads.merchant_at[rank]];
      const std::uint32_t usable = ads.accepted_at[rank] & ~merchant.frozen_methods;
      if (!merchant.advertising() || usable == 0) continue;
      if (usdt) {
        if (ledger.balance(merchant.usdt_account) > 0) return &merchant;
        continue;
      }
      for (std::uint32_t bits = usable; bits != 0; bits &= bits - 1) {
        const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
        if (ledger.balance(merchant.fiat_account(method)) > 0) return &merchant;
      }
    }
    return nullptr;
  };
  const Merchant* seller = first_with(sell_ads_, true);
  const Merchant* buyer = first_with(buy_ads_, false);
  if (seller == nullptr || buyer == nullptr) return -1.0;
  double mid = 0.5 * (seller->sell_price + buyer->buy_price);
  return (seller->sell_price - buyer->buy_price) / mid * 1e4;
}

}  // namespace p2psim
