// The non_payment typology (docs/model.md, Fraud typologies).
#include "world/fraud_scheme.hpp"

#include "world/fraudsters.hpp"

namespace p2psim {
namespace {

// The buyer marks the order paid without paying; the careless merchant finds the money missing
// when reconciling, and disputes.
class NonPayment final : public FraudScheme {
 public:
  void on_completed(OrderId, Order& order, Fraudsters& fraud) const override {
    fraud.count_success(order);
    fraud.book_loss(order, order.usd, fraud.settings(order.market, order.intent).bearer);
    fraud.compensate_if_platform_bears(order, order.usdt);
    fraud.reveal(order, fraud.now() + fraud.reveal_delay(order), RevealedBy::kAppeal, order.usd);
  }
  bool pays_fiat(const Order&) const override { return false; }
  bool revealed_at_appeal() const override { return true; }
};

}  // namespace

template <>
const FraudScheme& scheme_of<FraudTypology::kNonPayment>() {
  static const NonPayment scheme;
  return scheme;
}

}  // namespace p2psim
