#pragma once
// Every section's keys, declared once (config_key.hpp): the loader reads these lists, the
// resolved scenario writes them, docs/scenarios.md documents them (tests/test_scenario_keys.cpp
// checks each key's row has its type, unit, default and doc line). A key whose range is a day of
// the run is a run key, its range computed at load time. Read by hand next to these, and written
// by hand in the resolved scenario, are the keys whose resolved form is not what the scenario
// writes or whose values name other parts of the scenario: step-up's fraud_fail_probability (one
// value for every typology, resolved as each typology's), review's reviewers and shifts (resolved
// as reviewers by hour), shocks, a campaign's kind and markets, and a market's risk strategies.
#include <span>

#include "scenario/config_key.hpp"
#include "world/incentive_campaign.hpp"
#include "world/world_config.hpp"

namespace p2psim {

std::span<const ConfigKey<SimulationConfig>> simulation_keys();
// A market's own keys, in two lists around its `rate` table: the resolved scenario has always
// listed currency and reference_rate before `rate`, payment_window_minutes after it.
std::span<const ConfigKey<MarketConfig>> market_keys();
std::span<const ConfigKey<MarketConfig>> market_keys_after_rate();
std::span<const ConfigKey<PaymentMethodConfig>> payment_method_keys();
std::span<const ConfigKey<UserConfig>> user_keys();
std::span<const ConfigKey<ChurnConfig>> churn_keys();
std::span<const ConfigKey<MerchantConfig>> merchant_keys();
std::span<const ConfigKey<SupportConfig>> support_keys();
// Kinds are FraudTypology values: some keys belong to some typologies only.
std::span<const ConfigKey<FraudTypologyConfig>> fraud_typology_keys();
std::span<const ConfigKey<ReferenceRateConfig>> rate_keys();
std::span<const ConfigKey<ScheduledRateJump>> scheduled_jump_keys();
std::span<const ConfigKey<CancellationRuleConfig>> cancellation_keys();
std::span<const ConfigKey<MerchantEligibilityConfig>> merchant_eligibility_keys();
std::span<const ConfigKey<MerchantTierConfig>> merchant_tier_keys();
std::span<const ConfigKey<FeeConfig>> fee_keys();
std::span<const ConfigKey<IncentiveResponseConfig>> incentive_response_keys();
std::span<const ConfigKey<StepUpConfig>> step_up_keys();
// Read from step_up's fraud_fail_probability_by_typology table, where they are resolved.
std::span<const ConfigKey<StepUpConfig>> step_up_typology_keys();
std::span<const ConfigKey<ReviewConfig>> review_keys();
// The terms every campaign has after its kind and markets (read by hand: the kind picks the
// factory, the markets are codes of this scenario's markets); the kind's own keys follow.
std::span<const ConfigKey<CampaignTerms>> campaign_term_keys();

}  // namespace p2psim
