// The logistic risk score: p = 1 / (1 + exp(-(intercept + sum_f weight_f x feature_f))), read
// from [markets.<code>.risk.score]. At creation it blocks when p >= block_above, else sends the
// order to review when p >= review_above, else asks for step-up verification when
// p >= step_up_above; at mark-paid it holds the release hold_minutes when p >= hold_above. It
// locks the withdrawal of bought USDT for lock_hours when p >= lock_above at mark-paid,
// creation_lock_above at creation or post_trade_lock_above after the release. A threshold above
// 1 never acts.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>

#include "strategies/registry.hpp"
#include "strategies/rule_expression.hpp"

namespace p2psim {
namespace {

struct Weight {
  int feature;
  double weight;
};

struct ScoreSettings {
  double intercept = 0.0;    // of the log-odds
  double block_above = 2.0;  // above 1: never
  double review_above = 2.0;
  double step_up_above = 2.0;
  double hold_above = 2.0;
  double hold_minutes = 0.0;
  double lock_above = 2.0;
  double lock_hours = 0.0;
  double sign_up_block_above = 2.0;
  double post_trade_block_above = 2.0;
  double creation_lock_above = 2.0;
  double post_trade_lock_above = 2.0;
};

class ScoreStrategy final : public RiskPolicy {
 public:
  static constexpr std::uint16_t kScore = 1;  // the one reason a score gives

  ScoreStrategy(std::vector<Weight> weights, const ScoreSettings& thresholds)
      : intercept_(thresholds.intercept),
        weights_(std::move(weights)),
        thresholds_(thresholds),
        creation_floor_(std::min({thresholds.block_above, thresholds.review_above,
                                  thresholds.step_up_above, thresholds.creation_lock_above})) {
    for (int stage = 0; stage < kRiskStageCount; ++stage) {
      rejection_bounds_[stage] = rejection_bound(threshold_at(static_cast<RiskStage>(stage)));
    }
  }

  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    const bool creation = stage == RiskStage::kOrderCreation;
    const double floor = threshold_at(stage);
    if (floor > 1.0) return {};
    const double log_odds = linear_score(features);
    // Most orders score far below the threshold: reject those in log-odds, without exp(); near
    // it, the probability decides exactly as written.
    if (log_odds < rejection_bounds_[static_cast<int>(stage)]) return {};
    const double probability = 1.0 / (1.0 + std::exp(-log_odds));
    if (probability < floor) return {};
    if (stage == RiskStage::kSignUp) return {.action = RiskAction::kBlock, .reason = kScore};
    if (stage == RiskStage::kPostTrade) {
      return with_lock(probability >= thresholds_.post_trade_block_above ? RiskAction::kBlock
                                                                         : RiskAction::kAllow,
                       probability, thresholds_.post_trade_lock_above);
    }
    if (!creation) return at_mark_paid(probability);
    RiskAction action = RiskAction::kAllow;
    if (probability >= thresholds_.step_up_above) action = RiskAction::kStepUp;
    if (probability >= thresholds_.review_above) action = RiskAction::kReview;
    if (probability >= thresholds_.block_above) action = RiskAction::kBlock;
    return with_lock(action, probability, thresholds_.creation_lock_above);
  }

  std::optional<double> creation_log_odds(const OrderFeatures& features) const override {
    // Without a threshold at creation the score does not act there, and need not read its
    // features then.
    if (creation_floor_ > 1.0) return std::nullopt;
    return linear_score(features);
  }

  std::uint16_t reason_count() const override { return 1; }
  std::string reason_name(std::uint16_t reason) const override {
    return reason == kScore ? "score" : "";
  }

  bool decides_post_trade() const override {
    return std::min(thresholds_.post_trade_block_above, thresholds_.post_trade_lock_above) <= 1.0;
  }
  FeatureSet features_read(RiskStage stage) const override {
    if (threshold_at(stage) > 1.0) return 0;
    FeatureSet read = 0;
    for (const Weight& weight : weights_)
      read |= feature_bit(static_cast<RiskFeature>(weight.feature));
    return read;
  }

 private:
  double threshold_at(RiskStage stage) const {
    switch (stage) {
      case RiskStage::kOrderCreation:
        return creation_floor_;
      case RiskStage::kMarkPaid:
        return std::min(thresholds_.hold_above, thresholds_.lock_above);
      case RiskStage::kSignUp:
        return thresholds_.sign_up_block_above;
      case RiskStage::kPostTrade:
        return std::min(thresholds_.post_trade_block_above, thresholds_.post_trade_lock_above);
    }
    return 2.0;
  }

