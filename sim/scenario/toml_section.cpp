#include "scenario/toml_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

#include "scenario/scenario_loader.hpp"

namespace p2psim::scenario_detail {
namespace {

// Long strings are cut so that one bad value cannot flood the terminal.
constexpr std::size_t kMaxQuotedLength = 60;

std::string quote_text(std::string_view text) {
  return fmt::format("\"{}\"", shown_text(text, kMaxQuotedLength));
}

// Decimal numbers always show a decimal point, so 14.0 written for an integer field is not
// reported as "14", which would look valid.
std::string decimal_text(double value) {
  std::string text = fmt::format("{}", value);
  bool looks_integral = text.find_first_of(".eEna") == std::string::npos;
  return looks_integral ? text + ".0" : text;
}

// The value alone, as the analyst wrote it, for "found 1.5" in range errors.
std::string value_text(const toml::node& node) {
  if (const auto* integer = node.as_integer()) return fmt::format("{}", integer->get());
  if (const auto* decimal = node.as_floating_point()) return decimal_text(decimal->get());
  return describe(node);
}

// Number fields accept TOML integers too: 15 means 15.0.
std::optional<double> number_of(const toml::node& node) {
  if (const auto* decimal = node.as_floating_point()) return decimal->get();
  if (const auto* integer = node.as_integer()) return static_cast<double>(integer->get());
  return std::nullopt;
}

std::size_t edit_distance(std::string_view from, std::string_view to) {
  std::vector<std::size_t> previous(to.size() + 1);
  std::vector<std::size_t> current(to.size() + 1);
  for (std::size_t j = 0; j <= to.size(); ++j)
    previous[j] = j;
  for (std::size_t i = 1; i <= from.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= to.size(); ++j) {
      std::size_t substitution = previous[j - 1] + (from[i - 1] == to[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[to.size()];
}

bool earlier(const toml::source_region& left, const toml::source_region& right) {
  if (left.begin.line != right.begin.line) return left.begin.line < right.begin.line;
  return left.begin.column < right.begin.column;
}

std::string unknown_key_message(std::string_view key, const std::vector<std::string>& known) {
  std::string suggestion = closest_key(key, known);
  if (!suggestion.empty()) return fmt::format("unknown key; did you mean '{}'?", suggestion);
  return fmt::format("unknown key; the keys allowed here are: {}", fmt::join(known, ", "));
}

}  // namespace

void fail_at(const toml::source_region& where, std::string_view key_path,
             const std::string& message) {
  std::string file = where.path ? *where.path : std::string();
  throw ScenarioError(std::move(file), static_cast<int>(where.begin.line),
                      static_cast<int>(where.begin.column), std::string(key_path), message);
}

std::string describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return fmt::format("a string ({})", quote_text(node.as_string()->get()));
    case toml::node_type::integer:
      return fmt::format("an integer ({})", node.as_integer()->get());
    case toml::node_type::floating_point:
      return fmt::format("a decimal number ({})", decimal_text(node.as_floating_point()->get()));
    case toml::node_type::boolean:
      return fmt::format("a boolean ({})", node.as_boolean()->get());
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

std::string closest_key(std::string_view unknown, const std::vector<std::string>& known) {
  // Up to 3 edits, but fewer for short keys: 'ab' is not a typo of 'days'.
  std::size_t limit = std::clamp<std::size_t>(unknown.size() / 2, 1, 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : known) {
    // Lengths differing by more than the limit are more edits apart: not worth the quadratic
    // distance (a megabyte-long key would take seconds).
    const std::size_t length_gap = unknown.size() > candidate.size()
                                       ? unknown.size() - candidate.size()
                                       : candidate.size() - unknown.size();
    if (length_gap > limit) continue;
    std::size_t distance = edit_distance(unknown, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

Section::Section(const toml::table* table, std::string path, toml::source_region where)
    : table_(table), path_(std::move(path)), where_(std::move(where)) {}

std::string Section::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

bool Section::has(std::string_view key) const {
  return table_ != nullptr && table_->contains(key);
}

bool Section::knows(std::string_view key) const {
  return std::find(known_.begin(), known_.end(), key) != known_.end();
}

const toml::node* Section::find(std::string_view key) {
  if (!knows(key)) known_.emplace_back(key);
  return table_ == nullptr ? nullptr : table_->get(key);
}

void Section::read(std::string_view key, double& target, const NumberRange& range) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  std::optional<double> number = number_of(*node);
  if (!number) fail(key, "expected a number, found " + describe(*node));
  double value = *number;
  bool above_low = range.low_exclusive ? value > range.low : value >= range.low;
  // std::isfinite also rejects nan, which compares false with everything.
  if (!std::isfinite(value) || !above_low || value > range.high) {
    fail(key, fmt::format("expected {}, found {}", range.expected, value_text(*node)));
  }
  target = value;
}

std::optional<std::int64_t> Section::read_integer(std::string_view key, const IntegerRange& range) {
  const toml::node* node = find(key);
  if (node == nullptr) return std::nullopt;
  const auto* integer = node->as_integer();
  if (integer == nullptr) fail(key, "expected an integer, found " + describe(*node));
  std::int64_t value = integer->get();
  if (value < range.low || value > range.high) {
    fail(key, fmt::format("expected an integer between {} and {}, found {}", range.low, range.high,
                          value));
  }
  return value;
}

void Section::read(std::string_view key, std::int32_t& target, const IntegerRange& range) {
  if (auto value = read_integer(key, range)) target = static_cast<std::int32_t>(*value);
}

void Section::read(std::string_view key, std::uint32_t& target, const IntegerRange& range) {
  if (auto value = read_integer(key, range)) target = static_cast<std::uint32_t>(*value);
}

void Section::read(std::string_view key, std::uint64_t& target, const IntegerRange& range) {
  if (auto value = read_integer(key, range)) target = static_cast<std::uint64_t>(*value);
}

void Section::read(std::string_view key, bool& target) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  const auto* boolean = node->as_boolean();
  if (boolean == nullptr) fail(key, "expected true or false, found " + describe(*node));
  target = boolean->get();
}

void Section::read(std::string_view key, std::string& target) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  const auto* text = node->as_string();
  if (text == nullptr) fail(key, "expected a string, found " + describe(*node));
  target = text->get();
}

void Section::read_weights(std::string_view key, std::span<double> target) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  const auto* array = node->as_array();
  if (array == nullptr || array->size() != target.size()) {
    std::string found =
        array == nullptr ? describe(*node) : fmt::format("an array of {} values", array->size());
    fail(key, fmt::format("expected an array of {} numbers, found {}", target.size(), found));
  }
  std::vector<double> weights;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    std::string element_path = fmt::format("{}[{}]", path_of(key), i);
    std::optional<double> weight = number_of(element);
    if (!weight) {
      fail_at(element.source(), element_path, "expected a number, found " + describe(element));
    }
    // Bounded so that the sum of the weights, and each weight over it, stay finite.
    if (!std::isfinite(*weight) || *weight < 0.0 || *weight > kMaxRelativeWeight) {
      fail_at(element.source(), element_path,
              "expected a number from 0 to 1e6, found " + value_text(element));
    }
    weights.push_back(*weight);
  }
  if (std::all_of(weights.begin(), weights.end(), [](double weight) { return weight == 0.0; })) {
    fail(key, "expected at least one weight greater than 0, found only zeros");
  }
  std::copy(weights.begin(), weights.end(), target.begin());
}

void Section::read_numbers(std::string_view key, std::vector<double>& target,
                           const NumberRange& range) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  const auto* array = node->as_array();
  if (array == nullptr || array->empty()) {
    std::string found = array == nullptr ? describe(*node) : "an empty array";
    fail(key, "expected an array of numbers, found " + found);
  }
  std::vector<double> numbers;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    std::string element_path = fmt::format("{}[{}]", path_of(key), i);
    std::optional<double> number = number_of(element);
    if (!number) {
      fail_at(element.source(), element_path, "expected a number, found " + describe(element));
    }
    bool above_low = range.low_exclusive ? *number > range.low : *number >= range.low;
    if (!std::isfinite(*number) || !above_low || *number > range.high) {
      fail_at(element.source(), element_path,
              fmt::format("expected {}, found {}", range.expected, value_text(element)));
    }
    numbers.push_back(*number);
  }
  target = std::move(numbers);
}

