#include "world/merchant_pricing.hpp"

#include <algorithm>
#include <bit>

namespace p2psim {

void MerchantPricing::add_merchant(Merchant& merchant, const MerchantConfig& settings) {
  Trading trading;
  if (settings.competitive_pricing) {
    trading.cost_floor_bps =
        std::clamp(settings.cost_floor_bps_mean +
                       settings.cost_floor_bps_sd * standard_normal(merchant.stream),
                   std::min(settings.min_margin_bps, kMaxMarginBps), kMaxMarginBps);
  }
  trading_.push_back(trading);
}

std::array<BestMargins, 2> MerchantPricing::competing_book(std::span<const MerchantId> merchants,
                                                           double min_order_usd) const {
  // An ad competes when its merchant advertises and holds enough for the smallest order on that
  // side; one at capacity still does (its price is on the page again minutes later).
  std::array<BestMargins, 2> book{};
  for (MerchantId id : merchants) {
    const Merchant& merchant = merchants_[id];
    if (!merchant.advertising()) continue;
    const std::uint32_t usable = merchant.accepted_methods & ~merchant.frozen_methods;
    if (usable == 0) continue;
    if (static_cast<double>(ledger_.balance(merchant.usdt_account)) >=
        min_order_usd * kMicroUsdtPerUsdt) {
      book[0].offer(id.index(), merchant.sell_margin_bps);
    }
    const double min_fiat = min_order_usd * merchant.buy_price * kFiatMinorPerUnit;
    for (std::uint32_t bits = usable; bits != 0; bits &= bits - 1) {
      const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
      if (static_cast<double>(uncommitted_fiat(merchant, ledger_, method)) >= min_fiat) {
        book[1].offer(id.index(), merchant.buy_margin_bps);
        break;
      }
    }
  }
  return book;
}

AdMargins MerchantPricing::margins(MerchantId id, const std::array<BestMargins, 2>& book,
                                   double rate_change_over_day,
                                   const MerchantConfig& settings) const {
  const Merchant& merchant = merchants_[id];
  const double usdt_held =
      static_cast<double>(ledger_.balance(merchant.usdt_account)) / kMicroUsdtPerUsdt;
  const double premium_bps = loss_premium_bps(id, settings);
  const AdMargins ask =
      ad_margins(merchant.margin_bps + premium_bps, rate_change_over_day, usdt_held, settings);
  if (!settings.competitive_pricing) return ask;
  const AdMargins floor = ad_margins(trading_[id.index()].cost_floor_bps + premium_bps,
                                     rate_change_over_day, usdt_held, settings);
  const AdMargins best_other{book[0].other_than(id.index()), book[1].other_than(id.index())};
  return competing_margins(ask, floor, best_other, settings.undercut_bps);
}

double MerchantPricing::loss_premium_bps(MerchantId id, const MerchantConfig& settings) const {
  // A merchant's own fraud losses in bps of what it traded, judged against at least its
  // capital's worth of trading so that one early loss does not price it out.
  if (settings.loss_pricing_weight == 0.0) return 0.0;
  const Trading& trading = trading_[id.index()];
  const double judged_usd =
      std::max(trading.volume_usd, settings.usdt_inventory + settings.fiat_inventory_usd);
  if (judged_usd <= 0.0) return 0.0;
  return settings.loss_pricing_weight * 1e4 * std::max(0.0, trading.loss_usd) / judged_usd;
}

}  // namespace p2psim
