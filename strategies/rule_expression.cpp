#include "strategies/rule_expression.hpp"

#include <cctype>
#include <cstdlib>

namespace p2psim {

std::string known_feature_list() {
  std::string list;
  for (const char* name : kRiskFeatureNames) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

FeatureSet RuleExpression::features_read() const {
  FeatureSet read = 0;
  for (const Node& node : nodes_) {
    if (node.kind != Kind::kAnd && node.kind != Kind::kOr)
      read |= feature_bit(static_cast<RiskFeature>(node.feature));
  }
  return read;
}

// Recursive descent over the text; each parse_* returns the index of the node it built.
class RuleExpression::Parser {
 public:
  Parser(std::string_view text, const std::vector<std::string>& methods, RuleExpression& out)
      : text_(text), methods_(methods), out_(out) {}

  std::uint32_t parse_all() {
    std::uint32_t root = parse_or();
    skip_spaces();
    if (position_ < text_.size()) fail("expected 'and', 'or' or the end of the condition");
    return root;
  }

 private:
  std::uint32_t parse_or() {
    std::uint32_t left = parse_and();
    while (take_word("or"))
      left = add({Kind::kOr, 0, 0.0, left, parse_and()});
    return left;
  }

  std::uint32_t parse_and() {
    std::uint32_t left = parse_primary();
    while (take_word("and"))
      left = add({Kind::kAnd, 0, 0.0, left, parse_primary()});
    return left;
  }

  std::uint32_t parse_primary() {
    skip_spaces();
    if (take_char('(')) {
      if (++depth_ > kMaxConditionDepth) {
        --position_;
        const std::string limit = std::to_string(kMaxConditionDepth);
        fail("more than " + limit + " nested parentheses; a condition may nest at most " + limit);
      }
      std::uint32_t inner = parse_or();
      skip_spaces();
      if (!take_char(')')) fail("expected ')'");
      --depth_;
      return inner;
    }
    return parse_comparison();
  }

  std::uint32_t parse_comparison() {
    skip_spaces();
    const std::size_t name_start = position_;
    std::string name = take_name();
    if (name.empty()) fail("expected a feature name or '('");
    if (++comparisons_ > kMaxConditionComparisons) {
      position_ = name_start;
      const std::string limit = std::to_string(kMaxConditionComparisons);
      fail("more than " + limit + " comparisons; a condition may have at most " + limit);
    }
    int feature = feature_index(name);
    if (feature < 0) {
      throw RuleSyntaxError(name_start, "unknown feature \"" + name + "\"", name);
    }
    Kind kind = take_operator();
    skip_spaces();
    double value = 0.0;
    if (position_ < text_.size() && text_[position_] == '"') {
      value = take_method_name(feature, kind);
    } else {
      value = take_number();
    }
    return add({kind, static_cast<std::uint8_t>(feature), value, 0, 0});
  }

  Kind take_operator() {
    skip_spaces();
    static constexpr std::pair<std::string_view, Kind> kOperators[] = {
        {"<=", Kind::kLessEqual}, {">=", Kind::kGreaterEqual}, {"==", Kind::kEqual},
        {"!=", Kind::kNotEqual},  {"<", Kind::kLess},          {">", Kind::kGreater}};
    for (const auto& [symbol, kind] : kOperators) {
      if (text_.substr(position_, symbol.size()) == symbol) {
        position_ += symbol.size();
        return kind;
      }
    }
    fail("expected a comparison: <, <=, >, >=, == or !=");
  }

  double take_number() {
    const std::size_t start = position_;
    std::string digits;
    while (position_ < text_.size() &&
           (std::isdigit(static_cast<unsigned char>(text_[position_])) ||
            std::string_view("+-.eE").find(text_[position_]) != std::string_view::npos)) {
      digits += text_[position_++];
    }
    char* end = nullptr;
    double value = digits.empty() ? 0.0 : std::strtod(digits.c_str(), &end);
    if (digits.empty() || end != digits.c_str() + digits.size()) {
      position_ = start;
      fail("expected a number");
    }
    return value;
  }

  double take_method_name(int feature, Kind kind) {
    const std::size_t start = position_;
    if (feature != static_cast<int>(RiskFeature::kPaymentMethod)) {
      fail("only payment_method is compared with a name; expected a number");
    }
    if (kind != Kind::kEqual && kind != Kind::kNotEqual) {
      fail("a payment method name is compared with == or != only");
    }
    std::size_t close = text_.find('"', position_ + 1);
    if (close == std::string_view::npos) fail("expected a closing '\"'");
    std::string_view name = text_.substr(position_ + 1, close - position_ - 1);
    position_ = close + 1;
    for (std::size_t index = 0; index < methods_.size(); ++index) {
      if (methods_[index] == name) return static_cast<double>(index);
    }
    std::string known;
    for (const std::string& method : methods_)
      known += (known.empty() ? "" : ", ") + method;
    throw RuleSyntaxError(start, "unknown payment method \"" + std::string(name) +
                                     "\"; this market's methods are: " + known);
  }

  static int feature_index(const std::string& name) {
    for (int index = 0; index < kRiskFeatureCount; ++index) {
      if (name == kRiskFeatureNames[index]) return index;
    }
    return -1;
  }

  std::string take_name() {
    std::string name;
    while (
        position_ < text_.size() &&
        (std::isalnum(static_cast<unsigned char>(text_[position_])) || text_[position_] == '_')) {
      name += text_[position_++];
    }
    return name;
  }

  bool take_word(std::string_view word) {
    skip_spaces();
    if (text_.substr(position_, word.size()) != word) return false;
    const std::size_t after = position_ + word.size();
    if (after < text_.size() &&
        (std::isalnum(static_cast<unsigned char>(text_[after])) || text_[after] == '_')) {
      return false;
    }
    position_ = after;
    return true;
  }

  bool take_char(char wanted) {
    if (position_ < text_.size() && text_[position_] == wanted) {
      ++position_;
      return true;
    }
    return false;
  }

  void skip_spaces() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_]))) {
      ++position_;
    }
  }

  std::uint32_t add(const Node& node) {
    out_.nodes_.push_back(node);
    return static_cast<std::uint32_t>(out_.nodes_.size() - 1);
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw RuleSyntaxError(position_, message);
  }

  std::string_view text_;
  const std::vector<std::string>& methods_;
  RuleExpression& out_;
  std::size_t position_ = 0;
  std::size_t depth_ = 0;        // parentheses open at position_
  std::size_t comparisons_ = 0;  // read so far
};

