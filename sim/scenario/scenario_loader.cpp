#include "scenario/scenario_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "metrics/kpi_counters.hpp"
#include "metrics/kpis.hpp"
#include "scenario/experiment_reader.hpp"
#include "scenario/key_ranges.hpp"
#include "scenario/scenario_keys.hpp"
#include "scenario/strategy_settings_reader.hpp"
#include "scenario/toml_document.hpp"
#include "scenario/toml_section.hpp"
#include "strategies/incentive_registry.hpp"
#include "strategies/registry.hpp"

namespace p2psim {
namespace {

using namespace scenario_detail;  // NOLINT: the ranges and Section, used throughout

constexpr std::size_t kMaxMarkets = 255;

// Floating-point sums such as 0.7 + 0.3 may land a hair above 1.
constexpr double kSumTolerance = 1e-12;

bool only_chars(std::string_view text, std::string_view extra) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [extra](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || extra.find(c) != extra.npos;
  });
}

bool is_currency_code(std::string_view text) {
  return text.size() == 3 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// ", the default" when `key` is not written, so a cross-field error explains where a number
// the analyst never typed comes from.
std::string origin(const Section& section, std::string_view key) {
  return section.has(key) ? "" : ", the default";
}

// The run's last day, and the warnings about days written past it. Such a day is not an error,
// so that a shorter run (simulation.days set by --set or a sweep) keeps the scenario loadable:
// what the day belongs to is clipped to the run or does not happen, and the warning says which.
class Horizon {
 public:
  Horizon(const SimulationConfig& simulation, std::vector<std::string>& warnings)
      : last_day_(static_cast<std::int32_t>(simulation.days) - 1), warnings_(&warnings) {}

  std::int32_t last_day() const { return last_day_; }

  // Whether `day`, read from `key` of `section`, is a day of the run; if not, warns that
  // `outcome` ("the shock does not happen") follows.
  bool reaches(const Section& section, std::string_view key, std::int32_t day,
               std::string_view outcome) const {
    if (day <= last_day_) return true;
    warnings_->push_back(section.warning(
        key, fmt::format("{} is past the last simulated day ({}); {}", day, last_day_, outcome)));
    return false;
  }

 private:
  std::int32_t last_day_;
  std::vector<std::string>* warnings_;
};

void read_simulation(Section section, SimulationConfig& simulation) {
  read_keys(section, simulation, simulation_keys());
  section.finish();
  if (simulation.warmup_days < simulation.days) return;
  if (section.has("warmup_days")) {
    section.fail("warmup_days",
                 fmt::format("expected fewer days than simulation.days ({}{}), found {}",
                             simulation.days, origin(section, "days"), simulation.warmup_days));
  }
  section.fail("days", fmt::format("expected more days than simulation.warmup_days ({}, the "
                                   "default), found {}",
                                   simulation.warmup_days, simulation.days));
}

// Order limits: `max_key` must be at least `min_key`.
void check_order_limits(const Section& section, double min, double max,
                        std::string_view min_key = "min_order_usd",
                        std::string_view max_key = "max_order_usd") {
  if (max >= min) return;
  if (section.has(max_key)) {
    section.fail(max_key, fmt::format("expected at least {} ({}{}), found {}", min_key, min,
                                      origin(section, min_key), max));
  }
  section.fail(min_key,
               fmt::format("expected at most {} ({}, the default), found {}", max_key, max, min));
}

PaymentMethodConfig read_payment_method(Section section) {
  PaymentMethodConfig method;
  read_keys(section, method, payment_method_keys());
  section.finish();
  check_order_limits(section, method.min_order_usd, method.max_order_usd);
  if (!only_chars(method.name, "_")) {
    section.fail("name", fmt::format("expected a name made of lower-case letters, digits and '_', "
                                     "found \"{}\"",
                                     method.name));
  }
  if (!method.bank_account.empty() && !only_chars(method.bank_account, "_")) {
    section.fail("bank_account",
                 fmt::format("expected a name made of lower-case letters, digits and '_', "
                             "found \"{}\"",
                             method.bank_account));
  }
  if (method.reversible && method.reversal_window_days <= 0.0) {
    if (!section.has("reversal_window_days")) {
      section.fail("reversal_window_days", "required key is missing (the method is reversible)");
    }
    section.fail("reversal_window_days",
                 fmt::format("expected a number greater than 0 for a reversible payment method, "
                             "found {}",
                             method.reversal_window_days));
  }
  return method;
}

std::vector<PaymentMethodConfig> read_payment_methods(Section& market, std::string_view code) {
  std::vector<Section> sections = market.sections_of_array(
      "payment_methods",
      fmt::format("an array of tables written as [[{}]]", market.path_of("payment_methods")));
  if (market.has("payment_methods") && sections.empty()) {
    market.fail("payment_methods", "expected at least one payment method, found an empty array");
  }
  if (sections.size() > kMaxPaymentMethods) {
    market.fail("payment_methods", fmt::format("expected at most {} payment methods, found {}",
                                               kMaxPaymentMethods, sections.size()));
  }
  std::vector<PaymentMethodConfig> methods;
  std::map<std::string, std::string> first_use;  // name -> key path of the method using it
  for (Section& section : sections) {
    PaymentMethodConfig method = read_payment_method(section);
    auto [previous, inserted] = first_use.emplace(method.name, section.path());
    if (!inserted) {
      section.fail("name", fmt::format("expected a name not used by another payment method of "
                                       "market '{}', found \"{}\", already the name of {}",
                                       code, method.name, previous->second));
    }
    methods.push_back(std::move(method));
  }
  return methods;
}

// A buyer cancels, walks away or pays: the first two chances, on a first try and on a retry
// within the visit, must leave room for the third.
void check_order_probabilities(const Section& section, const UserConfig& users) {
  for (const auto& [cancel_key, cancel] :
       {std::pair<std::string_view, double>{"cancel_probability", users.cancel_probability},
        {"cancel_again_probability", users.cancel_again_probability}}) {
    const double total = cancel + users.abandon_probability;
    if (total <= 1.0 + kSumTolerance) continue;
    std::string_view key = section.has("abandon_probability") ? "abandon_probability" : cancel_key;
    section.fail(key, fmt::format("expected {} + abandon_probability to be at most 1, found {} + "
                                  "{} = {}",
                                  cancel_key, cancel, users.abandon_probability, total));
  }
}

void read_churn(Section section, ChurnConfig& churn) {
  read_keys(section, churn, churn_keys());
  section.finish();
}

void read_users(Section section, UserConfig& users) {
  read_keys(section, users, user_keys());
  read_churn(section.section("churn"), users.churn);
  section.finish();
  check_order_probabilities(section, users);
}

void read_merchants(Section section, MerchantConfig& merchants) {
  read_keys(section, merchants, merchant_keys());
  section.finish();
  check_order_limits(section, merchants.min_order_usd, merchants.max_order_usd);
}

void read_merchant_eligibility(Section section, MerchantEligibilityConfig& rule) {
  read_keys(section, rule, merchant_eligibility_keys());
  section.finish();
}

// A tier's requirements and cap never fall below the tier before it; the first tier, which a
// merchant meeting no other is in, has no requirements.
void check_tier_order(Section& section, const MerchantTierConfig& tier,
                      const MerchantTierConfig* lower, const std::string& lower_path) {
  auto check = [&](std::string_view key, double value, double lower_value) {
    if (lower == nullptr) {
      if (value == 0.0) return;
      section.fail(key, fmt::format("expected 0 in the first tier (a merchant that meets no other "
                                    "tier is in it), found {}",
                                    value));
    }
    if (value >= lower_value) return;
    section.fail(key, fmt::format("expected at least {}, the value of {} (tiers are listed from "
                                  "the lowest), found {}",
                                  lower_value, lower_path, value));
  };
  check("min_completed_orders", tier.min_completed_orders,
        lower ? lower->min_completed_orders : 0.0);
  check("min_completion_rate", tier.min_completion_rate, lower ? lower->min_completion_rate : 0.0);
  check("min_deposit_usdt", tier.min_deposit_usdt, lower ? lower->min_deposit_usdt : 0.0);
  if (lower != nullptr && tier.max_order_usd < lower->max_order_usd) {
    section.fail("max_order_usd",
                 fmt::format("expected at least {}, the cap of {} (tiers are listed from the "
                             "lowest), found {}",
                             lower->max_order_usd, lower_path, tier.max_order_usd));
  }
}

void read_merchant_tiers(Section& rules, std::vector<MerchantTierConfig>& tiers) {
  std::vector<Section> sections = rules.sections_of_array(
      "merchant_tiers",
      fmt::format("an array of tables written as [[{}]]", rules.path_of("merchant_tiers")));
  if (!rules.has("merchant_tiers")) return;
  if (sections.size() > kMaxMerchantTiers) {
    rules.fail("merchant_tiers", fmt::format("expected at most {} merchant tiers, found {}",
                                             kMaxMerchantTiers, sections.size()));
  }
  tiers.clear();
  for (std::size_t index = 0; index < sections.size(); ++index) {
    Section& section = sections[index];
    MerchantTierConfig tier;
    read_keys(section, tier, merchant_tier_keys());
    section.finish();
    for (std::size_t other = 0; other < tiers.size(); ++other) {
      if (tiers[other].name != tier.name) continue;
      section.fail("name", fmt::format("expected a name not used by another tier, found \"{}\", "
                                       "already the name of {}",
                                       tier.name, sections[other].path()));
    }
    const bool first = index == 0;
    check_tier_order(section, tier, first ? nullptr : &tiers.back(),
                     first ? std::string() : sections[index - 1].path());
    tiers.push_back(std::move(tier));
  }
}

void read_support(Section section, SupportConfig& support) {
  read_keys(section, support, support_keys());
  section.finish();
}

// The keys every typology reads, then those only some typologies have (an unknown key
// elsewhere): the chargeback delay of payment reversal, the reveal delay of the typologies whose
// fraud surfaces through a complaint, an appeal or a freeze, and each typology's signature.
void read_fraud_typology(Section section, FraudTypologyConfig& fraud, FraudTypology typology) {
  read_keys(section, fraud, fraud_typology_keys(), static_cast<int>(typology));
  section.finish();
}

void read_rate(Section section, ReferenceRateConfig& rate, const Horizon& horizon) {
  read_keys(section, rate, rate_keys());
  std::vector<Section> jumps = section.sections_of_array(
      "scheduled_jumps",
      fmt::format("an array of tables written as [[{}]]", section.path_of("scheduled_jumps")));
  if (section.has("scheduled_jumps")) rate.scheduled_jumps.clear();
  for (Section& entry : jumps) {
    ScheduledRateJump jump;
    read_keys(entry, jump, scheduled_jump_keys());
    entry.finish();
    if (!horizon.reaches(entry, "day", jump.day, "the jump does not happen")) continue;
    rate.scheduled_jumps.push_back(jump);
  }
  section.finish();
}

void check_payment_methods_each(Section& market, const MarketConfig& config) {
  std::size_t available = config.payment_methods.size();
  if (config.merchants.payment_methods_each <= available) return;
  Section merchants = market.section("merchants");
  merchants.fail("payment_methods_each",
                 fmt::format("expected at most {} (the number of payment methods of market '{}'), "
                             "found {}{}",
                             available, config.code, config.merchants.payment_methods_each,
                             merchants.has("payment_methods_each") ? "" : " (the default)"));
}

void check_reversal_fraud(Section& market, const MarketConfig& config) {
  if (config.fraud[FraudTypology::kPaymentReversal].accounts_per_day <= 0.0) return;
  const auto& methods = config.payment_methods;
  bool any_reversible =
      std::any_of(methods.begin(), methods.end(),
                  [](const PaymentMethodConfig& method) { return method.reversible; });
  if (any_reversible) return;
  Section reversal = market.section("fraud").section("payment_reversal");
  reversal.fail(
      "accounts_per_day",
      fmt::format("expected 0 because market '{}' has no reversible payment method, "
                  "found {}",
                  config.code, config.fraud[FraudTypology::kPaymentReversal].accounts_per_day));
}

void read_rules(Section section, RulesConfig& rules) {
  Section cancellation = section.section("cancellation");
  read_keys(cancellation, rules.cancellation, cancellation_keys());
  cancellation.finish();
  read_merchant_eligibility(section.section("merchant_eligibility"), rules.merchant_eligibility);
  read_merchant_tiers(section, rules.merchant_tiers);
  section.finish();
}

std::vector<std::string> read_strategy_names(Section& risk) {
  std::vector<std::string> names;
  const toml::node* node = risk.find("strategies");
  if (node == nullptr) return names;
  const auto* array = node->as_array();
  if (array == nullptr) {
    risk.fail("strategies", "expected an array of strategy names such as [\"rules\"], found " +
                                scenario_detail::describe(*node));
  }
  const std::vector<std::string> known = strategy_names();
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    std::string path = fmt::format("{}[{}]", risk.path_of("strategies"), i);
    const auto* name = element.as_string();
    if (name == nullptr) {
      fail_at(element.source(), path,
              "expected a string, found " + scenario_detail::describe(element));
    }
    if (std::find(known.begin(), known.end(), name->get()) == known.end()) {
      std::string suggestion = scenario_detail::closest_key(name->get(), known);
      std::string hint = suggestion.empty() ? "" : fmt::format("did you mean \"{}\"? ", suggestion);
      fail_at(element.source(), path,
              fmt::format("unknown strategy \"{}\"; {}the strategies are: {}", name->get(), hint,
                          fmt::join(known, ", ")));
    }
    names.push_back(name->get());
  }
  return names;
}

