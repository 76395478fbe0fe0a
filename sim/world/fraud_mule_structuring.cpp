// The mule_structuring typology (docs/model.md, Fraud typologies).
#include "world/fraud_scheme.hpp"

#include "world/fraudsters.hpp"

namespace p2psim {
namespace {

// Mule orders land uniformly in the band this fraction wide just under the threshold.
constexpr double kMuleBand = 0.15;

// Money mules moving proceeds in orders just under a reporting threshold; a bank seizes some.
class MuleStructuring final : public FraudScheme {
 public:
  FraudTypologyConfig default_settings() const override {
    return {.attempts_per_account = 8.0, .hours_between_attempts = 1.0};
  }
  double order_usd(User& user, const FraudTypologyConfig& settings) const override {
    // Just under the threshold (a cent below at most), so no single order trips it.
    return (settings.threshold_usd - 0.01) * (1.0 - kMuleBand * uniform01(user.stream));
  }
  void on_completed(OrderId id, Order& order, Fraudsters& fraud) const override {
    fraud.count_success(order);
    const FraudTypologyConfig& settings = fraud.settings(order.market, order.intent);
    if (!fraud.reveal_draw(order, settings.reveal_probability)) return;
    fraud.book_loss(order, order.usd, settings.bearer);
    fraud.schedule_surfacing(id, fraud.reveal_delay(order), RevealedBy::kFreeze);
  }
  bool reverses_order() const override { return false; }
};

}  // namespace

template <>
const FraudScheme& scheme_of<FraudTypology::kMuleStructuring>() {
  static const MuleStructuring scheme;
  return scheme;
}

}  // namespace p2psim
