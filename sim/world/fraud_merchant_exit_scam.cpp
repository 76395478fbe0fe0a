// The merchant_exit_scam typology (docs/model.md, Fraud typologies).
#include "world/fraud_scheme.hpp"

#include <array>

#include "world/fraudsters.hpp"

namespace p2psim {
namespace {

// A merchant with a record cashes in: it takes what it can, then vanishes.
class MerchantExitScam final : public FraudScheme {
 public:
  FraudTypologyConfig default_settings() const override { return {.bearer = LossBearer::kUser}; }
  std::span<const LossBearer> allowed_bearers() const override {
    // The user whose own money was taken, or the platform compensating them.
    static constexpr std::array kVictimOrPlatform = {LossBearer::kUser, LossBearer::kPlatform};
    return kVictimOrPlatform;
  }
  void arrive(std::uint16_t market, FraudTypology, Fraudsters& fraud) const override {
    fraud.start_exit_scam(market);
  }
  void on_completed(OrderId id, Order& order, Fraudsters& fraud) const override {
    // A buyer the scammer never released to, paid out of escrow by support, lost nothing.
    if (order.fiat_paid) return;
    fraud.count_success(order);
    // A selling user released on the scammer's fake 'paid' mark; no fiat will ever come.
    fraud.merchant(order.merchant).fiat_committed[order.payment_method] -= order.fiat;
    const MinorUnits covered = fraud.merchant_books().exit_scam_deposit_covers(id, order.usdt);
    const double covered_usd = static_cast<double>(covered) / kMicroUsdtPerUsdt;
    fraud.book_loss(order, covered_usd, LossBearer::kMerchant);
    fraud.book_loss(order, order.usd - covered_usd,
                    fraud.settings(order.market, order.intent).bearer);
    fraud.compensate_if_platform_bears(order, order.usdt - covered);
    fraud.reveal(order, fraud.now() + fraud.reveal_delay(order), RevealedBy::kComplaint, order.usd);
  }
  bool pays_fiat(const Order& order) const override {
    return order.side != TradeSide::kUserSells;  // it only marks a selling user's order paid
  }
  bool never_releases() const override { return true; }
  bool revealed_at_appeal() const override { return true; }
  bool pays_victim_outside() const override { return true; }
};

}  // namespace

template <>
const FraudScheme& scheme_of<FraudTypology::kMerchantExitScam>() {
  static const MerchantExitScam scheme;
  return scheme;
}

}  // namespace p2psim