// What `strategies` says, for an error about a strategy it does not list.
std::string listed_text(const Section& risk, const std::vector<std::string>& listed) {
  if (!risk.has("strategies")) return "it is not written";
  if (listed.empty()) return "the list is empty";
  return fmt::format("it lists {}", fmt::join(listed, ", "));
}

// Settings of a strategy that `strategies` leaves out: a shorter list written over an inherited
// one drops the inherited settings (toml_document.hpp), so these were written beside the list,
// most likely for a strategy forgotten in it.
void check_unlisted_strategy_settings(const Section& risk, const std::vector<std::string>& listed) {
  if (risk.table() == nullptr) return;
  const std::vector<std::string> known = strategy_names();
  for (auto&& [key, node] : *risk.table()) {
    const std::string name(key.str());
    if (std::find(known.begin(), known.end(), name) == known.end()) continue;
    if (std::find(listed.begin(), listed.end(), name) != listed.end()) continue;
    fail_at(key.source(), risk.path_of(name),
            fmt::format("settings of a strategy that {} does not list ({}): add \"{}\" to the "
                        "list or remove these settings",
                        risk.path_of("strategies"), listed_text(risk, listed), name));
  }
}

// [markets.<code>.risk.step_up]: one fail probability for every typology, then any typology's
// own in the fraud_fail_probability_by_typology table.
void read_step_up(Section section, StepUpConfig& step_up) {
  read_keys(section, step_up, step_up_keys());
  if (section.has("fraud_fail_probability")) {
    double all = 0.0;
    section.read("fraud_fail_probability", all, kProbability);
    step_up.fraud_fail_probability.fill(all);
  }
  Section by_typology = section.section("fraud_fail_probability_by_typology");
  read_keys(by_typology, step_up, step_up_typology_keys());
  by_typology.finish();
  section.finish();
}

