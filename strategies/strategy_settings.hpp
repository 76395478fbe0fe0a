#pragma once
// What a strategy reads its parameters from, without knowing TOML: the scenario layer implements
// it over one table of the scenario (markets.<code>.risk), with file:line:column errors.
#include <array>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace p2psim {

class StrategySettings {
 public:
  static constexpr std::size_t kWholeValue = static_cast<std::size_t>(-1);
  virtual ~StrategySettings() = default;
  // Leaves `target` unchanged when `key` is absent; fails unless low <= value <= high.
  virtual void read(std::string_view key, double& target, double low, double high) = 0;
  virtual void read(std::string_view key, std::string& target) = 0;
  // The tables of an array of tables (empty when absent), each with its own settings.
  virtual std::vector<std::unique_ptr<StrategySettings>> entries(std::string_view key) = 0;
  // A sub-table; an absent one gives settings whose reads keep their defaults.
  virtual std::unique_ptr<StrategySettings> table(std::string_view key) = 0;
  // Every key of this table read as a number within [low, high], e.g. a table of weights.
  virtual std::vector<std::pair<std::string, double>> all_numbers(double low, double high) = 0;
  // Makes finish() report `key` as missing when it is not written.
  virtual void require(std::string_view key) = 0;
  // Reports keys no read asked for, then missing required ones.
  virtual void finish() = 0;
  // Fails at character `offset` of the string written for `key`, or at the value as a whole
  // when `offset` is kWholeValue.
  [[noreturn]] void fail(std::string_view key, std::size_t offset,
                         const std::string& message) const {
    raise(key, offset, message);
    std::abort();  // raise always throws; the compiler cannot see through the virtual call
  }
  // The name in `known` closest to `unknown` when it is a plausible typo, or "".
  virtual std::string closest(std::string_view unknown,
                              const std::vector<std::string>& known) const = 0;

 protected:
  // Throws the scenario's error for fail().
  virtual void raise(std::string_view key, std::size_t offset,
                     const std::string& message) const = 0;
};

// What a setting list declares of each setting but its field: docs/strategies.md's row for the
// setting must contain its doc line (tests/test_scenario_keys.cpp).
struct SettingDeclaration {
  std::string_view name;
  double low;
  double high;
  std::string_view doc;  // one line: what the setting means
  bool required = false;
};

// A numeric setting of a strategy or incentive kind, declared once with its range and doc line
// (required by the constructor): a list of these is read by read_settings, and what is read is
// recorded in the resolved scenario (and the scenario hash) by the scenario layer. A setting's
// default is its field's initialiser.
template <class Settings>
struct SettingKey : SettingDeclaration {
  constexpr SettingKey(std::string_view name, double Settings::*field, double low, double high,
                       std::string_view doc, bool required = false)
      : SettingDeclaration{name, low, high, doc, required}, field(field) {}

  double Settings::*field;
};

// Reads every key of `keys`, in list order, into `target`.
template <class Settings, std::size_t N>
void read_settings(StrategySettings& settings, Settings& target,
                   const std::array<SettingKey<Settings>, N>& keys) {
  for (const SettingKey<Settings>& key : keys) {
    if (key.required) settings.require(key.name);
    settings.read(key.name, target.*key.field, key.low, key.high);
  }
}

// The declarations of a list, without their fields, for the registries.
template <class Settings, std::size_t N>
std::vector<SettingDeclaration> declarations_of(const std::array<SettingKey<Settings>, N>& keys) {
  return {keys.begin(), keys.end()};
}

// What a strategy knows of its market when it is built.
struct StrategyContext {
  std::string market;                        // the market's code
  std::vector<std::string> payment_methods;  // the market's methods, by index
  bool has_reviewers = false;  // some hour of [markets.<code>.review] has a reviewer on shift
};

}  // namespace p2psim
