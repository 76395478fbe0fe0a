// Fraud: attackers arriving per typology with the signature of their orders, their losses booked
// to whoever bears them, when the platform learns of each fraud (delayed truth), and how
// fraudsters adapt to their failures. docs/model.md gives the equations.
#include "world/world.hpp"

#include <algorithm>
#include <cmath>

#include "world/stream_purpose.hpp"

namespace p2psim {
namespace {

constexpr int kExitScam = static_cast<int>(FraudTypology::kMerchantExitScam);
constexpr int kReversalTypology = static_cast<int>(FraudTypology::kPaymentReversal);
// A payment method fraudsters have learnt always fails keeps this share of its weight: they
// still try it now and then, which is how they notice when it opens again.
constexpr double kMinMethodWeight = 0.05;
// Mule orders land uniformly in the band this fraction wide just under the threshold.
constexpr double kMuleBand = 0.15;
// Account takeovers strike while the owner sleeps: 00:00-06:00.
constexpr double kNightHours = 6.0;
// Under full pressure an adapting fraudster splits each order into this many pieces.
constexpr int kMaxSplitPieces = 4;

bool pays_victims_directly(UserIntent intent) {
  // The victim of these typologies is a user whose own USDT left the platform.
  return intent == FraudTypology::kAccountTakeover || intent == FraudTypology::kMerchantExitScam;
}

}  // namespace

void World::on_fraud_account(std::uint16_t market_index, int typology) {
  if (typology == kExitScam) {
    start_exit_scam(market_index);
  } else {
    const UserIntent intent = UserIntent(static_cast<FraudTypology>(typology));
    const std::uint16_t target = market_for_fraud(market_index, typology);
    if (intent != FraudTypology::kPromotionAbuse) {
      enlist_fraudster(target, intent, kNoRing);
    } else {
      // A ring of sybil accounts on one device cluster; the first account draws the ring's size.
      // The other members sign up through the first one's referral link, so that referral
      // bonuses are farmed too.
      const std::uint32_t ring = next_ring_++;
      enlist_fraudster(target, intent, ring);
      const auto first = static_cast<UserId>(users_.size() - 1);
      const double mean = config_.markets[target].fraud.promotion_abuse.ring_size_mean;
      const std::uint32_t size = geometric_count(users_.back().stream, mean);
      for (std::uint32_t member = 1; member < size; ++member) {
        enlist_fraudster(target, intent, ring);
        profiles_.back().referred_by = first;
      }
    }
  }
  schedule_fraud_account(market_index, typology);
}

void World::enlist_fraudster(std::uint16_t market_index, UserIntent intent, std::uint32_t ring) {
  // Fraud accounts pass the funnel like anyone else: the platform sees visitors, not intents.
  KpiCounters& counters = today(market_index);
  ++counters.visitors;
  ++counters.registered;
  ++counters.kyc_verified;
  const int typology = typology_of(intent);
  const FraudTypologyConfig& settings = config_.markets[market_index].fraud.typology(typology);
  UserId id = create_user(market_index, intent, false, ring);
  if (!admit_sign_up(id)) return;
  User& user = users_[id];
  user.attempts_left = geometric_count(user.stream, settings.attempts_per_account);
  // Adaptation: under failure pressure F, each order is split into 1 + floor(3F) pieces and the
  // account waits F x aging_days before its first attack.
  const double pressure = markets_[market_index].fraud_memory[typology].failure;
  const int pieces =
      std::min(kMaxSplitPieces, 1 + static_cast<int>((kMaxSplitPieces - 1) * pressure));
  user.split_pieces = static_cast<std::uint8_t>(pieces);
  user.attempts_left *= static_cast<std::uint32_t>(pieces);
  const Seconds aging = pressure * settings.aging_days * kDay;
  queue_.schedule(next_fraud_attempt(user, now_ + aging), kOrderAttempt, id);
}

Seconds World::next_fraud_attempt(User& user, Seconds from) {
  const FraudTypologyConfig& settings = typology_config(user.market, user.intent);
  Seconds at = from + exponential(user.stream, settings.hours_between_attempts * kHour);
  if (user.intent == FraudTypology::kAccountTakeover &&
      bernoulli(user.stream, settings.night_probability)) {
    const Seconds time_of_day = std::fmod(at, kDay);
    if (time_of_day >= kNightHours * kHour) {
      at += kDay - time_of_day + uniform01(user.stream) * kNightHours * kHour;
    }
  }
  return at;
}

double World::fraud_order_usd(User& user) {
  const FraudTypologyConfig& settings = typology_config(user.market, user.intent);
  double usd;
  if (user.intent == FraudTypology::kMuleStructuring) {
    // Just under the threshold (a cent below at most), so no single order trips it.
    usd = (settings.threshold_usd - 0.01) * (1.0 - kMuleBand * uniform01(user.stream));
  } else {
    usd = lognormal_from_median(user.stream, settings.order_usd_median, settings.order_usd_sigma);
  }
  return usd / user.split_pieces;
}

const FraudTypologyConfig& World::typology_config(std::uint16_t market, UserIntent intent) const {
  return config_.markets[market].fraud.typology(typology_of(intent));
}

std::uint8_t World::draw_fraud_method(std::uint16_t market_index, int typology,
                                      RandomStream& stream) const {
  const Market& market = markets_[market_index];
  const MarketConfig& config = *market.config;
  const bool needs_reversible = typology == kReversalTypology;
  if (config.fraud.typology(typology).adaptation_speed <= 0.0) {
    std::uint8_t method = market.method_shares.draw(stream);
    // A chargeback needs a reversible method: redraw among those.
    while (needs_reversible && !config.payment_methods[method].reversible) {
      method = market.method_shares.draw(stream);
    }
    return method;
  }
  // Adapting: weight_m = share_m x max(0.05, 1 - F_m), F_m the remembered failure rate on m.
  const std::vector<double>& failure = market.fraud_memory[typology].method_failure;
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

std::uint16_t World::market_for_fraud(std::uint16_t market_index, int typology) {
  Market& market = markets_[market_index];
  if (market.config->fraud.typology(typology).adaptation_speed <= 0.0 || markets_.size() < 2) {
    return market_index;
  }
  // The account goes to the market where this typology fails least, with probability
  // F_here - F_there.
  std::uint16_t best = market_index;
  for (std::uint16_t other = 0; other < markets_.size(); ++other) {
    const auto& methods = markets_[other].config->payment_methods;
    const bool viable =
        typology != kReversalTypology ||
        std::any_of(methods.begin(), methods.end(), [](const auto& m) { return m.reversible; });
    if (viable && markets_[other].fraud_memory[typology].failure <
                      markets_[best].fraud_memory[typology].failure) {
      best = other;
    }
  }
  const double move =
      market.fraud_memory[typology].failure - markets_[best].fraud_memory[typology].failure;
  return move > 0.0 && uniform01(market.adaptation) < move ? best : market_index;
}

void World::note_fraud_outcome(const User& user, bool failed) {
  // Failure = no ad, expiry, cancellation or an appeal lost: F <- F + speed x (outcome - F).
  const int typology = typology_of(user.intent);
  const double speed = typology_config(user.market, user.intent).adaptation_speed;
  if (speed <= 0.0) return;
  FraudMemory& memory = markets_[user.market].fraud_memory[typology];
  const double outcome = failed ? 1.0 : 0.0;
  memory.failure += speed * (outcome - memory.failure);
  double& method = memory.method_failure[user.payment_method];
  method += speed * (outcome - method);
}

void World::start_exit_scam(std::uint16_t market_index) {
  // A merchant with a record to cash in on (reputation_orders completed orders, still trading)
  // turns: it takes what it can for exit_hours, then vanishes.
  Market& market = markets_[market_index];
  const FraudTypologyConfig& settings = market.config->fraud.merchant_exit_scam;
  RandomStream stream(config_.simulation.seed, replication_,
                      stream_id(kFraudsterStream + kExitScam, market_index,
                                market.next_fraudster_number[kExitScam]++));
  auto eligible = [&](MerchantId id) {
    const Merchant& merchant = merchants_[id];
    return merchant.status == MerchantStatus::kListed && !merchant.exit_scamming &&
           merchant.orders_completed >= settings.reputation_orders;
  };
  const auto candidates = static_cast<std::size_t>(
      std::count_if(market.merchants.begin(), market.merchants.end(), eligible));
  if (candidates == 0) return;
  std::size_t pick =
      std::min(candidates - 1,
               static_cast<std::size_t>(uniform01(stream) * static_cast<double>(candidates)));
  for (MerchantId id : market.merchants) {
    if (!eligible(id)) continue;
    if (pick-- > 0) continue;
    merchants_[id].exit_scamming = true;
    queue_.schedule(now_ + settings.exit_hours * kHour, kMerchantVanishes, id);
    return;
  }
}

void World::on_merchant_vanishes(MerchantId id) {
  // Its ads never show again, it counts in no spread, and its deposit stays with the platform.
  merchants_[id].capacity_limit = 0;
  merchants_[id].status = MerchantStatus::kGone;
  refresh_ads(id);
}

void World::book_fraud_loss(const Order& order, double usd, LossBearer bearer) {
  KpiCounters& cohort = day(order.market, order.created_day);
  cohort.fraud_loss_usd[typology_of(order.intent)] += usd;
  cohort.fraud_loss_by_bearer_usd[static_cast<int>(bearer)] += usd;
  cohort.fraud_loss_by_method_usd[order.payment_method] += usd;
  if (bearer == LossBearer::kMerchant) book_merchant_pnl(order.merchant, -usd);
  const std::uint32_t slot = split_.order_slot(order);
  split_.book(slot, UnitMetric::kFraudLossUsd, usd);
  // Farmed bonuses are already payouts in the unit's net revenue (as in net_revenue_usd).
  if (bearer == LossBearer::kPlatform && order.intent != FraudTypology::kPromotionAbuse) {
    split_.book(slot, UnitMetric::kNetRevenueUsd, -usd);
  }
}

void World::compensate_if_platform_bears(const Order& order, MinorUnits usdt) {
  if (typology_config(order.market, order.intent).bearer != LossBearer::kPlatform) return;
  if (pays_victims_directly(order.intent)) {
    // The victim's USDT is off the platform by now: the platform pays them there.
    ledger_.transfer(platform_usdt_, outside_usdt_, usdt);
    return;
  }
  ledger_.transfer(platform_usdt_, merchants_[order.merchant].usdt_account, usdt);
  refresh_ads(order.merchant);
}

Seconds World::reveal_delay(std::uint16_t market, UserIntent intent) {
  return exponential(markets_[market].reveal, typology_config(market, intent).reveal_delay_days) *
         kDay;
}

bool World::chargeback_granted(const Order& order) {
  const double granted =
      markets_[order.market].config->payment_methods[order.payment_method].reversal_probability;
  // No draw when every claim is granted, so the default leaves every stream untouched.
  return granted >= 1.0 || bernoulli(users_[order.user].stream, granted);
}

void World::on_fraud_completed(OrderId id) {
  // Losses are booked when they become certain, to the order's cohort; the platform's knowledge
  // of them (the label) comes later.
  Order& order = orders_[id];
  const int typology = typology_of(order.intent);
  const FraudTypologyConfig& settings = typology_config(order.market, order.intent);
  if (order.intent == FraudTypology::kMerchantExitScam && order.fiat_paid) {
    return;  // a buyer the scammer never released to, paid out of escrow by support
  }
  if (order.intent == FraudTypology::kPaymentReversal && !chargeback_granted(order)) {
    order.fraud_failed = true;  // the bank refuses the claim: the fraudster paid after all
    return;
  }
  ++day(order.market, order.created_day).fraud_successes[typology];
  switch (order.intent.typology()) {
    case FraudTypology::kNonPayment:
      book_fraud_loss(order, order.usd, settings.bearer);
      compensate_if_platform_bears(order, order.usdt);
      // The careless merchant finds the money missing when reconciling, and disputes.
      return reveal_fraud(order, now_ + reveal_delay(order.market, order.intent),
                          RevealedBy::kAppeal, order.usd);
    case FraudTypology::kPaymentReversal: {
      book_fraud_loss(order, order.usd, settings.bearer);
      const MarketConfig& config = *markets_[order.market].config;
      const PaymentMethodConfig& method = config.payment_methods[order.payment_method];
      User& user = users_[order.user];
      Seconds delay = std::min(exponential(user.stream, settings.reversal_delay_days),
                               method.reversal_window_days) *
                      kDay;
      return schedule_surfacing(id, delay, RevealedBy::kReversal);
    }
    case FraudTypology::kTriangulation:
      book_fraud_loss(order, order.usd, settings.bearer);
      return schedule_surfacing(id, reveal_delay(order.market, order.intent),
                                RevealedBy::kComplaint);
    case FraudTypology::kPromotionAbuse:
      // A farmed qualifying trade. Its cost is the bonus it earned, booked as the loss when it
      // was paid (World::pay_incentive); nobody has a reason to investigate.
      return;
    case FraudTypology::kAccountTakeover:
      book_fraud_loss(order, order.usd, settings.bearer);
      compensate_if_platform_bears(order, order.usdt);
      return reveal_fraud(order, now_ + reveal_delay(order.market, order.intent),
                          RevealedBy::kComplaint, order.usd);
    case FraudTypology::kMuleStructuring:
      if (!bernoulli(markets_[order.market].reveal, settings.reveal_probability)) return;
      book_fraud_loss(order, order.usd, settings.bearer);
      return schedule_surfacing(id, reveal_delay(order.market, order.intent), RevealedBy::kFreeze);
    case FraudTypology::kMerchantExitScam: {
      // A selling user released on the scammer's fake 'paid' mark; no fiat will ever come.
      merchants_[order.merchant].fiat_committed[order.payment_method] -= order.fiat;
      const MinorUnits covered = exit_scam_deposit_covers(id, order.usdt);
      const double covered_usd = static_cast<double>(covered) / kMicroUsdtPerUsdt;
      book_fraud_loss(order, covered_usd, LossBearer::kMerchant);
      book_fraud_loss(order, order.usd - covered_usd, settings.bearer);
      compensate_if_platform_bears(order, order.usdt - covered);
      return reveal_fraud(order, now_ + reveal_delay(order.market, order.intent),
                          RevealedBy::kComplaint, order.usd);
    }
  }
}

void World::schedule_surfacing(OrderId id, Seconds delay, RevealedBy how) {
  Order& order = orders_[id];
  order.reversal_pending = true;
  ++merchants_[order.merchant].pending_clawbacks;
  schedule_order_event(now_ + delay, kFraudSurfaces, id);
  reveal_fraud(order, now_ + delay, how, order.usd);
}

void World::on_fraud_surfaces(OrderId id) {
  // A chargeback, a victim's bank recalling stolen money, or a bank seizing a mule's proceeds:
  // the merchant's fiat for the order goes back out.
  Order& order = orders_[id];
  if (order.intent != FraudTypology::kMuleStructuring) transition(order, OrderEvent::kReverse);
  const Market& market = markets_[order.market];
  ledger_.transfer(merchants_[order.merchant].fiat_account(order.payment_method),
                   market.outside_fiat, order.fiat);
  on_tainted_fiat(id);
  refresh_ads(order.merchant);
  compensate_if_platform_bears(order, order.usdt);
  order.reversal_pending = false;
  --merchants_[order.merchant].pending_clawbacks;
  leave_if_done(order.merchant);
  release_slot_if_done(id);
}

void World::open_fraud_label(Order& order) {
  const User& user = users_[order.user];
  order.label = static_cast<std::uint32_t>(fraud_labels_.size());
  fraud_labels_.push_back(FraudLabel{
      .order = orders_simulated_,
      .user = order.user,
      .merchant = order.merchant,
      .ring = user.ring,
      .market = order.market,
      .typology = static_cast<std::uint8_t>(typology_of(order.intent)),
      .payment_method = order.payment_method,
      .user_sells = order.side == TradeSide::kUserSells,
      .usd = order.usd,
      .created_at = now_,
      .account_age_days = now_ / kDay - profiles_[order.user].created_day,
  });
}

void World::reveal_fraud(const Order& order, Seconds at, RevealedBy how, double loss_usd) {
  FraudLabel& label = fraud_labels_[order.label];
  if (label.revealed_by != RevealedBy::kNever || at >= horizon_) return;  // first news counts
  label.revealed_at = at;
  label.revealed_by = how;
  // Booked to the day the platform learns of the loss, unlike cohort KPIs.
  day(order.market, day_of(at)).fraud_loss_revealed_usd += loss_usd;
}

}  // namespace p2psim