// [markets.<code>.review]: reviewers on shift at each hour are `reviewers` (all day) plus those
// of every shift covering the hour; a shift from start_hour to end_hour may wrap past midnight.
void read_review(Section section, ReviewConfig& review) {
  std::uint32_t all_day = 0;
  section.read("reviewers", all_day, kReviewers);
  review.reviewers_by_hour.fill(all_day);
  for (Section& shift : section.sections_of_array(
           "shifts",
           "an array of tables such as [{start_hour = 8, end_hour = 20, reviewers = 4}]")) {
    std::uint32_t start = 0, end = 0, reviewers = 0;
    shift.require("start_hour");
    shift.require("end_hour");
    shift.require("reviewers");
    shift.read("start_hour", start, kStartHour);
    shift.read("end_hour", end, kEndHour);
    shift.read("reviewers", reviewers, kReviewers);
    shift.finish();
    if (end % 24 == start) {
      shift.fail("end_hour", fmt::format("expected an hour other than the start hour {} (a shift "
                                         "covering the whole day is `reviewers`), found {}",
                                         start, end));
    }
    for (std::uint32_t hour = start; hour != end % 24; hour = (hour + 1) % 24) {
      review.reviewers_by_hour[hour] += reviewers;
    }
  }
  read_keys(section, review, review_keys());
  section.finish();
}

