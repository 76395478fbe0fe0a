#pragma once
// The one list of fraud typologies: the world's fraudulent intents (UserIntent) and every
// per-typology tally follow it.
#include <array>
#include <cstdint>

namespace p2psim {

enum class FraudTypology : std::uint8_t {
  kNonPayment,
  kPaymentReversal,
  kTriangulation,
  kPromotionAbuse,
  kAccountTakeover,
  kMuleStructuring,
  kMerchantExitScam,
};
inline constexpr int kFraudTypologyCount = static_cast<int>(FraudTypology::kMerchantExitScam) + 1;
inline constexpr std::array<const char*, kFraudTypologyCount> kFraudTypologyNames = {
    "non_payment",      "payment_reversal", "triangulation",     "promotion_abuse",
    "account_takeover", "mule_structuring", "merchant_exit_scam"};

}  // namespace p2psim
