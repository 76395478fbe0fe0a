// The logistic risk score: p = 1 / (1 + exp(-(intercept + sum_f weight_f x feature_f))), read
// from [markets.<code>.risk.score]. At creation it blocks when p >= block_above; at mark-paid
// it holds the release hold_minutes when p >= hold_above. A threshold above 1 never acts.
#include <cmath>
#include <memory>

#include "strategies/registry.hpp"
#include "strategies/rule_expression.hpp"

namespace p2psim {
namespace {

struct Weight {
  int feature;
  double weight;
};

class ScoreStrategy final : public RiskPolicy {
 public:
  ScoreStrategy(double intercept, std::vector<Weight> weights, double block_above,
                double hold_above, double hold_minutes)
      : intercept_(intercept),
        weights_(std::move(weights)),
        block_above_(block_above),
        hold_above_(hold_above),
        hold_minutes_(hold_minutes) {}

  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    const double threshold = stage == RiskStage::kOrderCreation ? block_above_ : hold_above_;
    if (threshold > 1.0) return {};
    double z = intercept_;
    for (const Weight& weight : weights_)
      z += weight.weight * features.values[weight.feature];
    const double probability = 1.0 / (1.0 + std::exp(-z));
    if (probability < threshold) return {};
    if (stage == RiskStage::kOrderCreation) return {RiskAction::kBlock, 0.0};
    return {RiskAction::kHold, hold_minutes_};
  }

  FeatureSet features_read(RiskStage stage) const override {
    const double threshold = stage == RiskStage::kOrderCreation ? block_above_ : hold_above_;
    if (threshold > 1.0) return 0;
    FeatureSet read = 0;
    for (const Weight& weight : weights_)
      read |= feature_bit(static_cast<RiskFeature>(weight.feature));
    return read;
  }

 private:
  double intercept_;
  std::vector<Weight> weights_;
  double block_above_;
  double hold_above_;
  double hold_minutes_;
};

int feature_named(const std::string& name) {
  for (int index = 0; index < kRiskFeatureCount; ++index) {
    if (name == kRiskFeatureNames[index]) return index;
  }
  return -1;
}

}  // namespace

std::unique_ptr<RiskPolicy> make_score_strategy(StrategySettings& settings,
                                                const StrategyContext& /*context*/) {
  std::unique_ptr<StrategySettings> score = settings.table("score");
  double intercept = 0.0;
  double block_above = 2.0;  // above 1: never blocks
  double hold_above = 2.0;
  double hold_minutes = 0.0;
  score->read("intercept", intercept, -1e6, 1e6);
  score->read("block_above", block_above, 0.0, 2.0);
  score->read("hold_above", hold_above, 0.0, 2.0);
  score->read("hold_minutes", hold_minutes, 0.0, 30.0 * 24 * 60);
  std::unique_ptr<StrategySettings> table = score->table("weights");
  std::vector<Weight> weights;
  for (const auto& [name, weight] : table->all_numbers(-1e6, 1e6)) {
    int feature = feature_named(name);
    if (feature < 0) {
      std::vector<std::string> known(kRiskFeatureNames.begin(), kRiskFeatureNames.end());
      std::string suggestion = table->closest(name, known);
      std::string message = "unknown feature \"" + name + "\"";
      if (!suggestion.empty()) message += "; did you mean \"" + suggestion + "\"?";
      table->fail(name, StrategySettings::kWholeValue,
                  message + " The known features are: " + known_feature_list());
    }
    weights.push_back({feature, weight});
  }
  table->finish();
  score->finish();
  return std::make_unique<ScoreStrategy>(intercept, std::move(weights), block_above, hold_above,
                                         hold_minutes);
}

}  // namespace p2psim
