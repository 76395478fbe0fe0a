#include "world/fraudsters.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "world/event_kind.hpp"
#include "world/stream_purpose.hpp"

namespace p2psim {
namespace {

constexpr int kExitScam = static_cast<int>(FraudTypology::kMerchantExitScam);
// A payment method fraudsters have learnt always fails keeps this share of its weight: they
// still try it now and then, which is how they notice when it opens again.
constexpr double kMinMethodWeight = 0.05;
// Under full pressure an adapting fraudster splits each order into this many pieces.
constexpr int kMaxSplitPieces = 4;

ArrivalProfile flat_profile() {
  ArrivalProfile profile;
  profile.hourly.fill(1.0);
  profile.weekly.fill(1.0);
  return profile;
}

// One Poisson stream of new accounts per fraud typology, flat over the day and week.
template <typename StreamOf>
std::array<ArrivalProcess, kFraudTypologyCount> fraud_arrivals(const FraudConfig& fraud,
                                                               StreamOf stream) {
  auto one = [&](int typology) {
    return ArrivalProcess(fraud.typology(typology).accounts_per_day, flat_profile(),
                          stream(kFraudArrivalStream + typology));
  };
  return [&]<std::size_t... typology>(std::index_sequence<typology...>) {
    return std::array<ArrivalProcess, kFraudTypologyCount>{one(static_cast<int>(typology))...};
  }
  (std::make_index_sequence<kFraudTypologyCount>{});
}

// A generous estimate of the fraudulent orders of a run, so labels rarely reallocate. At most
// kMostReservedLabels: absurd fraud rates (4e9 accounts a day) would otherwise reserve terabytes
// up front, or overflow the size; a run past it reallocates as it goes.
constexpr double kMostReservedLabels = 1 << 20;
std::size_t expected_fraud_orders(const WorldConfig& config) {
  double orders = 0.0;
  for (const MarketConfig& market : config.markets)
    orders +=
        fraud_orders_per_day(market, market.fraud[FraudTypology::kPromotionAbuse].accounts_per_day);
  const double expected = 1.2 * orders * config.simulation.days;
  // Compared this way round so that NaN takes the cap too.
  return static_cast<std::size_t>(expected < kMostReservedLabels ? expected : kMostReservedLabels) +
         64;
}

// A typology's new accounts a day: a promotion-abuse ring is its members.
double accounts_per_day(const FraudTypologyConfig& fraud, int typology, double rings_per_day) {
  const bool rings = typology == static_cast<int>(FraudTypology::kPromotionAbuse);
  return rings ? rings_per_day * fraud.ring_size_mean : fraud.accounts_per_day;
}

}  // namespace

double fraud_accounts_per_day(const MarketConfig& market, double rings_per_day) {
  double accounts = 0.0;
  for (int typology = 0; typology < kFraudTypologyCount; ++typology)
    accounts += accounts_per_day(market.fraud.typology(typology), typology, rings_per_day);
  return accounts;
}

double fraud_orders_per_day(const MarketConfig& market, double rings_per_day) {
  double orders = 0.0;
  for (int typology = 0; typology < kFraudTypologyCount; ++typology) {
    const FraudTypologyConfig& fraud = market.fraud.typology(typology);
    orders += accounts_per_day(fraud, typology, rings_per_day) * fraud.attempts_per_account;
  }
  // A scamming merchant's orders: its capacity, turned over every hour of its exit.
  const FraudTypologyConfig& exit_scam = market.fraud[FraudTypology::kMerchantExitScam];
  return orders + exit_scam.accounts_per_day * market.merchants.capacity * exit_scam.exit_hours;
}

Fraudsters::Fraudsters(const Wiring& wiring)
    : config_(wiring.config),
      replication_(wiring.replication),
      now_(wiring.now),
      horizon_(wiring.horizon),
      queue_(wiring.queue),
      ledger_(wiring.ledger),
      metrics_(wiring.metrics),
      split_(wiring.split),
      users_(wiring.users),
      profiles_(wiring.profiles),
      merchant_books_(wiring.merchant_books),
      merchants_(wiring.merchants),
      orders_(wiring.orders),
      outside_usdt_(wiring.outside_usdt),
      platform_usdt_(wiring.platform_usdt),
      host_(wiring.host),
      log_(wiring.log) {
  labels_.reserve(expected_fraud_orders(config_));
  markets_.reserve(config_.markets.size());
}

// ---- arrivals ----------------------------------------------------------------------------------

void Fraudsters::add_market(std::uint16_t index) {
  const MarketConfig& config = config_.markets[index];
  auto stream = [&](std::uint32_t purpose) {
    return RandomStream(config_.simulation.seed, replication_, stream_id(purpose, index, 0));
  };
  MarketFraud& market = markets_.emplace_back(MarketFraud{
      .arrivals = fraud_arrivals(config.fraud, stream),
      .reveal = stream(kRevealStream),
      .adaptation = stream(kFraudAdaptationStream),
      .memory = {},
  });
  for (Memory& memory : market.memory) {
    memory.method_failure.assign(config.payment_methods.size(), 0.0);
  }
}

void Fraudsters::schedule_arrival(std::uint16_t index, int typology) {
  MarketFraud& market = markets_[index];
  queue_.schedule(market.arrivals[typology].next_after(now_),
                  kFraudAccountArrives | (market.generation[typology] << 8),
                  index * kFraudTypologyCount + typology);
}

bool Fraudsters::arrival_current(std::uint32_t subject, std::uint32_t generation) const {
  return generation ==
         markets_[subject / kFraudTypologyCount].generation[subject % kFraudTypologyCount];
}

void Fraudsters::on_account_arrives(std::uint16_t market, int typology) {
  const auto which = static_cast<FraudTypology>(typology);
  metrics_.record(FraudsterArrived{.market = market, .typology = which});
  FraudScheme::of(which).arrive(market, which, *this);
  schedule_arrival(market, typology);
}

void Fraudsters::set_arrival_rate(std::uint16_t index, int typology, double per_day) {
  MarketFraud& market = markets_[index];
  market.arrivals[typology].set_daily_mean(per_day);
  ++market.generation[typology];  // the pending candidate was drawn at the old rate
  schedule_arrival(index, typology);
}

void Fraudsters::enlist(std::uint16_t market, UserIntent intent, std::uint32_t ring) {
  // Fraud accounts pass the funnel like anyone else: the platform sees visitors, not intents.
  metrics_.record(VisitorArrived{.market = market, .registered = true, .kyc_verified = true});
  const int typology = typology_of(intent);
  const FraudTypologyConfig& settings = config_.markets[market].fraud.typology(typology);
  const UserId id = host_.open_fraud_account(market, intent, ring);
  if (!host_.admit_sign_up(id)) return;
  User& user = users_[id];
  user.attempts_left = geometric_count(user.stream, settings.attempts_per_account);
  // Adaptation: under failure pressure F, each order is split into 1 + floor(3F) pieces and the
  // account waits F x aging_days before its first attack.
  const double pressure = markets_[market].memory[typology].failure;
  const int pieces =
      std::min(kMaxSplitPieces, 1 + static_cast<int>((kMaxSplitPieces - 1) * pressure));
  user.split_pieces = static_cast<std::uint8_t>(pieces);
  user.attempts_left *= static_cast<std::uint32_t>(pieces);
  const Seconds aging = pressure * settings.aging_days * kDay;
  queue_.schedule(next_attempt(user, now_ + aging), kOrderAttempt, id);
}

void Fraudsters::enlist_ring(std::uint16_t market) {
  // A ring of sybil accounts on one device cluster; the first account draws the ring's size.
  // The other members sign up through the first one's referral link, so that referral bonuses
  // are farmed too.
  const UserIntent intent(FraudTypology::kPromotionAbuse);
  const std::uint32_t ring = next_ring_++;
  enlist(market, intent, ring);
  const auto first = static_cast<UserId>(users_.size() - 1);
  const double mean = config_.markets[market].fraud[FraudTypology::kPromotionAbuse].ring_size_mean;
  const std::uint32_t size = geometric_count(users_.back().stream, mean);
  for (std::uint32_t member = 1; member < size; ++member) {
    enlist(market, intent, ring);
    profiles_.back().referred_by = first;
  }
}

void Fraudsters::start_exit_scam(std::uint16_t market) {
  // A merchant with a record to cash in on (reputation_orders completed orders, still trading)
  // turns: it takes what it can for exit_hours, then vanishes.
  const FraudTypologyConfig& settings =
      config_.markets[market].fraud[FraudTypology::kMerchantExitScam];
  RandomStream stream = next_account_stream(market, kExitScam);
  auto eligible = [&](MerchantId id) {
    const Merchant& merchant = merchants_[id];
    return merchant.status == MerchantStatus::kListed && !merchant.exit_scamming &&
           merchant.orders_completed >= settings.reputation_orders;
  };
  const std::span<const MerchantId> listed = merchant_books_.of(market);
  const auto candidates =
      static_cast<std::size_t>(std::count_if(listed.begin(), listed.end(), eligible));
  if (candidates == 0) return;
  std::size_t pick =
      std::min(candidates - 1,
               static_cast<std::size_t>(uniform01(stream) * static_cast<double>(candidates)));
  for (MerchantId id : listed) {
    if (!eligible(id)) continue;
    if (pick-- > 0) continue;
    merchants_[id].exit_scamming = true;
    queue_.schedule(now_ + settings.exit_hours * kHour, kMerchantVanishes, id);
    return;
  }
}

std::uint16_t Fraudsters::market_for(std::uint16_t index, int typology) {
  MarketFraud& market = markets_[index];
  if (config_.markets[index].fraud.typology(typology).adaptation_speed <= 0.0 ||
      markets_.size() < 2) {
    return index;
  }
  // The account goes to the market where this typology fails least, with probability
  // F_here - F_there.
  const bool needs_reversible =
      FraudScheme::of(static_cast<FraudTypology>(typology)).needs_reversible_method();
  std::uint16_t best = index;
  for (std::uint16_t other = 0; other < markets_.size(); ++other) {
    const auto& methods = config_.markets[other].payment_methods;
    const bool viable =
        !needs_reversible ||
        std::any_of(methods.begin(), methods.end(), [](const auto& m) { return m.reversible; });
    if (viable &&
        markets_[other].memory[typology].failure < markets_[best].memory[typology].failure) {
      best = other;
    }
  }
  const double move = market.memory[typology].failure - markets_[best].memory[typology].failure;
  return move > 0.0 && uniform01(market.adaptation) < move ? best : index;
}

// ---- accounts ----------------------------------------------------------------------------------

RandomStream Fraudsters::next_account_stream(std::uint16_t market, int typology) {
  return RandomStream(config_.simulation.seed, replication_,
                      stream_id(kFraudsterStream + typology, market,
                                markets_[market].next_account_number[typology]++));
}

std::uint8_t Fraudsters::draw_method(std::uint16_t market, int typology, RandomStream& stream,
                                     const PaymentMethodShares& shares) const {
  const MarketConfig& config = config_.markets[market];
  const bool needs_reversible =
      FraudScheme::of(static_cast<FraudTypology>(typology)).needs_reversible_method();
  if (config.fraud.typology(typology).adaptation_speed <= 0.0) {
    if (!needs_reversible) return shares.draw(stream);
    // A chargeback needs a reversible method: drawn by share among those (not by redrawing
    // until one comes up, which never ends when their shares are tiny).
    std::uint32_t irreversible = 0;
    for (std::size_t m = 0; m < config.payment_methods.size(); ++m) {
      if (!config.payment_methods[m].reversible) irreversible |= 1u << m;
    }
    return shares.draw(stream, irreversible);
  }
  // Adapting: weight_m = share_m x max(0.05, 1 - F_m), F_m the remembered failure rate on m.
  const std::vector<double>& failure = markets_[market].memory[typology].method_failure;
  auto weight = [&](std::size_t m) {
    const PaymentMethodConfig& method = config.payment_methods[m];
    if (needs_reversible && !method.reversible) return 0.0;
    return method.share * std::max(kMinMethodWeight, 1.0 - failure[m]);
  };
  double total = 0.0;
  for (std::size_t m = 0; m < failure.size(); ++m)
    total += weight(m);
  double pick = uniform01(stream) * total;
  std::size_t chosen = 0;
  for (std::size_t m = 0; m < failure.size(); ++m) {
    if (weight(m) <= 0.0) continue;
    chosen = m;
    pick -= weight(m);
    if (pick < 0.0) break;
  }
  return static_cast<std::uint8_t>(chosen);
}

void Fraudsters::shape_account(User& user, double& created_day) const {
  user.side = TradeSide::kUserBuys;
  FraudScheme::of(user.intent).shape_account(user, created_day, settings(user.market, user.intent));
}

Seconds Fraudsters::next_attempt(User& user, Seconds from) const {
  return FraudScheme::of(user.intent).next_attempt(user, from, settings(user.market, user.intent));
}

double Fraudsters::order_usd(User& user) const {
  return FraudScheme::of(user.intent).order_usd(user, settings(user.market, user.intent)) /
         user.split_pieces;
}

void Fraudsters::note_outcome(const User& user, bool failed) {
  // Failure = no ad, expiry, cancellation or an appeal lost: F <- F + speed x (outcome - F).
  const double speed = settings(user.market, user.intent).adaptation_speed;
  if (speed <= 0.0) return;
  Memory& memory = markets_[user.market].memory[typology_of(user.intent)];
  const double outcome = failed ? 1.0 : 0.0;
  memory.failure += speed * (outcome - memory.failure);
  double& method = memory.method_failure[user.payment_method];
  method += speed * (outcome - method);
}

// ---- orders ------------------------------------------------------------------------------------

void Fraudsters::open_label(Order& order, std::uint64_t serial) {
  order.label = static_cast<std::uint32_t>(labels_.size());
  labels_.push_back(FraudLabel{
      .order = serial,
      .user = order.user.index(),
      .merchant = order.merchant.index(),
      .ring = profiles_[order.user].ring,
      .market = order.market,
      .typology = static_cast<std::uint8_t>(typology_of(order.intent)),
      .payment_method = order.payment_method,
      .user_sells = order.side == TradeSide::kUserSells,
      .usd = order.usd,
      .created_at = now_,
      .account_age_days = now_ / kDay - profiles_[order.user].created_day,
  });
}

void Fraudsters::on_completed(OrderId id) {
  // Losses are booked when they become certain, to the order's cohort; the platform's knowledge
  // of them (the label) comes later.
  Order& order = orders_[id];
  FraudScheme::of(order.intent).on_completed(id, order, *this);
}

void Fraudsters::count_success(const Order& order) {
  metrics_.record(FraudSucceeded{order.market, order.created_day, order.intent.typology()});
}

void Fraudsters::book_loss(const Order& order, double usd, LossBearer bearer) {
  metrics_.record(FraudLossBooked{
      .market = order.market,
      .cohort_day = order.created_day,
      .unit = split_.order_slot(order),
      .typology = order.intent.typology(),
      .bearer = bearer,
      .payment_method = order.payment_method,
      .usd = usd,
      .farmed_bonus = FraudScheme::of(order.intent).loss_is_payout(),
  });
  if (bearer == LossBearer::kMerchant) {
    merchant_books_.book_pnl(order.merchant, -usd);
    merchant_books_.on_fraud_loss(order.merchant, order.payment_method, usd);
  }
  if (log_) log_->lost(order, usd, bearer);
}

void Fraudsters::claw_back(const Order& order, double usd) {
  book_loss(order, -usd, settings(order.market, order.intent).bearer);
  metrics_.record(FraudClawedBack{order.market, order.created_day, usd});
}

void Fraudsters::fall_short(const Order& order, double usd) {
  book_loss(order, -usd, settings(order.market, order.intent).bearer);
  metrics_.record(FraudClaimUncovered{order.market, order.created_day, usd});
}

void Fraudsters::compensate_if_platform_bears(const Order& order, MinorUnits usdt) {
  if (settings(order.market, order.intent).bearer != LossBearer::kPlatform) return;
  if (FraudScheme::of(order.intent).pays_victim_outside()) {
    // The victim's USDT is off the platform by now: the platform pays them there.
    ledger_.transfer(platform_usdt_, outside_usdt_, usdt);
    return;
  }
  ledger_.transfer(platform_usdt_, merchants_[order.merchant].usdt_account, usdt);
  merchant_books_.refresh_ads(order.merchant);
}

Seconds Fraudsters::reveal_delay(const Order& order) {
  return exponential(markets_[order.market].reveal,
                     settings(order.market, order.intent).reveal_delay_days) *
         kDay;
}

bool Fraudsters::reveal_draw(const Order& order, double probability) {
  return bernoulli(markets_[order.market].reveal, probability);
}

bool Fraudsters::chargeback_granted(const Order& order) {
  const double granted =
      config_.markets[order.market].payment_methods[order.payment_method].reversal_probability;
  // No draw when every claim is granted, so the default leaves every stream untouched.
  return granted >= 1.0 || bernoulli(users_[order.user].stream, granted);
}

void Fraudsters::schedule_surfacing(OrderId id, Seconds delay, RevealedBy how) {
  Order& order = orders_[id];
  order.reversal_pending = true;
  ++merchants_[order.merchant].pending_clawbacks;
  queue_.schedule(now_ + delay, kFraudSurfaces | (order.generation << 8), id);
  reveal(order, now_ + delay, how, order.usd);
}

void Fraudsters::reveal(const Order& order, Seconds at, RevealedBy how, double loss_usd) {
  FraudLabel& label = labels_[order.label];
  if (label.revealed_by != RevealedBy::kNever || at >= horizon_) return;  // first news counts
  label.revealed_at = at;
  label.revealed_by = how;
  // Booked to the day the platform learns of the loss, unlike cohort KPIs.
  metrics_.record(FraudLossRevealed{order.market, day_of(at), loss_usd});
}

}  // namespace p2psim
