#include "scenario/calibration_targets.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "metrics/facts.hpp"
#include "metrics/fraud_typology.hpp"
#include "metrics/kpis.hpp"
#include "scenario/scenario_json.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/toml_document.hpp"
#include "scenario/toml_section.hpp"

namespace p2psim {
namespace {

using scenario_detail::describe;
using scenario_detail::fail_at;
using scenario_detail::IntegerRange;
using scenario_detail::kMaxSigned64;
using scenario_detail::kMaxUnsigned32;
using scenario_detail::kNoLimit;
using scenario_detail::NumberRange;
using scenario_detail::Section;

constexpr NumberRange kShare{0.0, 1.0, false, "a share from 0 to 1 (the KPI is a ratio)"};
constexpr NumberRange kNonNegative{0.0, kNoLimit, false, "a number of at least 0"};
constexpr NumberRange kAnyNumber{-kNoLimit, kNoLimit, false, "a finite number"};
constexpr NumberRange kPositive{0.0, kNoLimit, true, "a number greater than 0"};
constexpr NumberRange kStep{0.0, 0.5, true, "a share of the range greater than 0 and at most 0.5"};

// The values a KPI of this unit can take: shares 0 to 1; counts and durations not below 0; money,
// bps and multiples of either sign (a merchant's P&L, a return on cost).
const NumberRange& domain_of(std::string_view unit) {
  if (unit == "ratio") return kShare;
  if (unit == "usd" || unit == "bps" || unit == "multiple") return kAnyNumber;
  return kNonNegative;
}

std::string text_of(Section& section, std::string_view key) {
  section.require(key);
  std::string text;
  section.read(key, text);
  return text;
}

// The value of a broken-down KPI must be one the scenario has: a typology, a loss bearer, a
// payment method of the market (of any market for "all"). Risk segments are checked by format.
bool known_breakdown(const CalibrationTarget& target, const KpiDefinition& kpi,
                     const Scenario& scenario) {
  const std::string_view stem = kpi.name;
  if (!stem.ends_with('.')) return true;
  const std::string_view value = std::string_view(target.kpi).substr(stem.size());
  const auto named = [value](const auto& names) {
    return std::any_of(names.begin(), names.end(),
                       [value](std::string_view name) { return name == value; });
  };
  if (stem.ends_with(".typology.")) return named(kFraudTypologyNames);
  if (stem.ends_with(".bearer.")) return named(kLossBearerNames);
  if (!stem.ends_with(".method.")) return true;
  for (const MarketConfig& market : scenario.world.markets) {
    if (target.market != market.code && target.market != "all") continue;
    for (const PaymentMethodConfig& method : market.payment_methods)
      if (method.name == value) return true;
  }
  return false;
}

void read_days(Section& section, CalibrationTarget& target, const SimulationConfig& simulation) {
  const toml::node* node = section.find("days");
  if (node == nullptr) return;
  const toml::array* days = node->as_array();
  const auto day = [&](std::size_t i) -> std::optional<std::int64_t> {
    return days != nullptr && days->size() == 2 ? days->get(i)->value<std::int64_t>()
                                                : std::nullopt;
  };
  if (!day(0) || !day(1)) {
    section.fail("days", "expected [first_day, last_day], two integers, found " + describe(*node));
  }
  const std::int64_t first = *day(0);
  const std::int64_t last = *day(1);
  const std::int64_t final_day = std::int64_t{simulation.days} - 1;
  if (first < simulation.warmup_days || last < first || last > final_day) {
    section.fail("days", fmt::format("expected two days of the measured period, {} to {}, the "
                                     "first not after the last, found [{}, {}]",
                                     simulation.warmup_days, final_day, first, last));
  }
  target.first_day = static_cast<std::uint32_t>(first);
  target.last_day = static_cast<std::uint32_t>(last);
}

CalibrationTarget read_target(Section section, const Scenario& scenario) {
  CalibrationTarget target;
  const std::vector<std::string> codes = reported_markets(scenario);
  target.market = text_of(section, "market");
  if (section.has("market") &&
      std::find(codes.begin(), codes.end(), target.market) == codes.end()) {
    section.fail("market", fmt::format("expected a market of the scenario (\"{}\"), found \"{}\"",
                                       fmt::join(codes, "\", \""), target.market));
  }
  target.kpi = text_of(section, "kpi");
  const KpiDefinition* kpi = find_kpi(target.kpi);
  if (section.has("kpi") && (kpi == nullptr || !known_breakdown(target, *kpi, scenario))) {
    section.fail("kpi", fmt::format("expected a KPI of docs/kpis.md such as \"completion_rate\", "
                                    "found \"{}\"",
                                    target.kpi));
  }
  section.require("value");
  if (kpi != nullptr) section.read("value", target.value, domain_of(kpi->unit));
  double standard_error = 0.0;
  section.read("standard_error", standard_error, kPositive);
  section.read("weight", target.weight, kPositive);
  const bool has_error = section.has("standard_error");
  if (has_error == section.has("weight")) {
    section.fail(has_error ? "weight" : "value",
                 "expected either standard_error or weight (not both), found " +
                     std::string(has_error ? "both" : "neither"));
  }
  if (has_error) {
    target.standard_error = standard_error;
    target.weight = 1.0 / (standard_error * standard_error);
  }
  if (!std::isfinite(target.weight)) {
    section.fail(has_error ? "standard_error" : "weight",
                 "expected a number whose weight in the objective is finite, found one so " +
                     std::string(has_error ? "small" : "large") + " it is not");
  }
  read_days(section, target, scenario.world.simulation);
  if (kpi != nullptr && kpi->distinct_over_period && target.first_day) {
    section.fail("days", fmt::format("{} counts distinct accounts over the measured period: it has "
                                     "a value over the whole period only (leave days out)",
                                     target.kpi));
  }
  section.finish();
  return target;
}

// The resolved scenario's value at a dotted key path; markets are found by their code.
const nlohmann::ordered_json* resolved_value(const nlohmann::ordered_json& scenario,
                                             std::string_view key) {
  const nlohmann::ordered_json* node = &scenario;
  while (!key.empty()) {
    const std::size_t dot = key.find('.');
    const std::string part(key.substr(0, dot));
    key = dot == std::string_view::npos ? std::string_view() : key.substr(dot + 1);
    if (node->is_array()) {
      auto entry = std::find_if(node->begin(), node->end(), [&](const auto& element) {
        return element.is_object() && element.value("code", std::string()) == part;
      });
      if (entry == node->end()) return nullptr;
      node = &*entry;
    } else if (node->is_object() && node->contains(part)) {
      node = &(*node)[part];
    } else {
      return nullptr;
    }
  }
  return node;
}

std::string kind_of(const nlohmann::ordered_json& value) {
  if (value.is_string()) return "text";
  if (value.is_boolean()) return "true or false";
  if (value.is_array()) return "a list";
  return "a table";
}

// Loads the scenario with `setting`; a refusal is reported at `key` of the targets file, after
// `what` was expected.
void try_setting(Section& section, std::string_view key, const std::string& what,
                 const std::filesystem::path& scenario_file, const std::string& setting) {
  try {
    const std::string settings[] = {setting};
    load_scenario(scenario_file, settings);
  } catch (const ScenarioError& error) {
    section.fail(key, fmt::format("expected {}, found {}: {}", what, setting, error.message()));
  }
}

CalibrationParameter read_parameter(Section& section, const std::filesystem::path& scenario_file,
                                    const nlohmann::ordered_json& resolved) {
  CalibrationParameter parameter;
  parameter.key = text_of(section, "key");
  if (parameter.key.starts_with("simulation.")) {
    section.fail("key", fmt::format("expected a key of the market, found \"{}\": the run's "
                                    "length, seed and replications are the calibration's own",
                                    parameter.key));
  }
  const nlohmann::ordered_json* current = resolved_value(resolved, parameter.key);
  if (!parameter.key.empty() && current == nullptr) {
    try_setting(section, "key", "a scenario key", scenario_file, parameter.key + "=0");
    section.fail("key", fmt::format("expected a numeric scenario key, found \"{}\", which the "
                                    "resolved scenario does not write",
                                    parameter.key));
  }
  if (current != nullptr && !current->is_number()) {
    section.fail("key", fmt::format("expected a numeric scenario key, found \"{}\", which takes {}",
                                    parameter.key, kind_of(*current)));
  }
  parameter.integer = current != nullptr && current->is_number_integer();
  section.require("lower");
  section.require("upper");
  section.read("lower", parameter.lower, kAnyNumber);
  section.read("upper", parameter.upper, kAnyNumber);
  std::string scale = "linear";
  section.read("scale", scale);
  if (scale != "linear" && scale != "log") {
    section.fail("scale", fmt::format("expected \"linear\" or \"log\", found \"{}\"", scale));
  }
  parameter.scale = scale == "log" ? ParameterScale::kLog : ParameterScale::kLinear;
  section.read("start", parameter.start, kAnyNumber);
  const bool has_start = section.has("start");
  section.finish();
  if (parameter.upper <= parameter.lower) {
    section.fail("upper", fmt::format("expected a bound greater than lower ({}), found {}",
                                      parameter.lower, parameter.upper));
  }
  for (const char* bound : {"lower", "upper"}) {
    const double value = std::string_view(bound) == "lower" ? parameter.lower : parameter.upper;
    if (parameter.integer && value != std::round(value)) {
      section.fail(bound, fmt::format("expected a whole number for the integer key {}, found {}",
                                      parameter.key, value));
    }
  }
  if (parameter.scale == ParameterScale::kLog && parameter.lower <= 0.0) {
    section.fail("lower", fmt::format("expected a bound greater than 0 on a log scale, found {}",
                                      parameter.lower));
  }
  try_setting(section, "lower", "a value the key takes", scenario_file,
              parameter.setting(parameter.lower));
  try_setting(section, "upper", "a value the key takes", scenario_file,
              parameter.setting(parameter.upper));
  if (!has_start) parameter.start = current->get<double>();
  if (parameter.start < parameter.lower || parameter.start > parameter.upper) {
    section.fail(has_start ? "start" : "key",
                 fmt::format("expected a start between lower and upper ({} to {}), found {}{}",
                             parameter.lower, parameter.upper, parameter.start,
                             has_start ? "" : " (the scenario's value; give start)"));
  }
  return parameter;
}

CalibrationSearch read_search(Section section, const Scenario& scenario) {
  CalibrationSearch search;
  search.seed = scenario.world.simulation.seed;
  search.replications = scenario.world.simulation.replications;
  section.read("seed", search.seed, IntegerRange{0, kMaxSigned64});
  section.read("replications", search.replications, IntegerRange{2, 100000});
  if (search.replications < 2) {
    section.fail("replications",
                 fmt::format("expected at least 2 replications an evaluation (the simulated "
                             "means need a standard error), found the scenario's {}: set "
                             "calibration.replications",
                             search.replications));
  }
  section.read("global_evaluations", search.global_evaluations, IntegerRange{0, 1000000});
  section.read("local_evaluations", search.local_evaluations, IntegerRange{0, 1000000});
  section.read("global_method", search.global_method);
  if (search.global_method != "crs2" && search.global_method != "direct_l") {
    section.fail("global_method", fmt::format("expected \"crs2\" or \"direct_l\", found \"{}\"",
                                              search.global_method));
  }
  section.read("local_method", search.local_method);
  if (search.local_method != "sbplx" && search.local_method != "bobyqa") {
    section.fail("local_method", fmt::format("expected \"sbplx\" or \"bobyqa\", found \"{}\"",
                                             search.local_method));
  }
  section.read("curvature_step", search.curvature_step, kStep);
  section.finish();
  return search;
}

// A key fitted twice would set one value over the other: the second is reported where written.
void check_distinct(const std::vector<CalibrationParameter>& parameters, const Section& latest) {
  const CalibrationParameter& last = parameters.back();
  for (std::size_t i = 0; i + 1 < parameters.size(); ++i) {
    if (parameters[i].key != last.key) continue;
    latest.fail("key", fmt::format("expected each key once, found \"{}\" again (parameters[{}])",
                                   last.key, i));
  }
}

// Each parameter's start was tried alone; cross-key rules (cancel and abandon probabilities
// summing to at most 1) need them together.
void check_start(const CalibrationTargets& calibration, const std::filesystem::path& scenario_file,
                 const Section& root) {
  std::vector<std::string> settings;
  for (const CalibrationParameter& parameter : calibration.parameters)
    settings.push_back(parameter.setting(parameter.start));
  try {
    load_scenario(scenario_file, settings);
  } catch (const ScenarioError& error) {
    root.fail("parameters", fmt::format("expected start values the scenario takes together, found "
                                        "{}: {}",
                                        fmt::join(settings, " "), error.message()));
  }
}

}  // namespace

std::string CalibrationTarget::label() const {
  std::string text = market + "." + kpi;
  if (first_day && *first_day == *last_day) text += fmt::format(" day {}", *first_day);
  if (first_day && *first_day != *last_day) {
    text += fmt::format(" days {}-{}", *first_day, *last_day);
  }
  return text;
}

double CalibrationParameter::value_at(double position) const {
  position = std::clamp(position, 0.0, 1.0);
  const double value = scale == ParameterScale::kLog
                           ? std::exp(std::log(lower) + position * std::log(upper / lower))
                           : lower + position * (upper - lower);
  return integer ? std::round(value) : std::clamp(value, lower, upper);
}

double CalibrationParameter::position_of(double value) const {
  return scale == ParameterScale::kLog ? std::log(value / lower) / std::log(upper / lower)
                                       : (value - lower) / (upper - lower);
}

double CalibrationParameter::slope_at(double position) const {
  return scale == ParameterScale::kLog ? value_at(position) * std::log(upper / lower)
                                       : upper - lower;
}

std::string CalibrationParameter::value_text(double value) const {
  if (integer) return fmt::format("{}", static_cast<std::int64_t>(std::llround(value)));
  return fmt::format("{}", value);
}

std::string CalibrationParameter::setting(double value) const {
  return key + "=" + value_text(value);
}

CalibrationTargets read_calibration_targets(const std::filesystem::path& targets_file,
                                            const std::filesystem::path& scenario_file,
                                            const Scenario& scenario) {
  if (scenario.experiment) {
    throw ScenarioError(scenario_file.string(), 0, 0, "experiment",
                        "calibrate fits one scenario, not an experiment: calibrate a scenario "
                        "without [experiment] (the base the experiment's file builds on)");
  }
  const toml::table document = scenario_detail::parse_toml_file(targets_file, "targets");
  Section root(&document, "", document.source());
  CalibrationTargets calibration;
  calibration.file = targets_file.string();
  calibration.search = read_search(root.section("calibration"), scenario);
  root.require("targets");
  for (Section& section : root.sections_of_array("targets", "an array of tables [[targets]]"))
    calibration.targets.push_back(read_target(std::move(section), scenario));
  const nlohmann::ordered_json resolved = scenario_json(scenario);
  root.require("parameters");
  for (Section& section :
       root.sections_of_array("parameters", "an array of tables [[parameters]]")) {
    calibration.parameters.push_back(read_parameter(section, scenario_file, resolved));
    check_distinct(calibration.parameters, section);
  }
  root.finish();
  check_start(calibration, scenario_file, root);
  if (!root.section("calibration").has("global_evaluations")) {
    // Twice CRS2's first population, 10 x (parameters + 1): half of it evolves.
    calibration.search.global_evaluations =
        20 * (static_cast<std::uint32_t>(calibration.parameters.size()) + 1);
  }
  if (calibration.targets.empty()) root.fail("targets", "expected at least one target, found none");
  if (calibration.parameters.empty()) {
    root.fail("parameters", "expected at least one parameter, found none");
  }
  return calibration;
}

Scenario calibrated_scenario(const std::filesystem::path& scenario_file,
                             const CalibrationTargets& calibration,
                             const std::vector<double>& values) {
  std::vector<std::string> settings;
  for (std::size_t i = 0; i < calibration.parameters.size(); ++i)
    settings.push_back(calibration.parameters[i].setting(values[i]));
  Scenario scenario = load_scenario(scenario_file, settings);
  scenario.world.simulation.seed = calibration.search.seed;
  scenario.world.simulation.replications = calibration.search.replications;
  return scenario;
}

}  // namespace p2psim
