#include "report/scenario_json.hpp"

#include <fmt/format.h>

#include <cmath>

#include "metrics/kpi_counters.hpp"

namespace p2psim {
namespace {

using Json = nlohmann::ordered_json;

const char* bearer_name(LossBearer bearer) {
  return kLossBearerNames[static_cast<int>(bearer)];
}

Json config_json(const ArrivalProfile& profile) {
  return {{"hourly", profile.hourly}, {"weekly", profile.weekly}};
}

Json config_json(const PaymentMethodConfig& method) {
  return {{"name", method.name},
          {"share", method.share},
          {"settlement_minutes", method.settlement_minutes},
          {"reversible", method.reversible},
          {"reversal_window_days", method.reversal_window_days},
          {"reversal_probability", method.reversal_probability},
          {"min_order_usd", method.min_order_usd},
          // No limit (infinity) has no JSON number: it is written as null.
          {"max_order_usd",
           std::isinf(method.max_order_usd) ? Json(nullptr) : Json(method.max_order_usd)},
          {"freeze_probability", method.freeze_probability},
          {"freeze_days_mean", method.freeze_days_mean},
          {"enabled", method.enabled}};
}

Json config_json(const ChurnConfig& churn) {
  return {{"base_probability", churn.base_probability}, {"weight_failed", churn.weight_failed},
          {"weight_slow", churn.weight_slow},           {"weight_blocked", churn.weight_blocked},
          {"weight_disputed", churn.weight_disputed},   {"half_life_days", churn.half_life_days}};
}

Json config_json(const UserConfig& users) {
  return {{"initial_users", users.initial_users},
          {"daily_visitors", users.daily_visitors},
          {"profile", config_json(users.profile)},
          {"registration_probability", users.registration_probability},
          {"kyc_pass_probability", users.kyc_pass_probability},
          {"first_order_hours", users.first_order_hours},
          {"buy_share", users.buy_share},
          {"extra_payment_method_probability", users.extra_payment_method_probability},
          {"order_usd_median", users.order_usd_median},
          {"order_usd_sigma", users.order_usd_sigma},
          {"days_between_orders", users.days_between_orders},
          {"pay_minutes_median", users.pay_minutes_median},
          {"pay_minutes_sigma", users.pay_minutes_sigma},
          {"cancel_probability", users.cancel_probability},
          {"abandon_probability", users.abandon_probability},
          {"patience_minutes_median", users.patience_minutes_median},
          {"patience_minutes_sigma", users.patience_minutes_sigma},
          {"release_minutes_median", users.release_minutes_median},
          {"price_sensitivity", users.price_sensitivity},
          {"quality_sensitivity", users.quality_sensitivity},
          {"ads_viewed", users.ads_viewed},
          {"devaluation_demand_factor", users.devaluation_demand_factor},
          {"max_demand_multiplier", users.max_demand_multiplier},
          {"referrals_per_user", users.referrals_per_user},
          {"referral_delay_days", users.referral_delay_days},
          {"kyc_tier_shares", users.kyc_tier_shares},
          {"kyc_tier0_max_order_usd", users.kyc_tier0_max_order_usd},
          {"kyc_tier1_max_order_usd", users.kyc_tier1_max_order_usd},
          {"initial_account_age_days", users.initial_account_age_days},
          {"shared_device_share", users.shared_device_share},
          {"shared_bank_account_share", users.shared_bank_account_share},
          {"churn", config_json(users.churn)}};
}

Json config_json(const MerchantConfig& merchants) {
  return {{"count", merchants.count},
          {"margin_bps_mean", merchants.margin_bps_mean},
          {"margin_bps_sd", merchants.margin_bps_sd},
          {"min_margin_bps", merchants.min_margin_bps},
          {"usdt_inventory", merchants.usdt_inventory},
          {"fiat_inventory_usd", merchants.fiat_inventory_usd},
          {"min_order_usd", merchants.min_order_usd},
          {"max_order_usd", merchants.max_order_usd},
          {"capacity", merchants.capacity},
          {"payment_methods_each", merchants.payment_methods_each},
          {"release_minutes_median", merchants.release_minutes_median},
          {"release_minutes_sigma", merchants.release_minutes_sigma},
          {"pay_minutes_median", merchants.pay_minutes_median},
          {"careless_release_probability", merchants.careless_release_probability},
          {"online_hours", merchants.online_hours},
          {"deposit_usdt", merchants.deposit_usdt},
          {"daily_cost_usd", merchants.daily_cost_usd},
          {"exit_after_days", merchants.exit_after_days},
          {"max_entrants", merchants.max_entrants},
          {"entry_per_day", merchants.entry_per_day},
          {"entry_per_day_per_bps", merchants.entry_per_day_per_bps},
          {"entry_spread_threshold_bps", merchants.entry_spread_threshold_bps},
          {"volatility_margin_factor", merchants.volatility_margin_factor},
          {"inventory_margin_bps", merchants.inventory_margin_bps}};
}

Json config_json(const SupportConfig& support) {
  return {{"agents", support.agents}, {"resolution_minutes_mean", support.resolution_minutes_mean}};
}

// The keys the scenario loader reads for this typology (read_fraud_typology), resolved.
Json config_json(const FraudTypologyConfig& typology, FraudTypology kind) {
  using T = FraudTypology;
  Json json = {{"accounts_per_day", typology.accounts_per_day}};
  if (kind != T::kMerchantExitScam) {
    json["attempts_per_account"] = typology.attempts_per_account;
    json["hours_between_attempts"] = typology.hours_between_attempts;
    json["order_usd_median"] = typology.order_usd_median;
    json["order_usd_sigma"] = typology.order_usd_sigma;
    json["adaptation_speed"] = typology.adaptation_speed;
    json["aging_days"] = typology.aging_days;
  }
  if (kind == T::kPaymentReversal) {
    json["reversal_delay_days"] = typology.reversal_delay_days;
  } else if (kind != T::kPromotionAbuse) {
    json["reveal_delay_days"] = typology.reveal_delay_days;
  }
  if (kind == T::kPromotionAbuse) {
    json["ring_size_mean"] = typology.ring_size_mean;
    json["reference_bonus_usd"] = typology.reference_bonus_usd;
  }
  if (kind == T::kAccountTakeover) {
    json["account_age_days_median"] = typology.account_age_days_median;
    json["night_probability"] = typology.night_probability;
  }
  if (kind == T::kMuleStructuring) {
    json["threshold_usd"] = typology.threshold_usd;
    json["reveal_probability"] = typology.reveal_probability;
  }
  if (kind == T::kMerchantExitScam) {
    json["reputation_orders"] = typology.reputation_orders;
    json["exit_hours"] = typology.exit_hours;
    json["victim_release_probability"] = typology.victim_release_probability;
  }
  json["bearer"] = bearer_name(typology.bearer);
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
    jumps.push_back({{"day", jump.day}, {"change", jump.change}});
  }
  return {{"drift_per_year", rate.drift_per_year},
          {"volatility_per_year", rate.volatility_per_year},
          {"jumps_per_year", rate.jumps_per_year},
          {"jump_mean", rate.jump_mean},
          {"scheduled_jumps", std::move(jumps)}};
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
  if (shock.key == ShockKey::kFraudAccountsPerDay) {
    key = fmt::format("fraud.{}.accounts_per_day", kFraudTypologyNames.at(shock.typology));
  }
  return {{"day", shock.day}, {"market", market.code}, {"key", key}, {"value", value}};
}

// Tiers from lowest to highest; a tier without a cap of its own has max_order_usd null.
Json tiers_json(const std::vector<MerchantTierConfig>& tiers) {
  Json list = Json::array();
  for (const MerchantTierConfig& tier : tiers) {
    Json cap = std::isinf(tier.max_order_usd) ? Json(nullptr) : Json(tier.max_order_usd);
    list.push_back({{"name", tier.name},
                    {"min_completed_orders", tier.min_completed_orders},
                    {"min_completion_rate", tier.min_completion_rate},
                    {"min_deposit_usdt", tier.min_deposit_usdt},
                    {"max_order_usd", cap}});
  }
  return list;
}

Json config_json(const RulesConfig& rules) {
  const CancellationRuleConfig& cancellation = rules.cancellation;
  const MerchantEligibilityConfig& eligibility = rules.merchant_eligibility;
  return {{"cancellation",
           {{"max_cancels_before_paying", cancellation.max_cancels_before_paying},
            {"max_cancels_after_marking_paid", cancellation.max_cancels_after_marking_paid},
            {"ban_minutes", cancellation.ban_minutes}}},
          {"merchant_eligibility",
           {{"enabled", eligibility.enabled},
            {"min_deposit_usdt", eligibility.min_deposit_usdt},
            {"min_completion_rate", eligibility.min_completion_rate},
            {"min_orders", eligibility.min_orders},
            {"window_days", eligibility.window_days},
            {"probation_days", eligibility.probation_days},
            {"suspension_days", eligibility.suspension_days}}},
          {"merchant_tiers", tiers_json(rules.merchant_tiers)}};
}

Json config_json(const FeeConfig& fees) {
  return {{"maker_bps", fees.maker_bps}, {"taker_bps", fees.taker_bps}};
}

Json config_json(const IncentiveResponseConfig& response) {
  return {{"first_order_probability", response.first_order_probability},
          {"bonus_half_response_usd", response.bonus_half_response_usd},
          {"referral_max_uplift", response.referral_max_uplift},
          {"referral_half_response_usd", response.referral_half_response_usd},
          {"fee_waiver_elasticity", response.fee_waiver_elasticity}};
}

// A campaign's common terms (its kind's own keys are inside the campaign object); unlimited
// budgets and caps are null.
Json config_json(const CampaignTerms& terms, const std::vector<MarketConfig>& markets) {
  Json codes = Json::array();
  for (std::size_t market = 0; market < markets.size(); ++market) {
    if (market < terms.markets.size() && terms.markets[market])
      codes.push_back(markets[market].code);
  }
  auto limit = [](double usd) { return std::isfinite(usd) ? Json(usd) : Json(); };
  return {{"kind", terms.kind},
          {"markets", std::move(codes)},
          {"start_day", terms.start_day},
          {"end_day", terms.end_day},
          {"budget_usd", limit(terms.budget_usd)},
          {"per_user_cap_usd", limit(terms.per_user_cap_usd)}};
}

Json config_json(const MarketConfig& market) {
  Json methods = Json::array();
  for (const PaymentMethodConfig& method : market.payment_methods) {
    methods.push_back(config_json(method));
  }
  return {{"code", market.code},
          {"currency", market.currency},
          {"reference_rate", market.reference_rate},
          {"rate", config_json(market.rate)},
          {"payment_window_minutes", market.payment_window_minutes},
          {"payment_methods", std::move(methods)},
          {"users", config_json(market.users)},
          {"merchants", config_json(market.merchants)},
          {"support", config_json(market.support)},
          {"fraud", config_json(market.fraud)},
          {"rules", config_json(market.rules)},
          {"fees", config_json(market.fees)},
          {"incentive_response", config_json(market.incentive_response)}};
}

Json config_json(const SimulationConfig& simulation) {
  return {{"days", simulation.days},
          {"warmup_days", simulation.warmup_days},
          {"seed", simulation.seed},
          {"replications", simulation.replications}};
}

}  // namespace

nlohmann::ordered_json scenario_json(const Scenario& scenario) {
  Json markets = Json::array();
  for (const MarketConfig& market : scenario.world.markets)
    markets.push_back(config_json(market));
  Json result = Json::object();
  result["name"] = scenario.name;
  result["description"] = scenario.description;
  result["simulation"] = config_json(scenario.world.simulation);
  result["markets"] = std::move(markets);
  Json shocks = Json::array();
  for (const ShockConfig& shock : scenario.world.shocks) {
    shocks.push_back(config_json(shock, scenario.world.markets));
  }
  result["shocks"] = std::move(shocks);
  Json incentives = Json::array();
  for (const auto& campaign : scenario.world.incentives) {
    incentives.push_back(config_json(campaign->terms(), scenario.world.markets));
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
