// Merchants: set-up, inventory per payment method and daily rebalancing, online hours, bank
// account freezes, profit and loss, exit and entry, the platform's eligibility rule, and which
// of their ads are visible.
#include "world/world.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>

#include "world/market_response.hpp"
#include "world/stream_purpose.hpp"

namespace p2psim {
namespace {

bool is_listed(const Merchant& merchant) {
  return merchant.status == MerchantStatus::kListed || merchant.status == MerchantStatus::kLeaving;
}

}  // namespace

void World::create_merchants(Market& market, std::uint16_t index) {
  const MarketConfig& config = *market.config;
  const MerchantConfig& settings = config.merchants;
  const MerchantEligibilityConfig& eligibility = config.rules.merchant_eligibility;
  // Slots past `count` are dormant until an entrant takes them: a market's merchants keep
  // consecutive ids and the ad book can rank them all once.
  const std::uint32_t slots = settings.count + settings.max_entrants;
  RandomStream hours(config_.simulation.seed, replication_,
                     stream_id(kMerchantHoursStream, index, 0));
  for (std::uint32_t number = 0; number < slots; ++number) {
    Merchant merchant{};
    merchant.stream = RandomStream(config_.simulation.seed, replication_,
                                   stream_id(kMerchantStream, index, number));
    merchant.usdt_account = ledger_.open_account(0);
    merchant.first_fiat_account = ledger_.open_account(market.fiat_currency);
    for (std::size_t method = 1; method < config.payment_methods.size(); ++method) {
      ledger_.open_account(market.fiat_currency);
    }
    merchant.deposit_account = ledger_.open_account(0);
    merchant.market = index;
    merchant.capacity_limit = settings.capacity;
    // Floored like every margin, and capped so that a buy ad's price stays positive.
    merchant.margin_bps = std::clamp(
        settings.margin_bps_mean + settings.margin_bps_sd * standard_normal(merchant.stream),
        std::min(settings.min_margin_bps, kMaxMarginBps), kMaxMarginBps);
    set_prices(merchant, market.rate.value(), merchant.margin_bps, merchant.margin_bps);
    std::uint32_t wanted =
        std::min<std::uint32_t>(settings.payment_methods_each, config.payment_methods.size());
    while (static_cast<std::uint32_t>(std::popcount(merchant.accepted_methods)) < wanted) {
      merchant.accepted_methods |= 1u << market.method_shares.draw(merchant.stream);
    }
    if (settings.online_hours < 24) {
      merchant.online_start_hour =
          static_cast<std::uint8_t>(std::min(23.0, 24.0 * uniform01(hours)));
    }
    merchant.online = online_at(merchant, 0.0);
    merchant.probation_until_day = static_cast<std::int32_t>(eligibility.probation_days);
    merchant.status = number < settings.count ? MerchantStatus::kListed : MerchantStatus::kDormant;
    if (merchant.status == MerchantStatus::kListed && settings.deposit_usdt > 0.0) {
      ledger_.transfer(outside_usdt_, merchant.deposit_account,
                       to_micro_usdt(settings.deposit_usdt));
    }
    market.merchants.push_back(static_cast<MerchantId>(merchants_.size()));
    merchants_.push_back(merchant);
  }
}

// ---- inventory ---------------------------------------------------------------------------------

void World::restock_merchants(const Market& market) {
  // Merchants rebalance off-platform once a day, back to their target inventory. Leaving
  // merchants are not restocked; frozen accounts are left alone.
  const MerchantConfig& settings = market.config->merchants;
  const MinorUnits usdt_target = to_micro_usdt(settings.usdt_inventory);
  for (MerchantId id : market.merchants) {
    const Merchant& merchant = merchants_[id];
    if (merchant.status == MerchantStatus::kListed) {
      MinorUnits usdt_gap = usdt_target - ledger_.balance(merchant.usdt_account);
      if (usdt_gap > 0) ledger_.transfer(outside_usdt_, merchant.usdt_account, usdt_gap);
      rebalance_fiat(merchant, market);
    }
    refresh_ads(id);
  }
}

void World::rebalance_fiat(const Merchant& merchant, const Market& market) {
  // The fiat target is split evenly between the accepted methods. Surpluses (beyond the target
  // and not reserved for open orders) first move to the merchant's short accounts; what is
  // still short is then topped up from outside.
  const int accepted = std::popcount(merchant.accepted_methods);
  if (accepted == 0) return;
  const MinorUnits target =
      to_fiat_minor(market.config->merchants.fiat_inventory_usd * market.rate.value()) / accepted;
  const std::uint32_t usable = merchant.accepted_methods & ~merchant.frozen_methods;
  std::array<MinorUnits, kMaxPaymentMethods> surplus{};
  for (std::uint32_t bits = usable; bits != 0; bits &= bits - 1) {
    const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
    const MinorUnits balance = ledger_.balance(merchant.fiat_account(method));
    surplus[method] = std::max<MinorUnits>(
        0, std::min(balance - target, uncommitted_fiat(merchant, ledger_, method)));
  }
  for (std::uint32_t bits = usable; bits != 0; bits &= bits - 1) {
    const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
    const AccountId account = merchant.fiat_account(method);
    MinorUnits gap = target - ledger_.balance(account);
    for (std::uint32_t from = usable; from != 0 && gap > 0; from &= from - 1) {
      const auto source = static_cast<std::uint8_t>(std::countr_zero(from));
      const MinorUnits moved = std::min(gap, surplus[source]);
      if (moved <= 0) continue;
      ledger_.transfer(merchant.fiat_account(source), account, moved);
      surplus[source] -= moved;
      gap -= moved;
    }
    if (gap > 0) ledger_.transfer(market.outside_fiat, account, gap);
  }
}

void World::refresh_ads(MerchantId id) {
  // Hide an ad that cannot take even the smallest order, per payment method; the margin of one
  // minor unit keeps the flag on the safe side of rounding (match() checks exact inventory).
  const Merchant& merchant = merchants_[id];
  Market& market = markets_[merchant.market];
  const double min_usd = market.config->merchants.min_order_usd;
  std::uint32_t sell_methods = 0;
  std::uint32_t buy_methods = 0;
  if (merchant.advertising() && merchant.open_orders < merchant.capacity_limit) {
    const std::uint32_t usable = merchant.accepted_methods & ~merchant.frozen_methods;
    const double usdt = static_cast<double>(ledger_.balance(merchant.usdt_account));
    if (usdt + 1.0 >= min_usd * kMicroUsdtPerUsdt) sell_methods = usable;
    const double min_fiat = min_usd * merchant.buy_price * kFiatMinorPerUnit;
    for (std::uint32_t bits = usable; bits != 0; bits &= bits - 1) {
      const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
      const double fiat = static_cast<double>(uncommitted_fiat(merchant, ledger_, method));
      if (fiat + 1.0 >= min_fiat) buy_methods |= 1u << method;
    }
  }
  market.ads.set_offered_methods(id, TradeSide::kUserBuys, sell_methods);
  market.ads.set_offered_methods(id, TradeSide::kUserSells, buy_methods);
}

bool World::ad_offered(MerchantId id, TradeSide side, std::uint8_t method) const {
  return markets_[merchants_[id].market].ads.offers(id, side, method);
}

// ---- online hours ------------------------------------------------------------------------------

bool World::online_at(const Merchant& merchant, Seconds time) const {
  const std::uint32_t online_hours = config_.markets[merchant.market].merchants.online_hours;
  if (online_hours >= 24) return true;
  const auto hour = static_cast<std::uint32_t>(std::fmod(time, kDay) / kHour);
  return (hour + 24 - merchant.online_start_hour) % 24 < online_hours;
}

Seconds World::next_online_time(const Merchant& merchant, Seconds time) const {
  if (online_at(merchant, time)) return time;
  const Seconds into_day = std::fmod(time, kDay);
  Seconds wait = merchant.online_start_hour * kHour - into_day;
  if (wait <= 0.0) wait += kDay;
  return time + wait;
}

void World::update_online_hours(Market& market) {
  if (market.config->merchants.online_hours >= 24) return;
  for (MerchantId id : market.merchants) {
    Merchant& merchant = merchants_[id];
    const bool online = online_at(merchant, now_);
    if (online == merchant.online) continue;
    merchant.online = online;
    refresh_ads(id);
  }
}

// ---- freezes -----------------------------------------------------------------------------------

void World::on_tainted_fiat(OrderId id) {
  const Order& order = orders_[id];
  const Merchant& merchant = merchants_[order.merchant];
  if (merchant.status == MerchantStatus::kGone) return;
  Market& market = markets_[order.market];
  const PaymentMethodConfig& method = market.config->payment_methods[order.payment_method];
  if (method.freeze_probability <= 0.0) return;
  if (!bernoulli(market.freezes, method.freeze_probability)) return;
  freeze_account(order.merchant, order.payment_method,
                 exponential(market.freezes, method.freeze_days_mean) * kDay);
}

void World::freeze_account(MerchantId id, std::uint8_t method, Seconds duration) {
  Merchant& merchant = merchants_[id];
  const std::uint32_t subject = id * kMaxPaymentMethods + method;
  const Seconds from = merchant.frozen(method) ? frozen_until_[subject] : now_;
  const Seconds end = now_ + duration;
  if (end <= from) return;  // already frozen for longer
  // merchant_freeze_days: the newly frozen time, split over the days it covers.
  const Seconds stop = std::min(end, horizon_);
  for (Seconds time = from; time < stop;) {
    const std::int32_t day_index = day_of(time);
    const Seconds piece = std::min(stop, (day_index + 1) * kDay) - time;
    day(merchant.market, day_index).merchant_freeze_days += piece / kDay;
    time += piece;
  }
  frozen_until_[subject] = end;
  merchant.frozen_methods |= 1u << method;
  refresh_ads(id);
  queue_.schedule(end, kFreezeEnds, subject);
}

void World::on_freeze_ends(std::uint32_t subject) {
  if (now_ < frozen_until_[subject]) return;  // the freeze was extended meanwhile
  const MerchantId id = subject / kMaxPaymentMethods;
  const auto method = static_cast<std::uint8_t>(subject % kMaxPaymentMethods);
  Merchant& merchant = merchants_[id];
  merchant.frozen_methods &= ~(1u << method);
  if (merchant.status == MerchantStatus::kGone && merchant.pending_clawbacks == 0) {
    // The merchant left while the account was frozen: it withdraws the fiat now.
    const MinorUnits balance = ledger_.balance(merchant.fiat_account(method));
    if (balance > 0) {
      ledger_.transfer(merchant.fiat_account(method), markets_[merchant.market].outside_fiat,
                       balance);
    }
  }
  refresh_ads(id);
}

void World::on_merchant_vanishes(MerchantId id) {
  // Its ads never show again, it counts in no spread, and its deposit stays with the platform.
  merchants_[id].capacity_limit = 0;
  merchants_[id].status = MerchantStatus::kGone;
  refresh_ads(id);
}

// ---- profit and loss ---------------------------------------------------------------------------

MinorUnits World::exit_scam_deposit_covers(OrderId id, MinorUnits loss) {
  // The platform pays the victim out of the scammer's deposit, as far as it goes.
  const Order& order = orders_[id];
  const Merchant& merchant = merchants_[order.merchant];
  const MinorUnits covered = std::min(loss, ledger_.balance(merchant.deposit_account));
  if (covered > 0) {
    ledger_.transfer(merchant.deposit_account, users_[order.user].usdt_account, covered);
  }
  return covered;
}

void World::book_merchant_pnl(MerchantId id, double usd) {
  merchants_[id].book_pnl(usd, today(merchants_[id].market));
}

void World::book_spread(const Order& order) {
  // The spread is the ad price's distance from the reference rate at completion, valued in USD:
  // what the merchant earns over trading the same USDT at the reference rate.
  const double fiat_usd =
      static_cast<double>(order.fiat) / kFiatMinorPerUnit / markets_[order.market].rate.value();
  book_merchant_pnl(order.merchant, order.side == TradeSide::kUserBuys ? fiat_usd - order.usd
                                                                       : order.usd - fiat_usd);
}

// ---- the day's close: costs, exit, eligibility, entry -------------------------------------------

void World::charge_daily_costs(std::uint16_t market_index, std::int32_t day_index) {
  Market& market = markets_[market_index];
  const double cost = market.config->merchants.daily_cost_usd;
  KpiCounters& counters = day(market_index, day_index);
  for (MerchantId id : market.merchants) {
    Merchant& merchant = merchants_[id];
    if (!is_listed(merchant)) continue;
    merchant.pnl_today_usd -= cost;
    counters.merchant_pnl_usd -= cost;
  }
}

void World::close_merchant_day(std::uint16_t market_index, std::int32_t day_index) {
  charge_daily_costs(market_index, day_index);
  Market& market = markets_[market_index];
  for (MerchantId id : market.merchants) {
    Merchant& merchant = merchants_[id];
    if (!is_listed(merchant)) continue;
    merchant_history_[id * history_days_ + day_index % history_days_] = {
        merchant.pnl_today_usd, merchant.finished_today, merchant.completed_today};
    merchant.pnl_today_usd = 0.0;
    merchant.finished_today = 0;
    merchant.completed_today = 0;
    judge_merchant(id, day_index);
    if (!market.config->rules.merchant_tiers.empty()) assign_tier(id, day_index);
  }
  admit_entrants(market_index, day_index);
}

void World::judge_merchant(MerchantId id, std::int32_t day_index) {
  Merchant& merchant = merchants_[id];
  // A scammer is not judged: it vanishes on its own, and never with its deposit.
  if (merchant.status != MerchantStatus::kListed || merchant.exit_scamming) return;
  const MarketConfig& config = *markets_[merchant.market].config;
  const std::int32_t listed_days = day_index - merchant.entered_day + 1;
  // Sums over the last `days` days ending today (never before the merchant's entry).
  auto window = [&](std::uint32_t days) {
    MerchantDay sum;
    const std::int32_t first = std::max(merchant.entered_day, day_index - std::int32_t(days) + 1);
    for (std::int32_t d = first; d <= day_index; ++d) {
      const MerchantDay& record = merchant_history_[id * history_days_ + d % history_days_];
      sum.pnl_usd += record.pnl_usd;
      sum.finished += record.finished;
      sum.completed += record.completed;
    }
    return sum;
  };
  const std::uint32_t exit_days = config.merchants.exit_after_days;
  if (exit_days > 0 && listed_days >= std::int32_t(exit_days) && window(exit_days).pnl_usd < 0.0) {
    merchant.status = MerchantStatus::kLeaving;
    refresh_ads(id);
    leave_if_done(id);
    return;
  }
  const MerchantEligibilityConfig& rule = config.rules.merchant_eligibility;
  if (!rule.enabled) return;
  if (merchant.suspended) {
    if (day_index + 1 < merchant.suspended_until_day) return;
    merchant.suspended = false;
    merchant.probation_until_day = day_index + 1 + std::int32_t(rule.probation_days);
    refresh_ads(id);
    return;
  }
  if (day_index + 1 < merchant.probation_until_day) return;
  const MerchantDay recent = window(rule.window_days);
  const bool eligible =
      ledger_.balance(merchant.deposit_account) >= to_micro_usdt(rule.min_deposit_usdt) &&
      recent.finished >= rule.min_orders &&
      recent.completed >= rule.min_completion_rate * recent.finished;
  if (eligible) return;
  merchant.suspended = true;
  merchant.suspended_until_day = day_index + 1 + std::int32_t(rule.suspension_days);
  ++day(merchant.market, day_index).merchants_suspended;
  refresh_ads(id);
}

void World::assign_tier(MerchantId id, std::int32_t day_index) {
  // The highest tier whose requirements the merchant meets; requirements never decrease from one
  // tier to the next, so the first one missed ends the search. The first tier has none.
  Merchant& merchant = merchants_[id];
  if (!is_listed(merchant)) return;  // went today, its last orders finished
  const std::vector<MerchantTierConfig>& tiers =
      markets_[merchant.market].config->rules.merchant_tiers;
  const MinorUnits deposit = ledger_.balance(merchant.deposit_account);
  const double completion_rate = merchant.completion_rate();
  std::uint8_t tier = 0;
  for (std::size_t next = 1; next < tiers.size(); ++next) {
    const MerchantTierConfig& requirements = tiers[next];
    if (merchant.orders_completed < requirements.min_completed_orders ||
        completion_rate < requirements.min_completion_rate ||
        deposit < to_micro_usdt(requirements.min_deposit_usdt)) {
      break;
    }
    tier = static_cast<std::uint8_t>(next);
  }
  KpiCounters& counters = day(merchant.market, day_index);
  counters.merchant_tier_promotions += tier > merchant.tier;
  counters.merchant_tier_demotions += tier < merchant.tier;
  counters.merchant_tier_days += 1;
  counters.merchant_tier_sum += tier;
  merchant.tier = tier;
}

void World::admit_entrants(std::uint16_t market_index, std::int32_t day_index) {
  // A Poisson number of entrants per day, rate = entry_per_day + entry_per_day_per_bps x
  // max(0, the day's average spread - entry_spread_threshold_bps); they join at the close.
  Market& market = markets_[market_index];
  const MerchantConfig& settings = market.config->merchants;
  if (market.entrants >= settings.max_entrants) return;
  const KpiCounters& counters = day(market_index, day_index);
  const double spread = counters.spread_samples > 0
                            ? counters.spread_bps_sum / static_cast<double>(counters.spread_samples)
                            : 0.0;
  const double rate =
      settings.entry_per_day +
      settings.entry_per_day_per_bps * std::max(0.0, spread - settings.entry_spread_threshold_bps);
  if (rate <= 0.0) return;
  for (double time = exponential(market.entries, 1.0 / rate);
       time < 1.0 && market.entrants < settings.max_entrants;
       time += exponential(market.entries, 1.0 / rate)) {
    enter(market.merchants[settings.count + market.entrants], day_index + 1);
    ++market.entrants;
  }
}

void World::enter(MerchantId id, std::int32_t day_index) {
  Merchant& merchant = merchants_[id];
  const MarketConfig& config = *markets_[merchant.market].config;
  assert(merchant.status == MerchantStatus::kDormant);
  merchant.status = MerchantStatus::kListed;
  merchant.entered_day = day_index;
  merchant.probation_until_day =
      day_index + std::int32_t(config.rules.merchant_eligibility.probation_days);
  merchant.online = online_at(merchant, now_);
  if (config.merchants.deposit_usdt > 0.0) {
    ledger_.transfer(outside_usdt_, merchant.deposit_account,
                     to_micro_usdt(config.merchants.deposit_usdt));
  }
  ++today(merchant.market).merchants_entered;
  refresh_ads(id);  // inventory comes with the day's restocking
}

void World::leave_if_done(MerchantId id) {
  // A leaving merchant goes once its last open order is final: the deposit is returned and the
  // inventory withdrawn (fiat on a frozen account when the freeze ends).
  Merchant& merchant = merchants_[id];
  if (merchant.status != MerchantStatus::kLeaving || merchant.open_orders > 0 ||
      merchant.pending_clawbacks > 0) {
    return;
  }
  merchant.status = MerchantStatus::kGone;
  const Market& market = markets_[merchant.market];
  auto withdraw = [&](AccountId account, AccountId outside) {
    const MinorUnits balance = ledger_.balance(account);
    if (balance > 0) ledger_.transfer(account, outside, balance);
  };
  withdraw(merchant.deposit_account, outside_usdt_);
  withdraw(merchant.usdt_account, outside_usdt_);
  for (std::uint32_t bits = merchant.accepted_methods & ~merchant.frozen_methods; bits != 0;
       bits &= bits - 1) {
    withdraw(merchant.fiat_account(static_cast<std::uint8_t>(std::countr_zero(bits))),
             market.outside_fiat);
  }
  ++today(merchant.market).merchants_exited;
  refresh_ads(id);
}

}  // namespace p2psim
