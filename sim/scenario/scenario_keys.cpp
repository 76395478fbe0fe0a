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
      integer_key("days", &C::days, kDays, "days"),
      integer_key("warmup_days", &C::warmup_days, kWarmupDays, "days"),
      integer_key("seed", &C::seed, kSeed, ""),
      integer_key("replications", &C::replications, kReplications, "runs"),
  };
  return kKeys;
}

std::span<const ConfigKey<PaymentMethodConfig>> payment_method_keys() {
  using C = PaymentMethodConfig;
  static constexpr std::array<ConfigKey<C>, 11> kKeys = {
      text_key("name", &C::name, true),
      number_key("share", &C::share, kPositive, "relative weight"),
      number_key("settlement_minutes", &C::settlement_minutes, kNonNegative, "minutes"),
      flag_key("reversible", &C::reversible),
      number_key("reversal_window_days", &C::reversal_window_days, kNonNegative, "days"),
      number_key("reversal_probability", &C::reversal_probability, kProbability, "probability"),
      number_key("min_order_usd", &C::min_order_usd, kNonNegative, "USD"),
      number_key("max_order_usd", &C::max_order_usd, kPositive, "USD"),
      number_key("freeze_probability", &C::freeze_probability, kProbability, "probability"),
      number_key("freeze_days_mean", &C::freeze_days_mean, kPositive, "days"),
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
      integer_key("initial_users", &C::initial_users, kAnyCount, "users"),
      number_key("daily_visitors", &C::daily_visitors, kNonNegative, "visitors per day"),
      ConfigKey<C>{.name = "hourly_profile",
                   .field = kHourly,
                   .unit = "relative weight",
                   .resolved_name = "profile.hourly"},
      ConfigKey<C>{.name = "weekly_profile",
                   .field = kWeekly,
                   .unit = "relative weight",
                   .resolved_name = "profile.weekly"},
      number_key("registration_probability", &C::registration_probability, kProbability,
                 "probability"),
      number_key("kyc_pass_probability", &C::kyc_pass_probability, kProbability, "probability"),
      number_key("first_order_hours", &C::first_order_hours, kPositive, "hours"),
      number_key("buy_share", &C::buy_share, kShare, "share"),
      number_key("extra_payment_method_probability", &C::extra_payment_method_probability,
                 kProbability, "probability"),
      number_key("order_usd_median", &C::order_usd_median, kPositive, "USD"),
      number_key("order_usd_sigma", &C::order_usd_sigma, kSigma, "log scale"),
      number_key("days_between_orders", &C::days_between_orders, kPositive, "days"),
      number_key("pay_minutes_median", &C::pay_minutes_median, kPositive, "minutes"),
      number_key("pay_minutes_sigma", &C::pay_minutes_sigma, kSigma, "log scale"),
      number_key("cancel_probability", &C::cancel_probability, kProbability, "probability"),
      number_key("abandon_probability", &C::abandon_probability, kProbability, "probability"),
      number_key("patience_minutes_median", &C::patience_minutes_median, kPositive, "minutes"),
      number_key("patience_minutes_sigma", &C::patience_minutes_sigma, kSigma, "log scale"),
      number_key("release_minutes_median", &C::release_minutes_median, kPositive, "minutes"),
      number_key("price_sensitivity", &C::price_sensitivity, kNonNegative,
                 "logit weight per 100 bps"),
      number_key("quality_sensitivity", &C::quality_sensitivity, kNonNegative, "logit weight"),
      integer_key("ads_viewed", &C::ads_viewed, kAdsViewed, "ads"),
      number_key("devaluation_demand_factor", &C::devaluation_demand_factor, kNonNegative,
                 "multiplier per unit of depreciation"),
      number_key("max_demand_multiplier", &C::max_demand_multiplier, kAtLeastOne, "multiplier"),
      number_key("referrals_per_user", &C::referrals_per_user, kNonNegative, "visitors"),
      number_key("referral_delay_days", &C::referral_delay_days, kPositive, "days"),
      ConfigKey<C>{.name = "kyc_tier_shares", .field = kTiers, .unit = "relative weight"},
      number_key("kyc_tier0_max_order_usd", &C::kyc_tier0_max_order_usd, kPositive, "USD"),
      number_key("kyc_tier1_max_order_usd", &C::kyc_tier1_max_order_usd, kPositive, "USD"),
      number_key("initial_account_age_days", &C::initial_account_age_days, kPositive, "days"),
      number_key("shared_device_share", &C::shared_device_share, kShare, "share"),
      number_key("shared_bank_account_share", &C::shared_bank_account_share, kShare, "share"),
  };
  return kKeys;
}

std::span<const ConfigKey<ChurnConfig>> churn_keys() {
  using C = ChurnConfig;
  static constexpr std::array<ConfigKey<C>, 6> kKeys = {
      number_key("base_probability", &C::base_probability, kProbability, "probability"),
      number_key("weight_failed", &C::weight_failed, kNonNegative, "hazard weight"),
      number_key("weight_slow", &C::weight_slow, kNonNegative, "hazard weight"),
      number_key("weight_blocked", &C::weight_blocked, kNonNegative, "hazard weight"),
      number_key("weight_disputed", &C::weight_disputed, kNonNegative, "hazard weight"),
      number_key("half_life_days", &C::half_life_days, kPositive, "days"),
  };
  return kKeys;
}