// [markets.<code>.risk]: the strategies named in `strategies`, in that order, each reading its
// own key of the table (docs/strategies.md), and the step-up settings.
void read_risk(Section section, MarketConfig& config) {
  config.risk_strategies = read_strategy_names(section);
  check_unlisted_strategy_settings(section, config.risk_strategies);
  read_step_up(section.section("step_up"), config.step_up);
  StrategyContext context;
  context.market = config.code;
  context.has_reviewers = config.review.staffed();
  for (const PaymentMethodConfig& method : config.payment_methods) {
    context.payment_methods.push_back(method.name);
  }
  scenario_detail::SectionSettings settings(std::move(section), config.risk_settings);
  config.risk = build_risk_policy(config.risk_strategies, settings, context);
  settings.finish();
}

void read_fees(Section section, FeeConfig& fees) {
  read_keys(section, fees, fee_keys());
  section.finish();
}

void read_incentive_response(Section section, IncentiveResponseConfig& response) {
  read_keys(section, response, incentive_response_keys());
  section.finish();
}

MarketConfig read_market(Section market, std::string code, const Horizon& horizon) {
  MarketConfig config;
  config.code = std::move(code);
  read_keys(market, config, market_keys());
  read_rate(market.section("rate"), config.rate, horizon);
  read_keys(market, config, market_keys_after_rate());
  market.require("payment_methods");
  config.payment_methods = read_payment_methods(market, config.code);
  read_users(market.section("users"), config.users);
  read_merchants(market.section("merchants"), config.merchants);
  read_support(market.section("support"), config.support);
  Section fraud = market.section("fraud");
  for (int typology = 0; typology < kFraudTypologyCount; ++typology) {
    read_fraud_typology(fraud.section(kFraudTypologyNames[typology]),
                        config.fraud.typology(typology), static_cast<FraudTypology>(typology));
  }
  fraud.finish();
  read_rules(market.section("rules"), config.rules);
  read_fees(market.section("fees"), config.fees);
  read_incentive_response(market.section("incentive_response"), config.incentive_response);
  read_review(market.section("review"), config.review);
  read_risk(market.section("risk"), config);
  market.finish();
  if (!is_currency_code(config.currency)) {
    market.fail("currency", fmt::format("expected a three-letter upper-case currency code such "
                                        "as \"NGN\", found \"{}\"",
                                        config.currency));
  }
  check_payment_methods_each(market, config);
  check_reversal_fraud(market, config);
  return config;
}

