#include "strategies/registry.hpp"

#include <algorithm>
#include <cassert>

namespace p2psim {

// Each strategy's factory, defined in its own file.
std::unique_ptr<RiskPolicy> make_rules_strategy(StrategySettings& settings,
                                                const StrategyContext& context);
std::unique_ptr<RiskPolicy> make_limits_strategy(StrategySettings& settings,
                                                 const StrategyContext& context);
std::unique_ptr<RiskPolicy> make_score_strategy(StrategySettings& settings,
                                                const StrategyContext& context);
std::vector<SettingDeclaration> limits_settings();
std::vector<SettingDeclaration> score_settings();

namespace {

// The decision that wins between two: the action of higher precedence (RiskAction's order:
// block > review > step_up > limit > hold > lock_withdrawal > allow); between two limits the
// smaller amount, between two holds the longer one. A withdrawal lock is kept beside any action:
// the longest of the two.
RiskDecision stronger(const RiskDecision& a, const RiskDecision& b) {
  const double lock_hours = std::max(a.lock_hours, b.lock_hours);
  if (a.action != b.action) {
    RiskDecision winner = a.action > b.action ? a : b;
    winner.lock_hours = lock_hours;
    return winner;
  }
  RiskDecision both = a;
  both.hold_minutes = std::max(a.hold_minutes, b.hold_minutes);
  both.limit_usd = std::min(a.limit_usd, b.limit_usd);
  both.lock_hours = lock_hours;
  return both;
}

// Asks each strategy in turn; the decision rule is the one documented in registry.hpp.
class CombinedPolicy final : public RiskPolicy {
 public:
  explicit CombinedPolicy(std::vector<std::unique_ptr<RiskPolicy>> parts)
      : parts_(std::move(parts)) {
    for (const auto& part : parts_) {
      observes_ = observes_ || part->observes_completion();
      post_trade_ = post_trade_ || part->decides_post_trade();
      first_reasons_.push_back(reason_count_);
      reason_count_ += part->reason_count();
    }
  }

  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    RiskDecision combined;
    for (std::size_t index = 0; index < parts_.size(); ++index) {
      RiskDecision decision = parts_[index]->decide(stage, features);
      if (decision.reason != 0) decision.reason += first_reasons_[index];
      // A block at creation ends the order; after a trade the ban leaves the order's own lock.
      if (decision.action == RiskAction::kBlock && stage != RiskStage::kPostTrade) return decision;
      combined = stronger(combined, decision);
    }
    return combined;
  }

  // The first part's that scores at creation.
  std::optional<double> creation_log_odds(const OrderFeatures& features) const override {
    for (const auto& part : parts_) {
      if (std::optional<double> log_odds = part->creation_log_odds(features)) return log_odds;
    }
    return std::nullopt;
  }

  // The parts' reasons one after the other, each named by its part.
  std::uint16_t reason_count() const override { return reason_count_; }
  std::string reason_name(std::uint16_t reason) const override {
    for (const auto& part : parts_) {
      if (reason <= part->reason_count()) return part->reason_name(reason);
      reason -= part->reason_count();
    }
    return "";
  }

  FeatureSet features_read(RiskStage stage) const override {
    FeatureSet read = 0;
    for (const auto& part : parts_)
      read |= part->features_read(stage);
    return read;
  }

  bool observes_completion() const override { return observes_; }
  bool decides_post_trade() const override { return post_trade_; }
  void on_completed(const OrderFeatures& features) const override {
    for (const auto& part : parts_) {
      if (part->observes_completion()) part->on_completed(features);
    }
  }

 private:
  std::vector<std::unique_ptr<RiskPolicy>> parts_;
  bool observes_ = false;
  bool post_trade_ = false;
  std::vector<std::uint16_t> first_reasons_;  // each part's first reason, in the combined numbering
  std::uint16_t reason_count_ = 0;
};

}  // namespace

const std::vector<StrategyEntry>& strategy_registry() {
  static const std::vector<StrategyEntry> kStrategies = {
      {"rules", make_rules_strategy},
      {"score", make_score_strategy, score_settings},
      {"limits", make_limits_strategy, limits_settings},
  };
  return kStrategies;
}

std::vector<std::string> strategy_names() {
  std::vector<std::string> names;
  for (const StrategyEntry& entry : strategy_registry())
    names.emplace_back(entry.name);
  return names;
}

std::shared_ptr<const RiskPolicy> build_risk_policy(const std::vector<std::string>& names,
                                                    StrategySettings& settings,
                                                    const StrategyContext& context) {
  if (names.empty()) return nullptr;
  std::vector<std::unique_ptr<RiskPolicy>> parts;
  for (const std::string& name : names) {
    const auto& registry = strategy_registry();
    auto entry = std::find_if(registry.begin(), registry.end(),
                              [&](const StrategyEntry& known) { return name == known.name; });
    assert(entry != registry.end() && "unknown strategy names are reported by the caller");
    parts.push_back(entry->make(settings, context));
  }
  return std::make_shared<CombinedPolicy>(std::move(parts));
}

}  // namespace p2psim
