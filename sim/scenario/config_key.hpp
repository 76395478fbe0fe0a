#pragma once
// One scenario key declared once: its TOML name, the config field it sets, its unit and allowed
// values. A section's keys are a list of these; the loader reads a section by walking its list, and
// the resolved scenario (summary.json, and so the scenario hash) writes the same list, so that a
// key cannot be read without being written and hashed. A key's default is its field's initialiser.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "scenario/toml_section.hpp"

namespace p2psim {

// An array of weights reached through the config (e.g. users.profile.hourly): normalised when
// the world is built, so any non-negative values not all 0.
template <class Config>
struct WeightsField {
  std::span<double> (*of)(Config& config);
};

template <class Config>
using ConfigField =
    std::variant<double Config::*, std::uint32_t Config::*, std::uint64_t Config::*, bool Config::*,
                 std::string Config::*, std::vector<double> Config::*, WeightsField<Config>>;

// Sections that come in kinds (fraud typologies) give each key the kinds that have it.
inline constexpr std::uint32_t kEveryKind = ~std::uint32_t{0};

template <class Config>
struct ConfigKey {
  std::string_view name;  // in the TOML table
  ConfigField<Config> field;
  std::string_view unit;  // as docs/scenarios.md gives it ("minutes", "USD"); "" for none
  scenario_detail::NumberRange number{};    // number and number-list fields
  scenario_detail::IntegerRange integer{};  // integer fields
  bool required = false;
  std::uint32_t kinds = kEveryKind;  // bit k: kind k has the key
  // The name in the resolved scenario when it differs; a dotted one nests ("profile.hourly").
  std::string_view resolved_name = {};

  std::string_view json_name() const { return resolved_name.empty() ? name : resolved_name; }
  bool applies_to(int kind) const { return kind < 0 || (kinds >> kind & 1u) != 0; }
};

// The overloads that declare a key by its field's type.
template <class Config>
constexpr ConfigKey<Config> number_key(std::string_view name, double Config::*field,
                                       scenario_detail::NumberRange range, std::string_view unit,
                                       std::uint32_t kinds = kEveryKind) {
  return {.name = name, .field = field, .unit = unit, .number = range, .kinds = kinds};
}
template <class Config, class Integer>
constexpr ConfigKey<Config> integer_key(std::string_view name, Integer Config::*field,
                                        scenario_detail::IntegerRange range,
                                        std::string_view unit) {
  return {.name = name, .field = field, .unit = unit, .integer = range};
}
template <class Config>
constexpr ConfigKey<Config> flag_key(std::string_view name, bool Config::*field) {
  return {.name = name, .field = field};
}
template <class Config>
constexpr ConfigKey<Config> text_key(std::string_view name, std::string Config::*field,
                                     bool required = false) {
  return {.name = name, .field = field, .required = required};
}

// Reads every key of `keys` that `kind` has (all for kind -1) from `section` into `config`, in
// list order; keys left out keep the config's value. Unknown keys are the caller's finish().
template <class Config>
void read_keys(scenario_detail::Section& section, Config& config,
               std::span<const ConfigKey<Config>> keys, int kind = -1) {
  for (const ConfigKey<Config>& key : keys) {
    if (!key.applies_to(kind)) continue;
    if (key.required) section.require(key.name);
    std::visit(
        [&](auto field) {
          using Field = decltype(field);
          if constexpr (std::is_same_v<Field, double Config::*>) {
            section.read(key.name, config.*field, key.number);
          } else if constexpr (std::is_same_v<Field, std::vector<double> Config::*>) {
            section.read_numbers(key.name, config.*field, key.number);
          } else if constexpr (std::is_same_v<Field, WeightsField<Config>>) {
            section.read_weights(key.name, field.of(config));
          } else if constexpr (std::is_same_v<Field, bool Config::*> ||
                               std::is_same_v<Field, std::string Config::*>) {
            section.read(key.name, config.*field);
          } else {
            section.read(key.name, config.*field, key.integer);
          }
        },
        key.field);
  }
}

}  // namespace p2psim
