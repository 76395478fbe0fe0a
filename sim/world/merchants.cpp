#include "world/merchants.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>

#include "world/event_kind.hpp"
#include "world/market_response.hpp"
#include "world/stream_purpose.hpp"

namespace p2psim {
namespace {

bool is_listed(const Merchant& merchant) {
  return merchant.status == MerchantStatus::kListed || merchant.status == MerchantStatus::kLeaving;
}

}  // namespace

Merchants::Merchants(const Wiring& wiring)
    : config_(wiring.config),
      replication_(wiring.replication),
      now_(wiring.now),
      horizon_(wiring.horizon),
      queue_(wiring.queue),
      ledger_(wiring.ledger),
      metrics_(wiring.metrics),
      merchants_(wiring.merchants),
      users_(wiring.users),
      orders_(wiring.orders),
      outside_usdt_(wiring.outside_usdt),
      capital_({wiring.config, wiring.now, wiring.queue, wiring.ledger, wiring.merchants,
                wiring.outside_usdt}),
      freezes_({wiring.config, wiring.replication, wiring.now, wiring.horizon, wiring.queue,
                wiring.ledger, wiring.metrics, wiring.merchants}),
      pricing_(wiring.ledger, wiring.merchants) {
  markets_.reserve(config_.markets.size());
  for (const MarketConfig& market : config_.markets) {
    history_days_ = std::max({history_days_, market.merchants.exit_after_days,
                              market.rules.merchant_eligibility.enabled
                                  ? market.rules.merchant_eligibility.window_days
                                  : 1u});
  }
}

void Merchants::add_market(std::uint16_t index, AccountId outside_fiat,
                           const PaymentMethodShares& shares) {
  const MarketConfig& config = config_.markets[index];
  auto stream = [&](std::uint32_t purpose) {
    return RandomStream(config_.simulation.seed, replication_, stream_id(purpose, index, 0));
  };
  MarketMerchants market{
      .outside_fiat = outside_fiat,
      .merchants = {},
      .ads = AdBook(),
      .choice = ChoiceModel{config.users.price_sensitivity, config.users.quality_sensitivity,
                            config.users.ads_viewed, config.merchants.min_order_usd,
                            config.merchants.max_order_usd},
      .rate = ReferenceRate(config.reference_rate, config.rate, stream(kReferenceRateStream)),
      .entries = stream(kMerchantEntryStream),
  };
  for (std::size_t method = 0; method < config.payment_methods.size(); ++method) {
    market.choice.method_min_usd[method] = config.payment_methods[method].min_order_usd;
    market.choice.method_max_usd[method] = config.payment_methods[method].max_order_usd;
  }
  for (std::size_t tier = 0; tier < config.rules.merchant_tiers.size(); ++tier) {
    market.choice.tier_max_usd[tier] = config.rules.merchant_tiers[tier].max_order_usd;
  }
  MarketMerchants& built = markets_.emplace_back(std::move(market));
  create(built, index, shares);
  history_.resize(merchants_.size() * history_days_);
  freezes_.add_market(index, outside_fiat);
  freezes_.grow_to(merchants_.size());
  capital_.grow_to(merchants_.size());
  built.ads.list(merchants_, built.merchants);
  for (std::uint8_t method = 0; method < config.payment_methods.size(); ++method) {
    if (!config.payment_methods[method].enabled) {
      built.ads.set_method_enabled(method, false, merchants_);
    }
  }
  restock(index);
}

void Merchants::create(MarketMerchants& market, std::uint16_t index,
                       const PaymentMethodShares& shares) {
  const MarketConfig& config = config_.markets[index];
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
    merchant.first_fiat_account = ledger_.open_account(static_cast<CurrencyId>(index + 1));
    for (std::size_t method = 1; method < config.payment_methods.size(); ++method) {
      ledger_.open_account(static_cast<CurrencyId>(index + 1));
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
    // By share among the methods not yet accepted (redrawing until a new one comes up never
    // ends when a method's share is tiny).
    while (static_cast<std::uint32_t>(std::popcount(merchant.accepted_methods)) < wanted) {
      merchant.accepted_methods |= 1u << shares.draw(merchant.stream, merchant.accepted_methods);
    }
    const bool filters_by_habit = draw_risk_habits(merchant, settings);
    pricing_.add_merchant(merchant, settings);
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
    losses_.push_back({.filters_by_habit = filters_by_habit});
  }
}

// ---- inventory ---------------------------------------------------------------------------------

void Merchants::restock(std::uint16_t index) {
  const MarketMerchants& market = markets_[index];
  // Merchants rebalance off-platform once a day, back to their target inventory; with bounded
  // capital only the first time, when the capital goes in, and after that only between their
  // own fiat accounts. Leaving merchants are not restocked; frozen accounts are left alone.
  const MerchantConfig& settings = config_.markets[index].merchants;
  const MinorUnits usdt_target = to_micro_usdt(settings.usdt_inventory);
  for (MerchantId id : market.merchants) {
    const Merchant& merchant = merchants_[id];
    if (merchant.status == MerchantStatus::kListed) {
      const bool top_up = !settings.bounded_capital || capital_.puts_capital_in(id);
      MinorUnits usdt_gap = usdt_target - ledger_.balance(merchant.usdt_account);
      if (top_up && usdt_gap > 0) ledger_.transfer(outside_usdt_, merchant.usdt_account, usdt_gap);
      rebalance_fiat(merchant, market, top_up);
    }
    refresh_ads(id);
  }
}

void Merchants::convert_inventory(std::uint16_t index) {
  const MarketMerchants& market = markets_[index];
  if (!config_.markets[index].merchants.bounded_capital) return;
  for (MerchantId id : market.merchants) {
    if (capital_.convert_if_short(id, market.rate.value(), market.outside_fiat)) refresh_ads(id);
  }
}

void Merchants::on_conversion_lands(MerchantId id) {
  capital_.on_conversion_lands(id, markets_[merchants_[id].market].outside_fiat);
  refresh_ads(id);
}

void Merchants::rebalance_fiat(const Merchant& merchant, const MarketMerchants& market,
                               bool top_up) {
  // The fiat target is split evenly between the accepted methods. Surpluses (beyond the target
  // and not reserved for open orders; all of a dropped method's balance) first move to the
  // merchant's short accounts; what is still short is then topped up from outside, when `top_up`.
  const int accepted = std::popcount(merchant.accepted_methods);
  if (accepted == 0) return;
  const MinorUnits target =
      to_fiat_minor(config_.markets[merchant.market].merchants.fiat_inventory_usd *
                    market.rate.value()) /
      accepted;
  const std::uint32_t usable = merchant.accepted_methods & ~merchant.frozen_methods;
  const std::uint32_t sources = open_fiat_accounts(merchant);
  std::array<MinorUnits, kMaxPaymentMethods> surplus{};
  for (std::uint32_t bits = sources; bits != 0; bits &= bits - 1) {
    const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
    const MinorUnits balance = ledger_.balance(merchant.fiat_account(method));
    const MinorUnits kept = ((usable >> method) & 1u) ? target : 0;
    surplus[method] = std::max<MinorUnits>(
        0, std::min(balance - kept, uncommitted_fiat(merchant, ledger_, method)));
  }
  for (std::uint32_t bits = usable; bits != 0; bits &= bits - 1) {
    const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
    const AccountId account = merchant.fiat_account(method);
    MinorUnits gap = target - ledger_.balance(account);
    for (std::uint32_t from = sources; from != 0 && gap > 0; from &= from - 1) {
      const auto source = static_cast<std::uint8_t>(std::countr_zero(from));
      const MinorUnits moved = std::min(gap, surplus[source]);
      if (moved <= 0) continue;
      ledger_.transfer(merchant.fiat_account(source), account, moved);
      surplus[source] -= moved;
      gap -= moved;
    }
    if (top_up && gap > 0) ledger_.transfer(market.outside_fiat, account, gap);
  }
}

void Merchants::refresh_ads(MerchantId id) {
  // Hide an ad that cannot take even the smallest order, per payment method; the margin of one
  // minor unit keeps the flag on the safe side of rounding (match() checks exact inventory).
  const Merchant& merchant = merchants_[id];
  MarketMerchants& market = markets_[merchant.market];
  const double min_usd = config_.markets[merchant.market].merchants.min_order_usd;
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

std::uint32_t Merchants::open_fiat_accounts(const Merchant& merchant) const {
  // One fiat account per market payment method: those of dropped methods too (never those
  // of methods it never took: they stay empty).
  const auto methods = config_.markets[merchant.market].payment_methods.size();
  return ((std::uint32_t{1} << methods) - 1) & ~merchant.frozen_methods;
}

bool Merchants::ad_offered(MerchantId id, TradeSide side, std::uint8_t method) const {
  return markets_[merchants_[id].market].ads.offers(id, side, method);
}

// ---- online hours ------------------------------------------------------------------------------

bool Merchants::online_at(const Merchant& merchant, Seconds time) const {
  const std::uint32_t online_hours = config_.markets[merchant.market].merchants.online_hours;
  if (online_hours >= 24) return true;
  const auto hour = static_cast<std::uint32_t>(std::fmod(time, kDay) / kHour);
  return (hour + 24 - merchant.online_start_hour) % 24 < online_hours;
}

Seconds Merchants::next_online_time(const Merchant& merchant, Seconds time) const {
  if (online_at(merchant, time)) return time;
  const Seconds into_day = std::fmod(time, kDay);
  Seconds wait = merchant.online_start_hour * kHour - into_day;
  if (wait <= 0.0) wait += kDay;
  return time + wait;
}

void Merchants::update_online_hours(std::uint16_t index) {
  const MarketMerchants& market = markets_[index];
  if (config_.markets[index].merchants.online_hours >= 24) return;
  for (MerchantId id : market.merchants) {
    Merchant& merchant = merchants_[id];
    const bool online = online_at(merchant, now_);
    if (online == merchant.online) continue;
    merchant.online = online;
    refresh_ads(id);
  }
}

// ---- freezes -----------------------------------------------------------------------------------

void Merchants::on_tainted_fiat(const Order& order) {
  if (freezes_.on_tainted_fiat(order)) refresh_ads(order.merchant);
}

void Merchants::freeze_wave(std::uint16_t index, std::uint8_t method, double share) {
  for (MerchantId id : freezes_.freeze_wave(markets_[index].merchants, index, method, share))
    refresh_ads(id);
}

void Merchants::freeze_account(MerchantId id, std::uint8_t method, Seconds duration) {
  if (freezes_.freeze(id, method, duration)) refresh_ads(id);
}

void Merchants::on_freeze_ends(std::uint32_t subject) {
  const BankFreezes::Thaw thaw = freezes_.on_freeze_ends(subject);
  if (thaw.merchant == kNobody) return;
  const Merchant& merchant = merchants_[thaw.merchant];
  const MarketMerchants& market = markets_[merchant.market];
  if (thaw.bank_kept) {
    book_pnl(thaw.merchant,
             -static_cast<double>(thaw.kept) / kFiatMinorPerUnit / market.rate.value());
  }
  if (merchant.status == MerchantStatus::kGone && merchant.pending_clawbacks == 0) {
    // The merchant left while the account was frozen: it withdraws the fiat now.
    const MinorUnits balance = ledger_.balance(merchant.fiat_account(thaw.method));
    if (balance > 0) {
      ledger_.transfer(merchant.fiat_account(thaw.method), market.outside_fiat, balance);
    }
  }
  refresh_ads(thaw.merchant);
}

void Merchants::on_vanishes(MerchantId id) {
  // Its ads never show again, it counts in no spread, and its deposit stays with the platform.
  merchants_[id].capacity_limit = 0;
  merchants_[id].status = MerchantStatus::kGone;
  refresh_ads(id);
}

// ---- profit and loss ---------------------------------------------------------------------------

MinorUnits Merchants::exit_scam_deposit_covers(OrderId id, MinorUnits loss) {
  // The platform pays the victim out of the scammer's deposit, as far as it goes.
  const Order& order = orders_[id];
  const Merchant& merchant = merchants_[order.merchant];
  const MinorUnits covered = std::min(loss, ledger_.balance(merchant.deposit_account));
  if (covered > 0) {
    ledger_.transfer(merchant.deposit_account, users_[order.user].usdt_account, covered);
  }
  return covered;
}

void Merchants::book_spread(const Order& order) {
  // The spread is the ad price's distance from the reference rate at completion, valued in USD:
  // what the merchant earns over trading the same USDT at the reference rate.
  const double fiat_usd =
      static_cast<double>(order.fiat) / kFiatMinorPerUnit / markets_[order.market].rate.value();
  book_pnl(order.merchant,
           order.side == TradeSide::kUserBuys ? fiat_usd - order.usd : order.usd - fiat_usd);
  pricing_.record_trade(order.merchant, order.usd);
}

// ---- the day's close: costs, exit, eligibility, entry -------------------------------------------

void Merchants::charge_daily_costs(std::uint16_t market_index, std::int32_t day_index) {
  const MarketMerchants& market = markets_[market_index];
  const MerchantConfig& settings = config_.markets[market_index].merchants;
  for (MerchantId id : market.merchants) {
    Merchant& merchant = merchants_[id];
    if (!is_listed(merchant)) continue;
    const double cost =
        settings.daily_cost_usd + freezes_.capital_cost_usd(merchant, market.rate.value());
    merchant.pnl_today_usd -= cost;
    metrics_.record(MerchantPnlBooked{market_index, day_index, -cost});
  }
}

bool Merchants::draw_risk_habits(Merchant& merchant, const MerchantConfig& settings) {
  // No draw for a habit that is off, so that a market without them keeps its streams.
  const double spread = settings.name_check_probability_spread;
  const double offset = spread > 0.0 ? spread * (2.0 * uniform01(merchant.stream) - 1.0) : 0.0;
  merchant.name_check_probability =
      static_cast<float>(std::clamp(settings.name_check_probability_mean + offset, 0.0, 1.0));
  if (settings.counterparty_filter_share > 0.0 &&
      bernoulli(merchant.stream, settings.counterparty_filter_share)) {
    filter_counterparties(merchant, settings);
    return true;
  }
  return false;
}

void Merchants::filter_counterparties(Merchant& merchant, const MerchantConfig& settings) {
  merchant.min_counterparty_orders = static_cast<std::uint16_t>(
      std::min<std::uint32_t>(settings.filter_min_completed_orders, 0xFFFF));
  merchant.min_counterparty_kyc_tier = static_cast<std::uint8_t>(settings.filter_min_kyc_tier);
  merchant.min_counterparty_age_days =
      static_cast<std::uint8_t>(settings.filter_min_account_age_days);
}

void Merchants::on_fraud_loss(MerchantId id, std::uint8_t method, double usd) {
  Merchant& merchant = merchants_[id];
  const MerchantConfig& settings = config_.markets[merchant.market].merchants;
  pricing_.record_loss(id, usd);
  LossMemory& memory = losses_[id.index()];
  memory.method_loss_usd[method] += usd;
  if (usd <= 0.0) return;
  memory.last_loss_day = day_of(now_);
  if (settings.tighten_filters_after_loss) {
    filter_counterparties(merchant, settings);
    memory.filters_after_loss = true;
  }
  const double drop_after = settings.drop_method_after_loss_usd;
  if (drop_after > 0.0 && memory.method_loss_usd[method] >= drop_after) drop_method(id, method);
}

void Merchants::drop_method(MerchantId id, std::uint8_t method) {
  // The account stays open, so that recalls still to come on its completed orders find it; its
  // balance moves to the other accounts at the next rebalance. A merchant keeps at least one
  // method (it would rather leave).
  Merchant& merchant = merchants_[id];
  const std::uint32_t bit = 1u << method;
  if ((merchant.accepted_methods & bit) == 0 || std::popcount(merchant.accepted_methods) < 2) {
    return;
  }
  merchant.accepted_methods &= ~bit;
  markets_[merchant.market].ads.update_accepted(id, merchants_);
  refresh_ads(id);
  metrics_.record(PaymentMethodDropped{merchant.market, day_of(now_)});
}

void Merchants::relax_filters(MerchantId id, std::int32_t day_index) {
  // Back to its habit once a quiet period has passed since its last loss.
  LossMemory& memory = losses_[id.index()];
  const std::uint32_t quiet_days =
      config_.markets[merchants_[id].market].merchants.relax_filters_after_days;
  if (quiet_days == 0 || !memory.filters_after_loss ||
      day_index - memory.last_loss_day < std::int32_t(quiet_days)) {
    return;
  }
  memory.filters_after_loss = false;
  if (memory.filters_by_habit) return;
  Merchant& merchant = merchants_[id];
  merchant.min_counterparty_orders = 0;
  merchant.min_counterparty_kyc_tier = 0;
  merchant.min_counterparty_age_days = 0;
}

void Merchants::close_day(std::uint16_t market_index, std::int32_t day_index) {
  charge_daily_costs(market_index, day_index);
  const MarketMerchants& market = markets_[market_index];
  for (MerchantId id : market.merchants) {
    Merchant& merchant = merchants_[id];
    if (!is_listed(merchant)) continue;
    history_[id.index() * history_days_ + day_index % history_days_] = {
        merchant.pnl_today_usd, merchant.counted_today, merchant.completed_today};
    merchant.pnl_today_usd = 0.0;
    merchant.counted_today = 0;
    merchant.completed_today = 0;
    relax_filters(id, day_index);
    judge(id, day_index);
    if (!config_.markets[market_index].rules.merchant_tiers.empty()) assign_tier(id, day_index);
  }
  admit_entrants(market_index, day_index);
}

void Merchants::judge(MerchantId id, std::int32_t day_index) {
  Merchant& merchant = merchants_[id];
  // A scammer is not judged: it vanishes on its own, and never with its deposit.
  if (merchant.status != MerchantStatus::kListed || merchant.exit_scamming) return;
  const MarketConfig& config = config_.markets[merchant.market];
  const std::int32_t listed_days = day_index - merchant.entered_day + 1;
  // Sums over the last `days` days ending today (never before the merchant's entry).
  auto window = [&](std::uint32_t days) {
    MerchantDay sum;
    const std::int32_t first = std::max(merchant.entered_day, day_index - std::int32_t(days) + 1);
    for (std::int32_t d = first; d <= day_index; ++d) {
      const MerchantDay& record = history_[id.index() * history_days_ + d % history_days_];
      sum.pnl_usd += record.pnl_usd;
      sum.counted += record.counted;
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
      recent.counted >= rule.min_orders &&
      recent.completed >= rule.min_completion_rate * recent.counted;
  if (eligible) return;
  merchant.suspended = true;
  merchant.suspended_until_day = day_index + 1 + std::int32_t(rule.suspension_days);
  metrics_.record(MerchantSuspended{merchant.market, day_index});
  refresh_ads(id);
}

void Merchants::assign_tier(MerchantId id, std::int32_t day_index) {
  // The highest tier whose requirements the merchant meets; requirements never decrease from one
  // tier to the next, so the first one missed ends the search. The first tier has none.
  Merchant& merchant = merchants_[id];
  if (!is_listed(merchant)) return;  // went today, its last orders finished
  const std::vector<MerchantTierConfig>& tiers =
      config_.markets[merchant.market].rules.merchant_tiers;
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
  metrics_.record(MerchantTierJudged{merchant.market, day_index, merchant.tier, tier});
  merchant.tier = tier;
}

void Merchants::admit_entrants(std::uint16_t market_index, std::int32_t day_index) {
  // A Poisson number of entrants per day, rate = entry_per_day + entry_per_day_per_bps x
  // max(0, the day's average spread - entry_spread_threshold_bps); they join at the close.
  MarketMerchants& market = markets_[market_index];
  const MerchantConfig& settings = config_.markets[market_index].merchants;
  if (market.entrants >= settings.max_entrants) return;
  const KpiCounters& counters = metrics_.kpis().day(market_index, day_index);
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

void Merchants::enter(MerchantId id, std::int32_t day_index) {
  Merchant& merchant = merchants_[id];
  const MarketConfig& config = config_.markets[merchant.market];
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
  metrics_.record(MerchantEntered{merchant.market});
  refresh_ads(id);  // inventory comes with the day's restocking
}

void Merchants::leave_if_done(MerchantId id) {
  // A leaving merchant goes once its last open order is final: the deposit is returned and the
  // inventory withdrawn (fiat on a frozen account when the freeze ends).
  Merchant& merchant = merchants_[id];
  if (merchant.status != MerchantStatus::kLeaving || merchant.open_orders > 0 ||
      merchant.pending_clawbacks > 0) {
    return;
  }
  merchant.status = MerchantStatus::kGone;
  const MarketMerchants& market = markets_[merchant.market];
  auto withdraw = [&](AccountId account, AccountId outside) {
    const MinorUnits balance = ledger_.balance(account);
    if (balance > 0) ledger_.transfer(account, outside, balance);
  };
  withdraw(merchant.deposit_account, outside_usdt_);
  withdraw(merchant.usdt_account, outside_usdt_);
  for (std::uint32_t bits = open_fiat_accounts(merchant); bits != 0; bits &= bits - 1) {
    withdraw(merchant.fiat_account(static_cast<std::uint8_t>(std::countr_zero(bits))),
             market.outside_fiat);
  }
  metrics_.record(MerchantExited{merchant.market});
  refresh_ads(id);
}

// ---- pricing and the ad book ------------------------------------------------------------------

void Merchants::set_prices(Merchant& merchant, double rate, double sell_margin_bps,
                           double buy_margin_bps) {
  merchant.sell_margin_bps = sell_margin_bps;
  merchant.buy_margin_bps = buy_margin_bps;
  merchant.sell_price = rate * (1.0 + sell_margin_bps / 1e4);
  merchant.buy_price = rate * (1.0 - buy_margin_bps / 1e4);
  const ChoiceModel& choice = markets_[merchant.market].choice;
  merchant.choice_utility = {choice_utility(merchant, choice, TradeSide::kUserBuys),
                             choice_utility(merchant, choice, TradeSide::kUserSells)};
}

// Every merchant prices both ads from the current rate, its own margin, the rate's 24 h move
// and its USDT inventory (market_response.hpp).
void Merchants::reprice(std::uint16_t index) {
  MarketMerchants& market = markets_[index];
  const MerchantConfig& settings = config_.markets[index].merchants;
  const double rate = market.rate.value();
  const double change = market.rate.change_over_day();
  // Everyone reacts to the book as it stood before this hour, so the merchants' order in the
  // loop does not matter.
  std::array<BestMargins, 2> book{};
  if (settings.competitive_pricing) {
    book = pricing_.competing_book(market.merchants, settings.min_order_usd);
  }
  for (MerchantId id : market.merchants) {
    const AdMargins margins = pricing_.margins(id, book, change, settings);
    set_prices(merchants_[id], rate, margins.sell_bps, margins.buy_bps);
  }
  market.ads.rerank(merchants_);
  // A buy ad's visibility depends on the fiat its smallest order needs, hence on its price.
  for (MerchantId id : market.merchants)
    refresh_ads(id);
}

void Merchants::set_method_enabled(std::uint16_t market, std::uint8_t method, bool enabled) {
  markets_[market].ads.set_method_enabled(method, enabled, merchants_);
}

void Merchants::update_utility(MerchantId id) {
  Merchant& merchant = merchants_[id];
  const ChoiceModel& choice = markets_[merchant.market].choice;
  merchant.choice_utility = {choice_utility(merchant, choice, TradeSide::kUserBuys),
                             choice_utility(merchant, choice, TradeSide::kUserSells)};
}

double Merchants::best_spread_bps(std::uint16_t market) const {
  return markets_[market].ads.best_spread_bps(merchants_, ledger_);
}

}  // namespace p2psim
