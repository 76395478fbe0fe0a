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

double choice_utility(const Merchant& merchant, const ChoiceModel& model, TradeSide side) {
  const double margin_bps =
      side == TradeSide::kUserBuys ? merchant.sell_margin_bps : merchant.buy_margin_bps;
  return -model.price_sensitivity * margin_bps / 100.0 +
         model.quality_sensitivity * merchant.completion_rate();
}

void AdBook::list(std::span<const Merchant> merchants,
                  std::span<const MerchantId> market_merchants) {
  first_merchant_ = market_merchants.empty()
                        ? 0
                        : *std::min_element(market_merchants.begin(), market_merchants.end());
  rank(sell_ads_, merchants, market_merchants, true);
  rank(buy_ads_, merchants, market_merchants, false);
  was_visible_.assign(market_merchants.size(), 0);
}

namespace {

// Best price first; ties broken by id, so the listing never depends on the sort's internals.
struct RankOrder {
  std::span<const Merchant> merchants;
  bool cheapest_first;
  double price(MerchantId id) const {
    return cheapest_first ? merchants[id].sell_price : -merchants[id].buy_price;
  }
  bool operator()(MerchantId a, MerchantId b) const {
    return price(a) < price(b) || (price(a) == price(b) && a < b);
  }
};

}  // namespace

void AdBook::rank(Listing& listing, std::span<const Merchant> merchants,
                  std::span<const MerchantId> market_merchants, bool cheapest_first) {
  listing.merchant_at.assign(market_merchants.begin(), market_merchants.end());
  std::sort(listing.merchant_at.begin(), listing.merchant_at.end(),
            RankOrder{merchants, cheapest_first});
  const std::size_t count = listing.merchant_at.size();
  listing.accepted_at.resize(count);
  listing.rank_of.assign(count, 0);
  listing.visible.assign((count + 63) / 64, 0);
  for (std::uint32_t rank = 0; rank < count; ++rank) {
    listing.visible[rank / 64] |= std::uint64_t{1} << (rank % 64);
  }
  index_ranks(listing, merchants);
}

// Rebuilds what is indexed by rank from merchant_at, except visibility.
void AdBook::index_ranks(Listing& listing, std::span<const Merchant> merchants) {
  const std::size_t count = listing.merchant_at.size();
  for (std::uint32_t rank = 0; rank < count; ++rank) {
    MerchantId id = listing.merchant_at[rank];
    assert(id - first_merchant_ < count && "a market's merchants have consecutive ids");
    listing.accepted_at[rank] = merchants[id].accepted_methods & enabled_methods_;
    listing.rank_of[id - first_merchant_] = rank;
  }
}

void AdBook::rerank(std::span<const Merchant> merchants) {
  rerank(sell_ads_, merchants, true);
  rerank(buy_ads_, merchants, false);
}

void AdBook::rerank(Listing& listing, std::span<const Merchant> merchants, bool cheapest_first) {
  RankOrder order{merchants, cheapest_first};
  if (std::is_sorted(listing.merchant_at.begin(), listing.merchant_at.end(), order)) return;
  const std::size_t count = listing.merchant_at.size();
  for (std::uint32_t rank = 0; rank < count; ++rank) {
    was_visible_[listing.merchant_at[rank] - first_merchant_] =
        (listing.visible[rank / 64] >> (rank % 64)) & 1u;
  }
  std::sort(listing.merchant_at.begin(), listing.merchant_at.end(), order);
  index_ranks(listing, merchants);
  for (std::uint32_t rank = 0; rank < count; ++rank) {
    const std::uint64_t bit = std::uint64_t{1} << (rank % 64);
    if (was_visible_[listing.merchant_at[rank] - first_merchant_] != 0) {
      listing.visible[rank / 64] |= bit;
    } else {
      listing.visible[rank / 64] &= ~bit;
    }
  }
}

void AdBook::set_method_enabled(std::uint8_t method, bool enabled,
                                std::span<const Merchant> merchants) {
  const std::uint32_t bit = 1u << method;
  enabled_methods_ = enabled ? (enabled_methods_ | bit) : (enabled_methods_ & ~bit);
  index_ranks(sell_ads_, merchants);
  index_ranks(buy_ads_, merchants);
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
  // A disabled payment method (a platform rule) serves nobody.
  const std::uint32_t methods = request.payment_methods & enabled_methods_;
  if (methods == 0) return kNobody;
  std::array<MerchantId, kMaxAdsViewed> seen;
  std::uint32_t count = 0;
  for (std::size_t word = 0; word < ads.visible.size() && count < wanted; ++word) {
    for (std::uint64_t bits = ads.visible[word]; bits != 0 && count < wanted; bits &= bits - 1) {
      const std::size_t rank = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      if ((ads.accepted_at[rank] & methods) == 0) continue;
      const MerchantId id = ads.merchant_at[rank];
      const Merchant& merchant = merchants[id];
      if (merchant.open_orders >= merchant.capacity_limit || !accepts_any(merchant, methods) ||
          !has_inventory(merchant, request, ledger)) {
        continue;
      }
      seen[count++] = id;
    }
  }
  if (count == 0) return kNobody;

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
    if (pick < 0.0) return seen[i];
  }
  return seen[count - 1];
}

double AdBook::best_spread_bps(std::span<const Merchant> merchants, const Ledger& ledger) const {
  auto first_with = [&](const Listing& ads, bool usdt) -> const Merchant* {
    for (std::size_t rank = 0; rank < ads.merchant_at.size(); ++rank) {
      if (ads.accepted_at[rank] == 0) continue;  // only disabled payment methods: not shown
      const Merchant& merchant = merchants[ads.merchant_at[rank]];
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
