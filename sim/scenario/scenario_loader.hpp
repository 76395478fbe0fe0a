#pragma once
// Loading a scenario file: TOML text -> includes merged -> a validated, typed Scenario.
//
// Every problem is reported as one ScenarioError that points at the place the analyst has to
// edit: "<file>:<line>:<column>: <key.path>: <what was expected, what was found>". The format of
// the files and of the errors is documented in docs/scenarios.md.
#include <cstddef>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "scenario/scenario.hpp"

namespace p2psim {

class ScenarioError : public std::runtime_error {
 public:
  // `line` and `column` are 1-based; 0 when the error concerns the file as a whole (it cannot be
  // opened). `key` is the dotted key path, empty when the error is not about one key.
  ScenarioError(std::string file, int line, int column, std::string key, std::string message);

  const std::string& file() const noexcept { return file_; }
  int line() const noexcept { return line_; }
  int column() const noexcept { return column_; }
  const std::string& key() const noexcept { return key_; }
  // The explanation alone, without file, position and key.
  const std::string& message() const noexcept { return message_; }

 private:
  std::string file_;
  int line_;
  int column_;
  std::string key_;
  std::string message_;
};

// "<file>:<line>:<column>: <key>: <message>", the place of an error or a warning in a file; the
// position is left out when `line` is 0, the key when it is empty. A key path longer than
// kMaxShownKeyLength and a message longer than kMaxShownMessageLength are cut (with "..."): a
// scenario's text may be megabytes, an error line should not be.
std::string located_text(const std::string& file, int line, int column, const std::string& key,
                         const std::string& message);
inline constexpr std::size_t kMaxShownKeyLength = 120;
inline constexpr std::size_t kMaxShownMessageLength = 2000;

// `text` as a message shows it: its first `most` characters, then "..." when it is longer.
std::string shown_text(std::string_view text, std::size_t most);

// Reads `file` and the files it includes, merges them, writes each setting ("key.path=value",
// as `p2psim sweep --set` gives them) over the result and validates every value, the arms of an
// [experiment] section included. Throws ScenarioError on the first problem found. What is
// loaded but not run as written (a day past the run's last) is in the scenario's warnings.
Scenario load_scenario(const std::filesystem::path& file,
                       std::span<const std::string> settings = {});

}  // namespace p2psim
