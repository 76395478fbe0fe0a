#pragma once
// A score on the order's amount for the tests of the score's curve: log-odds ln(amount /
// threshold), so that it blocks at creation from `threshold_usd` (log-odds 0, a bin edge of the
// score histogram) and ranks every order it screens.
#include <cmath>
#include <optional>

#include "world/risk_policy.hpp"

namespace p2psim {

class AmountScorePolicy final : public RiskPolicy {
 public:
  explicit AmountScorePolicy(double threshold_usd) : threshold_usd_(threshold_usd) {}
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    if (stage == RiskStage::kOrderCreation && log_odds(features) >= 0.0) {
      return {.action = RiskAction::kBlock, .reason = 1};
    }
    return {};
  }
  std::optional<double> creation_log_odds(const OrderFeatures& features) const override {
    return log_odds(features);
  }

 private:
  double log_odds(const OrderFeatures& features) const {
    return std::log(features[RiskFeature::kAmountUsd] / threshold_usd_);
  }
  double threshold_usd_;
};

}  // namespace p2psim
