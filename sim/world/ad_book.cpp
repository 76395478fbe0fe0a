#include "world/ad_book.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>

namespace p2psim {
namespace {

constexpr std::uint32_t kMaxAdsViewed = 64;

bool accepts(const Merchant& merchant, std::uint8_t method) {
  return (merchant.accepted_methods >> method) & 1u;
}

bool has_inventory(const Merchant& merchant, const AdRequest& request, const Ledger& ledger) {
  if (request.side == TradeSide::kUserBuys) {
    return ledger.balance(merchant.usdt_account) >= request.usdt;
  }
  return uncommitted_fiat(merchant, ledger, request.payment_method) >=
         fiat_for(request.usd, merchant.buy_price);
}

// Can the merchant take a new order now: advertising, below capacity, and the account of the
// order's payment method accepted and not frozen.
bool can_take(const Merchant& merchant, std::uint8_t method) {
  return merchant.advertising() && merchant.open_orders < merchant.capacity_limit &&
         accepts(merchant, method) && !merchant.frozen(method);
}

}  // namespace

double choice_utility(const Merchant& merchant, const ChoiceModel& model) {
  return -model.price_sensitivity * merchant.margin_bps / 100.0 +
         model.quality_sensitivity * merchant.completion_rate();
}

void AdBook::list(std::span<const Merchant> merchants,
                  std::span<const MerchantId> market_merchants) {
  first_merchant_ = market_merchants.empty()
                        ? 0
                        : *std::min_element(market_merchants.begin(), market_merchants.end());
  rank(sell_ads_, merchants, market_merchants, true);
  rank(buy_ads_, merchants, market_merchants, false);
}

void AdBook::rank(Listing& listing, std::span<const Merchant> merchants,
                  std::span<const MerchantId> market_merchants, bool cheapest_first) {
  auto price = [&](MerchantId id) {
    return cheapest_first ? merchants[id].sell_price : -merchants[id].buy_price;
  };
  listing.merchant_at.assign(market_merchants.begin(), market_merchants.end());
  // Ties broken by id, so the listing never depends on the sort's internals.
  std::sort(listing.merchant_at.begin(), listing.merchant_at.end(),
            [&](MerchantId a, MerchantId b) {
              return price(a) < price(b) || (price(a) == price(b) && a < b);
            });
  const std::size_t count = listing.merchant_at.size();
  listing.accepted_at.resize(count);
  listing.offered_at.resize(count);
  listing.rank_of.assign(count, 0);
  listing.words = (count + 63) / 64;
  listing.visible.assign(listing.words * kMaxPaymentMethods, 0);
  for (std::uint32_t rank = 0; rank < count; ++rank) {
    MerchantId id = listing.merchant_at[rank];
    assert(id - first_merchant_ < count && "a market's merchants have consecutive ids");
    listing.offered_at[rank] = 0;  // set_offered flips bits from this
    listing.rank_of[id - first_merchant_] = rank;
    listing.accepted_at[rank] = merchants[id].accepted_methods;
    set_offered(listing, rank, merchants[id].accepted_methods);
  }
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

bool AdBook::offers(MerchantId merchant, TradeSide side, std::uint8_t method) const {
  const Listing& listing = side == TradeSide::kUserBuys ? sell_ads_ : buy_ads_;
  return (listing.offered_at[listing.rank_of[merchant - first_merchant_]] >> method) & 1u;
}

void AdBook::set_offered_methods(MerchantId merchant, TradeSide side, std::uint32_t methods) {
  Listing& listing = side == TradeSide::kUserBuys ? sell_ads_ : buy_ads_;
  set_offered(listing, listing.rank_of[merchant - first_merchant_], methods);
}

MerchantId AdBook::match(const AdRequest& request, const ChoiceModel& model,
                         std::span<const Merchant> merchants, const Ledger& ledger,
                         RandomStream& stream) const {
  if (request.usd < model.min_order_usd || request.usd > model.max_order_usd) return kNobody;
  if (request.usd < model.method_min_usd[request.payment_method] ||
      request.usd > model.method_max_usd[request.payment_method]) {
    return kNobody;
  }
  const Listing& ads = request.side == TradeSide::kUserBuys ? sell_ads_ : buy_ads_;
  const std::uint32_t wanted = std::min(model.ads_viewed, kMaxAdsViewed);
  // Only the ads shown for the user's payment method are scanned.
  const std::uint64_t* visible = ads.visible.data() + request.payment_method * ads.words;
  std::array<MerchantId, kMaxAdsViewed> seen;
  std::uint32_t count = 0;
  for (std::size_t word = 0; word < ads.words && count < wanted; ++word) {
    for (std::uint64_t bits = visible[word]; bits != 0 && count < wanted; bits &= bits - 1) {
      const std::size_t rank = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      const MerchantId id = ads.merchant_at[rank];
      const Merchant& merchant = merchants[id];
      if (!can_take(merchant, request.payment_method) ||
          !has_inventory(merchant, request, ledger)) {
        continue;
      }
      seen[count++] = id;
    }
  }
  if (count == 0) return kNobody;

  // Weights relative to the most attractive ad seen, so that no sensitivity, however large,
  // can underflow them all to zero.
  double best = merchants[seen[0]].choice_utility;
  for (std::uint32_t i = 1; i < count; ++i) {
    best = std::max(best, merchants[seen[i]].choice_utility);
  }
  std::array<double, kMaxAdsViewed> weight;
  double total = 0.0;
  for (std::uint32_t i = 0; i < count; ++i) {
    weight[i] = std::exp(merchants[seen[i]].choice_utility - best);
    total += weight[i];
  }
  double pick = uniform01(stream) * total;
  for (std::uint32_t i = 0; i < count; ++i) {
    pick -= weight[i];
    if (pick < 0.0) return seen[i];
  }
  return seen[count - 1];
}

double AdBook::best_spread_bps(std::span<const Merchant> merchants, const Ledger& ledger) const {
  // Inventory on a usable account: USDT for sell ads, fiat of an unfrozen method for buy ads.
  auto has_stock = [&](const Merchant& merchant, bool usdt) {
    const std::uint32_t usable = merchant.accepted_methods & ~merchant.frozen_methods;
    if (!merchant.advertising() || usable == 0) return false;
    if (usdt) return ledger.balance(merchant.usdt_account) > 0;
    for (std::uint32_t bits = usable; bits != 0; bits &= bits - 1) {
      const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
      if (ledger.balance(merchant.fiat_account(method)) > 0) return true;
    }
    return false;
  };
  auto first_with = [&](const Listing& ads, bool usdt) -> const Merchant* {
    for (MerchantId id : ads.merchant_at) {
      if (has_stock(merchants[id], usdt)) return &merchants[id];
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