std::span<const ConfigKey<MerchantConfig>> merchant_keys() {
  using C = MerchantConfig;
  static constexpr std::array<ConfigKey<C>, 24> kKeys = {
      integer_key("count", &C::count, kPositiveCount, "merchants"),
      number_key("margin_bps_mean", &C::margin_bps_mean, kMarginBps, "basis points"),
      number_key("margin_bps_sd", &C::margin_bps_sd, kNonNegative, "basis points"),
      number_key("min_margin_bps", &C::min_margin_bps, kMarginBps, "basis points"),
      number_key("usdt_inventory", &C::usdt_inventory, kInventory, "USDT"),
      number_key("fiat_inventory_usd", &C::fiat_inventory_usd, kInventory, "USD"),
      number_key("min_order_usd", &C::min_order_usd, kOrderUsd, "USD"),
      number_key("max_order_usd", &C::max_order_usd, kOrderUsd, "USD"),
      integer_key("capacity", &C::capacity, kPositiveCount, "orders"),
      integer_key("payment_methods_each", &C::payment_methods_each, kPositiveCount, "methods"),
      number_key("release_minutes_median", &C::release_minutes_median, kPositive, "minutes"),
      number_key("release_minutes_sigma", &C::release_minutes_sigma, kSigma, "log scale"),
      number_key("pay_minutes_median", &C::pay_minutes_median, kPositive, "minutes"),
      number_key("careless_release_probability", &C::careless_release_probability, kProbability,
                 "probability"),
      integer_key("online_hours", &C::online_hours, kHoursOfDay, "hours"),
      number_key("deposit_usdt", &C::deposit_usdt, kNonNegative, "USDT"),
      number_key("daily_cost_usd", &C::daily_cost_usd, kNonNegative, "USD per day"),
      integer_key("exit_after_days", &C::exit_after_days, kOptionalWindowDays, "days"),
      integer_key("max_entrants", &C::max_entrants, kEntrants, "merchants"),
      number_key("entry_per_day", &C::entry_per_day, kNonNegative, "merchants per day"),
      number_key("entry_per_day_per_bps", &C::entry_per_day_per_bps, kNonNegative,
                 "merchants per day per bps"),
      number_key("entry_spread_threshold_bps", &C::entry_spread_threshold_bps, kNonNegative,
                 "basis points"),
      number_key("volatility_margin_factor", &C::volatility_margin_factor, kNonNegative,
                 "bps of margin per bp of rate move"),
      number_key("inventory_margin_bps", &C::inventory_margin_bps, kInventoryMarginBps,
                 "basis points"),
  };
  return kKeys;
}

std::span<const ConfigKey<SupportConfig>> support_keys() {
  using C = SupportConfig;
  static constexpr std::array<ConfigKey<C>, 2> kKeys = {
      integer_key("agents", &C::agents, kPositiveCount, "agents"),
      number_key("resolution_minutes_mean", &C::resolution_minutes_mean, kPositive, "minutes"),
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
      number_key("accounts_per_day", &C::accounts_per_day, kNonNegative, "accounts per day"),
      number_key("attempts_per_account", &C::attempts_per_account, kAttempts, "attempts",
                 kAttackers),
      number_key("hours_between_attempts", &C::hours_between_attempts, kPositive, "hours",
                 kAttackers),
      number_key("order_usd_median", &C::order_usd_median, kPositive, "USD", kAttackers),
      number_key("order_usd_sigma", &C::order_usd_sigma, kSigma, "log scale", kAttackers),
      number_key("adaptation_speed", &C::adaptation_speed, kProbability, "weight", kAttackers),
      number_key("aging_days", &C::aging_days, kNonNegative, "days", kAttackers),
      number_key("reversal_delay_days", &C::reversal_delay_days, kPositive, "days",
                 kPaymentReversal),
      number_key("reveal_delay_days", &C::reveal_delay_days, kPositive, "days", kRevealed),
      number_key("ring_size_mean", &C::ring_size_mean, kRingSize, "accounts", kPromotionAbuse),
      number_key("reference_bonus_usd", &C::reference_bonus_usd, kPositive, "USD", kPromotionAbuse),
      number_key("account_age_days_median", &C::account_age_days_median, kPositive, "days",
                 kAccountTakeover),
      number_key("night_probability", &C::night_probability, kProbability, "probability",
                 kAccountTakeover),
      number_key("threshold_usd", &C::threshold_usd, kMuleThreshold, "USD", kMuleStructuring),
      number_key("reveal_probability", &C::reveal_probability, kProbability, "probability",
                 kMuleStructuring),
      number_key("reputation_orders", &C::reputation_orders, kNonNegative, "orders",
                 kMerchantExitScam),
      number_key("exit_hours", &C::exit_hours, kPositive, "hours", kMerchantExitScam),
      number_key("victim_release_probability", &C::victim_release_probability, kProbability,
                 "probability", kMerchantExitScam),
  };
  return kKeys;
}

