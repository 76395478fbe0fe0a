// Scheduled shocks to a market's parameters: each is handed to the component it concerns.
#include <cassert>

#include "world/world.hpp"

namespace p2psim {

void World::on_shock(const ShockConfig& shock) {
  const std::uint16_t index = shock.market;
  MarketConfig& config = config_.markets[index];
  const double value = shock.value;
  switch (shock.key) {
    case ShockKey::kDailyVisitors:
      config.users.daily_visitors = value;
      return user_base_.set_visitor_rate(index, value);
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
    case ShockKey::kFreezeWave:
      return merchant_books_.freeze_wave(index, shock.payment_method, value);
  }
  assert(false && "unknown shock key");
}

}  // namespace p2psim