// Markets come out ordered by code, the order in which TOML tables list their keys.
std::vector<MarketConfig> read_markets(Section& root, const Horizon& horizon) {
  root.require("markets");
  const toml::node* node = root.find("markets");
  if (node == nullptr) return {};
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    root.fail("markets", "expected a table of markets such as [markets.ng], found " +
                             scenario_detail::describe(*node));
  }
  if (table->empty()) root.fail("markets", "expected at least one market such as [markets.ng]");
  // Random streams number markets in 8 bits (world/stream_purpose.hpp).
  if (table->size() > kMaxMarkets) {
    root.fail("markets",
              fmt::format("expected at most {} markets, found {}", kMaxMarkets, table->size()));
  }
  std::vector<MarketConfig> markets;
  for (auto&& [key, value] : *table) {
    std::string path = root.path_of("markets." + std::string(key.str()));
    if (!only_chars(key.str(), "_")) {
      fail_at(key.source(), path,
              fmt::format("expected a market code made of lower-case letters, digits and '_', "
                          "found \"{}\"",
                          key.str()));
    }
    if (!value.is_table()) {
      fail_at(value.source(), path, "expected a table, found " + scenario_detail::describe(value));
    }
    Section market(value.as_table(), std::move(path), value.source());
    markets.push_back(read_market(std::move(market), std::string(key.str()), horizon));
  }
  return markets;
}

std::string shockable_keys() {
  return fmt::format("{}", fmt::join(kShockKeyNames, ", "));
}

std::uint16_t read_shock_market(Section& section, const std::vector<MarketConfig>& markets) {
  std::string code;
  section.read("market", code);
  for (std::uint16_t index = 0; index < markets.size(); ++index) {
    if (markets[index].code == code) return index;
  }
  std::vector<std::string> codes;
  for (const MarketConfig& market : markets)
    codes.push_back(market.code);
  section.fail("market", fmt::format("expected the code of a market of this scenario ({}), "
                                     "found \"{}\"",
                                     fmt::join(codes, ", "), code));
}

// The <name> of a key written `prefix<name>suffix` with a non-empty name, if it is one.
std::optional<std::string> name_between(const std::string& key, std::string_view prefix,
                                        std::string_view suffix) {
  if (key.size() <= prefix.size() + suffix.size() || !key.starts_with(prefix) ||
      !key.ends_with(suffix)) {
    return std::nullopt;
  }
  return key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
}

// For fraud.<typology>.accounts_per_day, the typology's index; false for another key.
bool read_fraud_shock_key(Section& section, const std::string& key, ShockConfig& shock) {
  const std::optional<std::string> name = name_between(key, "fraud.", ".accounts_per_day");
  if (!name) return false;
  for (std::uint8_t typology = 0; typology < kFraudTypologyCount; ++typology) {
    if (*name != kFraudTypologyNames[typology]) continue;
    shock.key = ShockKey::kFraudAccountsPerDay;
    shock.typology = typology;
    return true;
  }
  section.fail("key", fmt::format("expected a fraud typology ({}), found \"{}\"",
                                  fmt::join(kFraudTypologyNames, ", "), *name));
}

// For payment_methods.<name>.enabled and .freeze_wave, the method's index; false for another key.
bool read_method_shock_key(Section& section, const MarketConfig& market, const std::string& key,
                           ShockConfig& shock) {
  for (const ShockKey named : {ShockKey::kPaymentMethodEnabled, ShockKey::kFreezeWave}) {
    const std::string_view pattern = kShockKeyNames[static_cast<std::size_t>(named)];
    const std::string_view suffix = pattern.substr(pattern.rfind('.'));
    const std::optional<std::string> name = name_between(key, "payment_methods.", suffix);
    if (!name) continue;
    for (std::uint8_t method = 0; method < market.payment_methods.size(); ++method) {
      if (market.payment_methods[method].name != *name) continue;
      shock.key = named;
      shock.payment_method = method;
      return true;
    }
    std::vector<std::string> names;
    for (const PaymentMethodConfig& method : market.payment_methods)
      names.push_back(method.name);
    section.fail("key", fmt::format("expected a payment method of market '{}' ({}), found \"{}\"",
                                    market.code, fmt::join(names, ", "), *name));
  }
  return false;
}

// The key, and for a payment method's or a fraud typology's key its index.
void read_shock_key(Section& section, const MarketConfig& market, ShockConfig& shock) {
  std::string key;
  section.read("key", key);
  if (read_fraud_shock_key(section, key, shock)) return;
  if (read_method_shock_key(section, market, key, shock)) return;
  for (std::size_t index = 0; index < kShockKeyNames.size(); ++index) {
    const auto named = static_cast<ShockKey>(index);
    if (named == ShockKey::kPaymentMethodEnabled || named == ShockKey::kFraudAccountsPerDay ||
        named == ShockKey::kFreezeWave) {
      continue;
    }
    if (key != kShockKeyNames[index]) continue;
    shock.key = static_cast<ShockKey>(index);
    return;
  }
  section.fail("key", fmt::format("expected a shockable key (one of {}), found \"{}\"",
                                  shockable_keys(), key));
}