// The random path's keys; scheduled jumps name days of the run and are read by hand.
std::span<const ConfigKey<ReferenceRateConfig>> rate_keys() {
  using C = ReferenceRateConfig;
  static constexpr std::array<ConfigKey<C>, 4> kKeys = {
      number_key("drift_per_year", &C::drift_per_year, kDriftPerYear, "per year"),
      number_key("volatility_per_year", &C::volatility_per_year, kVolatilityPerYear,
                 "per square root of a year"),
      number_key("jumps_per_year", &C::jumps_per_year, kNonNegative, "jumps per year"),
      number_key("jump_mean", &C::jump_mean, kNonNegative, "relative change"),
  };
  return kKeys;
}

std::span<const ConfigKey<CancellationRuleConfig>> cancellation_keys() {
  using C = CancellationRuleConfig;
  static constexpr std::array<ConfigKey<C>, 3> kKeys = {
      integer_key("max_cancels_before_paying", &C::max_cancels_before_paying, kCancelLimit,
                  "orders per day"),
      integer_key("max_cancels_after_marking_paid", &C::max_cancels_after_marking_paid,
                  kCancelLimit, "orders per day"),
      ConfigKey<C>{.name = "ban_minutes",
                   .field = &C::ban_minutes,
                   .unit = "minutes",
                   .number = kBanMinutes},
  };
  return kKeys;
}

std::span<const ConfigKey<MerchantEligibilityConfig>> merchant_eligibility_keys() {
  using C = MerchantEligibilityConfig;
  static constexpr std::array<ConfigKey<C>, 7> kKeys = {
      flag_key("enabled", &C::enabled),
      number_key("min_deposit_usdt", &C::min_deposit_usdt, kNonNegative, "USDT"),
      number_key("min_completion_rate", &C::min_completion_rate, kShare, "share"),
      integer_key("min_orders", &C::min_orders, kAnyCount, "orders"),
      integer_key("window_days", &C::window_days, kWindowDays, "days"),
      integer_key("probation_days", &C::probation_days, kRuleDays, "days"),
      integer_key("suspension_days", &C::suspension_days, kPositiveRuleDays, "days"),
  };
  return kKeys;
}

std::span<const ConfigKey<MerchantTierConfig>> merchant_tier_keys() {
  using C = MerchantTierConfig;
  static constexpr std::array<ConfigKey<C>, 5> kKeys = {
      text_key("name", &C::name, true),
      integer_key("min_completed_orders", &C::min_completed_orders, kAnyCount, "orders"),
      number_key("min_completion_rate", &C::min_completion_rate, kShare, "share"),
      number_key("min_deposit_usdt", &C::min_deposit_usdt, kNonNegative, "USDT"),
      number_key("max_order_usd", &C::max_order_usd, kPositive, "USD"),
  };
  return kKeys;
}

std::span<const ConfigKey<FeeConfig>> fee_keys() {
  using C = FeeConfig;
  static constexpr std::array<ConfigKey<C>, 2> kKeys = {
      number_key("maker_bps", &C::maker_bps, kFeeBps, "bps of the order's USD amount"),
      number_key("taker_bps", &C::taker_bps, kFeeBps, "bps of the order's USD amount"),
  };
  return kKeys;
}

std::span<const ConfigKey<IncentiveResponseConfig>> incentive_response_keys() {
  using C = IncentiveResponseConfig;
  static constexpr std::array<ConfigKey<C>, 5> kKeys = {
      number_key("first_order_probability", &C::first_order_probability, kProbability,
                 "probability"),
      number_key("bonus_half_response_usd", &C::bonus_half_response_usd, kPositive, "USD"),
      number_key("referral_max_uplift", &C::referral_max_uplift, kUplift, "multiple"),
      number_key("referral_half_response_usd", &C::referral_half_response_usd, kPositive, "USD"),
      number_key("fee_waiver_elasticity", &C::fee_waiver_elasticity, kUplift, "per 100 bps"),
  };
  return kKeys;
}

// The fail probabilities, one for all typologies and one per typology, are read by hand.
std::span<const ConfigKey<StepUpConfig>> step_up_keys() {
  using C = StepUpConfig;
  static constexpr std::array<ConfigKey<C>, 1> kKeys = {
      number_key("abandon_probability", &C::abandon_probability, kProbability, "probability"),
  };
  return kKeys;
}

// Reviewers on shift are read by hand (`reviewers` and `shifts` add up by hour).
std::span<const ConfigKey<ReviewConfig>> review_keys() {
  using C = ReviewConfig;
  static constexpr std::array<ConfigKey<C>, 4> kKeys = {
      number_key("review_minutes_mean", &C::review_minutes_mean, kPositive, "minutes"),
      number_key("detection_probability", &C::detection_probability, kProbability, "probability"),
      number_key("false_block_probability", &C::false_block_probability, kProbability,
                 "probability"),
      number_key("abandon_after_minutes_mean", &C::abandon_after_minutes_mean, kPositive,
                 "minutes"),
  };
  return kKeys;
}

}  // namespace p2psim
