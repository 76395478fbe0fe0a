// The triangulation typology (docs/model.md, Fraud typologies).
#include "world/fraud_scheme.hpp"

#include "world/fraudsters.hpp"

namespace p2psim {
namespace {

// The buyer pays with stolen funds: the victim's bank recalls them after a complaint.
class Triangulation final : public FraudScheme {
 public:
  void on_completed(OrderId id, Order& order, Fraudsters& fraud) const override {
    fraud.count_success(order);
    fraud.book_loss(order, order.usd, fraud.settings(order.market, order.intent).bearer);
    fraud.schedule_surfacing(id, fraud.reveal_delay(order), RevealedBy::kComplaint);
  }
};

}  // namespace

template <>
const FraudScheme& scheme_of<FraudTypology::kTriangulation>() {
  static const Triangulation scheme;
  return scheme;
}

}  // namespace p2psim