// The value, range-checked as the base key is.
void read_shock_value(Section& section, const MarketConfig& market, ShockConfig& shock) {
  switch (shock.key) {
    case ShockKey::kPaymentMethodEnabled: {
      bool enabled = true;
      section.read("value", enabled);
      shock.value = enabled ? 1.0 : 0.0;
      return;
    }
    case ShockKey::kDailyVisitors:
      return section.read("value", shock.value, kPerDay);
    case ShockKey::kFraudAccountsPerDay: {
      section.read("value", shock.value, kPerDay);
      if (shock.typology != static_cast<int>(FraudTypology::kPaymentReversal)) return;
      bool any_reversible =
          std::any_of(market.payment_methods.begin(), market.payment_methods.end(),
                      [](const PaymentMethodConfig& m) { return m.reversible; });
      if (shock.value <= 0.0 || any_reversible) return;
      section.fail("value", fmt::format("expected 0 because market '{}' has no reversible payment "
                                        "method, found {}",
                                        market.code, shock.value));
    }
    case ShockKey::kRegistrationProbability:
    case ShockKey::kKycPassProbability:
    case ShockKey::kCarelessReleaseProbability:
      return section.read("value", shock.value, kProbability);
    case ShockKey::kRateJump:
      return section.read("value", shock.value, kRateChange);
    case ShockKey::kRateDriftPerYear:
      return section.read("value", shock.value, kDriftPerYear);
    case ShockKey::kRateVolatilityPerYear:
      return section.read("value", shock.value, kVolatilityPerYear);
    case ShockKey::kFreezeWave:
      return section.read("value", shock.value, kShare);
  }
}

std::vector<ShockConfig> read_shocks(Section& root, const WorldConfig& world,
                                     const Horizon& horizon) {
  std::vector<Section> sections =
      root.sections_of_array("shocks", "an array of tables written as [[shocks]]");
  std::vector<ShockConfig> shocks;
  for (Section& section : sections) {
    ShockConfig shock;
    for (std::string_view key : {"day", "market", "key", "value"})
      section.require(key);
    section.finish();  // unknown and missing keys first: the reads below rely on all four
    section.read("day", shock.day, kDayOfRun);
    shock.market = read_shock_market(section, world.markets);
    const MarketConfig& market = world.markets[shock.market];
    read_shock_key(section, market, shock);
    read_shock_value(section, market, shock);
    if (!horizon.reaches(section, "day", shock.day, "the shock does not happen")) continue;
    shocks.push_back(shock);
  }
  return shocks;
}

// A tolerance key names a KPI ("completion_rate") or a stem of broken-down ones
// ("fraud_loss_usd.typology", "fraud_loss_usd.typology.non_payment").
bool is_kpi_or_stem(std::string_view key) {
  for (const KpiDefinition& definition : kpi_catalogue()) {
    const std::string_view name = definition.name;
    if (key == name) return true;
    if (!name.ends_with('.')) continue;
    if (name.substr(0, name.size() - 1) == key) return true;
    if (key.size() > name.size() && key.starts_with(name)) return true;
  }
  return false;
}

constexpr NumberRange kTolerance{0.0, 100.0, false, "a relative tolerance from 0 to 100"};
constexpr NumberRange kAlpha{0.0, 0.5, true, "a probability greater than 0 and at most 0.5"};

CheckConfig read_check(Section section) {
  CheckConfig check;
  section.read("default_tolerance", check.default_tolerance, kTolerance);
  section.read("alpha", check.alpha, kAlpha);
  Section tolerances = section.section("tolerance");
  if (tolerances.table() != nullptr) {
    for (const auto& [key, node] : *tolerances.table()) {
      const std::string name(key.str());
      if (node.is_table()) {
        tolerances.fail(name,
                        "expected a number; write a dotted KPI name in quotes, as in "
                        "\"fraud_loss_usd.typology\" = 0.2");
      }
      if (!is_kpi_or_stem(name)) {
        tolerances.fail(name, fmt::format("unknown KPI \"{}\" (KPI names: docs/kpis.md; write a "
                                          "dotted name in quotes)",
                                          name));
      }
      double tolerance = check.default_tolerance;
      tolerances.read(name, tolerance, kTolerance);
      check.tolerances.emplace_back(name, tolerance);
    }
  }
  tolerances.finish();
  section.finish();
  return check;
}

