#include "scenario/scenario_keys.hpp"

#include <array>

#include "scenario/key_ranges.hpp"

namespace p2psim {
namespace {

using namespace scenario_detail;  // NOLINT: the ranges

// Fraud typologies by bit (FraudTypology's order): which typologies read a key.
constexpr std::uint32_t kPaymentReversal = 1u << 1;
constexpr std::uint32_t kPromotionAbuse = 1u << 3;
constexpr std::uint32_t kAccountTakeover = 1u << 4;
constexpr std::uint32_t kMuleStructuring = 1u << 5;
constexpr std::uint32_t kMerchantExitScam = 1u << 6;
constexpr std::uint32_t kAllTypologies = (1u << 7) - 1;

}  // namespace

std::span<const ConfigKey<SimulationConfig>> simulation_keys() {
  using C = SimulationConfig;
  static constexpr std::array<ConfigKey<C>, 4> kKeys = {
      integer_key("days", &C::days, kDays),
      integer_key("warmup_days", &C::warmup_days, kWarmupDays),
      integer_key("seed", &C::seed, kSeed),
      integer_key("replications", &C::replications, kReplications),
  };
  return kKeys;
}

std::span<const ConfigKey<PaymentMethodConfig>> payment_method_keys() {
  using C = PaymentMethodConfig;
  static constexpr std::array<ConfigKey<C>, 11> kKeys = {
      text_key("name", &C::name, true),
      number_key("share", &C::share, kPositive),
      number_key("settlement_minutes", &C::settlement_minutes, kNonNegative),
      flag_key("reversible", &C::reversible),
      number_key("reversal_window_days", &C::reversal_window_days, kNonNegative),
      number_key("reversal_probability", &C::reversal_probability, kProbability),
      number_key("min_order_usd", &C::min_order_usd, kNonNegative),
      number_key("max_order_usd", &C::max_order_usd, kPositive),
      number_key("freeze_probability", &C::freeze_probability, kProbability),
      number_key("freeze_days_mean", &C::freeze_days_mean, kPositive),
      flag_key("enabled", &C::enabled),
  };
  return kKeys;
}

std::span<const ConfigKey<UserConfig>> user_keys() {
  using C = UserConfig;
  static constexpr WeightsField<C> kHourly{
      [](C& users) -> std::span<double> { return users.profile.hourly; }};
  static constexpr WeightsField<C> kWeekly{
      [](C& users) -> std::span<double> { return users.profile.weekly; }};
  static constexpr WeightsField<C> kTiers{
      [](C& users) -> std::span<double> { return users.kyc_tier_shares; }};
  static constexpr std::array<ConfigKey<C>, 32> kKeys = {
      integer_key("initial_users", &C::initial_users, kAnyCount),
      number_key("daily_visitors", &C::daily_visitors, kNonNegative),
      ConfigKey<C>{.name = "hourly_profile", .field = kHourly, .resolved_name = "profile.hourly"},
      ConfigKey<C>{.name = "weekly_profile", .field = kWeekly, .resolved_name = "profile.weekly"},
      number_key("registration_probability", &C::registration_probability, kProbability),
      number_key("kyc_pass_probability", &C::kyc_pass_probability, kProbability),
      number_key("first_order_hours", &C::first_order_hours, kPositive),
      number_key("buy_share", &C::buy_share, kShare),
      number_key("extra_payment_method_probability", &C::extra_payment_method_probability,
                 kProbability),
      number_key("order_usd_median", &C::order_usd_median, kPositive),
      number_key("order_usd_sigma", &C::order_usd_sigma, kSigma),
      number_key("days_between_orders", &C::days_between_orders, kPositive),
      number_key("pay_minutes_median", &C::pay_minutes_median, kPositive),
      number_key("pay_minutes_sigma", &C::pay_minutes_sigma, kSigma),
      number_key("cancel_probability", &C::cancel_probability, kProbability),
      number_key("abandon_probability", &C::abandon_probability, kProbability),
      number_key("patience_minutes_median", &C::patience_minutes_median, kPositive),
      number_key("patience_minutes_sigma", &C::patience_minutes_sigma, kSigma),
      number_key("release_minutes_median", &C::release_minutes_median, kPositive),
      number_key("price_sensitivity", &C::price_sensitivity, kNonNegative),
      number_key("quality_sensitivity", &C::quality_sensitivity, kNonNegative),
      integer_key("ads_viewed", &C::ads_viewed, kAdsViewed),
      number_key("devaluation_demand_factor", &C::devaluation_demand_factor, kNonNegative),
      number_key("max_demand_multiplier", &C::max_demand_multiplier, kAtLeastOne),
      number_key("referrals_per_user", &C::referrals_per_user, kNonNegative),
      number_key("referral_delay_days", &C::referral_delay_days, kPositive),
      ConfigKey<C>{.name = "kyc_tier_shares", .field = kTiers},
      number_key("kyc_tier0_max_order_usd", &C::kyc_tier0_max_order_usd, kPositive),
      number_key("kyc_tier1_max_order_usd", &C::kyc_tier1_max_order_usd, kPositive),
      number_key("initial_account_age_days", &C::initial_account_age_days, kPositive),
      number_key("shared_device_share", &C::shared_device_share, kShare),
      number_key("shared_bank_account_share", &C::shared_bank_account_share, kShare),
  };
  return kKeys;
}

std::span<const ConfigKey<ChurnConfig>> churn_keys() {
  using C = ChurnConfig;
  static constexpr std::array<ConfigKey<C>, 6> kKeys = {
      number_key("base_probability", &C::base_probability, kProbability),
      number_key("weight_failed", &C::weight_failed, kNonNegative),
      number_key("weight_slow", &C::weight_slow, kNonNegative),
      number_key("weight_blocked", &C::weight_blocked, kNonNegative),
      number_key("weight_disputed", &C::weight_disputed, kNonNegative),
      number_key("half_life_days", &C::half_life_days, kPositive),
  };
  return kKeys;
}

std::span<const ConfigKey<MerchantConfig>> merchant_keys() {
  using C = MerchantConfig;
  static constexpr std::array<ConfigKey<C>, 24> kKeys = {
      integer_key("count", &C::count, kPositiveCount),
      number_key("margin_bps_mean", &C::margin_bps_mean, kMarginBps),
      number_key("margin_bps_sd", &C::margin_bps_sd, kNonNegative),
      number_key("min_margin_bps", &C::min_margin_bps, kMarginBps),
      number_key("usdt_inventory", &C::usdt_inventory, kInventory),
      number_key("fiat_inventory_usd", &C::fiat_inventory_usd, kInventory),
      number_key("min_order_usd", &C::min_order_usd, kOrderUsd),
      number_key("max_order_usd", &C::max_order_usd, kOrderUsd),
      integer_key("capacity", &C::capacity, kPositiveCount),
      integer_key("payment_methods_each", &C::payment_methods_each, kPositiveCount),
      number_key("release_minutes_median", &C::release_minutes_median, kPositive),
      number_key("release_minutes_sigma", &C::release_minutes_sigma, kSigma),
      number_key("pay_minutes_median", &C::pay_minutes_median, kPositive),
      number_key("careless_release_probability", &C::careless_release_probability, kProbability),
      integer_key("online_hours", &C::online_hours, kHoursOfDay),
      number_key("deposit_usdt", &C::deposit_usdt, kNonNegative),
      number_key("daily_cost_usd", &C::daily_cost_usd, kNonNegative),
      integer_key("exit_after_days", &C::exit_after_days, kOptionalWindowDays),
      integer_key("max_entrants", &C::max_entrants, kEntrants),
      number_key("entry_per_day", &C::entry_per_day, kNonNegative),
      number_key("entry_per_day_per_bps", &C::entry_per_day_per_bps, kNonNegative),
      number_key("entry_spread_threshold_bps", &C::entry_spread_threshold_bps, kNonNegative),
      number_key("volatility_margin_factor", &C::volatility_margin_factor, kNonNegative),
      number_key("inventory_margin_bps", &C::inventory_margin_bps, kInventoryMarginBps),
  };
  return kKeys;
}

std::span<const ConfigKey<SupportConfig>> support_keys() {
  using C = SupportConfig;
  static constexpr std::array<ConfigKey<C>, 2> kKeys = {
      integer_key("agents", &C::agents, kPositiveCount),
      number_key("resolution_minutes_mean", &C::resolution_minutes_mean, kPositive),
  };
  return kKeys;
}

// In the order the resolved scenario has always listed them; `bearer`, whose allowed values
// depend on the typology, is read and written by hand after these.
std::span<const ConfigKey<FraudTypologyConfig>> fraud_typology_keys() {
  using C = FraudTypologyConfig;
  constexpr std::uint32_t kAttackers = kAllTypologies & ~kMerchantExitScam;
  // Fraud that surfaces through a complaint, a reconciliation or a freeze.
  constexpr std::uint32_t kRevealed = kAllTypologies & ~kPaymentReversal & ~kPromotionAbuse;
  static constexpr std::array<ConfigKey<C>, 18> kKeys = {
      number_key("accounts_per_day", &C::accounts_per_day, kNonNegative),
      number_key("attempts_per_account", &C::attempts_per_account, kAttempts, kAttackers),
      number_key("hours_between_attempts", &C::hours_between_attempts, kPositive, kAttackers),
      number_key("order_usd_median", &C::order_usd_median, kPositive, kAttackers),
      number_key("order_usd_sigma", &C::order_usd_sigma, kSigma, kAttackers),
      number_key("adaptation_speed", &C::adaptation_speed, kProbability, kAttackers),
      number_key("aging_days", &C::aging_days, kNonNegative, kAttackers),
      number_key("reversal_delay_days", &C::reversal_delay_days, kPositive, kPaymentReversal),
      number_key("reveal_delay_days", &C::reveal_delay_days, kPositive, kRevealed),
      number_key("ring_size_mean", &C::ring_size_mean, kRingSize, kPromotionAbuse),
      number_key("reference_bonus_usd", &C::reference_bonus_usd, kPositive, kPromotionAbuse),
      number_key("account_age_days_median", &C::account_age_days_median, kPositive,
                 kAccountTakeover),
      number_key("night_probability", &C::night_probability, kProbability, kAccountTakeover),
      number_key("threshold_usd", &C::threshold_usd, kMuleThreshold, kMuleStructuring),
      number_key("reveal_probability", &C::reveal_probability, kProbability, kMuleStructuring),
      number_key("reputation_orders", &C::reputation_orders, kNonNegative, kMerchantExitScam),
      number_key("exit_hours", &C::exit_hours, kPositive, kMerchantExitScam),
      number_key("victim_release_probability", &C::victim_release_probability, kProbability,
                 kMerchantExitScam),
  };
  return kKeys;
}

// The random path's keys; scheduled jumps name days of the run and are read by hand.
std::span<const ConfigKey<ReferenceRateConfig>> rate_keys() {
  using C = ReferenceRateConfig;
  static constexpr std::array<ConfigKey<C>, 4> kKeys = {
      number_key("drift_per_year", &C::drift_per_year, kDriftPerYear),
      number_key("volatility_per_year", &C::volatility_per_year, kVolatilityPerYear),
      number_key("jumps_per_year", &C::jumps_per_year, kNonNegative),
      number_key("jump_mean", &C::jump_mean, kNonNegative),
  };
  return kKeys;
}

std::span<const ConfigKey<CancellationRuleConfig>> cancellation_keys() {
  using C = CancellationRuleConfig;
  static constexpr std::array<ConfigKey<C>, 3> kKeys = {
      integer_key("max_cancels_before_paying", &C::max_cancels_before_paying, kCancelLimit),
      integer_key("max_cancels_after_marking_paid", &C::max_cancels_after_marking_paid,
                  kCancelLimit),
      ConfigKey<C>{.name = "ban_minutes", .field = &C::ban_minutes, .number = kBanMinutes},
  };
  return kKeys;
}

std::span<const ConfigKey<MerchantEligibilityConfig>> merchant_eligibility_keys() {
  using C = MerchantEligibilityConfig;
  static constexpr std::array<ConfigKey<C>, 7> kKeys = {
      flag_key("enabled", &C::enabled),
      number_key("min_deposit_usdt", &C::min_deposit_usdt, kNonNegative),
      number_key("min_completion_rate", &C::min_completion_rate, kShare),
      integer_key("min_orders", &C::min_orders, kAnyCount),
      integer_key("window_days", &C::window_days, kWindowDays),
      integer_key("probation_days", &C::probation_days, kRuleDays),
      integer_key("suspension_days", &C::suspension_days, kPositiveRuleDays),
  };
  return kKeys;
}

std::span<const ConfigKey<MerchantTierConfig>> merchant_tier_keys() {
  using C = MerchantTierConfig;
  static constexpr std::array<ConfigKey<C>, 5> kKeys = {
      text_key("name", &C::name, true),
      integer_key("min_completed_orders", &C::min_completed_orders, kAnyCount),
      number_key("min_completion_rate", &C::min_completion_rate, kShare),
      number_key("min_deposit_usdt", &C::min_deposit_usdt, kNonNegative),
      number_key("max_order_usd", &C::max_order_usd, kPositive),
  };
  return kKeys;
}

std::span<const ConfigKey<FeeConfig>> fee_keys() {
  using C = FeeConfig;
  static constexpr std::array<ConfigKey<C>, 2> kKeys = {
      number_key("maker_bps", &C::maker_bps, kFeeBps),
      number_key("taker_bps", &C::taker_bps, kFeeBps),
  };
  return kKeys;
}

std::span<const ConfigKey<IncentiveResponseConfig>> incentive_response_keys() {
  using C = IncentiveResponseConfig;
  static constexpr std::array<ConfigKey<C>, 5> kKeys = {
      number_key("first_order_probability", &C::first_order_probability, kProbability),
      number_key("bonus_half_response_usd", &C::bonus_half_response_usd, kPositive),
      number_key("referral_max_uplift", &C::referral_max_uplift, kUplift),
      number_key("referral_half_response_usd", &C::referral_half_response_usd, kPositive),
      number_key("fee_waiver_elasticity", &C::fee_waiver_elasticity, kUplift),
  };
  return kKeys;
}

// The fail probabilities, one for all typologies and one per typology, are read by hand.
std::span<const ConfigKey<StepUpConfig>> step_up_keys() {
  using C = StepUpConfig;
  static constexpr std::array<ConfigKey<C>, 1> kKeys = {
      number_key("abandon_probability", &C::abandon_probability, kProbability),
  };
  return kKeys;
}

// Reviewers on shift are read by hand (`reviewers` and `shifts` add up by hour).
std::span<const ConfigKey<ReviewConfig>> review_keys() {
  using C = ReviewConfig;
  static constexpr std::array<ConfigKey<C>, 4> kKeys = {
      number_key("review_minutes_mean", &C::review_minutes_mean, kPositive),
      number_key("detection_probability", &C::detection_probability, kProbability),
      number_key("false_block_probability", &C::false_block_probability, kProbability),
      number_key("abandon_after_minutes_mean", &C::abandon_after_minutes_mean, kPositive),
  };
  return kKeys;
}

}  // namespace p2psim
