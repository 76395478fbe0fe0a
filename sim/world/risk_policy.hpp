#pragma once
// The platform's risk decisions on orders: the interface the world calls at the points
// where a platform acts, and the features it passes. Concrete policies (rules, a logistic score)
// live in strategies/ and are built by the scenario layer; the world only knows this interface.
// docs/strategies.md describes the features, the decisions and how policies combine.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace p2psim {

// The order and account features a policy sees, all as numbers so that a rule or a score reads
// one by index. payment_method and market are indices into the market's lists; side is 0 when
// the user buys USDT, 1 when they sell.
enum class RiskFeature : std::uint8_t {
  kAccountAgeDays,
  kKycTier,
  kAmountUsd,
  kPaymentMethod,
  kSide,
  kCompletedOrders,
  kCancelledOrdersToday,
  kDeviceClusterSize,
  kAccountsOnDevice,
  kOrdersLast24h,
  kHourOfDay,
  kMerchantCompletionRate,
  kMarket,
  kUsdToday,
  kMerchantTier,
  kDaysSinceDeviceChange,
};
inline constexpr int kRiskFeatureCount = 16;
inline constexpr std::array<const char*, kRiskFeatureCount> kRiskFeatureNames = {
    "account_age_days",
    "kyc_tier",
    "amount_usd",
    "payment_method",
    "side",
    "completed_orders",
    "cancelled_orders_today",
    "device_cluster_size",
    "accounts_on_device",
    "orders_last_24h",
    "hour_of_day",
    "merchant_completion_rate",
    "market",
    "usd_today",
    "merchant_tier",
    "days_since_device_change"};

// A set of features, one bit per RiskFeature: what a policy reads at a stage, so that the world
// computes only those (each feature costs memory reads on a large world).
using FeatureSet = std::uint32_t;
static_assert(kRiskFeatureCount <= 32, "FeatureSet has one bit per feature");
constexpr FeatureSet feature_bit(RiskFeature feature) {
  return FeatureSet{1} << static_cast<int>(feature);
}
inline constexpr FeatureSet kAllFeatures = (FeatureSet{1} << kRiskFeatureCount) - 1;

struct OrderFeatures {
  std::array<double, kRiskFeatureCount> values{};
  double operator[](RiskFeature feature) const { return values[static_cast<int>(feature)]; }
  double& operator[](RiskFeature feature) { return values[static_cast<int>(feature)]; }
};

// Where the platform decides: before escrow when an order is created, when the buyer marks it
// paid, before the release, when a new account signs up (only account features are set then:
// the order features read 0) and after an order completes (post-trade). Only a block acts at
// sign-up (the account never trades); post-trade a block bans the account from further orders
// and a lock keeps the order's bought USDT in.
enum class RiskStage : std::uint8_t { kOrderCreation, kMarkPaid, kSignUp, kPostTrade };
inline constexpr int kRiskStageCount = 4;

// In increasing precedence: when strategies disagree at order creation the later one in this
// list wins (docs/strategies.md, Combining). Hold and lock_withdrawal act at mark-paid (a rule
// may lock at creation or post-trade), the others at creation.
enum class RiskAction : std::uint8_t {
  kAllow,
  kLockWithdrawal,
  kHold,
  kLimit,
  kStepUp,
  kReview,
  kBlock
};
inline constexpr int kRiskActionCount = 7;

struct RiskDecision {
  RiskAction action = RiskAction::kAllow;
  double hold_minutes = 0.0;  // kHold only: how long the release is delayed
  double limit_usd = 0.0;     // kLimit only: the largest amount the order may have
  // At creation, mark-paid or post-trade, whatever the action: how long the USDT a buying user
  // gets from the order may not leave their balance (0: no lock).
  double lock_hours = 0.0;
  // What decided, numbered by the policy from 1 (RiskPolicy::reason_name); 0 when nothing acted.
  std::uint16_t reason = 0;
};

// A policy is immutable once built and shared by every replication and thread: decide() must
// not change it and must not allocate.
class RiskPolicy {
 public:
  virtual ~RiskPolicy() = default;
  virtual RiskDecision decide(RiskStage stage, const OrderFeatures& features) const = 0;
  // Whether decide() may act at kPostTrade: the world asks after each completed order only then.
  virtual bool decides_post_trade() const { return false; }
  // The features decide() reads at `stage`; the world leaves the others 0. All by default: a
  // policy that declares less saves the world computing features nobody reads.
  virtual FeatureSet features_read(RiskStage /*stage*/) const { return kAllFeatures; }
  // Whether on_completed wants to be called: the world computes no features for it otherwise.
  virtual bool observes_completion() const { return false; }
  // After an order completes (a hook for policies that learn; none of the built-in ones does).
  virtual void on_completed(const OrderFeatures& /*features*/) const {}
  // How many reasons decide() gives, and the name of each (1 to reason_count(); "" for 0): a rule
  // by its place among the rules, the score, a limit. Exported beside each decision.
  virtual std::uint16_t reason_count() const { return 0; }
  // The log-odds a score gives an order at creation, for the score's curves in the report; none
  // for a policy without a score at creation.
  virtual std::optional<double> creation_log_odds(const OrderFeatures& /*features*/) const {
    return std::nullopt;
  }
  virtual std::string reason_name(std::uint16_t /*reason*/) const { return ""; }
};

}  // namespace p2psim
