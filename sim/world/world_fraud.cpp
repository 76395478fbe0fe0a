// Fraud: attackers arriving per typology and their losses, booked to whoever bears them.
#include "world/world.hpp"

#include <algorithm>
#include <cmath>

#include "world/stream_purpose.hpp"

namespace p2psim {

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
  schedule_fraud_account(market_index, typology);
}

const FraudTypologyConfig& World::typology_config(std::uint16_t market, UserIntent intent) const {
  const FraudConfig& fraud = config_.markets[market].fraud;
  return intent == UserIntent::kNonPayment ? fraud.non_payment : fraud.payment_reversal;
}

void World::book_fraud_loss(const Order& order, int typology) {
  KpiCounters& cohort = day(order.market, order.created_day);
  const FraudTypologyConfig& settings = typology_config(order.market, order.intent);
  ++cohort.fraud_successes[typology];
  cohort.fraud_loss_usd[typology] += order.usd;
  cohort.fraud_loss_by_bearer_usd[static_cast<int>(settings.bearer)] += order.usd;
  cohort.fraud_loss_by_method_usd[order.payment_method] += order.usd;
  if (settings.bearer == LossBearer::kMerchant) book_merchant_pnl(order.merchant, -order.usd);
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
  ledger_.transfer(merchants_[order.merchant].fiat_account(order.payment_method),
                   market.outside_fiat, order.fiat);
  on_tainted_fiat(id);
  refresh_ads(order.merchant);
  compensate_if_platform_bears(order, typology_of(order.intent));
  order.reversal_pending = false;
  release_slot_if_done(id);
}

}  // namespace p2psim
