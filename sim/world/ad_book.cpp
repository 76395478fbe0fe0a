#include "world/ad_book.hpp"

#include <algorithm>
#include <array>
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
  double fiat = static_cast<double>(request.usdt) / kMicroUsdtPerUsdt * merchant.buy_price *
                kFiatMinorPerUnit;
  return static_cast<double>(ledger.balance(merchant.fiat_account)) >= fiat;
}

}  // namespace

double choice_weight(const Merchant& merchant, const ChoiceModel& model) {
  return std::exp(-model.price_sensitivity * merchant.margin_bps / 100.0 +
                  model.quality_sensitivity * merchant.completion_rate());
}

void AdBook::list(std::span<const Merchant> merchants,
                  std::span<const MerchantId> market_merchants) {
  sell_ads_.assign(market_merchants.begin(), market_merchants.end());
  buy_ads_.assign(market_merchants.begin(), market_merchants.end());
  // Ties broken by id, so the listing never depends on the sort's internals.
  std::sort(sell_ads_.begin(), sell_ads_.end(), [&](MerchantId a, MerchantId b) {
    return merchants[a].sell_price < merchants[b].sell_price ||
           (merchants[a].sell_price == merchants[b].sell_price && a < b);
  });
  std::sort(buy_ads_.begin(), buy_ads_.end(), [&](MerchantId a, MerchantId b) {
    return merchants[a].buy_price > merchants[b].buy_price ||
           (merchants[a].buy_price == merchants[b].buy_price && a < b);
  });
}

MerchantId AdBook::match(const AdRequest& request, const ChoiceModel& model,
                         std::span<const Merchant> merchants, const Ledger& ledger,
                         RandomStream& stream) const {
  if (request.usd < model.min_order_usd || request.usd > model.max_order_usd) return kNobody;
  const auto& ads = request.side == TradeSide::kUserBuys ? sell_ads_ : buy_ads_;
  const std::uint32_t wanted = std::min(model.ads_viewed, kMaxAdsViewed);
  std::array<MerchantId, kMaxAdsViewed> seen;
  std::uint32_t count = 0;
  for (MerchantId id : ads) {
    const Merchant& merchant = merchants[id];
    if (merchant.open_orders >= merchant.capacity_limit ||
        !accepts(merchant, request.payment_method) || !has_inventory(merchant, request, ledger)) {
      continue;
    }
    seen[count++] = id;
    if (count == wanted) break;
  }
  if (count == 0) return kNobody;

  double total = 0.0;
  for (std::uint32_t i = 0; i < count; ++i)
    total += merchants[seen[i]].choice_weight;
  double pick = uniform01(stream) * total;
  for (std::uint32_t i = 0; i < count; ++i) {
    pick -= merchants[seen[i]].choice_weight;
    if (pick < 0.0) return seen[i];
  }
  return seen[count - 1];
}

double AdBook::best_spread_bps(std::span<const Merchant> merchants, const Ledger& ledger) const {
  auto first_with = [&](const std::vector<MerchantId>& ads, bool usdt) -> const Merchant* {
    for (MerchantId id : ads) {
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
