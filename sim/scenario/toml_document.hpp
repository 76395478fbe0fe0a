#pragma once
// Reading a scenario file and everything it includes into one TOML tree.
//
// Included files are merged first, in the order listed (later ones override earlier ones), and
// the including file's own values override them all. Tables merge key by key; any other value,
// arrays of tables included, replaces the one underneath whole. A market's risk `strategies`
// written over another also drops the settings underneath of the strategies it does not list.
// Every node of the merged tree keeps the source region of the file that wrote it, so errors can
// point there.
#include <toml++/toml.h>

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace p2psim::scenario_detail {

// Limits of the format (docs/scenarios.md#limits): how deep includes may nest (the scenario
// file is depth 1) and how many included files one scenario may load in all.
inline constexpr std::size_t kMaxIncludeDepth = 16;
inline constexpr std::size_t kMaxIncludeLoads = 256;

// Parses one TOML file (no includes). Throws ScenarioError when it cannot be read ("cannot open
// <what> file") or is not valid TOML (the syntax error at its line and column).
toml::table parse_toml_file(const std::filesystem::path& file, std::string_view what);

// Throws ScenarioError when a file cannot be read, is not valid TOML, or has a bad `include`.
// The returned tree has no `include` key left.
toml::table load_document(const std::filesystem::path& file);

// Writes `top` over `bottom` as an including file's values go over an include's: tables present
// in both merge key by key, any other value of `top` replaces the one underneath whole. Nodes are
// moved out of `top`, so each keeps the source region of the file that wrote it and errors about it
// point there.
void overlay(toml::table& bottom, toml::table& top);

// A command-line setting "key.path=value" (value in TOML syntax) as a tree, its source named
// "--set". Throws ScenarioError when it is not of that form.
toml::table parse_setting(const std::string& setting);

}  // namespace p2psim::scenario_detail
