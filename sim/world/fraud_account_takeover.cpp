// The account_takeover typology (docs/model.md, Fraud typologies).
#include "world/fraud_scheme.hpp"

#include <array>
#include <cmath>

#include "world/fraudsters.hpp"

namespace p2psim {
namespace {

// Account takeovers strike while the owner sleeps: 00:00-06:00.
constexpr double kNightHours = 6.0;

// A genuine, aged account whose owner lost control of it: its USDT is sold off, at night.
class AccountTakeover final : public FraudScheme {
 public:
  // Harder to pass: the attacker lacks the owner's second factor (docs/strategies.md).
  double step_up_fail_probability() const override { return 0.8; }
  FraudTypologyConfig default_settings() const override { return {.bearer = LossBearer::kUser}; }
  std::span<const LossBearer> allowed_bearers() const override {
    // The user whose own money was taken, or the platform compensating them.
    static constexpr std::array kVictimOrPlatform = {LossBearer::kUser, LossBearer::kPlatform};
    return kVictimOrPlatform;
  }
  Seconds next_attempt(User& user, Seconds from,
                       const FraudTypologyConfig& settings) const override {
    Seconds at = FraudScheme::next_attempt(user, from, settings);
    if (bernoulli(user.stream, settings.night_probability)) {
      const Seconds time_of_day = std::fmod(at, kDay);
      if (time_of_day >= kNightHours * kHour) {
        at += kDay - time_of_day + uniform01(user.stream) * kNightHours * kHour;
      }
    }
    return at;
  }
  void shape_account(User& user, double& created_day,
                     const FraudTypologyConfig& settings) const override {
    // Ages spread by a factor of about 1.6 (sigma 0.5) around the median.
    user.side = TradeSide::kUserSells;
    created_day -= lognormal_from_median(user.stream, settings.account_age_days_median, 0.5);
  }
  void on_completed(OrderId, Order& order, Fraudsters& fraud) const override {
    fraud.count_success(order);
    fraud.book_loss(order, order.usd, fraud.settings(order.market, order.intent).bearer);
    fraud.compensate_if_platform_bears(order, order.usdt);
    fraud.reveal(order, fraud.now() + fraud.reveal_delay(order), RevealedBy::kComplaint, order.usd);
  }
  bool pays_victim_outside() const override { return true; }
  bool takes_over_genuine_account() const override { return true; }
};

}  // namespace

template <>
const FraudScheme& scheme_of<FraudTypology::kAccountTakeover>() {
  static const AccountTakeover scheme;
  return scheme;
}

}  // namespace p2psim