RuleExpression RuleExpression::parse(std::string_view text,
                                     const std::vector<std::string>& payment_methods) {
  RuleExpression expression;
  Parser parser(text, payment_methods, expression);
  expression.root_ = parser.parse_all();
  return expression;
}

bool RuleExpression::evaluate(std::uint32_t index, const OrderFeatures& features) const {
  const Node& node = nodes_[index];
  const double value = features.values[node.feature];
  switch (node.kind) {
    case Kind::kLess:
      return value < node.value;
    case Kind::kLessEqual:
      return value <= node.value;
    case Kind::kGreater:
      return value > node.value;
    case Kind::kGreaterEqual:
      return value >= node.value;
    case Kind::kEqual:
      return value == node.value;
    case Kind::kNotEqual:
      return value != node.value;
    case Kind::kAnd:
      return evaluate(node.left, features) && evaluate(node.right, features);
    case Kind::kOr:
      return evaluate(node.left, features) || evaluate(node.right, features);
  }
  return false;
}

RuleExpression read_condition(StrategySettings& settings, std::string_view key,
                              const std::vector<std::string>& payment_methods) {
  std::string text;
  settings.read(key, text);
  try {
    return RuleExpression::parse(text, payment_methods);
  } catch (const RuleSyntaxError& error) {
    std::string message = error.what();
    if (!error.unknown_name().empty()) {
      std::vector<std::string> known(kRiskFeatureNames.begin(), kRiskFeatureNames.end());
      std::string suggestion = settings.closest(error.unknown_name(), known);
      if (!suggestion.empty()) message += "; did you mean \"" + suggestion + "\"?";
      message += " The known features are: " + known_feature_list();
    }
    settings.fail(key, error.offset(), message);
  }
}

}  // namespace p2psim
