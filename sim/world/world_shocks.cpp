// Scheduled shocks to a market's parameters: each is handed to the component it concerns.
#include <cassert>

#include "world/world.hpp"

namespace p2psim {

void apply_shock(const ShockConfig& shock, MarketConfig& market) {
  const double value = shock.value;
  switch (shock.key) {
    case ShockKey::kDailyVisitors:
      market.users.daily_visitors = value;
      return;
    case ShockKey::kRegistrationProbability:
      market.users.registration_probability = value;
      return;
    case ShockKey::kKycPassProbability:
      market.users.kyc_pass_probability = value;
      return;
    case ShockKey::kCarelessReleaseProbability:
      market.merchants.careless_release_probability = value;
      return;
    case ShockKey::kFraudAccountsPerDay:
      market.fraud.typology(shock.typology).accounts_per_day = value;
      return;
    case ShockKey::kPaymentMethodEnabled:
      market.payment_methods[shock.payment_method].enabled = value != 0.0;
      return;
    case ShockKey::kRateJump:
    case ShockKey::kRateDriftPerYear:
    case ShockKey::kRateVolatilityPerYear:
    case ShockKey::kFreezeWave:
      return;  // the reference rate and the freezes are the merchants' state, not configuration
  }
}

void World::on_shock(const ShockConfig& shock) {
  const std::uint16_t index = shock.market;
  apply_shock(shock, config_.markets[index]);
  const double value = shock.value;
  switch (shock.key) {
    case ShockKey::kDailyVisitors:
      return user_base_.set_visitor_rate(index, value);
    case ShockKey::kRegistrationProbability:
    case ShockKey::kKycPassProbability:
    case ShockKey::kCarelessReleaseProbability:
      return;  // read from the configuration where they are used
    case ShockKey::kFraudAccountsPerDay:
      return incentives_.on_fraud_rate_shock(index, shock.typology);
    case ShockKey::kPaymentMethodEnabled:
      return merchant_books_.set_method_enabled(index, shock.payment_method, value != 0.0);
    case ShockKey::kRateJump:
      merchant_books_.rate(index).jump(value);
      return merchant_books_.reprice(index);
    case ShockKey::kRateDriftPerYear:
      merchant_books_.rate(index).set_drift(value);
      return;
    case ShockKey::kRateVolatilityPerYear:
      merchant_books_.rate(index).set_volatility(value);
      return;
    case ShockKey::kFreezeWave:
      return merchant_books_.freeze_wave(index, shock.payment_method, value);
  }
  assert(false && "unknown shock key");
}

}  // namespace p2psim
