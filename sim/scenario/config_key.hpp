#pragma once
// One scenario key declared once: its TOML name, the config field it sets, its unit, allowed
// values and one-line doc. A section's keys are a list of these; the loader reads a section by
// walking its list, and the resolved scenario (summary.json, and so the scenario hash) writes the
// same list, so that a key cannot be read without being written and hashed; the docs test checks
// docs/scenarios.md against the list. A key's default is its field's initialiser.
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

// A number reached through the config, e.g. one entry of an array indexed by kind.
template <class Config>
struct NumberField {
  double& (*of)(Config& config);
};

// A text key naming one value of an enumeration (a loss bearer): the values a kind allows are
// listed in the order an error names them.
template <class Config>
struct ChoiceField {
  std::span<const char* const> names;  // by value
  int (*get)(const Config& config);
  void (*set)(Config& config, int value);
  std::span<const int> (*allowed)(int kind);
};

template <class Config>
using ConfigField = std::variant<double Config::*, std::int32_t Config::*, std::uint32_t Config::*,
                                 std::uint64_t Config::*, bool Config::*, std::string Config::*,
                                 std::vector<double> Config::*, WeightsField<Config>,
                                 NumberField<Config>, ChoiceField<Config>>;

// Sections that come in kinds (fraud typologies) give each key the kinds that have it.
inline constexpr std::uint32_t kEveryKind = ~std::uint32_t{0};

// A key is constructed with its doc line, the one-line meaning docs/scenarios.md gives it (the
// docs may say more after it; tests/test_scenario_keys.cpp checks the row contains it), so no
// key can be declared without one. The optional parts are set by the *_key functions below.
template <class Config>
struct ConfigKey {
  constexpr ConfigKey(std::string_view name, ConfigField<Config> field, std::string_view unit,
                      std::string_view doc)
      : name(name), field(field), unit(unit), doc(doc) {}

  std::string_view name;  // in the TOML table
  ConfigField<Config> field;
  std::string_view unit;  // as docs/scenarios.md gives it ("minutes", "USD"); "" for none
  std::string_view doc;   // one line: what the key means
  scenario_detail::NumberRange number{};    // number and number-list fields
  scenario_detail::IntegerRange integer{};  // integer fields
  // A day of the run: past the run's last day it is not an error, the loader warns and clips
  // or drops what the key belongs to (scenario_loader.cpp), so a shorter run keeps loading.
  bool day_of_run = false;
  bool required = false;
  std::uint32_t kinds = kEveryKind;  // bit k: kind k has the key
  // The name in the resolved scenario when it differs; a dotted one nests ("profile.hourly").
  std::string_view resolved_name = {};

  std::string_view json_name() const { return resolved_name.empty() ? name : resolved_name; }
  bool applies_to(int kind) const { return kind < 0 || (kinds >> kind & 1u) != 0; }
};

// The functions that declare a key by its field's type.
template <class Config>
constexpr ConfigKey<Config> number_key(std::string_view name, double Config::*field,
                                       scenario_detail::NumberRange range, std::string_view unit,
                                       std::string_view doc, std::uint32_t kinds = kEveryKind) {
  ConfigKey<Config> key(name, field, unit, doc);
  key.number = range;
  key.kinds = kinds;
  return key;
}
template <class Config>
constexpr ConfigKey<Config> numbers_key(std::string_view name, std::vector<double> Config::*field,
                                        scenario_detail::NumberRange range, std::string_view unit,
                                        std::string_view doc) {
  ConfigKey<Config> key(name, field, unit, doc);
  key.number = range;
  return key;
}
template <class Config, class Integer>
constexpr ConfigKey<Config> integer_key(std::string_view name, Integer Config::*field,
                                        scenario_detail::IntegerRange range, std::string_view unit,
                                        std::string_view doc) {
  ConfigKey<Config> key(name, field, unit, doc);
  key.integer = range;
  return key;
}
template <class Config>
constexpr ConfigKey<Config> flag_key(std::string_view name, bool Config::*field,
                                     std::string_view doc) {
  return ConfigKey<Config>(name, field, "", doc);
}
template <class Config>
constexpr ConfigKey<Config> text_key(std::string_view name, std::string Config::*field,
                                     std::string_view doc, bool required = false) {
  ConfigKey<Config> key(name, field, "", doc);
  key.required = required;
  return key;
}
// A day of the run, within `range` on its own; the loader compares it with the run's last day.
template <class Config, class Integer>
constexpr ConfigKey<Config> day_key(std::string_view name, Integer Config::*field,
                                    scenario_detail::IntegerRange range, std::string_view doc) {
  ConfigKey<Config> key(name, field, "day", doc);
  key.integer = range;
  key.day_of_run = true;
  return key;
}
// `resolved_name`, when given, is the key's name in the resolved scenario.
template <class Config>
constexpr ConfigKey<Config> number_at_key(std::string_view name, NumberField<Config> field,
                                          scenario_detail::NumberRange range, std::string_view unit,
                                          std::string_view doc,
                                          std::string_view resolved_name = {}) {
  ConfigKey<Config> key(name, field, unit, doc);
  key.number = range;
  key.resolved_name = resolved_name;
  return key;
}
template <class Config>
constexpr ConfigKey<Config> choice_key(std::string_view name, ChoiceField<Config> field,
                                       std::string_view doc) {
  return ConfigKey<Config>(name, field, "", doc);
}
// A key the scenario must write; its field's initialiser is never used.
template <class Config>
constexpr ConfigKey<Config> required(ConfigKey<Config> key) {
  key.required = true;
  return key;
}
// `resolved_name`, when given, is the key's name in the resolved scenario.
template <class Config>
constexpr ConfigKey<Config> weights_key(std::string_view name, WeightsField<Config> field,
                                        std::string_view unit, std::string_view doc,
                                        std::string_view resolved_name = {}) {
  ConfigKey<Config> key(name, field, unit, doc);
  key.resolved_name = resolved_name;
  return key;
}

// Reads the value `kind` allows that `section` names for `name`, if written.
template <class Config>
void read_choice(scenario_detail::Section& section, std::string_view name, Config& config,
                 const ChoiceField<Config>& field, int kind) {
  const toml::node* node = section.find(name);
  if (node == nullptr) return;
  std::string_view text = node->is_string() ? std::string_view(node->as_string()->get()) : "";
  std::string expected;
  for (int value : field.allowed(kind)) {
    const std::string_view choice = field.names[value];
    if (text == choice) return field.set(config, value);
    expected += (expected.empty() ? "\"" : " or \"") + std::string(choice) + "\"";
  }
  const std::string found =
      node->is_string() ? "\"" + std::string(text) + "\"" : scenario_detail::describe(*node);
  section.fail(name, "expected " + expected + ", found " + found);
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
          } else if constexpr (std::is_same_v<Field, NumberField<Config>>) {
            section.read(key.name, field.of(config), key.number);
          } else if constexpr (std::is_same_v<Field, ChoiceField<Config>>) {
            read_choice(section, key.name, config, field, kind);
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
