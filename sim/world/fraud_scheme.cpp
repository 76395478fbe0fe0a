#include "world/fraud_scheme.hpp"

#include <algorithm>
#include <cmath>

#include "world/fraudsters.hpp"

namespace p2psim {
namespace {

// Mule orders land uniformly in the band this fraction wide just under the threshold.
constexpr double kMuleBand = 0.15;
// Account takeovers strike while the owner sleeps: 00:00-06:00.
constexpr double kNightHours = 6.0;

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

// The buyer pays with stolen funds: the victim's bank recalls them after a complaint.
class Triangulation final : public FraudScheme {
 public:
  void on_completed(OrderId id, Order& order, Fraudsters& fraud) const override {
    fraud.count_success(order);
    fraud.book_loss(order, order.usd, fraud.settings(order.market, order.intent).bearer);
    fraud.schedule_surfacing(id, fraud.reveal_delay(order), RevealedBy::kComplaint);
  }
};

// Sybil rings farming sign-up and referral bonuses.
class PromotionAbuse final : public FraudScheme {
 public:
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

// A genuine, aged account whose owner lost control of it: its USDT is sold off, at night.
class AccountTakeover final : public FraudScheme {
 public:
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
};

// Money mules moving proceeds in orders just under a reporting threshold; a bank seizes some.
class MuleStructuring final : public FraudScheme {
 public:
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

// A merchant with a record cashes in: it takes what it can, then vanishes.
class MerchantExitScam final : public FraudScheme {
 public:
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

const NonPayment kNonPayment;
const PaymentReversal kPaymentReversal;
const Triangulation kTriangulation;
const PromotionAbuse kPromotionAbuse;
const AccountTakeover kAccountTakeover;
const MuleStructuring kMuleStructuring;
const MerchantExitScam kMerchantExitScam;
// In FraudTypology's order.
constexpr std::array<const FraudScheme*, kFraudTypologyCount> kSchemes = {
    &kNonPayment,      &kPaymentReversal, &kTriangulation,   &kPromotionAbuse,
    &kAccountTakeover, &kMuleStructuring, &kMerchantExitScam};

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

void FraudScheme::shape_account(User&, double&, const FraudTypologyConfig&) const {}

bool FraudScheme::pays_fiat(const Order&) const {
  return true;
}

}  // namespace p2psim
