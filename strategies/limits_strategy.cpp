// The limits strategy: [[markets.<code>.risk.limits]] entries, each a largest order and a largest
// daily total for the accounts of a KYC tier and/or younger than an age. An order above what its
// account may still trade is limited to that amount (the limit action), which stops it when the
// remainder is below the ad's minimum.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "strategies/registry.hpp"

namespace p2psim {
namespace {

constexpr double kNone = std::numeric_limits<double>::infinity();

struct Limit {
  double kyc_tier = -1.0;  // -1: every tier
  double account_age_below_days = kNone;
  double max_order_usd = kNone;
  double max_daily_usd = kNone;

  bool applies_to(const OrderFeatures& features) const {
    return (kyc_tier < 0.0 || features[RiskFeature::kKycTier] == kyc_tier) &&
           features[RiskFeature::kAccountAgeDays] < account_age_below_days;
  }
};

class LimitsStrategy final : public RiskPolicy {
 public:
  explicit LimitsStrategy(std::vector<Limit> limits) : limits_(std::move(limits)) {}

  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    if (stage != RiskStage::kOrderCreation) return {};
    double allowed = kNone;
    std::uint16_t binding = 0;  // the limit that allows least, from 1
    for (std::size_t index = 0; index < limits_.size(); ++index) {
      const Limit& limit = limits_[index];
      if (!limit.applies_to(features)) continue;
      const double left_today = limit.max_daily_usd - features[RiskFeature::kUsdToday];
      const double this_limit = std::min(limit.max_order_usd, left_today);
      if (this_limit < allowed) {
        allowed = this_limit;
        binding = static_cast<std::uint16_t>(index + 1);
      }
    }
    if (features[RiskFeature::kAmountUsd] <= allowed) return {};
    RiskDecision decision;
    decision.action = RiskAction::kLimit;
    decision.reason = binding;
    decision.limit_usd = std::max(allowed, 0.0);
    return decision;
  }

  std::uint16_t reason_count() const override { return static_cast<std::uint16_t>(limits_.size()); }
  std::string reason_name(std::uint16_t reason) const override {
    return reason == 0 ? "" : "limit " + std::to_string(reason);
  }

  FeatureSet features_read(RiskStage stage) const override {
    if (stage != RiskStage::kOrderCreation) return 0;
    return feature_bit(RiskFeature::kKycTier) | feature_bit(RiskFeature::kAccountAgeDays) |
           feature_bit(RiskFeature::kAmountUsd) | feature_bit(RiskFeature::kUsdToday);
  }

 private:
  std::vector<Limit> limits_;
};

constexpr std::array<SettingKey<Limit>, 4> kLimitKeys = {{
    {"kyc_tier", &Limit::kyc_tier, 0.0, 2.0, "the limit applies to accounts of this KYC tier only"},
    {"account_age_below_days", &Limit::account_age_below_days, 0.0, 1e5,
     "the limit applies to accounts younger than this only"},
    {"max_order_usd", &Limit::max_order_usd, 0.0, 1e9, "the largest order"},
    {"max_daily_usd", &Limit::max_daily_usd, 0.0, 1e9,
     "the largest total of orders created in a day"},
}};

Limit read_limit(StrategySettings& entry) {
  Limit limit;
  read_settings(entry, limit, kLimitKeys);
  if (limit.kyc_tier != std::floor(limit.kyc_tier)) {
    entry.fail("kyc_tier", StrategySettings::kWholeValue, "expected 0, 1 or 2");
  }
  if (limit.max_order_usd == kNone && limit.max_daily_usd == kNone) {
    entry.fail("max_order_usd", StrategySettings::kWholeValue,
               "a limit needs max_order_usd, max_daily_usd or both");
  }
  entry.finish();
  return limit;
}

}  // namespace

std::vector<SettingDeclaration> limits_settings() {
  return declarations_of(kLimitKeys);
}

std::unique_ptr<RiskPolicy> make_limits_strategy(StrategySettings& settings,
                                                 const StrategyContext& /*context*/) {
  std::vector<Limit> limits;
  for (const auto& entry : settings.entries("limits"))
    limits.push_back(read_limit(*entry));
  return std::make_unique<LimitsStrategy>(std::move(limits));
}

}  // namespace p2psim
