// Merchants: set-up, daily restocking, and which of their ads are visible.
#include "world/world.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "world/stream_purpose.hpp"

namespace p2psim {

void World::create_merchants(Market& market, std::uint16_t index) {
  const MarketConfig& config = *market.config;
  const MerchantConfig& settings = config.merchants;
  for (std::uint32_t number = 0; number < settings.count; ++number) {
    Merchant merchant{};
    merchant.stream = RandomStream(config_.simulation.seed, replication_,
                                   stream_id(kMerchantStream, index, number));
    merchant.usdt_account = ledger_.open_account(0);
    merchant.fiat_account = ledger_.open_account(market.fiat_currency);
    merchant.market = index;
    merchant.capacity_limit = settings.capacity;
    double margin = std::max(settings.min_margin_bps,
                             settings.margin_bps_mean +
                                 settings.margin_bps_sd * standard_normal(merchant.stream)) /
                    1e4;
    merchant.margin_bps = margin * 1e4;
    merchant.sell_price = config.reference_rate * (1.0 + margin);
    merchant.buy_price = config.reference_rate * (1.0 - margin);
    std::uint32_t wanted =
        std::min<std::uint32_t>(settings.payment_methods_each, config.payment_methods.size());
    while (static_cast<std::uint32_t>(std::popcount(merchant.accepted_methods)) < wanted) {
      merchant.accepted_methods |= 1u << draw_payment_method(market, merchant.stream);
    }
    merchant.choice_utility = choice_utility(merchant, market.choice);
    market.merchants.push_back(static_cast<MerchantId>(merchants_.size()));
    merchants_.push_back(merchant);
  }
}

void World::withdraw_payment_method(std::uint16_t market_index, std::uint8_t method) {
  Market& market = markets_[market_index];
  for (MerchantId id : market.merchants)
    merchants_[id].accepted_methods &= ~(1u << method);
  market.ads.list(merchants_, market.merchants);  // the listing keeps each ad's methods
  for (MerchantId id : market.merchants)
    refresh_ads(id);
}

void World::restock_merchants(const Market& market) {
  // Merchants rebalance off-platform once a day, back to their target inventory.
  const MerchantConfig& settings = market.config->merchants;
  const MinorUnits usdt_target = to_micro_usdt(settings.usdt_inventory);
  const MinorUnits fiat_target =
      to_fiat_minor(settings.fiat_inventory_usd * market.config->reference_rate);
  for (MerchantId id : market.merchants) {
    const Merchant& merchant = merchants_[id];
    MinorUnits usdt_gap = usdt_target - ledger_.balance(merchant.usdt_account);
    if (usdt_gap > 0) ledger_.transfer(outside_usdt_, merchant.usdt_account, usdt_gap);
    MinorUnits fiat_gap = fiat_target - ledger_.balance(merchant.fiat_account);
    if (fiat_gap > 0) ledger_.transfer(market.outside_fiat, merchant.fiat_account, fiat_gap);
    refresh_ads(id);
  }
}

void World::refresh_ads(MerchantId id) {
  // Hide an ad that cannot take even the smallest order; the margin of one minor unit keeps the
  // flag on the safe side of rounding (match() checks exact inventory anyway).
  const Merchant& merchant = merchants_[id];
  Market& market = markets_[merchant.market];
  const double min_usd = market.config->merchants.min_order_usd;
  const bool room = merchant.open_orders < merchant.capacity_limit;
  const double usdt = static_cast<double>(ledger_.balance(merchant.usdt_account));
  const double fiat = static_cast<double>(uncommitted_fiat(merchant, ledger_));
  market.ads.set_visible(id, TradeSide::kUserBuys,
                         room && usdt + 1.0 >= min_usd * kMicroUsdtPerUsdt);
  market.ads.set_visible(id, TradeSide::kUserSells,
                         room && fiat + 1.0 >= min_usd * merchant.buy_price * kFiatMinorPerUnit);
}

}  // namespace p2psim
