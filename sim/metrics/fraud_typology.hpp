#pragma once
// The one list of fraud typologies: the world's fraudulent intents (UserIntent), its fraud
// schemes (world/fraud_scheme.hpp) and every per-typology tally and key follow it. A typology is
// registered by its one line here; docs/architecture.md lists the other files a new one needs.
#include <array>
#include <cstdint>

namespace p2psim {

// X(enumerator, name in scenarios and KPIs), in output order.
#define P2PSIM_FRAUD_TYPOLOGIES(X)        \
  X(kNonPayment, "non_payment")           \
  X(kPaymentReversal, "payment_reversal") \
  X(kTriangulation, "triangulation")      \
  X(kPromotionAbuse, "promotion_abuse")   \
  X(kAccountTakeover, "account_takeover") \
  X(kMuleStructuring, "mule_structuring") \
  X(kMerchantExitScam, "merchant_exit_scam")

#define P2PSIM_TYPOLOGY_ENUMERATOR(enumerator, name) enumerator,
#define P2PSIM_TYPOLOGY_NAME(enumerator, name) name,

enum class FraudTypology : std::uint8_t { P2PSIM_FRAUD_TYPOLOGIES(P2PSIM_TYPOLOGY_ENUMERATOR) };
inline constexpr std::array kFraudTypologyNames = {P2PSIM_FRAUD_TYPOLOGIES(P2PSIM_TYPOLOGY_NAME)};
inline constexpr int kFraudTypologyCount = static_cast<int>(kFraudTypologyNames.size());

#undef P2PSIM_TYPOLOGY_ENUMERATOR
#undef P2PSIM_TYPOLOGY_NAME

}  // namespace p2psim
