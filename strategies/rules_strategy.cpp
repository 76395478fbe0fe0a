// The rules strategy: [[markets.<code>.risk.rules]] entries, each a condition and an action.
// Block, review, step_up and limit rules act at order creation, hold and lock_withdrawal rules
// at mark-paid, allow rules at both, unless a rule names its stage; at each stage the first rule
// that matches decides, so an allow rule written first is an exception; matching lock rules
// before it add their longest lock to its decision.
#include <memory>
#include <optional>
#include <string>

#include "strategies/registry.hpp"
#include "strategies/rule_expression.hpp"

namespace p2psim {
namespace {

struct Rule {
  RuleExpression when;
  RiskAction action;
  double hold_minutes;
  double limit_usd;
  double lock_hours;
  std::optional<RiskStage> own_stage;  // the only stage it acts at; none: by its action
};

class RulesStrategy final : public RiskPolicy {
 public:
  explicit RulesStrategy(std::vector<Rule> rules) : rules_(std::move(rules)) {}

  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    // A lock rule does not end the search: the longest lock of the matching ones rides beside
    // the first other rule that matches, so that a lock never hides a block or a ban.
    RiskDecision locked;
    for (const Rule& rule : rules_) {
      if (!acts_at(rule, stage) || !rule.when.matches(features)) continue;
      const auto reason = static_cast<std::uint16_t>(&rule - rules_.data() + 1);
      if (rule.action == RiskAction::kLockWithdrawal) {
        if (rule.lock_hours > locked.lock_hours) {
          locked = {.action = rule.action, .lock_hours = rule.lock_hours, .reason = reason};
        }
        continue;
      }
      return {.action = rule.action,
              .hold_minutes = rule.hold_minutes,
              .limit_usd = rule.limit_usd,
              .lock_hours = locked.lock_hours,
              .reason = reason};
    }
    return locked;
  }

  std::uint16_t reason_count() const override { return static_cast<std::uint16_t>(rules_.size()); }
  // The rule by its place in the scenario's list, from 1.
  std::string reason_name(std::uint16_t reason) const override {
    return reason == 0 ? "" : "rule " + std::to_string(reason);
  }

  bool decides_post_trade() const override {
    for (const Rule& rule : rules_) {
      if (rule.own_stage == RiskStage::kPostTrade) return true;
    }
    return false;
  }

  FeatureSet features_read(RiskStage stage) const override {
    FeatureSet read = 0;
    for (const Rule& rule : rules_) {
      if (acts_at(rule, stage)) read |= rule.when.features_read();
    }
    return read;
  }

 private:
  static bool account_stage(RiskStage stage) {
    return stage == RiskStage::kSignUp || stage == RiskStage::kPostTrade;
  }
  static bool acts_at(const Rule& rule, RiskStage stage) {
    if (rule.own_stage) return *rule.own_stage == stage;
    if (account_stage(stage)) return false;
    if (rule.action == RiskAction::kAllow) return true;
    const bool at_mark_paid =
        rule.action == RiskAction::kHold || rule.action == RiskAction::kLockWithdrawal;
    return at_mark_paid == (stage == RiskStage::kMarkPaid);
  }

  std::vector<Rule> rules_;
};

RiskAction read_action(StrategySettings& entry, const StrategyContext& context) {
  std::string action;
  entry.read("action", action);
  if (action == "allow") return RiskAction::kAllow;
  if (action == "hold") return RiskAction::kHold;
  if (action == "lock_withdrawal") return RiskAction::kLockWithdrawal;
  if (action == "block") return RiskAction::kBlock;
  if (action == "step_up") return RiskAction::kStepUp;
  if (action == "limit") return RiskAction::kLimit;
  if (action == "review") {
    if (!context.has_reviewers) {
      entry.fail("action", StrategySettings::kWholeValue,
                 "\"review\" needs reviewers, but markets." + context.market +
                     ".review has none: set its reviewers or shifts");
    }
    return RiskAction::kReview;
  }
  entry.fail("action", StrategySettings::kWholeValue,
             "expected \"allow\", \"block\", \"hold\", \"limit\", \"lock_withdrawal\", "
             "\"review\" or \"step_up\", found \"" +
                 action + "\"");
}

// stage = "sign_up" or "post_trade" makes a block or allow rule act when an account signs up,
// or after each of its completed orders, instead of on its orders; a lock_withdrawal rule may
// act at "creation" or "post_trade" instead of mark-paid. "order" (the default) leaves the stage
// to the action: none is returned.
std::optional<RiskStage> read_stage(StrategySettings& entry, RiskAction action) {
  std::string stage = "order";
  entry.read("stage", stage);
  if (stage == "order") return std::nullopt;
  if (stage != "sign_up" && stage != "post_trade" && stage != "creation") {
    entry.fail(
        "stage", StrategySettings::kWholeValue,
        "expected \"order\", \"creation\", \"sign_up\" or \"post_trade\", found \"" + stage + "\"");
  }
  const bool account_action = action == RiskAction::kBlock || action == RiskAction::kAllow;
  const bool lock = action == RiskAction::kLockWithdrawal;
  if (stage == "creation" ? !lock : !account_action && !(lock && stage == "post_trade")) {
    entry.fail("action", StrategySettings::kWholeValue,
               stage == "creation"
                   ? "only \"lock_withdrawal\" takes stage \"creation\""
                   : "only \"block\" and \"allow\" act at " + stage +
                         (stage == "post_trade" ? ", and \"lock_withdrawal\"" : ""));
  }
  if (stage == "creation") return RiskStage::kOrderCreation;
  return stage == "sign_up" ? RiskStage::kSignUp : RiskStage::kPostTrade;
}

}  // namespace

std::unique_ptr<RiskPolicy> make_rules_strategy(StrategySettings& settings,
                                                const StrategyContext& context) {
  std::vector<Rule> rules;
  for (const auto& entry : settings.entries("rules")) {
    entry->require("when");
    entry->require("action");
    Rule rule{read_condition(*entry, "when", context.payment_methods),
              read_action(*entry, context),
              0.0,
              0.0,
              0.0,
              std::nullopt};
    rule.own_stage = read_stage(*entry, rule.action);
    if (rule.action == RiskAction::kHold) {
      entry->require("hold_minutes");
      entry->read("hold_minutes", rule.hold_minutes, 0.0, 30.0 * 24 * 60);
    }
    if (rule.action == RiskAction::kLockWithdrawal) {
      entry->require("lock_hours");
      entry->read("lock_hours", rule.lock_hours, 0.0, 30.0 * 24);
    }
    if (rule.action == RiskAction::kLimit) {
      entry->require("limit_usd");
      entry->read("limit_usd", rule.limit_usd, 0.0, 1e9);
    }
    entry->finish();
    rules.push_back(std::move(rule));
  }
  return std::make_unique<RulesStrategy>(std::move(rules));
}

}  // namespace p2psim
