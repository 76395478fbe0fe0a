#include "scenario/experiment_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>

#include "metrics/kpis.hpp"
#include "metrics/unit_metrics.hpp"

namespace p2psim::scenario_detail {
namespace {

constexpr IntegerRange kReplications{1, 100000};
constexpr NumberRange kMinimumEffect{0.0, 10.0, true,
                                     "a relative change greater than 0 and at most 10"};
constexpr NumberRange kWorstChange{-1.0, 10.0, false, "a relative change between -1 and 10, not 0"};
constexpr NumberRange kAllocation{0.0, 1.0, true, "a share greater than 0 and less than 1"};
// A switchback block is at most a week: longer blocks leave too few to randomise in any run.
constexpr NumberRange kBlockHours{0.0, 168.0, true,
                                  "a number of hours greater than 0 and at most 168"};
constexpr NumberRange kBurnInHours{0.0, kNoLimit, false, "a number of hours of at least 0"};
// Arms share the run's length, seed and replications, and are parts of one scenario.
constexpr std::array<std::string_view, 5> kKeysArmsCannotOverride = {
    "name", "description", "include", "simulation", "experiment"};

bool is_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool known_kpi(std::string_view name) {
  return find_kpi(name) != nullptr;
}

bool has_market(const Scenario& base, std::string_view code) {
  return std::any_of(base.world.markets.begin(), base.world.markets.end(),
                     [code](const MarketConfig& market) { return market.code == code; });
}

KpiReference kpi_reference(const toml::node& node, std::string_view path, const Scenario& base,
                           bool value_declared) {
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
  if (reference.kpi == kValueKpi && !value_declared) {
    fail_at(node.source(), path,
            "value_usd is the sum [experiment.value] declares; declare it to compare on it");
  }
  if (reference.kpi != kValueKpi && !known_kpi(reference.kpi)) {
    fail_at(node.source(), path,
            fmt::format("unknown KPI \"{}\"; the KPIs are listed in docs/kpis.md", reference.kpi));
  }
  return reference;
}

std::string_view design_name(ExperimentDesign design) {
  return kDesignNames[static_cast<int>(design)];
}

ExperimentDesign read_design(Section& section) {
  std::string design = "worlds";
  section.read("design", design);
  for (std::size_t i = 0; i < std::size(kDesignNames); ++i)
    if (design == kDesignNames[i]) return static_cast<ExperimentDesign>(i);
  section.fail("design", fmt::format("expected \"worlds\", \"market_split\", \"user_split\", "
                                     "\"merchant_split\" or \"switchback\", found \"{}\"",
                                     design));
}

bool randomises_users_or_merchants(ExperimentDesign design) {
  return design == ExperimentDesign::kUserSplit || design == ExperimentDesign::kMerchantSplit;
}

// A key written for a design that does not use it is an error rather than silently ignored.
void check_keys_of_design(const Section& section, ExperimentDesign design) {
  for (std::string_view key : {"allocation", "compare_with_worlds"}) {
    if (design != ExperimentDesign::kWorlds || !section.has(key)) continue;
    section.fail(key, fmt::format("only the split designs (market_split, user_split, "
                                  "merchant_split, switchback) use {}; this experiment's design "
                                  "is \"worlds\", where every arm is its own whole world",
                                  key));
  }
  for (std::string_view key : {"block_hours", "burn_in_hours"}) {
    if (design == ExperimentDesign::kSwitchback || !section.has(key)) continue;
    section.fail(key, fmt::format("only the switchback design uses {}; this experiment's design "
                                  "is \"{}\"",
                                  key, design_name(design)));
  }
  if (randomises_users_or_merchants(design) || !section.has("cuped")) return;
  section.fail("cuped", fmt::format("only the user_split and merchant_split designs use cuped (it "
                                    "adjusts each user's or merchant's metrics by their warm-up "
                                    "behaviour); this experiment's design is \"{}\"{}",
                                    design_name(design),
                                    design == ExperimentDesign::kSwitchback
                                        ? ", whose units, time blocks, have no warm-up"
                                        : ""));
}

std::string default_mark(const Section& section, std::string_view key) {
  return section.has(key) ? "" : ", the default";
}

// Blocks start when the warm-up ends; at least kMinimumBlocks whole ones must fit in the
// measured days, so that both arms get enough blocks for a per-block interval, and each must be
// measured after its burn-in.
constexpr int kMinimumBlocks = 8;
void read_blocks(Section& section, ExperimentConfig& experiment,
                 const SimulationConfig& simulation) {
  // The other designs have no blocks: their defaults must not refuse a short run.
  if (experiment.design != ExperimentDesign::kSwitchback) return;
  section.read("block_hours", experiment.block_hours, kBlockHours);
  section.read("burn_in_hours", experiment.burn_in_hours, kBurnInHours);
  double measured_hours = 24.0 * (simulation.days - simulation.warmup_days);
  if (kMinimumBlocks * experiment.block_hours > measured_hours) {
    section.fail("block_hours",
                 fmt::format("expected at most 1/{} of the {} hours after the "
                             "warm-up, so that at least {} whole blocks are "
                             "randomised, found {}{}",
                             kMinimumBlocks, measured_hours, kMinimumBlocks, experiment.block_hours,
                             default_mark(section, "block_hours")));
  }
  if (experiment.burn_in_hours < experiment.block_hours) return;
  if (section.has("burn_in_hours")) {
    section.fail("burn_in_hours",
                 fmt::format("expected fewer hours than block_hours ({}{}), found {}",
                             experiment.block_hours, default_mark(section, "block_hours"),
                             experiment.burn_in_hours));
  }
  section.fail("block_hours", fmt::format("expected more hours than burn_in_hours ({}, the "
                                          "default), found {}",
                                          experiment.burn_in_hours, experiment.block_hours));
}

// CUPED's covariates are each unit's warm-up metrics: no warm-up, nothing to adjust by.
void read_cuped(Section& section, ExperimentConfig& experiment,
                const SimulationConfig& simulation) {
  section.read("cuped", experiment.cuped);
  if (!experiment.cuped || simulation.warmup_days > 0) return;
  section.fail("cuped",
               "CUPED adjusts each unit by its warm-up behaviour, and "
               "simulation.warmup_days is 0: set warmup_days to at least 1");
}

// The keys of the split designs; one written for a design that does not use it is an error.
void read_split_settings(Section& section, ExperimentConfig& experiment,
                         const SimulationConfig& simulation) {
  check_keys_of_design(section, experiment.design);
  section.read("allocation", experiment.allocation, kAllocation);
  section.read("compare_with_worlds", experiment.compare_with_worlds);
  read_blocks(section, experiment, simulation);
  read_cuped(section, experiment, simulation);
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

constexpr NumberRange kUsdPerUnit{-1e6, 1e6, false, "USD per unit between -1e6 and 1e6"};

// One [experiment.value] entry: a total KPI (its absence in a world means none of it: a world
// without a campaign pays no incentive) and its weight.
ValueTerm value_term(const toml::key& key, const toml::node& weight, const std::string& path) {
  const KpiDefinition* kpi = find_kpi(key.str());
  const std::string_view unit = kpi != nullptr ? std::string_view(kpi->unit) : "";
  if (unit != "usd" && unit != "count") {
    fail_at(key.source(), path,
            fmt::format("expected a KPI that adds up, a count or a USD amount such as "
                        "fee_revenue_usd (write one with dots in quotes: "
                        "\"fraud_loss_usd.bearer.platform\"), found \"{}\"{}",
                        key.str(), kpi != nullptr ? fmt::format(" (a {})", kpi->unit) : ""));
  }
  const std::optional<double> number = weight.value<double>();
  if (!number || !std::isfinite(*number) || std::fabs(*number) > kUsdPerUnit.high) {
    fail_at(weight.source(), path,
            fmt::format("expected {}, found {}", kUsdPerUnit.expected, describe(weight)));
  }
  return {std::string(key.str()), *number};
}

// [experiment.value]: USD per unit of each KPI, summed into value_usd per market.
std::vector<ValueTerm> read_value(Section& section) {
  const toml::node* node = section.find("value");
  if (node == nullptr) return {};
  const toml::table* table = node->as_table();
  if (table == nullptr || table->empty()) {
    section.fail("value",
                 "expected a table of USD per unit of KPIs such as [experiment.value] with "
                 "fee_revenue_usd = 1.0 and fraud_loss_usd = -1.0, found " +
                     (table == nullptr ? describe(*node) : std::string("an empty table")));
  }
  std::vector<ValueTerm> terms;
  for (auto&& [key, weight] : *table)
    terms.push_back(value_term(key, weight, section.path_of("value." + std::string(key.str()))));
  return terms;
}

std::vector<KpiReference> read_secondary(Section& section, const Scenario& base,
                                         bool value_declared) {
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
    kpis.push_back(kpi_reference(*array->get(i), path, base, value_declared));
  }
  return kpis;
}

std::vector<Guardrail> read_guardrails(Section& section, const Scenario& base,
                                       bool value_declared) {
  std::vector<Guardrail> guardrails;
  for (Section entry :
       section.sections_of_array("guardrails", "an array of tables [[experiment.guardrails]]")) {
    entry.require("kpi");
    entry.require("worst_change");
    Guardrail guardrail;
    entry.read("worst_change", guardrail.worst_change, kWorstChange);
    entry.finish();
    guardrail.kpi = kpi_reference(*entry.find("kpi"), entry.path_of("kpi"), base, value_declared);
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

// A split world randomises its units between one control and one treatment.
void check_two_arms(const Section& section, const ExperimentConfig& experiment) {
  if (experiment.arms.size() == 2) return;
  section.fail("arms", fmt::format("a {} compares exactly 2 arms, found {}",
                                   design_name(experiment.design), experiment.arms.size()));
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
  check_two_arms(section, experiment);
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
void check_market_split_kpi(Section& section, const KpiReference& reference, std::string_view key) {
  if (reference.market == "all") return;
  section.fail(key, fmt::format("a market_split compares each KPI across the markets: write "
                                "\"all.{}\", found \"{}\"",
                                reference.kpi, reference.text()));
}

bool written_before(const toml::source_region& left, const toml::source_region& right) {
  const toml::source_position& a = left.begin;
  const toml::source_position& b = right.begin;
  return a.line != b.line ? a.line < b.line : a.column < b.column;
}

// A key of an arm's overrides and its path inside the arm ("markets.ng.users").
struct ArmKey {
  const toml::key* key = nullptr;
  std::string path;
};

void keep_earliest(std::optional<ArmKey>& earliest, const toml::key& key, std::string path) {
  if (earliest && !written_before(key.source(), earliest->key->source())) return;
  earliest = ArmKey{&key, std::move(path)};
}

// The first written key of `overrides` that is not a per-unit policy: markets.<code>.risk and
// markets.<code>.fees (anything under them) and incentives apply to each unit on its own, every
// other key to the whole world.
std::optional<ArmKey> first_whole_world_key(const toml::table& overrides) {
  std::optional<ArmKey> earliest;
  for (auto&& [key, value] : overrides) {
    if (key.str() == "incentives") continue;
    if (key.str() != "markets" || !value.is_table()) {
      keep_earliest(earliest, key, std::string(key.str()));
      continue;
    }
    for (auto&& [market, settings] : *value.as_table()) {
      std::string market_path = "markets." + std::string(market.str());
      if (!settings.is_table()) {
        keep_earliest(earliest, market, market_path);
        continue;
      }
      for (auto&& [setting, ignored] : *settings.as_table()) {
        if (setting.str() == "risk" || setting.str() == "fees") continue;
        keep_earliest(earliest, setting, market_path + "." + std::string(setting.str()));
      }
    }
  }
  return earliest;
}

void check_per_unit_overrides(Section& section, ExperimentDesign design) {
  const toml::table& arms = *section.find("arms")->as_table();
  for (auto&& [name, arm] : arms) {
    std::optional<ArmKey> offending = first_whole_world_key(*arm.as_table());
    if (!offending) continue;
    fail_at(offending->key->source(),
            section.path_of("arms." + std::string(name.str()) + "." + offending->path),
            fmt::format("a {} arm can only change what applies to each {}: "
                        "markets.<code>.risk, markets.<code>.fees and incentives; {} is a "
                        "property of the whole world (use design = \"worlds\")",
                        design_name(design), split_unit_name(design), offending->path));
  }
}

// Where each KPI of the experiment is written: primary, secondary, then guardrails.
struct WrittenKpi {
  const toml::node* node;
  std::string path;
};

std::vector<WrittenKpi> written_kpis(Section& section) {
  std::vector<WrittenKpi> kpis;
  if (const toml::node* primary = section.find("primary_kpi"))
    kpis.push_back({primary, section.path_of("primary_kpi")});
  if (const toml::node* secondary = section.find("secondary_kpis")) {
    const toml::array& array = *secondary->as_array();
    for (std::size_t i = 0; i < array.size(); ++i)
      kpis.push_back({array.get(i), fmt::format("{}[{}]", section.path_of("secondary_kpis"), i)});
  }
  if (const toml::node* guardrails = section.find("guardrails")) {
    const toml::array& array = *guardrails->as_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      kpis.push_back({array.get(i)->as_table()->get("kpi"),
                      fmt::format("{}[{}].kpi", section.path_of("guardrails"), i)});
    }
  }
  return kpis;
}

bool estimates(ExperimentDesign design, const SplitKpi& kpi) {
  return design != ExperimentDesign::kMerchantSplit || kpi.per_merchant;
}

// A user, merchant or block split estimates its KPIs from per-unit metrics (split_kpis()).
void check_unit_kpi(const WrittenKpi& written, ExperimentDesign design, const Scenario& base) {
  std::string kpi = kpi_reference(*written.node, written.path, base, true).kpi;
  const SplitKpi* split = find_split_kpi(kpi);
  if (split != nullptr && estimates(design, *split)) return;
  std::vector<std::string_view> names;
  for (const SplitKpi& candidate : split_kpis())
    if (estimates(design, candidate)) names.push_back(candidate.name);
  fail_at(written.node->source(), written.path,
          fmt::format("a {} estimates KPIs from per-{} metrics; \"{}\" is not one of them{} ({})",
                      design_name(design), split_unit_name(design), kpi,
                      split != nullptr ? ", as an order attempt has no merchant yet" : "",
                      fmt::join(names, ", ")));
}

// user_split, merchant_split and switchback: one world whose units (users, merchants or time
// blocks) get the treatment arm's per-unit policies when treated.
void check_unit_split(Section& section, const ExperimentConfig& experiment, const Scenario& base) {
  check_two_arms(section, experiment);
  check_per_unit_overrides(section, experiment.design);
  for (const WrittenKpi& written : written_kpis(section))
    check_unit_kpi(written, experiment.design, base);
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
    return written_before(left.second->source(), right.second->source());
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

// The rules of the experiment's design, once the arms and KPIs are read.
void check_design(Section& section, const ExperimentConfig& experiment, const Scenario& base) {
  if (experiment.design == ExperimentDesign::kWorlds) return;
  if (!experiment.value.empty()) {
    section.fail("value", fmt::format("a {} estimates KPIs per unit; value_usd is compared in the "
                                      "worlds design (design = \"worlds\")",
                                      design_name(experiment.design)));
  }
  if (experiment.design != ExperimentDesign::kMarketSplit) {
    check_unit_split(section, experiment, base);
    return;
  }
  check_market_split(section, experiment, base);
  if (experiment.primary) check_market_split_kpi(section, *experiment.primary, "primary_kpi");
  for (const KpiReference& reference : experiment.secondary)
    check_market_split_kpi(section, reference, "secondary_kpis");
  for (const Guardrail& guardrail : experiment.guardrails)
    check_market_split_kpi(section, guardrail.kpi, "guardrails");
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
  if (section.find("primary_kpi") == nullptr && section.find("primary_goal") != nullptr) {
    section.fail("primary_goal",
                 "a goal needs the KPI it is for: add primary_kpi, or leave both out for a "
                 "what-if that reports effects without a decision");
  }
  experiment.primary_increase_is_better = read_goal(section);
  experiment.correction = read_correction(section);
  section.read("minimum_effect", experiment.minimum_effect, kMinimumEffect);
  read_split_settings(section, experiment, base.world.simulation);
  experiment.value = read_value(section);
  const bool value_declared = !experiment.value.empty();
  experiment.secondary = read_secondary(section, base, value_declared);
  experiment.guardrails = read_guardrails(section, base, value_declared);
  section.require("arms");
  section.finish();  // unknown and missing keys first: the reads below rely on all of them
  experiment.arms = read_arms(section, control, base, read_arm);
  if (const toml::node* primary = section.find("primary_kpi"))
    experiment.primary =
        kpi_reference(*primary, section.path_of("primary_kpi"), base, value_declared);
  check_design(section, experiment, base);
  return experiment;
}

}  // namespace p2psim::scenario_detail
