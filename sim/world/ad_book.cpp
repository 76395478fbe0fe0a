#include "world/ad_book.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>

namespace p2psim {
namespace {

constexpr std::uint32_t kMaxAdsViewed = 64;

bool accepts_any(const Merchant& merchant, std::uint32_t methods) {
  return (merchant.accepted_methods & methods) != 0;
}

bool has_inventory(const Merchant& merchant, const AdRequest& request, const Ledger& ledger) {
  if (request.side == TradeSide::kUserBuys) {
    return ledger.balance(merchant.usdt_account) >= request.usdt;
  }
  return uncommitted_fiat(merchant, ledger) >= fiat_for(request.usd, merchant.buy_price);
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
  listing.rank_of.assign(count, 0);
  listing.visible.assign((count + 63) / 64, 0);
  for (std::uint32_t rank = 0; rank < count; ++rank) {
    MerchantId id = listing.merchant_at[rank];
    assert(id - first_merchant_ < count && "a market's merchants have consecutive ids");
    listing.accepted_at[rank] = merchants[id].accepted_methods;
    listing.rank_of[id - first_merchant_] = rank;
    listing.visible[rank / 64] |= std::uint64_t{1} << (rank % 64);
  }
}

void AdBook::set_visible(MerchantId merchant, TradeSide side, bool visible) {
  Listing& listing = side == TradeSide::kUserBuys ? sell_ads_ : buy_ads_;
  std::uint32_t rank = listing.rank_of[merchant - first_merchant_];
  std::uint64_t bit = std::uint64_t{1} << (rank % 64);
  if (visible) {
    listing.visible[rank / 64] |= bit;
  } else {
    listing.visible[rank / 64] &= ~bit;
  }
}

MerchantId AdBook::match(const AdRequest& request, const ChoiceModel& model,
                         std::span<const Merchant> merchants, const Ledger& ledger,
                         RandomStream& stream) const {
  if (request.usd < model.min_order_usd || request.usd > model.max_order_usd) return kNobody;
  const Listing& ads = request.side == TradeSide::kUserBuys ? sell_ads_ : buy_ads_;
  const std::uint32_t wanted = std::min(model.ads_viewed, kMaxAdsViewed);
  std::array<MerchantId, kMaxAdsViewed> seen;
  std::uint32_t count = 0;
  for (std::size_t word = 0; word < ads.visible.size() && count < wanted; ++word) {
    for (std::uint64_t bits = ads.visible[word]; bits != 0 && count < wanted; bits &= bits - 1) {
      const std::size_t rank = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      if ((ads.accepted_at[rank] & request.payment_methods) == 0) continue;
      const MerchantId id = ads.merchant_at[rank];
      const Merchant& merchant = merchants[id];
      if (merchant.open_orders >= merchant.capacity_limit ||
          !accepts_any(merchant, request.payment_methods) ||
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
  auto first_with = [&](const Listing& ads, bool usdt) -> const Merchant* {
    for (MerchantId id : ads.merchant_at) {
      const Merchant& merchant = merchants[id];
      AccountId account = usdt ? merchant.usdt_account : merchant.fiat_account;
      if (ledger.balance(account) > 0) return &merchant;
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
