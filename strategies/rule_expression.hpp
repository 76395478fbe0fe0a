#pragma once
// Conditions on order features, as written in a rule's `when`:
//   account_age_days < 7 and (amount_usd > 500 or payment_method == "card")
// Comparisons (<, <=, >, >=, ==, !=) of a feature with a number, or of payment_method with a
// method's name; `and` binds tighter than `or`; parentheses group. Parsed once at load into a
// flat node array, evaluated without allocation.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strategies/strategy_settings.hpp"
#include "world/risk_policy.hpp"

namespace p2psim {

// A condition that cannot be parsed: `offset` is the character where the problem starts;
// `unknown_name` is set when it is a name that is not a feature (for a "did you mean").
class RuleSyntaxError : public std::runtime_error {
 public:
  RuleSyntaxError(std::size_t offset, const std::string& message, std::string unknown_name = {})
      : std::runtime_error(message), offset_(offset), unknown_name_(std::move(unknown_name)) {}
  std::size_t offset() const { return offset_; }
  const std::string& unknown_name() const { return unknown_name_; }

 private:
  std::size_t offset_;
  std::string unknown_name_;
};

// Limits of the condition language, part of the format (docs/strategies.md): they bound the
// parser's and the evaluator's recursion, whose depth is at most the nesting plus the
// comparisons, so no condition can exhaust the stack.
inline constexpr std::size_t kMaxConditionDepth = 32;
inline constexpr std::size_t kMaxConditionComparisons = 256;

class RuleExpression {
 public:
  // `payment_methods` resolves payment_method == "name" to the method's index.
  static RuleExpression parse(std::string_view text,
                              const std::vector<std::string>& payment_methods);
  bool matches(const OrderFeatures& features) const { return evaluate(root_, features); }
  FeatureSet features_read() const;

 private:
  enum class Kind : std::uint8_t {
    kLess,
    kLessEqual,
    kGreater,
    kGreaterEqual,
    kEqual,
    kNotEqual,
    kAnd,
    kOr
  };
  struct Node {
    Kind kind;
    std::uint8_t feature = 0;  // comparisons
    double value = 0.0;        // comparisons
    std::uint32_t left = 0;    // kAnd, kOr: node indices
    std::uint32_t right = 0;
  };
  class Parser;

  bool evaluate(std::uint32_t node, const OrderFeatures& features) const;

  std::vector<Node> nodes_;
  std::uint32_t root_ = 0;
};

// Reads the condition written under `key` and parses it; a syntax error or an unknown feature
// fails through `settings` at the character where it starts (with a "did you mean").
RuleExpression read_condition(StrategySettings& settings, std::string_view key,
                              const std::vector<std::string>& payment_methods);

// "account_age_days, kyc_tier, ...": the feature names, for error messages.
std::string known_feature_list();

}  // namespace p2psim
