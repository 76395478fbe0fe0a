// The key lists of sim/scenario/scenario_keys.hpp and the settings strategies and incentive kinds
// read: every one of them must move the scenario hash, and be documented with its type, unit and
// default.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "metrics/kpi_counters.hpp"
#include "scenario/scenario_json.hpp"
#include "scenario/scenario_keys.hpp"
#include "scenario/scenario_loader.hpp"
#include "strategies/incentive_registry.hpp"
#include "strategies/registry.hpp"

namespace p2psim {
namespace {

// Every strategy and every incentive kind, each with the keys it requires.
constexpr const char* kEverySetting = R"(
name = "every_setting"
[simulation]
days = 10
[markets.ng]
currency = "NGN"
reference_rate = 1500.0
[[markets.ng.payment_methods]]
name = "bank_transfer"
[[markets.ng.payment_methods]]
name = "mobile_money"
[[markets.ng.rate.scheduled_jumps]]
day = 3
change = 0.2
[markets.ng.review]
reviewers = 2
[markets.ng.risk]
strategies = ["rules", "score", "limits"]
[[markets.ng.risk.rules]]
when = "amount_usd > 500"
action = "hold"
hold_minutes = 30
[[markets.ng.risk.rules]]
when = "account_age_days < 7"
action = "limit"
limit_usd = 150
[markets.ng.risk.score]
intercept = -3.0
[markets.ng.risk.score.weights]
orders_last_24h = 1.5
[[markets.ng.risk.limits]]
kyc_tier = 0
max_order_usd = 300
[[incentives]]
kind = "fee_waiver"
markets = ["ng"]
[[incentives]]
kind = "maker_rebate"
markets = ["ng"]
bps = 2
[[incentives]]
kind = "new_user_bonus"
markets = ["ng"]
amount_usd = 5
eligibility = "kyc_tier >= 1"
[[incentives]]
kind = "referral_bonus"
markets = ["ng"]
amount_usd = 5
[[incentives]]
kind = "volume_tiers"
markets = ["ng"]
[[incentives.tiers]]
min_volume_usd = 1000
rebate_bps = 1
)";

// One file per test process: ctest runs the tests of this file in parallel.
std::filesystem::path write_scenario(const std::string& name, const std::string& text) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / (name + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << text;
  return path;
}

Scenario every_setting(const std::string& text = kEverySetting) {
  Scenario scenario = load_scenario(write_scenario("p2psim_every_setting", text));
  // One tier, so that the tier keys are in the resolved scenario.
  scenario.world.markets[0].rules.merchant_tiers.push_back({.name = "base"});
  return scenario;
}

// A different value of the key's field, whatever its type.
template <class Config>
void change(Config& config, const ConfigKey<Config>& key) {
  std::visit(
      [&](auto field) {
        using Field = decltype(field);
        if constexpr (std::is_same_v<Field, WeightsField<Config>>) {
          field.of(config)[0] += 1.0;
        } else if constexpr (std::is_same_v<Field, ChoiceField<Config>>) {
          field.set(config, (field.get(config) + 1) % static_cast<int>(field.names.size()));
        } else if constexpr (std::is_same_v<Field, NumberField<Config>>) {
          field.of(config) += 1.0;
        } else if constexpr (std::is_same_v<Field, bool Config::*>) {
          config.*field = !(config.*field);
        } else if constexpr (std::is_same_v<Field, std::string Config::*>) {
          config.*field += "x";
        } else if constexpr (std::is_same_v<Field, std::vector<double> Config::*>) {
          (config.*field).push_back(1.0);
        } else if constexpr (std::is_same_v<Field, double Config::*>) {
          config.*field = std::isinf(config.*field) ? 1.0 : config.*field + 1.0;
        } else {
          config.*field += 1;
        }
      },
      key.field);
}

// Changes each key of `keys` in turn in the section `locate` finds; returns the keys that left
// the hash where it was.
template <class Config>
std::vector<std::string> keys_missing_from_hash(std::span<const ConfigKey<Config>> keys,
                                                const std::function<Config&(Scenario&)>& locate,
                                                int kind = -1) {
  const Scenario base = every_setting();
  const std::string hash = scenario_hash(base);
  std::vector<std::string> missing;
  for (const ConfigKey<Config>& key : keys) {
    if (!key.applies_to(kind)) continue;
    Scenario scenario = base;
    change(locate(scenario), key);
    if (scenario_hash(scenario) == hash) missing.emplace_back(key.name);
  }
  return missing;
}

MarketConfig& first_market(Scenario& scenario) {
  return scenario.world.markets[0];
}

TEST(ScenarioKeys, EveryDeclaredKeyMovesTheHash) {
  using Keys = std::vector<std::string>;
  EXPECT_EQ(keys_missing_from_hash<SimulationConfig>(
                simulation_keys(), [](Scenario & s) -> auto& { return s.world.simulation; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<MarketConfig>(market_keys(), first_market), Keys{});
  EXPECT_EQ(keys_missing_from_hash<MarketConfig>(market_keys_after_rate(), first_market), Keys{});
  EXPECT_EQ(keys_missing_from_hash<PaymentMethodConfig>(
                payment_method_keys(),
                [](Scenario & s) -> auto& { return first_market(s).payment_methods[0]; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<UserConfig>(
                user_keys(), [](Scenario & s) -> auto& { return first_market(s).users; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<ChurnConfig>(
                churn_keys(), [](Scenario & s) -> auto& { return first_market(s).users.churn; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<MerchantConfig>(
                merchant_keys(), [](Scenario & s) -> auto& { return first_market(s).merchants; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<SupportConfig>(
                support_keys(), [](Scenario & s) -> auto& { return first_market(s).support; }),
            Keys{});
  for (int typology = 0; typology < kFraudTypologyCount; ++typology) {
    EXPECT_EQ(
        keys_missing_from_hash<FraudTypologyConfig>(
            fraud_typology_keys(),
            [typology](Scenario & s) -> auto& { return first_market(s).fraud.typology(typology); },
            typology),
        Keys{})
        << kFraudTypologyNames[typology];
  }
  EXPECT_EQ(keys_missing_from_hash<ReferenceRateConfig>(
                rate_keys(), [](Scenario & s) -> auto& { return first_market(s).rate; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<ScheduledRateJump>(
                scheduled_jump_keys(),
                [](Scenario & s) -> auto& { return first_market(s).rate.scheduled_jumps[0]; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<CancellationRuleConfig>(
                cancellation_keys(),
                [](Scenario & s) -> auto& { return first_market(s).rules.cancellation; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<MerchantEligibilityConfig>(
                merchant_eligibility_keys(),
                [](Scenario & s) -> auto& { return first_market(s).rules.merchant_eligibility; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<MerchantTierConfig>(
                merchant_tier_keys(),
                [](Scenario & s) -> auto& { return first_market(s).rules.merchant_tiers[0]; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<FeeConfig>(
                fee_keys(), [](Scenario & s) -> auto& { return first_market(s).fees; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<IncentiveResponseConfig>(
                incentive_response_keys(),
                [](Scenario & s) -> auto& { return first_market(s).incentive_response; }),
            Keys{});
  EXPECT_EQ(keys_missing_from_hash<StepUpConfig>(
                step_up_keys(), [](Scenario & s) -> auto& { return first_market(s).step_up; }),
            Keys{});
  EXPECT_EQ(
      keys_missing_from_hash<StepUpConfig>(
          step_up_typology_keys(), [](Scenario & s) -> auto& { return first_market(s).step_up; }),
      Keys{});
  EXPECT_EQ(keys_missing_from_hash<ReviewConfig>(
                review_keys(), [](Scenario & s) -> auto& { return first_market(s).review; }),
            Keys{});
}

TEST(ScenarioKeys, HandReadKeysMoveTheHash) {
  const Scenario base = every_setting();
  const std::string hash = scenario_hash(base);
  auto moved = [&](const std::function<void(Scenario&)>& edit) {
    Scenario scenario = base;
    edit(scenario);
    return scenario_hash(scenario) != hash;
  };
  EXPECT_TRUE(moved([](Scenario& s) { first_market(s).review.reviewers_by_hour[5] += 1; }));
  EXPECT_TRUE(moved([](Scenario& s) { first_market(s).risk_strategies.pop_back(); }));
  EXPECT_TRUE(moved([](Scenario& s) { first_market(s).rate.scheduled_jumps.push_back({}); }));
  EXPECT_TRUE(moved([](Scenario& s) { s.world.shocks.push_back({.day = 1, .value = 5.0}); }));
}

// The terms every campaign has, read by the loader rather than by the kind: campaigns are built
// from their terms, so each declared term is written into the first campaign's table instead.
TEST(ScenarioKeys, CampaignTermsMoveTheHash) {
  const std::string text = kEverySetting;
  const std::string hash = scenario_hash(every_setting(text));
  const std::string first = "kind = \"fee_waiver\"\nmarkets = [\"ng\"]";
  for (const ConfigKey<CampaignTerms>& key : campaign_term_keys()) {
    // 1 is within every term's range and differs from every default (day 0, the last day 9,
    // no budget, no cap).
    const std::string term = std::string(key.name) + " = 1";
    std::string changed = text;
    changed.replace(changed.find(first), first.size(), first + "\n" + term);
    EXPECT_NE(scenario_hash(every_setting(changed)), hash) << term;
  }
  EXPECT_EQ(campaign_term_keys().size(), 4u);
}

// Each setting a strategy or incentive kind read, found by the reading itself: a key added to a
// strategy tomorrow is covered without touching this test.
TEST(ScenarioKeys, EveryStrategyAndIncentiveSettingMovesTheHash) {
  const Scenario base = every_setting();
  const std::string hash = scenario_hash(base);
  auto change = [](ResolvedSetting& setting) {
    if (auto* number = std::get_if<double>(&setting.value)) {
      *number = std::isinf(*number) ? 1.0 : *number + 1.0;
    } else {
      std::get<std::string>(setting.value) += " ";
    }
  };
  std::set<std::string> covered;
  for (std::size_t i = 0; i < base.world.markets[0].risk_settings.size(); ++i) {
    Scenario scenario = base;
    ResolvedSetting& setting = first_market(scenario).risk_settings[i];
    change(setting);
    EXPECT_NE(scenario_hash(scenario), hash) << setting.key;
    covered.insert(setting.key);
  }
  ASSERT_EQ(base.world.incentive_settings.size(), 5u);
  for (std::size_t campaign = 0; campaign < 5; ++campaign) {
    for (std::size_t i = 0; i < base.world.incentive_settings[campaign].size(); ++i) {
      Scenario scenario = base;
      ResolvedSetting& setting = scenario.world.incentive_settings[campaign][i];
      change(setting);
      EXPECT_NE(scenario_hash(scenario), hash) << campaign << " " << setting.key;
      covered.insert(base.world.incentive_settings[campaign][0].key + "/" + setting.key);
    }
  }
  for (const char* key : {"rules[0].when", "rules[0].action", "rules[0].hold_minutes",
                          "rules[1].limit_usd", "score.block_above", "score.hold_minutes",
                          "score.weights.orders_last_24h", "limits[0].max_daily_usd"}) {
    EXPECT_TRUE(covered.count(key)) << key;
  }
}

// The bug this guards against: two runs that differ in a rule's threshold had the same hash.
TEST(ScenarioKeys, ARulesThresholdOrABonusAmountChangesTheHash) {
  std::string text = kEverySetting;
  const std::string hash = scenario_hash(every_setting(text));
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string changed = text;
    changed.replace(changed.find(from), from.size(), to);
    return scenario_hash(every_setting(changed));
  };
  EXPECT_NE(replaced("amount_usd > 500", "amount_usd > 600"), hash);
  EXPECT_NE(replaced("amount_usd = 5\n[[incentives]]", "amount_usd = 6\n[[incentives]]"), hash);
  EXPECT_NE(replaced("intercept = -3.0", "intercept = -3.0\nblock_above = 0.9"), hash);
  EXPECT_NE(replaced("name = \"bank_transfer\"",
                     "name = \"bank_transfer\"\n[markets.ng.risk.step_up]\n"
                     "abandon_probability = 0.2"),
            hash);
}

// docs/*.md: the rows of each `### heading`'s tables, by key (the first cell, unquoted).
std::map<std::string, std::map<std::string, std::vector<std::string>>> doc_rows(
    const std::string& file) {
  std::ifstream in(std::string(P2PSIM_SOURCE_DIR) + "/docs/" + file);
  std::map<std::string, std::map<std::string, std::vector<std::string>>> rows;
  std::string heading, line;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) heading = line.substr(line.find(' ') + 1);
    if (!line.starts_with("| `")) continue;
    std::vector<std::string> cells;
    std::stringstream cells_text(line.substr(1));
    for (std::string cell; std::getline(cells_text, cell, '|');) {
      const std::size_t start = cell.find_first_not_of(' ');
      cells.push_back(start == std::string::npos
                          ? ""
                          : cell.substr(start, cell.find_last_not_of(' ') - start + 1));
    }
    std::string key = cells[0].substr(1, cells[0].find('`', 1) - 1);
    rows[heading][key] = cells;
  }
  return rows;
}

// The first `code` of a default cell, as numbers ("`[15, 30]`" -> 15, 30); empty when none.
std::vector<double> numbers_in(const std::string& cell) {
  std::vector<double> numbers;
  const std::size_t open = cell.find('`');
  if (open == std::string::npos) return numbers;
  std::string code = cell.substr(open + 1, cell.find('`', open + 1) - open - 1);
  for (char& c : code) {
    if (c == '[' || c == ']' || c == ',') c = ' ';
  }
  std::stringstream text(code);
  for (double number; text >> number;)
    numbers.push_back(number);
  return numbers;
}

// Whether `cell` (the default column) says what `config`'s field holds for `key`.
template <class Config>
bool documents_default(const std::string& cell, const Config& config,
                       const ConfigKey<Config>& key) {
  if (key.required) return cell.find("required") != std::string::npos;
  // A day key's default may be set from the run's length when the scenario is loaded.
  if (key.day_of_run && cell.find("`simulation.days`") != std::string::npos) return true;
  return std::visit(
      [&](auto field) {
        using Field = decltype(field);
        std::vector<double> expected;
        if constexpr (std::is_same_v<Field, WeightsField<Config>>) {
          const std::span<double> weights = field.of(const_cast<Config&>(config));
          expected.assign(weights.begin(), weights.end());
        } else if constexpr (std::is_same_v<Field, ChoiceField<Config>>) {
          return cell.find("`\"" + std::string(field.names[field.get(config)]) + "\"`") !=
                 std::string::npos;
        } else if constexpr (std::is_same_v<Field, NumberField<Config>>) {
          expected = {field.of(const_cast<Config&>(config))};
        } else if constexpr (std::is_same_v<Field, bool Config::*>) {
          return cell.find(config.*field ? "`true`" : "`false`") != std::string::npos;
        } else if constexpr (std::is_same_v<Field, std::string Config::*>) {
          return cell.find("`\"" + config.*field + "\"`") != std::string::npos;
        } else if constexpr (std::is_same_v<Field, std::vector<double> Config::*>) {
          expected = config.*field;
        } else {
          const double value = static_cast<double>(config.*field);
          if (std::isinf(value)) {
            return cell.find("no limit") != std::string::npos ||
                   cell.find("none") != std::string::npos ||
                   cell.find("unlimited") != std::string::npos;
          }
          expected = {value};
        }
        return numbers_in(cell) == expected;
      },
      key.field);
}

// The type column of docs/scenarios.md for a field.
template <class Config>
std::string documented_type(const Config& config, const ConfigKey<Config>& key) {
  return std::visit(
      [&](auto field) -> std::string {
        using Field = decltype(field);
        if constexpr (std::is_same_v<Field, WeightsField<Config>>) {
          return "list of " + std::to_string(field.of(const_cast<Config&>(config)).size()) +
                 " numbers";
        } else if constexpr (std::is_same_v<Field, double Config::*> ||
                             std::is_same_v<Field, NumberField<Config>>) {
          return "number";
        } else if constexpr (std::is_same_v<Field, bool Config::*>) {
          return "true/false";
        } else if constexpr (std::is_same_v<Field, std::string Config::*> ||
                             std::is_same_v<Field, ChoiceField<Config>>) {
          return "text";
        } else if constexpr (std::is_same_v<Field, std::vector<double> Config::*>) {
          return "list of numbers";
        } else {
          return "integer";
        }
      },
      key.field);
}

// Every number written in a cell, in order ("0 to 1e7" -> 0, 1e7; "> 0" -> 0).
std::vector<double> numbers_written(const std::string& cell) {
  std::vector<double> numbers;
  for (std::size_t at = 0; at < cell.size(); ++at) {
    const bool starts = std::isdigit(static_cast<unsigned char>(cell[at])) &&
                        (at == 0 || !std::isalnum(static_cast<unsigned char>(cell[at - 1])));
    if (!starts) continue;
    char* end = nullptr;
    numbers.push_back(std::strtod(cell.c_str() + at, &end));
    at = static_cast<std::size_t>(end - cell.c_str());
  }
  return numbers;
}

// The allowed column names the declared range's bounds (a limit of the format must be
// documented where the key is): each finite bound is one of the numbers written in the cell.
template <class Config>
void expect_documented_range(const std::string& allowed, const ConfigKey<Config>& key,
                             const std::string& where) {
  std::vector<double> bounds;
  std::visit(
      [&](auto field) {
        using Field = decltype(field);
        if constexpr (std::is_same_v<Field, double Config::*> ||
                      std::is_same_v<Field, NumberField<Config>> ||
                      std::is_same_v<Field, std::vector<double> Config::*>) {
          bounds = {key.number.low, key.number.high};
        } else if constexpr (std::is_same_v<Field, std::int32_t Config::*> ||
                             std::is_same_v<Field, std::uint32_t Config::*> ||
                             std::is_same_v<Field, std::uint64_t Config::*>) {
          bounds = {static_cast<double>(key.integer.low), static_cast<double>(key.integer.high)};
        }
      },
      key.field);
  const std::vector<double> written = numbers_written(allowed);
  for (double bound : bounds) {
    if (std::abs(bound) >= scenario_detail::kNoLimit) continue;
    EXPECT_NE(std::find(written.begin(), written.end(), std::abs(bound)), written.end())
        << where << ": the allowed column \"" << allowed << "\" does not give the bound " << bound;
  }
}

// A declared doc line is one non-empty line, and the meaning column of the key's row contains it
// (the docs may say more around it).
void expect_doc_line(const std::string& meaning, std::string_view doc, const std::string& where) {
  EXPECT_FALSE(doc.empty()) << where;
  EXPECT_EQ(doc.find('\n'), std::string_view::npos) << where;
  EXPECT_NE(meaning.find(doc), std::string::npos)
      << where << ": the row says \"" << meaning << "\", the declaration \"" << doc << "\"";
}

template <class Config>
void expect_documented(const std::string& heading, std::span<const ConfigKey<Config>> keys,
                       const Config& defaults = Config{}, int kind = -1) {
  static const auto rows = doc_rows("scenarios.md");
  ASSERT_TRUE(rows.count(heading)) << heading;
  const auto& table = rows.at(heading);
  for (const ConfigKey<Config>& key : keys) {
    if (!key.applies_to(kind)) continue;
    auto row = table.find(std::string(key.name));
    if (row == table.end()) {
      ADD_FAILURE() << heading << " has no row for " << key.name;
      continue;
    }
    // Rows of keys only some typologies have carry a `typologies` column after the key.
    const std::vector<std::string>& cells = row->second;
    const std::size_t type = cells.size() > 6 ? 2 : 1;
    EXPECT_EQ(cells[type], documented_type(defaults, key)) << heading << " " << key.name;
    EXPECT_EQ(cells[type + 1], key.unit) << heading << " " << key.name;
    EXPECT_TRUE(documents_default(cells[type + 2], defaults, key))
        << heading << " " << key.name << ": " << cells[type + 2];
    expect_doc_line(cells.back(), key.doc, heading + " " + std::string(key.name));
    expect_documented_range(cells[type + 3], key, heading + " " + std::string(key.name));
  }
}

TEST(ScenarioKeysDocs, ScenariosMdListsEveryKeyWithItsDefault) {
  expect_documented("`[simulation]`", simulation_keys());
  expect_documented("`[markets.<code>]`", market_keys());
  expect_documented("`[markets.<code>]`", market_keys_after_rate());
  expect_documented("`[[markets.<code>.payment_methods]]`", payment_method_keys());
  expect_documented("`[markets.<code>.users]`", user_keys());
  expect_documented("`[markets.<code>.users.churn]`", churn_keys());
  expect_documented("`[markets.<code>.merchants]`", merchant_keys());
  expect_documented("`[markets.<code>.support]`", support_keys());
  // The first default listed is the general one, the non_payment typology's.
  expect_documented("`[markets.<code>.fraud.<typology>]`", fraud_typology_keys());
  expect_documented("`[markets.<code>.rate]`", rate_keys());
  expect_documented("`[[markets.<code>.rate.scheduled_jumps]]`", scheduled_jump_keys());
  expect_documented("`[markets.<code>.rules.cancellation]`", cancellation_keys());
  expect_documented("`[markets.<code>.rules.merchant_eligibility]`", merchant_eligibility_keys());
  expect_documented("`[[markets.<code>.rules.merchant_tiers]]`", merchant_tier_keys());
  expect_documented("`[markets.<code>.fees]`", fee_keys());
  expect_documented("`[markets.<code>.incentive_response]`", incentive_response_keys());
  expect_documented("`[markets.<code>.risk.step_up]`", step_up_keys());
  expect_documented("`[markets.<code>.risk.step_up.fraud_fail_probability_by_typology]`",
                    step_up_typology_keys());
  expect_documented("`[markets.<code>.review]`", review_keys());
  expect_documented("`[[incentives]]`", campaign_term_keys());
}

// Each setting a strategy or incentive kind declares in a SettingKey list has a row in
// docs/strategies.md whose meaning contains the setting's doc line.
TEST(ScenarioKeysDocs, StrategiesMdGivesEveryDeclaredSettingItsDocLine) {
  std::map<std::string, std::vector<std::string>> meanings;  // by key, over every table
  for (const auto& [heading, table] : doc_rows("strategies.md")) {
    for (const auto& [key, cells] : table) {
      if (cells.size() >= 6) meanings[key].push_back(cells.back());
    }
  }
  std::vector<std::pair<std::string, SettingDeclaration>> declared;
  for (const StrategyEntry& entry : strategy_registry()) {
    if (entry.settings == nullptr) continue;
    for (const SettingDeclaration& setting : entry.settings())
      declared.emplace_back(entry.name, setting);
  }
  for (const IncentiveEntry& entry : incentive_registry()) {
    for (const SettingDeclaration& setting : entry.settings())
      declared.emplace_back(entry.kind, setting);
  }
  ASSERT_GE(declared.size(), 18u);
  for (const auto& [owner, setting] : declared) {
    const std::string where = owner + " " + std::string(setting.name);
    const auto rows = meanings.find(std::string(setting.name));
    ASSERT_NE(rows, meanings.end()) << where;
    // A key several tables share (hold_minutes) needs its doc line in one of them.
    const bool found = std::any_of(
        rows->second.begin(), rows->second.end(),
        [&](const std::string& meaning) { return meaning.find(setting.doc) != std::string::npos; });
    EXPECT_TRUE(found) << where << ": no row says \"" << setting.doc << "\"";
    EXPECT_FALSE(setting.doc.empty()) << where;
    EXPECT_EQ(setting.doc.find('\n'), std::string_view::npos) << where;
  }
}

// The leaf of a recorded key: "rules[0].hold_minutes" -> "hold_minutes".
std::string leaf(const std::string& key) {
  const std::size_t dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

TEST(ScenarioKeysDocs, StrategiesMdListsEverySettingTheStrategiesAndKindsRead) {
  const auto rows = doc_rows("strategies.md");
  std::set<std::string> documented;
  std::map<std::string, std::vector<std::string>> rows_by_key;
  for (const auto& [heading, table] : rows) {
    for (const auto& [key, cells] : table) {
      documented.insert(key);
      if (cells.size() >= 6) rows_by_key.emplace(key, cells);  // a key table, not the features
    }
  }
  const Scenario scenario = every_setting();
  std::vector<ResolvedSetting> settings = scenario.world.markets[0].risk_settings;
  for (const auto& campaign : scenario.world.incentive_settings)
    settings.insert(settings.end(), campaign.begin(), campaign.end());
  ASSERT_FALSE(settings.empty());
  for (const ResolvedSetting& setting : settings) {
    if (setting.key.starts_with("score.weights.")) continue;  // feature names, listed apart
    const std::string name = leaf(setting.key);
    ASSERT_TRUE(documented.count(name)) << setting.key;
    // A setting the scenario leaves out was read at its default: the documented one.
    if (std::string(kEverySetting).find("\n" + name + " =") != std::string::npos) continue;
    const std::string& cell = rows_by_key.at(name)[3];
    if (const auto* number = std::get_if<double>(&setting.value)) {
      const std::vector<double> documented_default = numbers_in(cell);
      if (std::isfinite(*number) && !documented_default.empty()) {
        EXPECT_EQ(documented_default.front(), *number) << setting.key << ": " << cell;
      }
    } else {
      const std::string text = std::get<std::string>(setting.value);
      EXPECT_NE(cell.find("`\"" + text + "\"`"), std::string::npos) << setting.key << ": " << cell;
    }
  }
}

}  // namespace
}  // namespace p2psim