Section Section::section(std::string_view key) {
  const toml::node* node = find(key);
  if (node == nullptr) return Section(nullptr, path_of(key), where_);
  if (!node->is_table()) fail(key, "expected a table, found " + describe(*node));
  return Section(node->as_table(), path_of(key), node->source());
}

std::vector<Section> Section::sections_of_array(std::string_view key, std::string_view expected) {
  const toml::node* node = find(key);
  if (node == nullptr) return {};
  const auto* array = node->as_array();
  if (array == nullptr) fail(key, fmt::format("expected {}, found {}", expected, describe(*node)));
  std::vector<Section> sections;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    std::string element_path = fmt::format("{}[{}]", path_of(key), i);
    if (!element.is_table()) {
      fail_at(element.source(), element_path, "expected a table, found " + describe(element));
    }
    sections.emplace_back(element.as_table(), std::move(element_path), element.source());
  }
  return sections;
}

void Section::require(std::string_view key) {
  find(key);
  required_.emplace_back(key);
}

void Section::finish() const {
  if (table_ != nullptr) {
    const toml::key* first_unknown = nullptr;
    for (auto&& [key, node] : *table_) {
      if (knows(key.str())) continue;
      if (first_unknown == nullptr || earlier(key.source(), first_unknown->source())) {
        first_unknown = &key;
      }
    }
    if (first_unknown != nullptr) {
      fail_at(first_unknown->source(), path_of(first_unknown->str()),
              unknown_key_message(first_unknown->str(), known_));
    }
  }
  for (const std::string& key : required_) {
    if (!has(key)) fail_at(where_, path_of(key), "required key is missing");
  }
}

const toml::source_region& Section::place_of(std::string_view key) const {
  const toml::node* node = table_ == nullptr ? nullptr : table_->get(key);
  return node == nullptr ? where_ : node->source();
}

void Section::fail(std::string_view key, const std::string& message) const {
  fail_at(place_of(key), path_of(key), message);
}

std::string Section::warning(std::string_view key, const std::string& message) const {
  const toml::source_region& where = place_of(key);
  return located_text(where.path ? *where.path : std::string(), static_cast<int>(where.begin.line),
                      static_cast<int>(where.begin.column), path_of(key), message);
}

}  // namespace p2psim::scenario_detail
