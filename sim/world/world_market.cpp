// Market dynamics: the moving reference rate, merchants' hourly repricing, the demand surge that
// follows a devaluation, and scheduled shocks to a market's parameters.
#include <cassert>

#include "world/market_response.hpp"
#include "world/world.hpp"

namespace p2psim {

void World::update_demand(std::uint16_t index) {
  Market& market = markets_[index];
  if (market.demand_bound == 1.0) return;  // devaluations do not move demand in this market
  market.demand_multiplier =
      demand_multiplier(merchant_books_.rate(index).change_over_day(), market.config->users);
}

void World::schedule_visitor(std::uint16_t index) {
  Market& market = markets_[index];
  queue_.schedule(market.visitors.next_after(now_),
                  kVisitorArrives | (market.visitor_generation << 8), index);
}

bool World::surges(const User& user) const {
  return user.intent == UserIntent::kGenuine && user.side == TradeSide::kUserBuys &&
         markets_[user.market].demand_bound > 1.0;
}

// The next order attempt after an exponential gap with mean `mean_gap`. A genuine buyer in a
// market whose demand can surge gets candidates at demand_bound times that rate instead, each
// kept when it happens with probability multiplier / demand_bound (on_surge_attempt): exactly a
// Poisson stream of attempts at rate multiplier / mean_gap, following the multiplier hour by
// hour.
void World::schedule_next_attempt(UserId id, double mean_gap) {
  User& user = users_[id];
  // A taker fee waiver on offer brings users back sooner (docs/model.md, Fees and incentives).
  if (incentives_.active(user.market)) mean_gap /= incentives_.attempt_rate_multiplier(id);
  if (surges(user)) {
    const double bound = markets_[user.market].demand_bound;
    queue_.schedule(now_ + exponential(user.stream, mean_gap / bound), kSurgeAttempt, id);
    return;
  }
  queue_.schedule(now_ + exponential(user.stream, mean_gap), kOrderAttempt, id);
}

void World::on_surge_attempt(UserId id) {
  User& user = users_[id];
  const Market& market = markets_[user.market];
  if (bernoulli(user.stream, market.demand_multiplier / market.demand_bound)) {
    return on_order_attempt(id);
  }
  schedule_next_attempt(id, market.config->users.days_between_orders * kDay);
}

void World::on_shock(const ShockConfig& shock) {
  const std::uint16_t index = shock.market;
  Market& market = markets_[index];
  MarketConfig& config = config_.markets[index];
  const double value = shock.value;
  switch (shock.key) {
    case ShockKey::kDailyVisitors:
      config.users.daily_visitors = value;
      market.visitors.set_daily_mean(value);
      ++market.visitor_generation;  // the pending candidate was drawn at the old rate
      return schedule_visitor(index);
    case ShockKey::kRegistrationProbability:
      config.users.registration_probability = value;
      return;
    case ShockKey::kKycPassProbability:
      config.users.kyc_pass_probability = value;
      return;
    case ShockKey::kCarelessReleaseProbability:
      config.merchants.careless_release_probability = value;
      return;
    case ShockKey::kFraudAccountsPerDay: {
      const int typology = shock.typology;
      config.fraud.typology(typology).accounts_per_day = value;
      return incentives_.on_fraud_rate_shock(index, typology);
    }
    case ShockKey::kPaymentMethodEnabled:
      config.payment_methods[shock.payment_method].enabled = value != 0.0;
      merchant_books_.set_method_enabled(index, shock.payment_method, value != 0.0);
      return;
    case ShockKey::kRateJump:
      merchant_books_.rate(index).jump(value);
      return merchant_books_.reprice(index);
    case ShockKey::kRateDriftPerYear:
      merchant_books_.rate(index).set_drift(value);
      return;
    case ShockKey::kRateVolatilityPerYear:
      merchant_books_.rate(index).set_volatility(value);
      return;
  }
  assert(false && "unknown shock key");
}

}  // namespace p2psim
