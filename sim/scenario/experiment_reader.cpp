#include "scenario/experiment_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "metrics/kpis.hpp"

namespace p2psim::scenario_detail {
namespace {

constexpr IntegerRange kReplications{1, 100000};
constexpr NumberRange kMinimumEffect{0.0, 10.0, true,
                                     "a relative change greater than 0 and at most 10"};
constexpr NumberRange kWorstChange{-1.0, 10.0, false, "a relative change between -1 and 10, not 0"};
// Designs described in the issue but not built yet: named so that a scenario using one fails
// with an honest message instead of a typo suggestion.
constexpr std::array<std::string_view, 3> kDesignsNotBuilt = {"user_split", "merchant_split",
                                                              "switchback"};
constexpr NumberRange kAllocation{0.0, 1.0, true, "a share greater than 0 and less than 1"};
// Arms share the run's length, seed and replications, and are parts of one scenario.
constexpr std::array<std::string_view, 5> kKeysArmsCannotOverride = {
    "name", "description", "include", "simulation", "experiment"};

bool is_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool known_kpi(std::string_view name) {
  for (const KpiDefinition& definition : kpi_catalogue()) {
    std::string_view entry = definition.name;
    if (name == entry) return true;
    if (entry.ends_with('.') && name.size() > entry.size() && name.starts_with(entry)) return true;
  }
  return false;
}

bool has_market(const Scenario& base, std::string_view code) {
  return std::any_of(base.world.markets.begin(), base.world.markets.end(),
                     [code](const MarketConfig& market) { return market.code == code; });
}

KpiReference kpi_reference(const toml::node& node, std::string_view path, const Scenario& base) {
  const auto* text = node.as_string();
  if (text == nullptr) {
    fail_at(
        node.source(), path,
        "expected a KPI written \"market.kpi\" such as \"ng.gmv_usd\", found " + describe(node));
  }
  const std::string& value = text->get();
  std::size_t dot = value.find('.');
  KpiReference reference{value.substr(0, dot),
                         dot == std::string::npos ? "" : value.substr(dot + 1)};
  bool total = reference.market == "all" && base.world.markets.size() > 1;
  if (dot == std::string::npos || (!total && !has_market(base, reference.market))) {
    fail_at(node.source(), path,
            fmt::format("expected a KPI written \"market.kpi\" whose market is one of the "
                        "scenario's (or \"all\" with 2+ markets), found \"{}\"",
                        value));
  }
  if (!known_kpi(reference.kpi)) {
    fail_at(node.source(), path,
            fmt::format("unknown KPI \"{}\"; the KPIs are listed in docs/kpis.md", reference.kpi));
  }
  return reference;
}

ExperimentDesign read_design(Section& section) {
  std::string design = "worlds";
  section.read("design", design);
  if (design == "worlds") return ExperimentDesign::kWorlds;
  if (design == "market_split") return ExperimentDesign::kMarketSplit;
  if (std::find(kDesignsNotBuilt.begin(), kDesignsNotBuilt.end(), design) !=
      kDesignsNotBuilt.end()) {
    section.fail("design", fmt::format("the {} design is not available yet; the designs "
                                       "built are \"worlds\" and \"market_split\"",
                                       design));
  }
  section.fail("design",
               fmt::format("expected \"worlds\" or \"market_split\", found \"{}\"", design));
}

MultipleTestingCorrection read_correction(Section& section) {
  std::string correction = kCorrectionNames[0];
  section.read("correction", correction);
  if (correction == kCorrectionNames[0]) return MultipleTestingCorrection::kHolm;
  if (correction == kCorrectionNames[1]) return MultipleTestingCorrection::kBenjaminiHochberg;
  section.fail(
      "correction",
      fmt::format("expected \"holm\" or \"benjamini_hochberg\", found \"{}\"", correction));
}

bool read_goal(Section& section) {
  std::string goal = "increase";
  section.read("primary_goal", goal);
  if (goal != "increase" && goal != "decrease") {
    section.fail("primary_goal",
                 fmt::format("expected \"increase\" or \"decrease\", found \"{}\"", goal));
  }
  return goal == "increase";
}

std::vector<KpiReference> read_secondary(Section& section, const Scenario& base) {
  const toml::node* node = section.find("secondary_kpis");
  if (node == nullptr) return {};
  const auto* array = node->as_array();
  if (array == nullptr) {
    section.fail(
        "secondary_kpis",
        "expected an array of KPIs such as [\"ng.completion_rate\"], found " + describe(*node));
  }
  std::vector<KpiReference> kpis;
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string path = fmt::format("{}[{}]", section.path_of("secondary_kpis"), i);
    kpis.push_back(kpi_reference(*array->get(i), path, base));
  }
  return kpis;
}

std::vector<Guardrail> read_guardrails(Section& section, const Scenario& base) {
  std::vector<Guardrail> guardrails;
  for (Section entry :
       section.sections_of_array("guardrails", "an array of tables [[experiment.guardrails]]")) {
    entry.require("kpi");
    entry.require("worst_change");
    Guardrail guardrail;
    entry.read("worst_change", guardrail.worst_change, kWorstChange);
    entry.finish();
    guardrail.kpi = kpi_reference(*entry.find("kpi"), entry.path_of("kpi"), base);
    if (guardrail.worst_change == 0.0) {
      entry.fail("worst_change",
                 "expected a relative change between -1 and 10, not 0 (its sign "
                 "says which direction is worse)");
    }
    guardrails.push_back(std::move(guardrail));
  }
  return guardrails;
}

// An arm may override any key of the scenario but those that make arms comparable, and may
// not add a market the base lacks (it would be a different marketplace, not a policy).
void check_arm_overrides(const toml::table& overrides, const std::string& path,
                         const Scenario& base) {
  for (auto&& [key, value] : overrides) {
    std::string key_path = path + "." + std::string(key.str());
    if (std::find(kKeysArmsCannotOverride.begin(), kKeysArmsCannotOverride.end(), key.str()) !=
        kKeysArmsCannotOverride.end()) {
      fail_at(key.source(), key_path,
              "an arm cannot override this key: arms share the scenario's name, files, run "
              "length, seed and replications");
    }
    if (key.str() != "markets" || !value.is_table()) continue;
    for (auto&& [market, ignored] : *value.as_table()) {
      if (has_market(base, market.str())) continue;
      fail_at(market.source(), key_path + "." + std::string(market.str()),
              "an arm can only override markets of the base scenario");
    }
  }
}

// In a market_split, markets are the units: each one runs one arm's configuration of it, so an
// arm may only change keys under `markets`, and KPIs are compared across the markets.
void check_market_split(Section& section, const ExperimentConfig& experiment,
                        const Scenario& base) {
  if (base.world.markets.size() < 2) {
    section.fail("design", fmt::format("a market_split needs at least 2 markets to randomise, the "
                                       "scenario has {}",
                                       base.world.markets.size()));
  }
  if (experiment.arms.size() != 2) {
    section.fail("arms", fmt::format("a market_split compares exactly 2 arms, found {}",
                                     experiment.arms.size()));
  }
  const toml::table& arms = *section.find("arms")->as_table();
  for (auto&& [name, arm] : arms) {
    for (auto&& [key, value] : *arm.as_table()) {
      if (key.str() == "markets") continue;
      fail_at(key.source(),
              section.path_of("arms." + std::string(name.str()) + "." + std::string(key.str())),
              "a market_split arm can only change keys under markets: each market runs one "
              "arm's configuration of itself");
    }
  }
}

// In a market_split every KPI is compared across markets, written "all.<kpi>".
void check_split_kpi(Section& section, const KpiReference& reference, std::string_view key) {
  if (reference.market == "all") return;
  section.fail(key, fmt::format("a market_split compares each KPI across the markets: write "
                                "\"all.{}\", found \"{}\"",
                                reference.kpi, reference.text()));
}

bool written_before(const toml::node& left, const toml::node& right) {
  const toml::source_position& a = left.source().begin;
  const toml::source_position& b = right.source().begin;
  return a.line != b.line ? a.line < b.line : a.column < b.column;
}

std::vector<ExperimentArm> read_arms(Section& section, const std::string& control,
                                     const Scenario& base, const ArmReader& read_arm) {
  const toml::node* node = section.find("arms");
  const toml::table* table = node->as_table();
  if (table == nullptr || table->size() < 2) {
    section.fail(
        "arms",
        "expected a table of at least two arms such as [experiment.arms.control] "
        "and [experiment.arms.bonus], found " +
            (table == nullptr ? describe(*node) : fmt::format("{} arm(s)", table->size())));
  }
  std::vector<std::pair<std::string, const toml::node*>> written;
  for (auto&& [key, value] : *table) {
    std::string path = section.path_of("arms." + std::string(key.str()));
    if (!is_name(key.str())) {
      fail_at(key.source(), path,
              fmt::format("expected an arm name made of lower-case letters, digits, '_' and '-', "
                          "found \"{}\"",
                          key.str()));
    }
    if (!value.is_table())
      fail_at(value.source(), path, "expected a table, found " + describe(value));
    check_arm_overrides(*value.as_table(), path, base);
    written.emplace_back(std::string(key.str()), &value);
  }
  std::stable_sort(written.begin(), written.end(), [&](const auto& left, const auto& right) {
    if ((left.first == control) != (right.first == control)) return left.first == control;
    return written_before(*left.second, *right.second);
  });
  if (written.front().first != control) {
    section.fail("control",
                 fmt::format("expected the name of one of the arms, found \"{}\"", control));
  }
  std::vector<ExperimentArm> arms;
  for (const auto& [name, value] : written)
    arms.push_back({name, read_arm(name)});
  return arms;
}

}  // namespace

