#include "world/fraud_scheme.hpp"

#include <array>
#include <utility>

#include "world/fraudsters.hpp"

namespace p2psim {
namespace {

// Each typology's scheme, in FraudTypology's order: scheme_of<T>() is defined in T's own file
// (world/fraud_<name>.cpp), so a typology without one fails to link.
template <std::size_t... kIndex>
std::array<const FraudScheme*, kFraudTypologyCount> scheme_table(std::index_sequence<kIndex...>) {
  return {&scheme_of<static_cast<FraudTypology>(kIndex)>()...};
}
const std::array<const FraudScheme*, kFraudTypologyCount> kSchemes =
    scheme_table(std::make_index_sequence<kFraudTypologyCount>{});

}  // namespace

const FraudScheme& FraudScheme::of(FraudTypology typology) {
  return *kSchemes[static_cast<int>(typology)];
}

void FraudScheme::arrive(std::uint16_t market, FraudTypology typology, Fraudsters& fraud) const {
  fraud.enlist(fraud.market_for(market, static_cast<int>(typology)), UserIntent(typology), kNoRing);
}

Seconds FraudScheme::next_attempt(User& user, Seconds from,
                                  const FraudTypologyConfig& settings) const {
  return from + exponential(user.stream, settings.hours_between_attempts * kHour);
}

double FraudScheme::order_usd(User& user, const FraudTypologyConfig& settings) const {
  return lognormal_from_median(user.stream, settings.order_usd_median, settings.order_usd_sigma);
}

std::span<const LossBearer> FraudScheme::allowed_bearers() const {
  // A cheated merchant, or the platform compensating it.
  static constexpr std::array kMerchantOrPlatform = {LossBearer::kMerchant, LossBearer::kPlatform};
  return kMerchantOrPlatform;
}

std::array<FraudTypologyConfig, kFraudTypologyCount> default_fraud_settings() {
  std::array<FraudTypologyConfig, kFraudTypologyCount> settings;
  for (int typology = 0; typology < kFraudTypologyCount; ++typology)
    settings[typology] = FraudScheme::of(static_cast<FraudTypology>(typology)).default_settings();
  return settings;
}

std::array<double, kFraudTypologyCount> default_step_up_fail_probabilities() {
  std::array<double, kFraudTypologyCount> probabilities;
  for (int typology = 0; typology < kFraudTypologyCount; ++typology) {
    probabilities[typology] =
        FraudScheme::of(static_cast<FraudTypology>(typology)).step_up_fail_probability();
  }
  return probabilities;
}

void FraudScheme::shape_account(User&, double&, const FraudTypologyConfig&) const {}

bool FraudScheme::pays_fiat(const Order&) const {
  return true;
}

}  // namespace p2psim
