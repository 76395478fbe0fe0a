// The payment_reversal typology (docs/model.md, Fraud typologies).
#include "world/fraud_scheme.hpp"

#include <algorithm>

#include "world/fraudsters.hpp"

namespace p2psim {
namespace {

// The buyer pays with a reversible method, then claims the payment back.
class PaymentReversal final : public FraudScheme {
 public:
  void on_completed(OrderId id, Order& order, Fraudsters& fraud) const override {
    if (!fraud.chargeback_granted(order)) {
      order.fraud_failed = true;  // the bank refuses the claim: the fraudster paid after all
      return;
    }
    fraud.count_success(order);
    const FraudTypologyConfig& settings = fraud.settings(order.market, order.intent);
    fraud.book_loss(order, order.usd, settings.bearer);
    const PaymentMethodConfig& method =
        fraud.market_config(order.market).payment_methods[order.payment_method];
    User& user = fraud.user(order.user);
    const Seconds delay = std::min(exponential(user.stream, settings.reversal_delay_days),
                                   method.reversal_window_days) *
                          kDay;
    fraud.schedule_surfacing(id, delay, RevealedBy::kReversal);
  }
  bool needs_reversible_method() const override { return true; }
};

}  // namespace

template <>
const FraudScheme& scheme_of<FraudTypology::kPaymentReversal>() {
  static const PaymentReversal scheme;
  return scheme;
}

}  // namespace p2psim