ExperimentConfig read_experiment(Section section, const Scenario& base, const ArmReader& read_arm) {
  ExperimentConfig experiment;
  experiment.design = read_design(section);
  std::string control = "control";
  section.read("control", control);
  experiment.replications = base.world.simulation.replications;
  section.read("replications", experiment.replications, kReplications);
  section.read("common_random_numbers", experiment.common_random_numbers);
  section.require("primary_kpi");
  experiment.primary_increase_is_better = read_goal(section);
  experiment.correction = read_correction(section);
  section.read("minimum_effect", experiment.minimum_effect, kMinimumEffect);
  section.read("allocation", experiment.allocation, kAllocation);
  section.read("compare_with_worlds", experiment.compare_with_worlds);
  experiment.secondary = read_secondary(section, base);
  experiment.guardrails = read_guardrails(section, base);
  section.require("arms");
  section.finish();  // unknown and missing keys first: the reads below rely on all of them
  experiment.arms = read_arms(section, control, base, read_arm);
  experiment.primary =
      kpi_reference(*section.find("primary_kpi"), section.path_of("primary_kpi"), base);
  if (experiment.design == ExperimentDesign::kMarketSplit) {
    check_market_split(section, experiment, base);
    check_split_kpi(section, experiment.primary, "primary_kpi");
    for (const KpiReference& reference : experiment.secondary)
      check_split_kpi(section, reference, "secondary_kpis");
    for (const Guardrail& guardrail : experiment.guardrails)
      check_split_kpi(section, guardrail.kpi, "guardrails");
  }
  return experiment;
}

}  // namespace p2psim::scenario_detail