std::string read_incentive_kind(Section& section) {
  if (!section.has("kind")) {
    fail_at(section.where(), section.path_of("kind"), "required key is missing");
  }
  std::string kind;
  section.read("kind", kind);
  const std::vector<std::string> known = incentive_kinds();
  if (std::find(known.begin(), known.end(), kind) != known.end()) return kind;
  std::string suggestion = scenario_detail::closest_key(kind, known);
  std::string hint = suggestion.empty() ? "" : fmt::format("did you mean \"{}\"? ", suggestion);
  section.fail("kind", fmt::format("unknown incentive kind \"{}\"; {}the kinds are: {}", kind, hint,
                                   fmt::join(known, ", ")));
}

// The campaign's `markets`, by index: an array of the scenario's market codes.
std::vector<bool> read_campaign_markets(Section& section,
                                        const std::vector<MarketConfig>& markets) {
  std::vector<std::string> codes;
  for (const MarketConfig& market : markets)
    codes.push_back(market.code);
  const toml::node* node = section.find("markets");
  if (node == nullptr)
    fail_at(section.where(), section.path_of("markets"), "required key is missing");
  const auto* array = node->as_array();
  if (array == nullptr || array->empty()) {
    section.fail("markets", fmt::format("expected a non-empty array of market codes of this "
                                        "scenario ({}) such as [\"{}\"]",
                                        fmt::join(codes, ", "), codes.front()));
  }
  std::vector<bool> targeted(markets.size(), false);
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const auto* code = element.as_string();
    const auto found =
        code == nullptr ? codes.end() : std::find(codes.begin(), codes.end(), code->get());
    if (found == codes.end()) {
      fail_at(element.source(), fmt::format("{}[{}]", section.path_of("markets"), i),
              fmt::format("expected the code of a market of this scenario ({}), found {}",
                          fmt::join(codes, ", "),
                          code != nullptr ? fmt::format("\"{}\"", code->get())
                                          : scenario_detail::describe(element)));
    }
    targeted[static_cast<std::size_t>(found - codes.begin())] = true;
  }
  return targeted;
}

// A campaign's days, checked as written; then a campaign starting after the run's last day does
// not run (false), and one ending after it ends on it.
bool read_campaign_days(Section& section, CampaignTerms& terms, const Horizon& horizon) {
  terms.end_day = horizon.last_day();  // the default
  read_keys(section, terms, campaign_term_keys());
  // The default is not compared: a campaign starting after the run does not run.
  if (section.has("end_day") && terms.end_day < terms.start_day) {
    section.fail("end_day", fmt::format("expected at least start_day ({}), found {}",
                                        terms.start_day, terms.end_day));
  }
  if (!horizon.reaches(section, "start_day", terms.start_day, "the campaign does not run")) {
    return false;
  }
  if (!horizon.reaches(section, "end_day", terms.end_day,
                       fmt::format("the campaign ends on day {}", horizon.last_day()))) {
    terms.end_day = horizon.last_day();
  }
  return true;
}

// [[incentives]]: the terms every campaign has, then its kind's own keys (docs/strategies.md).
// Adds the campaign to world.incentives, and what its kind read to world.incentive_settings,
// unless it starts after the run: it is then checked as fully, and left out.
void read_incentive(Section section, WorldConfig& world, const Horizon& horizon) {
  CampaignTerms terms;
  terms.kind = read_incentive_kind(section);
  terms.markets = read_campaign_markets(section, world.markets);
  const bool runs = read_campaign_days(section, terms, horizon);
  IncentiveContext context;
  for (const MarketConfig& market : world.markets) {
    context.payment_methods.emplace_back();
    for (const PaymentMethodConfig& method : market.payment_methods)
      context.payment_methods.back().push_back(method.name);
  }
  std::vector<ResolvedSetting> resolved;
  scenario_detail::SectionSettings settings(std::move(section), resolved);
  std::shared_ptr<const IncentiveCampaign> campaign =
      build_incentive(std::move(terms), settings, context);
  if (!runs) return;
  world.incentives.push_back(std::move(campaign));
  world.incentive_settings.push_back(std::move(resolved));
}

void read_incentives(Section& root, WorldConfig& world, const Horizon& horizon) {
  for (Section& section :
       root.sections_of_array("incentives", "an array of tables written as [[incentives]]")) {
    read_incentive(std::move(section), world, horizon);
  }
}

void check_name(const Section& root, const std::string& name) {
  if (only_chars(name, "_-")) return;
  root.fail("name", fmt::format("expected a name made of lower-case letters, digits, '_' and '-' "
                                "(it names the results folder), found \"{}\"",
                                name));
}

ExportConfig read_export(Section section) {
  ExportConfig exports;
  section.read("orders", exports.orders);
  section.read("accounts", exports.accounts);
  section.finish();
  return exports;
}

