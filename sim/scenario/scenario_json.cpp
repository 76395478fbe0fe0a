#include "scenario/scenario_json.hpp"

#include <fmt/format.h>

#include <cmath>
#include <span>
#include <type_traits>

#include "metrics/kpi_counters.hpp"
#include "scenario/scenario_keys.hpp"

namespace p2psim {
namespace {

using Json = nlohmann::ordered_json;

// The value of one key; numbers without a limit (infinity) have no JSON number and are null.
template <class Config>
Json key_value(const Config& config, const ConfigKey<Config>& key) {
  return std::visit(
      [&](auto field) -> Json {
        using Field = decltype(field);
        if constexpr (std::is_same_v<Field, WeightsField<Config>>) {
          // The accessor only locates the weights; nothing is written through it.
          const std::span<double> weights = field.of(const_cast<Config&>(config));
          return Json(std::vector<double>(weights.begin(), weights.end()));
        } else if constexpr (std::is_same_v<Field, ChoiceField<Config>>) {
          return Json(field.names[field.get(config)]);
        } else if constexpr (std::is_same_v<Field, NumberField<Config>>) {
          const double value = field.of(const_cast<Config&>(config));
          return std::isinf(value) ? Json(nullptr) : Json(value);
        } else if constexpr (std::is_same_v<Field, double Config::*>) {
          return std::isinf(config.*field) ? Json(nullptr) : Json(config.*field);
        } else {
          return Json(config.*field);
        }
      },
      key.field);
}

// Every key of `keys` that `kind` has, in list order; a dotted resolved name nests.
template <class Config>
void add_keys(Json& json, const Config& config, std::span<const ConfigKey<Config>> keys,
              int kind = -1) {
  for (const ConfigKey<Config>& key : keys) {
    if (!key.applies_to(kind)) continue;
    const std::string_view name = key.json_name();
    const std::size_t dot = name.find('.');
    Json& parent = dot == std::string_view::npos ? json : json[std::string(name.substr(0, dot))];
    parent[std::string(name.substr(dot == std::string_view::npos ? 0 : dot + 1))] =
        key_value(config, key);
  }
}

template <class Config>
Json keys_json(const Config& config, std::span<const ConfigKey<Config>> keys) {
  Json json = Json::object();
  add_keys(json, config, keys);
  return json;
}

Json config_json(const UserConfig& users) {
  Json json = keys_json(users, user_keys());
  json["churn"] = keys_json(users.churn, churn_keys());
  return json;
}

Json config_json(const FraudTypologyConfig& typology, FraudTypology kind) {
  Json json = Json::object();
  add_keys(json, typology, fraud_typology_keys(), static_cast<int>(kind));
  return json;
}

Json config_json(const FraudConfig& fraud) {
  Json json = Json::object();
  for (int typology = 0; typology < kFraudTypologyCount; ++typology) {
    json[kFraudTypologyNames[typology]] =
        config_json(fraud.typology(typology), static_cast<FraudTypology>(typology));
  }
  return json;
}

Json config_json(const ReferenceRateConfig& rate) {
  Json jumps = Json::array();
  for (const ScheduledRateJump& jump : rate.scheduled_jumps) {
    jumps.push_back(keys_json(jump, scheduled_jump_keys()));
  }
  Json json = keys_json(rate, rate_keys());
  json["scheduled_jumps"] = std::move(jumps);
  return json;
}

// A shock as the scenario writes it: market code, key path and value.
Json config_json(const ShockConfig& shock, const std::vector<MarketConfig>& markets) {
  const MarketConfig& market = markets.at(shock.market);
  Json value = shock.value;
  std::string key = kShockKeyNames[static_cast<std::size_t>(shock.key)];
  if (shock.key == ShockKey::kPaymentMethodEnabled) {
    key = fmt::format("payment_methods.{}.enabled",
                      market.payment_methods.at(shock.payment_method).name);
    value = shock.value != 0.0;
  }
  if (shock.key == ShockKey::kFreezeWave) {
    key = fmt::format("payment_methods.{}.freeze_wave",
                      market.payment_methods.at(shock.payment_method).name);
  }
  if (shock.key == ShockKey::kFraudAccountsPerDay) {
    key = fmt::format("fraud.{}.accounts_per_day", kFraudTypologyNames.at(shock.typology));
  }
  return {{"day", shock.day}, {"market", market.code}, {"key", key}, {"value", value}};
}

// Tiers from lowest to highest; a tier without a cap of its own has max_order_usd null.
Json config_json(const RulesConfig& rules) {
  Json tiers = Json::array();
  for (const MerchantTierConfig& tier : rules.merchant_tiers)
    tiers.push_back(keys_json(tier, merchant_tier_keys()));
  return {
      {"cancellation", keys_json(rules.cancellation, cancellation_keys())},
      {"merchant_eligibility", keys_json(rules.merchant_eligibility, merchant_eligibility_keys())},
      {"merchant_tiers", std::move(tiers)}};
}

// What a strategy or incentive kind read, keyed as read ("score.block_above", "rules[0].when").
void add_settings(Json& json, const std::vector<ResolvedSetting>& settings) {
  for (const ResolvedSetting& setting : settings) {
    std::visit(
        [&](const auto& value) {
          if constexpr (std::is_same_v<std::decay_t<decltype(value)>, double>) {
            json[setting.key] = std::isinf(value) ? Json(nullptr) : Json(value);
          } else {
            json[setting.key] = value;
          }
        },
        setting.value);
  }
}

// The strategies, then step-up, then the strategies' own settings.
Json risk_json(const MarketConfig& market) {
  Json step_up = keys_json(market.step_up, step_up_keys());
  add_keys(step_up, market.step_up, step_up_typology_keys());
  Json json = {{"strategies", market.risk_strategies}, {"step_up", std::move(step_up)}};
  add_settings(json, market.risk_settings);
  return json;
}

Json review_json(const ReviewConfig& review) {
  Json json = {{"reviewers_by_hour", review.reviewers_by_hour}};
  add_keys(json, review, review_keys());
  return json;
}

// A campaign's common terms; unlimited budgets and caps are null.
Json config_json(const CampaignTerms& terms, const std::vector<MarketConfig>& markets) {
  Json codes = Json::array();
  for (std::size_t market = 0; market < markets.size(); ++market) {
    if (market < terms.markets.size() && terms.markets[market])
      codes.push_back(markets[market].code);
  }
  Json json = {{"kind", terms.kind}, {"markets", std::move(codes)}};
  add_keys(json, terms, campaign_term_keys());
  return json;
}

Json config_json(const MarketConfig& market) {
  Json methods = Json::array();
  for (const PaymentMethodConfig& method : market.payment_methods) {
    methods.push_back(keys_json(method, payment_method_keys()));
  }
  Json json = {{"code", market.code}};
  add_keys(json, market, market_keys());
  json["rate"] = config_json(market.rate);
  add_keys(json, market, market_keys_after_rate());
  json["payment_methods"] = std::move(methods);
  json["users"] = config_json(market.users);
  json["merchants"] = keys_json(market.merchants, merchant_keys());
  json["support"] = keys_json(market.support, support_keys());
  json["fraud"] = config_json(market.fraud);
  json["rules"] = config_json(market.rules);
  json["fees"] = keys_json(market.fees, fee_keys());
  json["incentive_response"] = keys_json(market.incentive_response, incentive_response_keys());
  json["risk"] = risk_json(market);
  json["review"] = review_json(market.review);
  return json;
}

}  // namespace

nlohmann::ordered_json scenario_json(const Scenario& scenario) {
  Json markets = Json::array();
  for (const MarketConfig& market : scenario.world.markets)
    markets.push_back(config_json(market));
  Json result = Json::object();
  result["name"] = scenario.name;
  result["description"] = scenario.description;
  result["simulation"] = keys_json(scenario.world.simulation, simulation_keys());
  result["markets"] = std::move(markets);
  Json shocks = Json::array();
  for (const ShockConfig& shock : scenario.world.shocks) {
    shocks.push_back(config_json(shock, scenario.world.markets));
  }
  result["shocks"] = std::move(shocks);
  Json incentives = Json::array();
  const WorldConfig& world = scenario.world;
  for (std::size_t campaign = 0; campaign < world.incentives.size(); ++campaign) {
    Json json = config_json(world.incentives[campaign]->terms(), world.markets);
    // Campaigns built in code rather than read from a scenario have no settings recorded.
    if (campaign < world.incentive_settings.size()) {
      add_settings(json, world.incentive_settings[campaign]);
    }
    incentives.push_back(std::move(json));
  }
  result["incentives"] = std::move(incentives);
  return result;
}

std::uint64_t fnv1a_64(std::string_view bytes) {
  constexpr std::uint64_t kOffsetBasis = 0xcbf29ce484222325ULL;
  constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  std::uint64_t hash = kOffsetBasis;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= kPrime;
  }
  return hash;
}

std::string scenario_hash(const Scenario& scenario) {
  return fmt::format("{:016x}", fnv1a_64(scenario_json(scenario).dump()));
}

}  // namespace p2psim
