// The promotion_abuse typology (docs/model.md, Fraud typologies).
#include "world/fraud_scheme.hpp"

#include <array>
#include "world/fraudsters.hpp"

namespace p2psim {
namespace {

// Sybil rings farming sign-up and referral bonuses.
class PromotionAbuse final : public FraudScheme {
 public:
  FraudTypologyConfig default_settings() const override {
    return {.hours_between_attempts = 2.0,
            .order_usd_median = 15.0,
            .order_usd_sigma = 0.3,
            .bearer = LossBearer::kPlatform};
  }
  std::span<const LossBearer> allowed_bearers() const override {
    // Farmed bonuses cost the platform alone.
    static constexpr std::array kPlatformOnly = {LossBearer::kPlatform};
    return kPlatformOnly;
  }
  void arrive(std::uint16_t market, FraudTypology typology, Fraudsters& fraud) const override {
    fraud.enlist_ring(fraud.market_for(market, static_cast<int>(typology)));
  }
  void on_completed(OrderId, Order& order, Fraudsters& fraud) const override {
    // A farmed qualifying trade. Its cost is the bonus it earned, booked as the loss when it was
    // paid; nobody has a reason to investigate.
    fraud.count_success(order);
  }
  bool loss_is_payout() const override { return true; }
};

}  // namespace

template <>
const FraudScheme& scheme_of<FraudTypology::kPromotionAbuse>() {
  static const PromotionAbuse scheme;
  return scheme;
}

}  // namespace p2psim
