// The world: construction, the event loop, hourly market upkeep and the outcome.
#include "world/world.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "world/stream_purpose.hpp"

namespace p2psim {
namespace {

// A generous estimate of the users of a run, so that per-user arrays rarely reallocate.
std::size_t expected_users(const WorldConfig& config) {
  std::size_t users = 0;
  for (const MarketConfig& market : config.markets) {
    users += market.users.initial_users +
             static_cast<std::size_t>(1.2 * market.users.daily_visitors * config.simulation.days *
                                      (1.0 + market.users.referrals_per_user));
  }
  return users;
}

}  // namespace

World::World(const WorldConfig& config, std::uint32_t replication, AttemptSink* export_sink,
             const std::atomic<bool>* stop)
    : config_(config),
      replication_(replication),
      horizon_(config.simulation.days * kDay),
      split_(config_, replication, horizon_, now_, metrics_.units(), expected_users(config)),
      reviews_(config_, replication, now_, queue_, metrics_, expected_users(config)),
      outside_usdt_(ledger_.open_account(0)),
      escrow_usdt_(ledger_.open_account(0)),
      platform_usdt_(ledger_.open_account(0)),
      log_(export_sink == nullptr ? nullptr
                                  : std::make_unique<AttemptLog>(AttemptLog::Wiring{
                                        .sink = *export_sink,
                                        .now = now_,
                                        .users = users_,
                                        .profiles = profiles_,
                                        .links = account_links_,
                                        .orders = orders_,
                                    })),
      merchant_books_(Merchants::Wiring{
          .config = config_,
          .replication = replication,
          .now = now_,
          .horizon = horizon_,
          .queue = queue_,
          .ledger = ledger_,
          .metrics = metrics_,
          .merchants = merchants_,
          .users = users_,
          .orders = orders_,
          .outside_usdt = outside_usdt_,
      }),
      features_(now_, users_, profiles_, account_links_, merchants_),
      fraudsters_(Fraudsters::Wiring{
          .config = config_,
          .replication = replication,
          .now = now_,
          .horizon = horizon_,
          .queue = queue_,
          .ledger = ledger_,
          .metrics = metrics_,
          .split = split_,
          .users = users_,
          .profiles = profiles_,
          .merchant_books = merchant_books_,
          .merchants = merchants_,
          .orders = orders_,
          .outside_usdt = outside_usdt_,
          .platform_usdt = platform_usdt_,
          .host = *this,
          .log = log_.get(),
      }),
      incentives_(
          Incentives::Wiring{
              .config = config_,
              .replication = replication,
              .now = now_,
              .ledger = ledger_,
              .metrics = metrics_,
              .split = split_,
              .fraudsters = fraudsters_,
              .merchant_books = merchant_books_,
              .features = features_,
              .users = users_,
              .profiles = profiles_,
              .merchants = merchants_,
              .outside_usdt = outside_usdt_,
          },
          expected_users(config)),
      risk_(RiskScreening::Wiring{
          .config = config_,
          .replication = replication,
          .now = now_,
          .metrics = metrics_,
          .split = split_,
          .features = features_,
          .fraudsters = fraudsters_,
          .reviews = reviews_,
          .users = users_,
          .merchants = merchants_,
          .orders = orders_,
          .log = log_.get(),
      }),
      order_book_(Orders::Wiring{
          .config = config_,
          .replication = replication,
          .now = now_,
          .queue = queue_,
          .ledger = ledger_,
          .metrics = metrics_,
          .split = split_,
          .merchants = merchant_books_,
          .risk = risk_,
          .incentives = incentives_,
          .fraudsters = fraudsters_,
          .users = users_,
          .profiles = profiles_,
          .merchant_records = merchants_,
          .orders = orders_,
          .outside_usdt = outside_usdt_,
          .escrow_usdt = escrow_usdt_,
          .log = log_.get(),
      }),
      user_base_(
          Users::Wiring{
              .config = config_,
              .replication = replication,
              .now = now_,
              .queue = queue_,
              .ledger = ledger_,
              .metrics = metrics_,
              .split = split_,
              .reviews = reviews_,
              .features = features_,
              .fraudsters = fraudsters_,
              .incentives = incentives_,
              .risk = risk_,
              .merchants = merchant_books_,
              .orders = order_book_,
              .users = users_,
              .profiles = profiles_,
              .links = account_links_,
              .log = log_.get(),
          },
          expected_users(config)) {
  const std::size_t user_estimate = expected_users(config_);
  ledger_.reserve(user_estimate + 1024);
  queue_.reserve(user_estimate + 1024);
  for (std::uint16_t index = 0; index < config_.markets.size(); ++index) {
    build_market(index, config_.markets[index], stop);
  }
  split_.size_units(merchants_.size(), config_.markets.size());
  for (std::uint32_t shock = 0; shock < config_.shocks.size(); ++shock) {
    queue_.schedule(config_.shocks[shock].day * kDay, kShock, shock);
  }
  incentives_.set_up();
}

void World::build_market(std::uint16_t index, const MarketConfig& config,
                         const std::atomic<bool>* stop) {
  assert(config.payment_methods.size() <= kMaxPaymentMethods && "the loader enforces the limit");
  const AccountId outside_fiat = ledger_.open_account(static_cast<CurrencyId>(index + 1));
  user_base_.add_market(index);
  metrics_.kpis().add_market(config_.simulation.days, config.payment_methods.size());
  fraudsters_.add_market(index);
  reviews_.add_market(index);
  incentives_.add_market(index);
  risk_.add_market(index);
  order_book_.add_market(index);
  merchant_books_.add_market(index, outside_fiat, user_base_.method_shares(index));
  user_base_.populate(index, stop);
  for (int typology = 0; typology < kFraudTypologyCount; ++typology) {
    fraudsters_.schedule_arrival(index, typology);
  }
  queue_.schedule(kHour, kHourTick, index);
}

bool World::run(const std::atomic<bool>* stop) {
  if (!run_until(horizon_, stop)) return false;
  if (log_) log_->finish(fraudsters_.labels());
  return true;
}

bool World::run_until(Seconds end, const std::atomic<bool>* stop) {
  assert(end <= horizon_);
  while (!queue_.empty() && queue_.next().time < end) {
    if (stop != nullptr && (events_processed_ & 4095) == 0 &&
        stop->load(std::memory_order_relaxed)) {
      return false;
    }
    Event event = queue_.pop();
    prefetch_ahead();
    now_ = event.time;
    ++events_processed_;
    dispatch(event);
  }
  now_ = end;
  if (end == horizon_ && !last_day_charged_) {
    // The last day has no next midnight to close it: its operating costs are charged here.
    // Exits, entries and suspensions decided at that close would act after the run, so none is.
    last_day_charged_ = true;
    for (std::uint16_t index = 0; index < config_.markets.size(); ++index) {
      merchant_books_.charge_daily_costs(index,
                                         static_cast<std::int32_t>(config_.simulation.days) - 1);
    }
  }
  return true;
}

// A million users' records do not stay in cache: loading an order attempt's user a few events
// before it runs hides most of the memory latency (docs/performance.md).
void World::prefetch_ahead() const {
  const auto attempt = [](const Event* event) {
    const EventKind kind = kind_of(event->kind);
    return kind == kOrderAttempt || kind == kSurgeAttempt;
  };
  const auto order_event = [](const Event* event) {
    const EventKind kind = kind_of(event->kind);
    return kind >= kBuyerPays && kind <= kFraudSurfaces;
  };
  if (const Event* ahead = queue_.sorted_ahead(kPrefetchDistance)) {
    if (attempt(ahead)) {
      user_base_.prefetch(UserId(ahead->subject));
    } else if (order_event(ahead)) {
      orders_.prefetch(OrderId(ahead->subject));
    }
  }
  if (const Event* ahead = queue_.sorted_ahead(kPrefetchDistance / 2)) {
    if (attempt(ahead)) {
      user_base_.prefetch_links(UserId(ahead->subject));
    } else if (order_event(ahead)) {
      // The order's record was asked for two events ago: its user is known by now.
      const Order& order = orders_[OrderId(ahead->subject)];
      if (order.user.index() < users_.size()) users_.prefetch(order.user);
    }
  }
  // The end of an order moves USDT through the user's account: its balance, one event ahead,
  // once the user's record has arrived.
  if (const Event* ahead = queue_.sorted_ahead(1); ahead && order_event(ahead)) {
    const Order& order = orders_[OrderId(ahead->subject)];
    if (order.user.index() < users_.size()) ledger_.prefetch(users_[order.user].usdt_account);
  }
}

void World::dispatch(const Event& event) {
  const EventKind kind = kind_of(event.kind);
  if (kind >= kBuyerPays && kind <= kFraudSurfaces) {
    // Order events carry the generation of the order they were meant for; a reused slot makes
    // them stale.
    if ((event.kind >> 8) != orders_[OrderId(event.subject)].generation) return;
  }
  if (kind == kVisitorArrives &&
      !user_base_.visitor_current(static_cast<std::uint16_t>(event.subject), event.kind >> 8)) {
    return;  // a candidate drawn before a shock changed the rate
  }
  if (kind == kFraudAccountArrives &&
      !fraudsters_.arrival_current(event.subject, event.kind >> 8)) {
    return;
  }
  const UserId user(event.subject);
  const OrderId order(event.subject);
  switch (kind) {
    case kVisitorArrives:
      return user_base_.on_visitor(static_cast<std::uint16_t>(event.subject));
    case kFraudAccountArrives:
      return fraudsters_.on_account_arrives(
          static_cast<std::uint16_t>(event.subject / kFraudTypologyCount),
          static_cast<int>(event.subject % kFraudTypologyCount));
    case kOrderAttempt:
      return user_base_.on_order_attempt(user);
    case kReferredVisitorArrives:
      return user_base_.on_referred_visitor(user);
    case kBuyerPays:
      order_book_.on_buyer_pays(order);
      return move_on_after_order();
    case kUserCancels:
      order_book_.on_user_cancels(order);
      return move_on_after_order();
    case kPaymentDeadline:
      order_book_.on_payment_deadline(order);
      return move_on_after_order();
    case kSellerChecks:
      order_book_.on_seller_checks(order);
      return move_on_after_order();
    case kBuyerOutOfPatience:
      order_book_.on_buyer_out_of_patience(order);
      return move_on_after_order();
    case kEvidenceIn:
      return order_book_.on_evidence_in(order);
    case kWithdrawalUnlocks:
      return order_book_.on_withdrawal_unlocks(order);
    case kSupportResolves:
      order_book_.on_support_resolves(order);
      return move_on_after_order();
    case kFraudSurfaces:
      order_book_.on_fraud_surfaces(order);
      return move_on_after_order();
    case kMerchantVanishes:
      return merchant_books_.on_vanishes(MerchantId(event.subject));
    case kHourTick:
      return on_hour(static_cast<std::uint16_t>(event.subject));
    case kShock:
      return on_shock(config_.shocks[event.subject]);
    case kSurgeAttempt:
      return user_base_.on_surge_attempt(user);
    case kFreezeEnds:
      return merchant_books_.on_freeze_ends(event.subject);
    case kConversionLands:
      return merchant_books_.on_conversion_lands(MerchantId(event.subject));
    case kReviewDone:
      return on_review_done(user);
    case kReviewPatienceEnds:
      return on_review_patience_ends(user, event.kind >> 8);
  }
  assert(false && "unknown event kind");
}

void World::move_on_after_order() {
  const Orders::Closed closed = order_book_.take_closed();
  if (closed.user == kNobody) return;
  if (closed.retry_in_visit) return user_base_.retries_in_visit(closed.user);
  user_base_.moves_on(closed.user, closed.experience);
}

void World::on_hour(std::uint16_t market_index) {
  merchant_books_.rate(market_index).advance_hour();
  user_base_.update_demand(market_index);
  if (std::fmod(now_, kDay) < 1.0) {
    merchant_books_.close_day(market_index, day_of(now_) - 1);
    merchant_books_.restock(market_index);
  }
  incentives_.on_hour(market_index);
  merchant_books_.update_online_hours(market_index);
  merchant_books_.convert_inventory(market_index);
  if (reviews_.kept()) reviews_.change_shift(market_index);
  merchant_books_.reprice(market_index);
  double spread = merchant_books_.best_spread_bps(market_index);
  if (spread >= 0.0) metrics_.record(SpreadSampled{market_index, spread});
  queue_.schedule(now_ + kHour, kHourTick, market_index);
}

std::size_t World::open_orders() const {
  return static_cast<std::size_t>(std::count_if(orders_.begin(), orders_.end(),
                                                [](const Order& o) { return is_open(o.state); }));
}

std::size_t World::bytes_per_account() {
  // The user and profile records, the account-link records (a cluster entry, a device date, a
  // share of a device and of a bank account), one ledger account, the pending order attempt in
  // the queue and the entry of the market's list of genuine accounts.
  return sizeof(User) + sizeof(UserProfile) + AccountLinks::bytes_per_account() +
         Ledger::bytes_per_account() + sizeof(Event) + sizeof(UserId);
}

std::size_t World::bytes_per_merchant(std::size_t payment_methods) {
  // The record, its ledger accounts (USDT, deposit, one fiat account per method) and its loss
  // memory per method.
  return sizeof(Merchant) + (payment_methods + 2) * Ledger::bytes_per_account() +
         payment_methods * 16;
}

ReplicationOutcome World::outcome() const {
  if (ledger_.overflowed()) {
    throw std::runtime_error(
        "the ledger's balances went past what 64-bit minor units (micro-USDT, fiat cents) hold: "
        "the scenario moves too much money; lower its amounts (merchants' inventory and "
        "deposit_usdt, order sizes, reference_rate) or its populations");
  }
  ReplicationOutcome result;
  result.replication = replication_;
  result.first_measured_day = config_.simulation.warmup_days;
  result.events_processed = events_processed_;
  result.orders_simulated = order_book_.simulated();
  result.fraud_labels = fraudsters_.labels();
  for (std::uint16_t index = 0; index < config_.markets.size(); ++index) {
    const MarketConfig& market = config_.markets[index];
    MarketTally tally;
    tally.market = market.code;
    for (const PaymentMethodConfig& method : market.payment_methods) {
      tally.payment_methods.push_back(method.name);
    }
    const std::vector<KpiCounters>& days = metrics_.kpis().days(index);
    tally.days = days;
    tally.period.fraud_loss_by_method_usd.assign(tally.payment_methods.size(), 0.0);
    for (std::size_t d = config_.simulation.warmup_days; d < days.size(); ++d) {
      tally.period.merge(days[d]);
    }
    // Distinct counts over the period are not sums of daily distinct counts.
    tally.period.active_users = static_cast<std::uint64_t>(std::count_if(
        users_.begin(), users_.end(),
        [&](const User& user) { return user.market == index && user.active_in_period; }));
    tally.period.active_merchants = 0;  // the merged days summed daily distinct counts
    for (const Merchant& merchant : merchants_) {
      if (merchant.market != index) continue;
      tally.period.active_merchants += merchant.active_in_period;
      if (merchant.orders_counted == 0) continue;
      const double rate = double(merchant.orders_completed) / merchant.orders_counted;
      ++tally.period.merchants_rated;
      tally.period.merchants_rated_at_least_95 += rate >= 0.95;
      tally.period.merchant_completion_rate_sum += rate;
    }
    result.markets.push_back(std::move(tally));
  }
  if (config_.markets.size() > 1) add_total_market(result);
  result.units = split_.unit_moments(users_, merchants_);
  return result;
}

void World::on_review_done(UserId user_id) {
  const std::uint16_t market = users_[user_id].market;
  const ReviewQueue::Verdict verdict = reviews_.decide(user_id, market);
  if (log_) log_->resume_after_review(user_id);
  if (verdict.stop) {
    user_base_.stop_attempt(user_id, verdict.genuine, verdict.screened_day, verdict.unit_slot,
                            verdict.segment);
  } else {
    user_base_.place_order(user_id, verdict.usd);
  }
  reviews_.start_next(market);
}

void World::on_review_patience_ends(UserId user_id, std::uint32_t generation) {
  if (reviews_.patience_ends(user_id, users_[user_id].market, generation)) {
    if (log_) {
      log_->resume_after_review(user_id);
      log_->end(AttemptOutcome::kReviewAbandoned);
    }
    user_base_.moves_on(user_id, kExperienceSlow);
  }
}

}  // namespace p2psim
