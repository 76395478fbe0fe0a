#include "world/world.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>

namespace p2psim {
namespace {

// Each independent source of randomness has its own purpose; the market index is folded in so
// that markets never share a stream.
enum Purpose : std::uint32_t {
  kVisitorArrivalStream = 1,
  kFraudArrivalStream = 2,  // + typology
  kFunnelStream = 4,
  kSupportStream = 5,
  kUserStream = 6,
  kFraudsterStream = 7,  // + typology
  kMerchantStream = 9,
};

StreamId stream_id(std::uint32_t purpose, std::uint16_t market, std::uint32_t entity) {
  return StreamId{entity, (purpose << 8) | market};
}

constexpr std::uint32_t kGenerationMask = 0xFFFFFF;
constexpr std::int32_t kBeforeDayZero = -2;  // first_order_day of users present at day 0

int typology_of(UserIntent intent) {
  return static_cast<int>(intent) - 1;
}

MinorUnits to_micro_usdt(double usdt) {
  return std::llround(usdt * kMicroUsdtPerUsdt);
}

MinorUnits to_fiat_minor(double fiat) {
  return std::llround(fiat * kFiatMinorPerUnit);
}

ArrivalProfile flat_profile() {
  ArrivalProfile profile;
  profile.hourly.fill(1.0);
  profile.weekly.fill(1.0);
  return profile;
}

}  // namespace

World::World(const WorldConfig& config, std::uint32_t replication)
    : config_(config), replication_(replication), horizon_(config.simulation.days * kDay) {
  outside_usdt_ = ledger_.open_account(0);
  escrow_usdt_ = ledger_.open_account(0);
  platform_usdt_ = ledger_.open_account(0);
  std::size_t expected_users = 0;
  for (const MarketConfig& market : config_.markets) {
    expected_users +=
        market.users.initial_users +
        static_cast<std::size_t>(1.2 * market.users.daily_visitors * config_.simulation.days);
  }
  users_.reserve(expected_users);
  ledger_.reserve(expected_users + 1024);
  queue_.reserve(expected_users + 1024);
  markets_.reserve(config_.markets.size());
  for (std::uint16_t index = 0; index < config_.markets.size(); ++index) {
    build_market(index, config_.markets[index]);
  }
}

void World::build_market(std::uint16_t index, const MarketConfig& config) {
  const std::uint64_t seed = config_.simulation.seed;
  auto stream = [&](std::uint32_t purpose, std::uint32_t entity = 0) {
    return RandomStream(seed, replication_, stream_id(purpose, index, entity));
  };
  Market market{
      .config = &config,
      .fiat_currency = static_cast<CurrencyId>(index + 1),
      .outside_fiat = ledger_.open_account(static_cast<CurrencyId>(index + 1)),
      .visitors = ArrivalProcess(config.users.daily_visitors, config.users.profile,
                                 stream(kVisitorArrivalStream)),
      .fraud_accounts = {ArrivalProcess(config.fraud.non_payment.accounts_per_day, flat_profile(),
                                        stream(kFraudArrivalStream)),
                         ArrivalProcess(config.fraud.payment_reversal.accounts_per_day,
                                        flat_profile(), stream(kFraudArrivalStream + 1))},
      .funnel = stream(kFunnelStream),
      .support =
          SupportTeam(config.support.agents, config.support.resolution_minutes_mean * kMinute,
                      stream(kSupportStream)),
      .ads = AdBook(),
      .choice = ChoiceModel{config.users.price_sensitivity, config.users.quality_sensitivity,
                            config.users.ads_viewed, config.merchants.min_order_usd,
                            config.merchants.max_order_usd},
      .merchants = {},
      .method_weights = {},
      .days = std::vector<KpiCounters>(config_.simulation.days),
  };
  double cumulative = 0.0;
  for (const PaymentMethodConfig& method : config.payment_methods) {
    cumulative += method.share;
    market.method_weights.push_back(cumulative);
  }
  for (KpiCounters& counters : market.days) {
    counters.fraud_loss_by_method_usd.assign(config.payment_methods.size(), 0.0);
  }
  markets_.push_back(std::move(market));
  Market& built = markets_.back();
  create_merchants(built, index);
  built.ads.list(merchants_, built.merchants);
  restock_merchants(built);

  for (std::uint32_t i = 0; i < config.users.initial_users; ++i) {
    UserId user = create_user(index, UserIntent::kGenuine);
    users_[user].first_order_day = kBeforeDayZero;  // existing users are past the funnel
    users_[user].completed_orders = 1;
    Seconds first = exponential(users_[user].stream, config.users.days_between_orders * kDay);
    queue_.schedule(first, kOrderAttempt, user);
  }
  queue_.schedule(built.visitors.next_after(0.0), kVisitorArrives, index);
  for (int typology = 0; typology < kFraudTypologyCount; ++typology) {
    queue_.schedule(built.fraud_accounts[typology].next_after(0.0), kFraudAccountArrives,
                    index * kFraudTypologyCount + typology);
  }
  queue_.schedule(kHour, kHourTick, index);
}

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

UserId World::create_user(std::uint16_t market_index, UserIntent intent) {
  Market& market = markets_[market_index];
  const UserConfig& settings = market.config->users;
  User user{};
  if (intent == UserIntent::kGenuine) {
    user.stream = RandomStream(config_.simulation.seed, replication_,
                               stream_id(kUserStream, market_index, market.next_user_number++));
  } else {
    int typology = typology_of(intent);
    user.stream = RandomStream(config_.simulation.seed, replication_,
                               stream_id(kFraudsterStream + typology, market_index,
                                         market.next_fraudster_number[typology]++));
  }
  user.usdt_account = ledger_.open_account(0);
  user.market = market_index;
  user.intent = intent;
  if (intent == UserIntent::kGenuine) {
    user.side =
        bernoulli(user.stream, settings.buy_share) ? TradeSide::kUserBuys : TradeSide::kUserSells;
    user.payment_method = draw_payment_method(market, user.stream);
  } else {
    user.side = TradeSide::kUserBuys;
    user.payment_method = draw_payment_method(market, user.stream);
    if (intent == UserIntent::kPaymentReversal) {
      // A chargeback needs a reversible method: redraw among those.
      while (!market.config->payment_methods[user.payment_method].reversible) {
        user.payment_method = draw_payment_method(market, user.stream);
      }
    }
  }
  users_.push_back(user);
  return static_cast<UserId>(users_.size() - 1);
}

std::uint8_t World::draw_payment_method(const Market& market, RandomStream& stream) const {
  double pick = uniform01(stream) * market.method_weights.back();
  auto found = std::upper_bound(market.method_weights.begin(), market.method_weights.end(), pick);
  return static_cast<std::uint8_t>(
      std::min<std::ptrdiff_t>(found - market.method_weights.begin(),
                               static_cast<std::ptrdiff_t>(market.method_weights.size()) - 1));
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

bool World::run(const std::atomic<bool>* stop) {
  return run_until(horizon_, stop);
}

bool World::run_until(Seconds end, const std::atomic<bool>* stop) {
  assert(end <= horizon_);
  while (!queue_.empty() && queue_.next().time < end) {
    if (stop != nullptr && (events_processed_ & 4095) == 0 &&
        stop->load(std::memory_order_relaxed)) {
      return false;
    }
    Event event = queue_.pop();
    now_ = event.time;
    ++events_processed_;
    dispatch(event);
  }
  now_ = end;
  return true;
}

void World::dispatch(const Event& event) {
  const auto kind = static_cast<EventKind>(event.kind & 0xFF);
  if (kind >= kBuyerPays && kind <= kPaymentReversed) {
    // Order events carry the generation of the order they were meant for; a reused slot makes
    // them stale.
    if ((event.kind >> 8) != orders_[event.subject].generation) return;
  }
  switch (kind) {
    case kVisitorArrives:
      return on_visitor(static_cast<std::uint16_t>(event.subject));
    case kFraudAccountArrives:
      return on_fraud_account(static_cast<std::uint16_t>(event.subject / kFraudTypologyCount),
                              static_cast<int>(event.subject % kFraudTypologyCount));
    case kOrderAttempt:
      return on_order_attempt(event.subject);
    case kBuyerPays:
      return on_buyer_pays(event.subject);
    case kBuyerCancels:
      return on_buyer_cancels(event.subject);
    case kPaymentDeadline:
      return on_payment_deadline(event.subject);
    case kSellerChecks:
      return on_seller_checks(event.subject);
    case kBuyerAppeals:
      return on_appeal(event.subject);
    case kSupportResolves:
      return on_support_resolves(event.subject);
    case kPaymentReversed:
      return on_payment_reversed(event.subject);
    case kHourTick:
      return on_hour(static_cast<std::uint16_t>(event.subject));
  }
  assert(false && "unknown event kind");
}

void World::schedule_order_event(Seconds time, EventKind kind, OrderId order) {
  queue_.schedule(time, kind | (orders_[order].generation << 8), order);
}

// ---- arrivals and the funnel -----------------------------------------------------------------

void World::on_visitor(std::uint16_t market_index) {
  Market& market = markets_[market_index];
  const UserConfig& settings = market.config->users;
  KpiCounters& counters = today(market_index);
  ++counters.visitors;
  if (bernoulli(market.funnel, settings.registration_probability)) {
    ++counters.registered;
    if (bernoulli(market.funnel, settings.kyc_pass_probability)) {
      ++counters.kyc_verified;
      UserId user = create_user(market_index, UserIntent::kGenuine);
      queue_.schedule(now_ + exponential(users_[user].stream, settings.first_order_hours * kHour),
                      kOrderAttempt, user);
    }
  }
  queue_.schedule(market.visitors.next_after(now_), kVisitorArrives, market_index);
}

void World::on_fraud_account(std::uint16_t market_index, int typology) {
  // Fraud accounts pass the funnel like anyone else: the platform sees visitors, not intents.
  KpiCounters& counters = today(market_index);
  ++counters.visitors;
  ++counters.registered;
  ++counters.kyc_verified;
  UserIntent intent = static_cast<UserIntent>(typology + 1);
  UserId user = create_user(market_index, intent);
  const FraudTypologyConfig& settings = typology_config(market_index, intent);
  users_[user].attempts_left = geometric_count(users_[user].stream, settings.attempts_per_account);
  queue_.schedule(now_ + exponential(users_[user].stream, settings.hours_between_attempts * kHour),
                  kOrderAttempt, user);
  Market& market = markets_[market_index];
  queue_.schedule(market.fraud_accounts[typology].next_after(now_), kFraudAccountArrives,
                  market_index * kFraudTypologyCount + typology);
}

const FraudTypologyConfig& World::typology_config(std::uint16_t market, UserIntent intent) const {
  const FraudConfig& fraud = config_.markets[market].fraud;
  return intent == UserIntent::kNonPayment ? fraud.non_payment : fraud.payment_reversal;
}

void World::on_order_attempt(UserId user_id) {
  User& user = users_[user_id];
  Market& market = markets_[user.market];
  const std::int32_t today_index = day_of(now_);
  KpiCounters& counters = market.days[today_index];
  ++counters.order_attempts;
  if (user.last_active_day != today_index) {
    user.last_active_day = today_index;
    ++counters.active_users;
  }
  if (today_index >= static_cast<std::int32_t>(config_.simulation.warmup_days)) {
    user.active_in_period = true;
  }
  double usd;
  if (user.intent == UserIntent::kGenuine) {
    const UserConfig& settings = market.config->users;
    usd = lognormal_from_median(user.stream, settings.order_usd_median, settings.order_usd_sigma);
  } else {
    const FraudTypologyConfig& settings = typology_config(user.market, user.intent);
    usd = lognormal_from_median(user.stream, settings.order_usd_median, settings.order_usd_sigma);
  }
  usd = std::round(usd * 100.0) / 100.0;  // orders are placed in whole cents
  AdRequest request{user.side, user.payment_method, usd, to_micro_usdt(usd)};
  MerchantId merchant = market.ads.match(request, market.choice, merchants_, ledger_, user.stream);
  if (merchant == kNobody) {
    ++counters.orders_unmatched;
    user_moves_on(user_id, true);
    return;
  }
  OrderId order = create_order(user_id, merchant, usd);
  plan_buyer(order);
}

// ---- the order lifecycle ---------------------------------------------------------------------

OrderId World::create_order(UserId user_id, MerchantId merchant_id, double usd) {
  OrderId id;
  if (free_orders_.empty()) {
    id = static_cast<OrderId>(orders_.size());
    orders_.emplace_back();
  } else {
    id = free_orders_.back();
    free_orders_.pop_back();
    std::uint32_t generation = (orders_[id].generation + 1) & kGenerationMask;
    orders_[id] = Order{};
    orders_[id].generation = generation;
  }
  User& user = users_[user_id];
  Merchant& merchant = merchants_[merchant_id];
  Order& order = orders_[id];
  order.side = user.side;
  order.intent = user.intent;
  order.payment_method = user.payment_method;
  order.market = user.market;
  order.created_day = day_of(now_);
  order.user = user_id;
  order.merchant = merchant_id;
  order.usd = usd;
  order.usdt = to_micro_usdt(usd);
  double price = order.side == TradeSide::kUserBuys ? merchant.sell_price : merchant.buy_price;
  order.fiat = fiat_for(usd, price);
  if (order.side == TradeSide::kUserSells) merchant.fiat_committed += order.fiat;
  order.created_at = now_;

  if (order.side == TradeSide::kUserSells) {
    // The selling user brings the USDT from outside the platform, then it is escrowed.
    ledger_.transfer(outside_usdt_, user.usdt_account, order.usdt);
  }
  ledger_.transfer(seller_account(order), escrow_usdt_, order.usdt);
  ++merchant.open_orders;
  refresh_ads(merchant_id);
  ++orders_simulated_;

  KpiCounters& counters = day(order.market, order.created_day);
  ++counters.orders_created;
  if (user.intent != UserIntent::kGenuine) ++counters.fraud_attempts[typology_of(user.intent)];
  if (user.first_order_day == -1) {
    user.first_order_day = order.created_day;
    ++counters.placed_first_order;
  }
  return id;
}

void World::plan_buyer(OrderId id) {
  Order& order = orders_[id];
  const MarketConfig& config = *markets_[order.market].config;
  const Seconds window = config.payment_window_minutes * kMinute;
  schedule_order_event(now_ + window, kPaymentDeadline, id);
  if (order.side == TradeSide::kUserSells) {
    Merchant& merchant = merchants_[order.merchant];
    Seconds pay =
        kMinute * lognormal_from_median(merchant.stream, config.merchants.pay_minutes_median,
                                        config.merchants.release_minutes_sigma);
    if (pay < window) schedule_order_event(now_ + pay, kBuyerPays, id);
    return;
  }
  User& user = users_[order.user];
  const UserConfig& settings = config.users;
  Seconds pay = kMinute * lognormal_from_median(user.stream, settings.pay_minutes_median,
                                                settings.pay_minutes_sigma);
  if (order.intent == UserIntent::kGenuine) {
    double choice = uniform01(user.stream);
    if (choice < settings.cancel_probability) {
      schedule_order_event(now_ + window * uniform01(user.stream), kBuyerCancels, id);
      return;
    }
    if (choice < settings.cancel_probability + settings.abandon_probability) return;
  }
  // Genuine buyers who are too slow, like walkaways, let the window expire.
  if (pay < window) schedule_order_event(now_ + pay, kBuyerPays, id);
}

void World::transition(Order& order, OrderEvent event) {
  std::optional<OrderState> next = next_state(order.state, event);
  assert(next.has_value() && "illegal order transition");
  order.state = *next;
}

AccountId World::seller_account(const Order& order) const {
  return order.side == TradeSide::kUserBuys ? merchants_[order.merchant].usdt_account
                                            : users_[order.user].usdt_account;
}

AccountId World::buyer_account(const Order& order) const {
  return order.side == TradeSide::kUserBuys ? users_[order.user].usdt_account
                                            : merchants_[order.merchant].usdt_account;
}

void World::on_buyer_pays(OrderId id) {
  Order& order = orders_[id];
  if (order.state != OrderState::kCreated) return;  // cancelled or expired first
  transition(order, OrderEvent::kMarkPaid);
  const Market& market = markets_[order.market];
  const MarketConfig& config = *market.config;
  Merchant& merchant = merchants_[order.merchant];
  if (order.intent != UserIntent::kNonPayment) {
    order.fiat_paid = true;
    if (order.side == TradeSide::kUserBuys) {
      ledger_.transfer(market.outside_fiat, merchant.fiat_account, order.fiat);
    } else {
      ledger_.transfer(merchant.fiat_account, market.outside_fiat, order.fiat);
      merchant.fiat_committed -= order.fiat;
    }
    refresh_ads(order.merchant);
  }
  const PaymentMethodConfig& method = config.payment_methods[order.payment_method];
  if (order.side == TradeSide::kUserSells) {
    User& seller = users_[order.user];
    Seconds check =
        kMinute * (exponential(seller.stream, method.settlement_minutes) +
                   lognormal_from_median(seller.stream, config.users.release_minutes_median,
                                         config.merchants.release_minutes_sigma));
    schedule_order_event(now_ + check, kSellerChecks, id);
    return;
  }
  Seconds check =
      kMinute * (exponential(merchant.stream, method.settlement_minutes) +
                 lognormal_from_median(merchant.stream, config.merchants.release_minutes_median,
                                       config.merchants.release_minutes_sigma));
  schedule_order_event(now_ + check, kSellerChecks, id);
  Seconds patience = config.users.appeal_after_minutes * kMinute;
  if (order.intent == UserIntent::kGenuine && check > patience) {
    schedule_order_event(now_ + patience, kBuyerAppeals, id);
  }
}

void World::on_buyer_cancels(OrderId id) {
  if (orders_[id].state != OrderState::kCreated) return;
  return_escrow(id, OrderEvent::kCancel);
}

void World::on_payment_deadline(OrderId id) {
  if (orders_[id].state != OrderState::kCreated) return;
  return_escrow(id, OrderEvent::kExpire);
}

void World::on_seller_checks(OrderId id) {
  Order& order = orders_[id];
  if (order.state != OrderState::kPaid && order.state != OrderState::kAppealed) return;
  if (order.fiat_paid) return complete(id, OrderEvent::kRelease);
  // No money arrived. A careless merchant releases anyway; a careful one disputes.
  Merchant& merchant = merchants_[order.merchant];
  const MerchantConfig& settings = markets_[order.market].config->merchants;
  if (bernoulli(merchant.stream, settings.careless_release_probability)) {
    return complete(id, OrderEvent::kRelease);
  }
  if (order.state == OrderState::kPaid) on_appeal(id);
}

void World::on_appeal(OrderId id) {
  Order& order = orders_[id];
  if (order.state != OrderState::kPaid) return;  // released meanwhile
  transition(order, OrderEvent::kAppeal);
  order.appealed_at = now_;
  order.in_support = true;
  ++day(order.market, order.created_day).orders_appealed;
  std::optional<SupportTeam::Assignment> started = markets_[order.market].support.open(id, now_);
  if (started) schedule_order_event(started->finishes_at, kSupportResolves, started->ticket);
}

void World::on_support_resolves(OrderId id) {
  Order& order = orders_[id];
  const std::uint16_t market = order.market;
  order.in_support = false;
  if (order.state == OrderState::kAppealed) {
    if (order.fiat_paid) {
      complete(id, OrderEvent::kResolveForBuyer);
    } else {
      return_escrow(id, OrderEvent::kResolveForSeller);
    }
  } else {
    release_slot_if_done(id);
  }
  auto is_live = [this](std::uint32_t ticket) {
    Order& waiting = orders_[ticket];
    if (waiting.state == OrderState::kAppealed) return true;
    waiting.in_support = false;  // settled while it waited
    release_slot_if_done(ticket);
    return false;
  };
  std::optional<SupportTeam::Assignment> next = markets_[market].support.finish(now_, is_live);
  if (next) schedule_order_event(next->finishes_at, kSupportResolves, next->ticket);
}

void World::complete(OrderId id, OrderEvent how) {
  Order& order = orders_[id];
  const bool was_appealed = order.state == OrderState::kAppealed;
  transition(order, how);
  ledger_.transfer(escrow_usdt_, buyer_account(order), order.usdt);
  KpiCounters& cohort = day(order.market, order.created_day);
  ++cohort.orders_completed;
  cohort.gmv_usd += order.usd;
  cohort.time_to_complete.add(now_ - order.created_at);
  if (was_appealed) {
    ++cohort.appeals_resolved;
    cohort.appeal_resolution_seconds += now_ - order.appealed_at;
  }

  Merchant& merchant = merchants_[order.merchant];
  ++merchant.orders_completed;
  const std::int32_t today_index = day_of(now_);
  if (merchant.last_active_day != today_index) {
    merchant.last_active_day = today_index;
    ++today(order.market).active_merchants;
  }
  if (today_index >= static_cast<std::int32_t>(config_.simulation.warmup_days)) {
    merchant.active_in_period = true;
  }

  User& user = users_[order.user];
  if (user.completed_orders == 0) {
    // First trades and repeats are booked to the user's funnel cohort, the day of their first
    // order, so that each stage is a subset of the one before it.
    user.first_completed_at = now_;
    ++day(order.market, user.first_order_day).completed_first_order;
  } else if (user.completed_orders == 1 && user.first_order_day >= 0) {
    KpiCounters& cohort_day = day(order.market, user.first_order_day);
    Seconds gap = now_ - user.first_completed_at;
    if (gap <= 7 * kDay) ++cohort_day.repeat_within_7d;
    if (gap <= 30 * kDay) ++cohort_day.repeat_within_30d;
  }
  ++user.completed_orders;

  if (order.intent == UserIntent::kNonPayment) {
    book_fraud_loss(order, typology_of(order.intent));
    compensate_if_platform_bears(order, typology_of(order.intent));
  } else if (order.intent == UserIntent::kPaymentReversal) {
    // The chargeback is certain from here: the loss is booked now, the money moves later.
    book_fraud_loss(order, typology_of(order.intent));
    const MarketConfig& config = *markets_[order.market].config;
    const PaymentMethodConfig& method = config.payment_methods[order.payment_method];
    Seconds delay =
        std::min(exponential(user.stream, config.fraud.payment_reversal.reversal_delay_days),
                 method.reversal_window_days) *
        kDay;
    order.reversal_pending = true;
    schedule_order_event(now_ + delay, kPaymentReversed, id);
  }
  close(id);
}

void World::book_fraud_loss(const Order& order, int typology) {
  KpiCounters& cohort = day(order.market, order.created_day);
  const FraudTypologyConfig& settings = typology_config(order.market, order.intent);
  ++cohort.fraud_successes[typology];
  cohort.fraud_loss_usd[typology] += order.usd;
  cohort.fraud_loss_by_bearer_usd[static_cast<int>(settings.bearer)] += order.usd;
  cohort.fraud_loss_by_method_usd[order.payment_method] += order.usd;
}

void World::compensate_if_platform_bears(const Order& order, int typology) {
  (void)typology;
  const FraudTypologyConfig& settings = typology_config(order.market, order.intent);
  if (settings.bearer == LossBearer::kPlatform) {
    ledger_.transfer(platform_usdt_, merchants_[order.merchant].usdt_account, order.usdt);
    refresh_ads(order.merchant);
  }
}

void World::on_payment_reversed(OrderId id) {
  Order& order = orders_[id];
  transition(order, OrderEvent::kReverse);
  const Market& market = markets_[order.market];
  ledger_.transfer(merchants_[order.merchant].fiat_account, market.outside_fiat, order.fiat);
  refresh_ads(order.merchant);
  compensate_if_platform_bears(order, typology_of(order.intent));
  order.reversal_pending = false;
  release_slot_if_done(id);
}

void World::return_escrow(OrderId id, OrderEvent event) {
  Order& order = orders_[id];
  const bool was_appealed = order.state == OrderState::kAppealed;
  transition(order, event);
  ledger_.transfer(escrow_usdt_, seller_account(order), order.usdt);
  if (order.side == TradeSide::kUserSells) {
    // The selling user takes the USDT back off the platform; the merchant's fiat is free again.
    ledger_.transfer(users_[order.user].usdt_account, outside_usdt_, order.usdt);
    if (!order.fiat_paid) merchants_[order.merchant].fiat_committed -= order.fiat;
  }
  KpiCounters& cohort = day(order.market, order.created_day);
  if (event == OrderEvent::kExpire) ++cohort.orders_expired;
  if (event == OrderEvent::kCancel || event == OrderEvent::kResolveForSeller) {
    ++cohort.orders_cancelled;
  }
  if (was_appealed) {
    ++cohort.appeals_resolved;
    cohort.appeal_resolution_seconds += now_ - order.appealed_at;
  }
  close(id);
}

void World::close(OrderId id) {
  // The order is final for the merchant and the user; the slot may still wait for support or a
  // chargeback.
  Order& order = orders_[id];
  Merchant& merchant = merchants_[order.merchant];
  --merchant.open_orders;
  refresh_ads(order.merchant);
  ++merchant.orders_finished;
  merchant.choice_utility = choice_utility(merchant, markets_[order.market].choice);
  const bool good = order.state == OrderState::kCompleted && order.appealed_at == 0.0;
  user_moves_on(order.user, !good);
  release_slot_if_done(id);
}

void World::release_slot_if_done(OrderId id) {
  const Order& order = orders_[id];
  if (is_open(order.state) || order.in_support || order.reversal_pending) return;
  free_orders_.push_back(id);
}

void World::user_moves_on(UserId id, bool bad_experience) {
  User& user = users_[id];
  const Market& market = markets_[user.market];
  if (user.intent != UserIntent::kGenuine) {
    // Fraudsters do not churn: they try again until their account is spent.
    if (--user.attempts_left == 0) return;
    const FraudTypologyConfig& settings = typology_config(user.market, user.intent);
    queue_.schedule(now_ + exponential(user.stream, settings.hours_between_attempts * kHour),
                    kOrderAttempt, id);
    return;
  }
  const UserConfig& settings = market.config->users;
  double churn =
      bad_experience ? settings.bad_experience_churn_probability : settings.churn_probability;
  if (bernoulli(user.stream, churn)) {
    user.churned = true;
    ++today(user.market).churned_users;
    return;
  }
  queue_.schedule(now_ + exponential(user.stream, settings.days_between_orders * kDay),
                  kOrderAttempt, id);
}

void World::on_hour(std::uint16_t market_index) {
  Market& market = markets_[market_index];
  if (std::fmod(now_, kDay) < 1.0) restock_merchants(market);
  double spread = market.ads.best_spread_bps(merchants_, ledger_);
  if (spread >= 0.0) {
    KpiCounters& counters = today(market_index);
    counters.spread_bps_sum += spread;
    ++counters.spread_samples;
  }
  queue_.schedule(now_ + kHour, kHourTick, market_index);
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

std::size_t World::open_orders() const {
  return static_cast<std::size_t>(std::count_if(orders_.begin(), orders_.end(),
                                                [](const Order& o) { return is_open(o.state); }));
}

// ---- outcome -----------------------------------------------------------------------------------

ReplicationOutcome World::outcome() const {
  ReplicationOutcome result;
  result.replication = replication_;
  result.first_measured_day = config_.simulation.warmup_days;
  result.events_processed = events_processed_;
  result.orders_simulated = orders_simulated_;
  for (std::uint16_t index = 0; index < markets_.size(); ++index) {
    const Market& market = markets_[index];
    MarketTally tally;
    tally.market = market.config->code;
    for (const PaymentMethodConfig& method : market.config->payment_methods) {
      tally.payment_methods.push_back(method.name);
    }
    tally.days = market.days;
    tally.period.fraud_loss_by_method_usd.assign(tally.payment_methods.size(), 0.0);
    for (std::size_t d = config_.simulation.warmup_days; d < market.days.size(); ++d) {
      tally.period.merge(market.days[d]);
    }
    // Distinct counts over the period are not sums of daily distinct counts.
    tally.period.active_users = static_cast<std::uint64_t>(std::count_if(
        users_.begin(), users_.end(),
        [&](const User& user) { return user.market == index && user.active_in_period; }));
    tally.period.active_merchants = static_cast<std::uint64_t>(
        std::count_if(merchants_.begin(), merchants_.end(), [&](const Merchant& merchant) {
          return merchant.market == index && merchant.active_in_period;
        }));
    result.markets.push_back(std::move(tally));
  }
  if (markets_.size() > 1) add_total_market(result);
  return result;
}

}  // namespace p2psim