Scenario read_scenario(toml::table& document) {
  Section root(&document, "", document.source());
  Scenario scenario;
  root.find("include");     // already consumed by load_document; known, for typo suggestions
  root.find("experiment");  // read apart, by read_experiment; known, for typo suggestions
  root.require("name");
  root.read("name", scenario.name);
  root.read("description", scenario.description);
  read_simulation(root.section("simulation"), scenario.world.simulation);
  const Horizon horizon(scenario.world.simulation, scenario.warnings);
  scenario.world.markets = read_markets(root, horizon);
  scenario.world.shocks = read_shocks(root, scenario.world, horizon);
  read_incentives(root, scenario.world, horizon);
  scenario.check = read_check(root.section("check"));
  scenario.exports = read_export(root.section("export"));
  root.finish();
  check_name(root, scenario.name);
  return scenario;
}

// The dotted paths of the values a --set tree writes ("simulation.days"), each with its node.
void written_paths(const toml::table& table, const std::string& prefix,
                   std::vector<std::pair<std::string, const toml::node*>>& paths) {
  for (auto&& [key, node] : table) {
    const std::string path =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const toml::table* inner = node.as_table()) {
      written_paths(*inner, path, paths);
    } else {
      paths.emplace_back(path, &node);
    }
  }
}

// A --set that could not mean what it says: `include` (includes are read with the file, before
// any setting) or a key set twice (which one would win is not obvious).
void check_settings(std::span<const toml::table> trees) {
  std::vector<std::pair<std::string, const toml::node*>> paths;
  for (const toml::table& tree : trees)
    written_paths(tree, "", paths);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const auto& [path, node] = paths[i];
    if (path == "include") {
      fail_at(node->source(), path,
              "cannot be set on the command line: includes are read with the scenario file, "
              "before any --set; write them in the file");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (paths[j].first == path)
        fail_at(node->source(), path, "set twice on the command line; give it once");
    }
  }
}

toml::table settings_applied(const std::filesystem::path& file,
                             std::span<const std::string> settings) {
  std::vector<toml::table> trees;
  for (const std::string& setting : settings)
    trees.push_back(scenario_detail::parse_setting(setting));
  check_settings(trees);
  toml::table document = scenario_detail::load_document(file);
  for (toml::table& tree : trees)
    scenario_detail::overlay(document, tree);
  return document;
}

// Moves the [experiment] table out of `document` into `experiment`; false when there is none.
bool take_experiment(toml::table& document, toml::table& experiment) {
  toml::node* node = document.get("experiment");
  if (node == nullptr) return false;
  if (!node->is_table()) {
    fail_at(node->source(), "experiment",
            "expected a table [experiment], found " + scenario_detail::describe(*node));
  }
  experiment = std::move(*node->as_table());
  document.erase("experiment");
  return true;
}

}  // namespace

std::string shown_text(std::string_view text, std::size_t most) {
  if (text.size() <= most) return std::string(text);
  return std::string(text.substr(0, most)) + "...";
}

std::string located_text(const std::string& file, int line, int column, const std::string& key,
                         const std::string& message) {
  return fmt::format("{}{}: {}{}", file, line > 0 ? fmt::format(":{}:{}", line, column) : "",
                     key.empty() ? "" : shown_text(key, kMaxShownKeyLength) + ": ",
                     shown_text(message, kMaxShownMessageLength));
}

ScenarioError::ScenarioError(std::string file, int line, int column, std::string key,
                             std::string message)
    : std::runtime_error(located_text(file, line, column, key, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      key_(std::move(key)),
      message_(std::move(message)) {}

Scenario load_scenario(const std::filesystem::path& file, std::span<const std::string> settings) {
  toml::table document = settings_applied(file, settings);
  // The experiment is moved out, not copied, so its nodes keep their source regions.
  toml::table experiment;
  bool has_experiment = take_experiment(document, experiment);
  Scenario scenario = read_scenario(document);
  if (!has_experiment) return scenario;
  Section section(&experiment, "experiment", experiment.source());
  auto read_arm = [&](const std::string& arm) {
    toml::table arm_document = settings_applied(file, settings);
    toml::table arm_experiment;
    take_experiment(arm_document, arm_experiment);
    toml::table& overrides = *arm_experiment["arms"][arm].as_table();
    const bool own_incentives = overrides.contains("incentives");
    scenario_detail::overlay(arm_document, overrides);
    Scenario arm_scenario = read_scenario(arm_document);
    // The base's warnings come again from each arm; only an arm's own are new.
    for (std::string& warning : arm_scenario.warnings) {
      if (std::find(scenario.warnings.begin(), scenario.warnings.end(), warning) ==
          scenario.warnings.end()) {
        scenario.warnings.push_back(std::move(warning));
      }
    }
    WorldConfig world = std::move(arm_scenario.world);
    // The same campaigns, not copies: a split world then runs them once, with one budget, for
    // both arms' units.
    if (!own_incentives) {
      world.incentives = scenario.world.incentives;
      world.incentive_settings = scenario.world.incentive_settings;
    }
    return world;
  };
  scenario.experiment = scenario_detail::read_experiment(std::move(section), scenario, read_arm);
  return scenario;
}

}  // namespace p2psim
