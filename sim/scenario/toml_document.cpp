#include "scenario/toml_document.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "scenario/scenario_loader.hpp"
#include "scenario/toml_section.hpp"
#include "strategies/registry.hpp"

namespace p2psim::scenario_detail {
namespace {

namespace fs = std::filesystem;

struct Include {
  fs::path file;              // resolved against the including file's directory
  toml::source_region where;  // the entry in the including file's `include` array
  std::string key;            // "include[0]"
};

// Removes the `include` array from `document` and returns its entries, resolved.
std::vector<Include> take_includes(toml::table& document, const fs::path& file) {
  const toml::node* node = document.get("include");
  if (node == nullptr) return {};
  const toml::array* entries = node->as_array();
  if (entries == nullptr) {
    fail_at(
        node->source(), "include",
        "expected an array of file paths such as [\"markets/ng.toml\"], found " + describe(*node));
  }
  std::vector<Include> includes;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const toml::node& entry = *entries->get(i);
    std::string key = fmt::format("include[{}]", i);
    const auto* text = entry.as_string();
    if (text == nullptr || text->get().empty()) {
      fail_at(entry.source(), key, "expected a file path, found " + describe(entry));
    }
    includes.push_back({file.parent_path() / text->get(), entry.source(), std::move(key)});
  }
  document.erase("include");
  return includes;
}

// A layer that writes a market's risk `strategies` chooses that market's strategies, so the
// settings tables the layers under it wrote for strategies it does not list are dropped with
// their list: a shorter list is how a file removes an inherited strategy. Settings written in
// the same layer as the list and naming a strategy it leaves out stay, to be reported.
void drop_unlisted_strategy_settings(toml::table& lower, const toml::table& upper) {
  const toml::table* markets = upper["markets"].as_table();
  if (markets == nullptr) return;
  for (auto&& [code, market] : *markets) {
    const toml::array* listed = toml::node_view(market)["risk"]["strategies"].as_array();
    toml::table* inherited = lower["markets"][code.str()]["risk"].as_table();
    if (listed == nullptr || inherited == nullptr) continue;
    for (const std::string& strategy : strategy_names()) {
      const bool kept = std::any_of(listed->begin(), listed->end(), [&](const toml::node& name) {
        return name.value<std::string>() == strategy;
      });
      if (!kept) inherited->erase(strategy);
    }
  }
}

// Fills `top` with what `bottom` has and `top` lacks. Tables present in both merge key by key;
// anything else in `top`, arrays of tables included, hides `bottom`'s value whole. Nodes are
// moved, not copied, because toml++ drops the source region of a copied node.
void merge_under(toml::table& top, toml::table& bottom) {
  for (auto&& [key, value] : bottom) {
    toml::node* existing = top.get(key.str());
    if (existing == nullptr) {
      top.insert(key, std::move(value));
    } else if (existing->is_table() && value.is_table()) {
      merge_under(*existing->as_table(), *value.as_table());
    }
  }
}

// The same as merge_under, from below: `top`'s values are moved over `bottom`'s.
void merge_over(toml::table& bottom, toml::table& top) {
  for (auto&& [key, value] : top) {
    toml::node* existing = bottom.get(key.str());
    if (existing != nullptr && existing->is_table() && value.is_table()) {
      merge_over(*existing->as_table(), *value.as_table());
    } else {
      bottom.insert_or_assign(key, std::move(value));
    }
  }
}

// An included document under the including one.
void underlay(toml::table& top, toml::table& bottom) {
  drop_unlisted_strategy_settings(bottom, top);
  merge_under(top, bottom);
}

class DocumentLoader {
 public:
  toml::table load(const fs::path& file) {
    chain_.push_back({file, identity(file)});
    toml::table document = parse_toml_file(file, "scenario");
    std::vector<Include> includes = take_includes(document, file);
    // The last include has the highest priority after the file itself, so it goes under the
    // file first and earlier includes go under what is already there.
    for (auto include = includes.rbegin(); include != includes.rend(); ++include) {
      check_include(*include);
      check_include_limits(*include);
      toml::table included = load(include->file);
      underlay(document, included);
    }
    chain_.pop_back();
    return document;
  }

 private:
  struct Link {
    fs::path shown;     // as the analyst wrote it, joined to the including file's directory
    fs::path identity;  // canonical, to recognise the same file reached by another path
  };

  static fs::path identity(const fs::path& file) {
    std::error_code ignored;
    fs::path canonical = fs::weakly_canonical(file, ignored);
    return canonical.empty() ? file : canonical;
  }

  void check_include(const Include& include) const {
    std::error_code ignored;
    if (!fs::is_regular_file(include.file, ignored)) {
      fail_at(include.where, include.key,
              fmt::format("cannot open included file '{}'", include.file.string()));
    }
    fs::path included = identity(include.file);
    for (const Link& link : chain_) {
      if (link.identity == included) {
        fail_at(include.where, include.key,
                fmt::format("include cycle: {} -> {}", chain_text(), include.file.string()));
      }
    }
  }

  // Limits of the format: an acyclic fan-out (each file including the next one ten times)
  // would otherwise load an exponential number of files.
  void check_include_limits(const Include& include) {
    if (chain_.size() >= kMaxIncludeDepth) {
      fail_at(include.where, include.key,
              fmt::format("includes nest more than {} deep: {} -> {}", kMaxIncludeDepth,
                          chain_text(), include.file.string()));
    }
    if (++loads_ > kMaxIncludeLoads) {
      fail_at(include.where, include.key,
              fmt::format("more than {} included files loaded in all (the same file included "
                          "twice counts twice)",
                          kMaxIncludeLoads));
    }
  }

  std::string chain_text() const {
    std::vector<std::string> names;
    for (const Link& link : chain_)
      names.push_back(link.shown.string());
    return fmt::format("{}", fmt::join(names, " -> "));
  }

  std::vector<Link> chain_;  // the file being loaded and, before it, the files including it
  std::size_t loads_ = 0;    // included files loaded so far
};

}  // namespace

toml::table load_document(const std::filesystem::path& file) {
  return DocumentLoader().load(file);
}

void overlay(toml::table& bottom, toml::table& top) {
  drop_unlisted_strategy_settings(bottom, top);
  merge_over(bottom, top);
}

toml::table parse_setting(const std::string& setting) {
  if (setting.find('=') == std::string::npos) {
    throw ScenarioError("--set", 0, 0, "",
                        fmt::format("expected key.path=value, found \"{}\"", setting));
  }
  try {
    return toml::parse(setting, std::string("--set"));
  } catch (const toml::parse_error& error) {
    throw ScenarioError("--set", 0, 0, "", fmt::format("\"{}\": {}", setting, error.description()));
  }
}

toml::table parse_toml_file(const std::filesystem::path& file, std::string_view what) {
  std::error_code ignored;
  std::ifstream stream(file, std::ios::binary);
  if (!std::filesystem::is_regular_file(file, ignored) || !stream) {
    throw ScenarioError(file.string(), 0, 0, "", fmt::format("cannot open {} file", what));
  }
  std::ostringstream text;
  text << stream.rdbuf();
  try {
    return toml::parse(text.str(), file.string());
  } catch (const toml::parse_error& error) {
    const toml::source_position& position = error.source().begin;
    throw ScenarioError(file.string(), static_cast<int>(position.line),
                        static_cast<int>(position.column), "",
                        fmt::format("syntax error: {}", error.description()));
  }
}

}  // namespace p2psim::scenario_detail