  // `action`, with the withdrawal locked when p >= lock_above (a lock alone is the action).
  RiskDecision with_lock(RiskAction action, double probability, double lock_above) const {
    RiskDecision decision{.action = action, .reason = kScore};
    if (probability >= lock_above) {
      decision.lock_hours = thresholds_.lock_hours;
      if (action == RiskAction::kAllow) decision.action = RiskAction::kLockWithdrawal;
    }
    if (decision.action == RiskAction::kAllow) decision.reason = 0;
    return decision;
  }

  // At mark-paid a score may hold the release and lock the withdrawal, each by its threshold.
  RiskDecision at_mark_paid(double probability) const {
    RiskDecision decision{.reason = kScore};
    if (probability >= thresholds_.lock_above) {
      decision.action = RiskAction::kLockWithdrawal;
      decision.lock_hours = thresholds_.lock_hours;
    }
    if (probability >= thresholds_.hold_above) {
      decision.action = RiskAction::kHold;
      decision.hold_minutes = thresholds_.hold_minutes;
    }
    return decision;
  }

  double linear_score(const OrderFeatures& features) const {
    double z = intercept_;
    for (const Weight& weight : weights_)
      z += weight.weight * features.values[weight.feature];
    return z;
  }

  // Log-odds below which p = 1 / (1 + exp(-z)) is surely below `threshold` (0 < threshold <= 1),
  // with a margin far wider than the rounding of either side.
  static double rejection_bound(double threshold) {
    if (threshold <= 0.0) return -std::numeric_limits<double>::infinity();
    if (threshold >= 1.0) return 30.0;  // p < 1 - 9e-14 below it
    return std::log(threshold / (1.0 - threshold)) - 1e-6;
  }

  double intercept_;
  std::vector<Weight> weights_;
  ScoreSettings thresholds_;
  double creation_floor_;  // the lowest creation threshold: below it the score allows
  std::array<double, kRiskStageCount> rejection_bounds_{};  // by RiskStage
};

// Probabilities above 1 never act; holds and locks up to 30 days.
constexpr std::array<SettingKey<ScoreSettings>, 12> kScoreKeys = {{
    {"intercept", &ScoreSettings::intercept, -1e6, 1e6, "the constant term of the log-odds"},
    {"block_above", &ScoreSettings::block_above, 0.0, 2.0,
     "at order creation, block when p ≥ this"},
    {"review_above", &ScoreSettings::review_above, 0.0, 2.0,
     "at order creation, send to review when p ≥ this (and not blocked)"},
    {"step_up_above", &ScoreSettings::step_up_above, 0.0, 2.0,
     "at order creation, ask for step-up when p ≥ this (and neither blocked nor reviewed)"},
    {"hold_above", &ScoreSettings::hold_above, 0.0, 2.0, "at mark-paid, hold when p ≥ this"},
    {"hold_minutes", &ScoreSettings::hold_minutes, 0.0, 30.0 * 24 * 60,
     "how long the release is held"},
    {"lock_above", &ScoreSettings::lock_above, 0.0, 2.0,
     "at mark-paid, lock the withdrawal of the bought USDT when p ≥ this"},
    {"lock_hours", &ScoreSettings::lock_hours, 0.0, 30.0 * 24,
     "how long the bought USDT may not be withdrawn"},
    {"sign_up_block_above", &ScoreSettings::sign_up_block_above, 0.0, 2.0,
     "at sign-up, block the account when p ≥ this"},
    {"post_trade_block_above", &ScoreSettings::post_trade_block_above, 0.0, 2.0,
     "after a completed order, ban the account when p ≥ this"},
    {"creation_lock_above", &ScoreSettings::creation_lock_above, 0.0, 2.0,
     "at order creation, lock the withdrawal of the bought USDT when p ≥ this"},
    {"post_trade_lock_above", &ScoreSettings::post_trade_lock_above, 0.0, 2.0,
     "after the release, lock the withdrawal of the bought USDT when p ≥ this"},
}};

int feature_named(const std::string& name) {
  for (int index = 0; index < kRiskFeatureCount; ++index) {
    if (name == kRiskFeatureNames[index]) return index;
  }
  return -1;
}

}  // namespace

std::vector<SettingDeclaration> score_settings() {
  return declarations_of(kScoreKeys);
}

std::unique_ptr<RiskPolicy> make_score_strategy(StrategySettings& settings,
                                                const StrategyContext& context) {
  std::unique_ptr<StrategySettings> score = settings.table("score");
  ScoreSettings thresholds;
  read_settings(*score, thresholds, kScoreKeys);
  if (thresholds.review_above <= 1.0 && !context.has_reviewers) {
    score->fail("review_above", StrategySettings::kWholeValue,
                "sends orders to review, but markets." + context.market +
                    ".review has no reviewers: set its reviewers or shifts");
  }
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
  return std::make_unique<ScoreStrategy>(std::move(weights), thresholds);
}

}  // namespace p2psim
