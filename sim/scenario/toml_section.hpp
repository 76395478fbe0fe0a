#pragma once
// Typed, range-checked reading of one TOML table of a scenario into a struct.
//
// A Section is one table (e.g. `markets.ng.users`) with its dotted key path. Reads leave the
// target untouched when the key is absent, so the struct's own initialisers are the defaults.
// Every failure throws ScenarioError pointing at the file, line and column where the offending
// key or value was written, or at the enclosing table when the key is absent.
#include <toml++/toml.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace p2psim::scenario_detail {

// The largest relative weight (profile hours and days, KYC tier shares), a limit of the format.
inline constexpr double kMaxRelativeWeight = 1e6;

// The allowed values of a number field and how to describe them to the analyst.
struct NumberRange {
  double low;
  double high;
  bool low_exclusive;         // true: the value must be strictly greater than `low`
  std::string_view expected;  // completes "expected ...", e.g. "a probability between 0 and 1"
};

// The allowed values of an integer field; described as "an integer between low and high".
struct IntegerRange {
  std::int64_t low;
  std::int64_t high;
};

inline constexpr double kNoLimit = std::numeric_limits<double>::infinity();
inline constexpr std::int64_t kMaxUnsigned32 = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::int64_t kMaxSigned64 = std::numeric_limits<std::int64_t>::max();

[[noreturn]] void fail_at(const toml::source_region& where, std::string_view key_path,
                          const std::string& message);

// "a string ("abc")", "an integer (5)", "a table"...: what a node is, for "found ..." messages.
std::string describe(const toml::node& node);

// The known key closest to `unknown` when it is a plausible typo, or "" when none is.
std::string closest_key(std::string_view unknown, const std::vector<std::string>& known);

class Section {
 public:
  // `table` may be null when the scenario does not write this table: reads then keep defaults
  // and errors point at `where`, the nearest enclosing table that was written.
  Section(const toml::table* table, std::string path, toml::source_region where);

  const std::string& path() const { return path_; }
  const toml::table* table() const { return table_; }
  const toml::source_region& where() const { return where_; }
  // "markets.ng" + "users" -> "markets.ng.users".
  std::string path_of(std::string_view key) const;
  // Whether the scenario writes `key` in this table (false when it comes from the defaults).
  bool has(std::string_view key) const;
  // The node written for `key`, or null; marks `key` as one this table may contain.
  const toml::node* find(std::string_view key);

  void read(std::string_view key, double& target, const NumberRange& range);
  void read(std::string_view key, std::int32_t& target, const IntegerRange& range);
  void read(std::string_view key, std::uint32_t& target, const IntegerRange& range);
  void read(std::string_view key, std::uint64_t& target, const IntegerRange& range);
  void read(std::string_view key, bool& target);
  void read(std::string_view key, std::string& target);
  // An array of exactly target.size() non-negative weights, not all zero.
  void read_weights(std::string_view key, std::span<double> target);
  // A non-empty array of numbers, each within `range`, of any length.
  void read_numbers(std::string_view key, std::vector<double>& target, const NumberRange& range);

  // A sub-table; an absent one gives a Section without table, so its reads keep defaults.
  Section section(std::string_view key);
  // The entries of an array of tables, e.g. payment_methods; empty when the key is absent.
  std::vector<Section> sections_of_array(std::string_view key, std::string_view expected);

  // Makes finish() report `key` as missing when the scenario does not write it.
  void require(std::string_view key);
  // Reports keys that no read asked for (with a suggestion), then missing required keys. Call
  // after all reads of this table, before cross-field checks that rely on required values.
  void finish() const;

  // Fails at `key`'s value when written, else at this table.
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  // The text of a warning about `key`, placed as fail() places an error.
  std::string warning(std::string_view key, const std::string& message) const;

 private:
  std::optional<std::int64_t> read_integer(std::string_view key, const IntegerRange& range);
  const toml::source_region& place_of(std::string_view key) const;
  bool knows(std::string_view key) const;

  const toml::table* table_;
  std::string path_;
  toml::source_region where_;
  std::vector<std::string> known_;
  std::vector<std::string> required_;
};

}  // namespace p2psim::scenario_detail
