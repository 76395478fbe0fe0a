#include "scenario/strategy_settings_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace p2psim::scenario_detail {

// A key read twice (a campaign's eligibility, parsed once per market) is recorded once.
void SectionSettings::record(std::string_view key, std::variant<double, std::string> value) {
  std::string path = prefix_ + std::string(key);
  auto same = std::find_if(resolved_->begin(), resolved_->end(),
                           [&](const ResolvedSetting& setting) { return setting.key == path; });
  if (same != resolved_->end()) {
    same->value = std::move(value);
    return;
  }
  resolved_->push_back({std::move(path), std::move(value)});
}

void SectionSettings::read(std::string_view key, double& target, double low, double high) {
  const std::string expected = fmt::format("a number between {} and {}", low, high);
  section_.read(key, target, NumberRange{low, high, false, expected});
  record(key, target);
}

void SectionSettings::read(std::string_view key, std::string& target) {
  section_.read(key, target);
  record(key, target);
}

std::vector<std::unique_ptr<StrategySettings>> SectionSettings::entries(std::string_view key) {
  std::vector<std::unique_ptr<StrategySettings>> result;
  std::vector<Section> sections = section_.sections_of_array(key, "an array of tables");
  for (std::size_t i = 0; i < sections.size(); ++i) {
    result.push_back(std::make_unique<SectionSettings>(std::move(sections[i]), *resolved_,
                                                       fmt::format("{}{}[{}].", prefix_, key, i)));
  }
  return result;
}

std::unique_ptr<StrategySettings> SectionSettings::table(std::string_view key) {
  return std::make_unique<SectionSettings>(section_.section(key), *resolved_,
                                           fmt::format("{}{}.", prefix_, key));
}

std::vector<std::pair<std::string, double>> SectionSettings::all_numbers(double low, double high) {
  std::vector<std::pair<std::string, double>> numbers;
  if (section_.table() == nullptr) return numbers;
  for (auto&& [key, value] : *section_.table()) {
    double number = 0.0;
    read(key.str(), number, low, high);
    numbers.emplace_back(std::string(key.str()), number);
  }
  return numbers;
}

void SectionSettings::raise(std::string_view key, std::size_t offset,
                            const std::string& message) const {
  const toml::node* node = section_.has(key) ? section_.table()->get(key) : nullptr;
  if (node == nullptr || offset == kWholeValue) section_.fail(key, message);
  // One past the opening quote, then `offset` characters in (exact for strings without escapes).
  toml::source_region where = node->source();
  where.begin.column += static_cast<toml::source_index>(1 + offset);
  fail_at(where, section_.path_of(key), message);
}

}  // namespace p2psim::scenario_detail
