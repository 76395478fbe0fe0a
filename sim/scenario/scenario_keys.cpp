#include "scenario/scenario_keys.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "metrics/kpi_counters.hpp"
#include "scenario/key_ranges.hpp"
#include "world/fraud_scheme.hpp"

namespace p2psim {
namespace {

using namespace scenario_detail;  // NOLINT: the ranges

// Fraud typologies by bit (FraudTypology's order): which typologies read a key. A key of one
// typology names it; a new typology reads every key the others share.
constexpr std::uint32_t bit(FraudTypology typology) {
  return 1u << static_cast<int>(typology);
}
constexpr std::uint32_t kPaymentReversal = bit(FraudTypology::kPaymentReversal);
constexpr std::uint32_t kPromotionAbuse = bit(FraudTypology::kPromotionAbuse);
constexpr std::uint32_t kAccountTakeover = bit(FraudTypology::kAccountTakeover);
constexpr std::uint32_t kMuleStructuring = bit(FraudTypology::kMuleStructuring);
constexpr std::uint32_t kMerchantExitScam = bit(FraudTypology::kMerchantExitScam);
constexpr std::uint32_t kAllTypologies = (1u << kFraudTypologyCount) - 1;
// A merchant accepts at most every method a market may have.
constexpr IntegerRange kMethodsEach{1, static_cast<std::int64_t>(kMaxPaymentMethods)};
// Open orders a merchant handles at once: a hundred thousand is a whole market's desk; the
// estimates sized from it (fraud orders of exit scams) stay within memory.
constexpr IntegerRange kCapacity{1, 100000};
static_assert(kFraudTypologyCount <= 32, "a key's typologies are bits of a 32-bit mask");

}  // namespace

std::span<const ConfigKey<SimulationConfig>> simulation_keys() {
  using C = SimulationConfig;
  static constexpr std::array<ConfigKey<C>, 4> kKeys = {
      integer_key("days", &C::days, kDays, "days", "length of the simulated period"),
      integer_key("warmup_days", &C::warmup_days, kWarmupDays, "days",
                  "first days left out of the KPIs while the market fills up"),
      integer_key("seed", &C::seed, kSeed, "", "random seed: the same seed gives the same results"),
      integer_key(
          "replications", &C::replications, kReplications, "runs",
          "independent re-runs of the whole period; their spread shows the noise in a result"),
  };
  return kKeys;
}

// The currency code's format is checked once the whole market is read.
std::span<const ConfigKey<MarketConfig>> market_keys() {
  using C = MarketConfig;
  static constexpr std::array<ConfigKey<C>, 2> kKeys = {
      text_key("currency", &C::currency, "ISO code of the fiat currency, e.g. `\"NGN\"`", true),
      required(
          number_key("reference_rate", &C::reference_rate, kReferenceRate, "fiat per USDT",
                     "reference exchange rate ads are priced against at the start of the run")),
  };
  return kKeys;
}

std::span<const ConfigKey<MarketConfig>> market_keys_after_rate() {
  using C = MarketConfig;
  static constexpr std::array<ConfigKey<C>, 1> kKeys = {
      number_key("payment_window_minutes", &C::payment_window_minutes, kPaymentWindow, "minutes",
                 "time a buyer has to pay after opening an order"),
  };
  return kKeys;
}

std::span<const ConfigKey<PaymentMethodConfig>> payment_method_keys() {
  using C = PaymentMethodConfig;
  static constexpr std::array<ConfigKey<C>, 13> kKeys = {
      text_key("name", &C::name, "identifies the method in outputs", true),
      number_key("share", &C::share, kRelativeWeight, "relative weight",
                 "relative share of users and ads using it (shares need not add up to 1)"),
      number_key("settlement_minutes", &C::settlement_minutes, kMinutesOrZero, "minutes",
                 "mean time for the fiat to reach the receiver (exponentially distributed)"),
      flag_key("reversible", &C::reversible, "can the payer claw the fiat back after release?"),
      number_key("reversal_window_days", &C::reversal_window_days, kDurationOrZero, "days",
                 "how long after payment a reversal can still happen"),
      number_key("reversal_probability", &C::reversal_probability, kProbability, "probability",
                 "chance that a chargeback claimed on this method is granted"),
      number_key("min_order_usd", &C::min_order_usd, kOrderUsdOrZero, "USD",
                 "smallest order the method carries"),
      number_key("max_order_usd", &C::max_order_usd, kOrderUsd, "USD",
                 "largest order the method carries"),
      number_key(
          "freeze_probability", &C::freeze_probability, kProbability, "probability",
          "chance that tainted fiat reaching a merchant's account for this method gets it frozen"),
      number_key("freeze_days_mean", &C::freeze_days_mean, kDuration, "days",
                 "mean duration of a freeze of a merchant's account (exponentially distributed)"),
      flag_key("enabled", &C::enabled,
               "platform rule: when `false`, ads are not shown for this method"),
      text_key("bank_account", &C::bank_account,
               "methods of a market with the same bank_account share one bank account of each "
               "merchant: a freeze of it stops all of them"),
      flag_key("recovery_limited_to_balance", &C::recovery_limited_to_balance,
               "a chargeback or recall takes back only what the merchant's receiving account "
               "holds when it lands"),
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
  static constexpr std::array<ConfigKey<C>, 43> kKeys = {
      integer_key("initial_users", &C::initial_users, kAnyCount, "users",
                  "verified users already on the platform at day 0"),
      number_key("daily_visitors", &C::daily_visitors, kPerDay, "visitors per day",
                 "mean arrivals per day at the top of the funnel"),
      weights_key("hourly_profile", kHourly, "relative weight",
                  "relative intensity by hour of day (first entry = 00:00-01:00)",
                  "profile.hourly"),
      weights_key("weekly_profile", kWeekly, "relative weight",
                  "relative intensity by day of week (first entry = Monday)", "profile.weekly"),
      number_key("registration_probability", &C::registration_probability, kProbability,
                 "probability", "chance a visitor registers"),
      number_key("kyc_pass_probability", &C::kyc_pass_probability, kProbability, "probability",
                 "chance a registered user passes identity verification (KYC)"),
      number_key("first_order_hours", &C::first_order_hours, kHours, "hours",
                 "mean delay from verification to the first order attempt"),
      number_key("buy_share", &C::buy_share, kShare, "share",
                 "share of users who buy USDT; the rest sell"),
      number_key("extra_payment_method_probability", &C::extra_payment_method_probability,
                 kProbability, "probability",
                 "chance a user holds one more payment method, asked again after each extra one"),
      number_key("order_usd_median", &C::order_usd_median, kOrderUsd, "USD",
                 "median order size (order sizes are lognormal)"),
      number_key("order_usd_sigma", &C::order_usd_sigma, kSigma, "log scale",
                 "spread of all users' order sizes: the sigma of their logarithm"),
      number_key("days_between_orders", &C::days_between_orders, kDuration, "days",
                 "mean gap between a user's order attempts at the market's mean activity"),
      number_key("activity_sigma", &C::activity_sigma, kActivitySigma, "log scale",
                 "spread of users' own attempt rates: sigma of the log of each user's multiplier "
                 "of the market's rate (lognormal, mean 1; 0: every user alike)"),
      number_key("order_usd_persistence", &C::order_usd_persistence, kShare, "share",
                 "share of the variance of log order sizes that lies between users (each user's "
                 "own median); the rest varies from one order to the next"),
      number_key("pay_minutes_median", &C::pay_minutes_median, kMinutes, "minutes",
                 "median time a buyer takes to pay after creating the order (lognormal)"),
      number_key("pay_minutes_sigma", &C::pay_minutes_sigma, kSigma, "log scale",
                 "spread of the buyer's paying time: the sigma of its logarithm"),
      number_key("cancel_probability", &C::cancel_probability, kProbability, "probability",
                 "chance a genuine buyer cancels before paying"),
      number_key("abandon_probability", &C::abandon_probability, kProbability, "probability",
                 "chance a buyer walks away and the order expires"),
      number_key("retry_after_cancel_probability", &C::retry_after_cancel_probability, kProbability,
                 "probability", "chance a buyer who cancelled tries another ad in the same visit"),
      number_key("retry_minutes_mean", &C::retry_minutes_mean, kMinutes, "minutes",
                 "mean delay of that retry (exponential)"),
      number_key("cancel_again_probability", &C::cancel_again_probability, kProbability,
                 "probability", "chance a retrying buyer cancels before paying again"),
      number_key("cancel_when_slow_probability", &C::cancel_when_slow_probability, kProbability,
                 "probability",
                 "chance a buyer who paid and ran out of patience presses cancel instead of "
                 "appeal: a dispute that also counts against the cancellation limits"),
      number_key("withdraw_hours_mean", &C::withdraw_hours_mean, kHours, "hours",
                 "mean time after a completed purchase at which a genuine buyer would withdraw "
                 "the USDT (exponential); a withdrawal lock delays them only beyond it"),
      number_key("third_party_payment_probability", &C::third_party_payment_probability,
                 kProbability, "probability",
                 "chance a genuine buyer pays from someone else's account (a merchant who checks "
                 "the payer's name refunds and disputes it)"),
      number_key("patience_minutes_median", &C::patience_minutes_median, kMinutes, "minutes",
                 "median patience: how long a user waits for the counterparty"),
      number_key("patience_minutes_sigma", &C::patience_minutes_sigma, kSigma, "log scale",
                 "spread of patience across users (lognormal, drawn once per user)"),
      number_key("release_minutes_median", &C::release_minutes_median, kMinutes, "minutes",
                 "median time a selling user takes to confirm receipt of the fiat"),
      number_key("price_sensitivity", &C::price_sensitivity, kWeight, "logit weight per 100 bps",
                 "how strongly users prefer cheaper ads, per 100 basis points of price difference"),
      number_key("quality_sensitivity", &C::quality_sensitivity, kWeight, "logit weight",
                 "how strongly users prefer merchants with a high completion rate"),
      integer_key("ads_viewed", &C::ads_viewed, kAdsViewed, "ads",
                  "eligible ads a user compares before choosing"),
      number_key("devaluation_demand_factor", &C::devaluation_demand_factor, kWeight,
                 "multiplier per unit of depreciation", "demand surge after a devaluation"),
      number_key("max_demand_multiplier", &C::max_demand_multiplier, kMultiplier, "multiplier",
                 "cap of the devaluation demand multiplier"),
      number_key("surge_decay_hours", &C::surge_decay_hours, kSurgeDecayHours, "hours",
                 "mean life of the remembered depreciation that drives the demand surge"),
      number_key("device_change_days_mean", &C::device_change_days_mean, kDuration, "days",
                 "mean time between a genuine user's changes of phone (exponential)"),
      number_key(
          "referrals_per_user", &C::referrals_per_user, kWeight, "visitors",
          "mean number of visitors a user refers after their first completed trade (Poisson)"),
      number_key("referral_delay_days", &C::referral_delay_days, kDuration, "days",
                 "mean delay from a referrer's first trade to each referred visitor's arrival"),
      weights_key("kyc_tier_shares", kTiers, "relative weight",
                  "relative shares of KYC tiers 0, 1 and 2, drawn for every account"),
      number_key("kyc_tier0_max_order_usd", &C::kyc_tier0_max_order_usd, kOrderUsd, "USD",
                 "largest order a tier-0 account may place"),
      number_key("kyc_tier1_max_order_usd", &C::kyc_tier1_max_order_usd, kOrderUsd, "USD",
                 "largest order a tier-1 account may place"),
      number_key("initial_account_age_days", &C::initial_account_age_days, kDuration, "days",
                 "mean age at day 0 of the accounts of `initial_users` (exponential)"),
      number_key(
          "shared_device_share", &C::shared_device_share, kShare, "share",
          "share of users who sign up on the device of the user who signed up just before them"),
      number_key("household_join_probability", &C::household_join_probability, kProbability,
                 "probability",
                 "chance a user who shares a device joins the latest shared one (a household "
                 "grows) instead of the previous sign-up's"),
      number_key(
          "shared_bank_account_share", &C::shared_bank_account_share, kShare, "share",
          "share of users who pay from the bank account of the user signed up just before them"),
  };
  return kKeys;
}

std::span<const ConfigKey<ChurnConfig>> churn_keys() {
  using C = ChurnConfig;
  static constexpr std::array<ConfigKey<C>, 6> kKeys = {
      number_key("base_probability", &C::base_probability, kProbability, "probability",
                 "chance of leaving after an order with no recent bad experience"),
      number_key("weight_failed", &C::weight_failed, kWeight, "hazard weight",
                 "weight of a failed attempt or order: no eligible ad, or expired"),
      number_key("weight_slow", &C::weight_slow, kWeight, "hazard weight",
                 "weight of a counterparty slower than the user's patience"),
      number_key("weight_blocked", &C::weight_blocked, kWeight, "hazard weight",
                 "weight of an attempt refused because the user is banned"),
      number_key("weight_disputed", &C::weight_disputed, kWeight, "hazard weight",
                 "weight of an order that went to appeal"),
      number_key("half_life_days", &C::half_life_days, kDuration, "days",
                 "time after which a bad experience weighs half"),
  };
  return kKeys;
}

std::span<const ConfigKey<MerchantConfig>> merchant_keys() {
  using C = MerchantConfig;
  static constexpr std::array<ConfigKey<C>, 43> kKeys = {
      integer_key("count", &C::count, kPositiveCount, "merchants",
                  "number of merchants posting ads"),
      number_key("margin_bps_mean", &C::margin_bps_mean, kMarginBps, "basis points",
                 "mean margin: ad price = reference rate × (1 ± margin)"),
      number_key("margin_bps_sd", &C::margin_bps_sd, kSpreadBps, "basis points",
                 "spread of margins between merchants"),
      number_key("min_margin_bps", &C::min_margin_bps, kMarginBps, "basis points",
                 "margins are drawn from a normal distribution floored here"),
      number_key("usdt_inventory", &C::usdt_inventory, kInventory, "USDT",
                 "USDT each merchant holds for sell ads: topped up to this at 00:00 each day"),
      number_key(
          "fiat_inventory_usd", &C::fiat_inventory_usd, kInventory, "USD",
          "fiat (valued in USD at the reference rate of 00:00) each merchant holds for buy ads"),
      number_key("min_order_usd", &C::min_order_usd, kOrderUsd, "USD",
                 "smallest order a merchant's ad accepts"),
      number_key("max_order_usd", &C::max_order_usd, kOrderUsd, "USD",
                 "largest order a merchant's ad accepts"),
      integer_key("capacity", &C::capacity, kCapacity, "orders",
                  "open orders a merchant handles at the same time"),
      integer_key("payment_methods_each", &C::payment_methods_each, kMethodsEach, "methods",
                  "payment methods each merchant accepts"),
      number_key("release_minutes_median", &C::release_minutes_median, kMinutes, "minutes",
                 "median time to check the bank and release the USDT, after the fiat settles"),
      number_key("release_minutes_sigma", &C::release_minutes_sigma, kSigma, "log scale",
                 "the sigma of the logarithm of the release time"),
      number_key("pay_minutes_median", &C::pay_minutes_median, kMinutes, "minutes",
                 "median time to pay a selling user, on buy ads"),
      number_key("careless_release_probability", &C::careless_release_probability, kProbability,
                 "probability",
                 "chance a merchant who finds no fiat on its account releases anyway"),
      number_key("name_check_probability_mean", &C::name_check_probability_mean, kProbability,
                 "probability",
                 "mean chance a merchant checks that the payer's name is the buyer's (each "
                 "merchant's own, uniform on mean ± spread, clamped to 0-1)"),
      number_key("name_check_probability_spread", &C::name_check_probability_spread, kShare,
                 "probability", "half-width of the spread of merchants' name-check chances"),
      number_key("counterparty_filter_share", &C::counterparty_filter_share, kShare, "share",
                 "share of merchants whose ads only take users with the filter's completed "
                 "orders and KYC tier"),
      integer_key("filter_min_completed_orders", &C::filter_min_completed_orders, kCancelLimit,
                  "orders", "completed orders a filtering merchant asks of its counterparties"),
      integer_key("filter_min_kyc_tier", &C::filter_min_kyc_tier, kKycTierIndex, "tier",
                  "KYC tier a filtering merchant asks of its counterparties"),
      flag_key("tighten_filters_after_loss", &C::tighten_filters_after_loss,
               "a merchant that bears a fraud loss starts filtering its counterparties"),
      integer_key(
          "online_hours", &C::online_hours, kHoursOfDay, "hours",
          "hours a day each merchant is online, from a start hour drawn uniformly per merchant"),
      number_key("deposit_usdt", &C::deposit_usdt, kInventory, "USDT",
                 "security deposit each merchant locks with the platform while listed"),
      number_key(
          "daily_cost_usd", &C::daily_cost_usd, kOrderUsdOrZero, "USD per day",
          "operating cost of a listed merchant, charged to its profit and loss at each day's end"),
      integer_key("exit_after_days", &C::exit_after_days, kOptionalWindowDays, "days",
                  "a merchant whose profit and loss over this many days is below 0 leaves"),
      integer_key("max_entrants", &C::max_entrants, kEntrants, "merchants",
                  "most merchants that may enter the market during a run (0 = no entry)"),
      number_key("entry_per_day", &C::entry_per_day, kPerDay, "merchants per day",
                 "base Poisson rate of entry"),
      number_key("entry_per_day_per_bps", &C::entry_per_day_per_bps, kPerDay,
                 "merchants per day per bps",
                 "extra entry rate per bps of average spread above `entry_spread_threshold_bps`"),
      number_key("entry_spread_threshold_bps", &C::entry_spread_threshold_bps, kSpreadBps,
                 "basis points", "average spread above which entry speeds up"),
      number_key(
          "volatility_margin_factor", &C::volatility_margin_factor, kWeight,
          "bps of margin per bp of rate move",
          "at each hourly repricing, both ads' margins widen by this × the rate's absolute move"),
      number_key(
          "inventory_margin_bps", &C::inventory_margin_bps, kInventoryMarginBps, "basis points",
          "largest margin shift from the merchant's USDT inventory against `usdt_inventory`"),
      flag_key("competitive_pricing", &C::competitive_pricing,
               "each hour a merchant undercuts the best competing ad by `undercut_bps`, within "
               "its cost floor and its own margin"),
      number_key("cost_floor_bps_mean", &C::cost_floor_bps_mean, kInventoryMarginBps,
                 "basis points",
                 "mean of the merchants' cost floors: the lowest margin each will quote"),
      number_key("cost_floor_bps_sd", &C::cost_floor_bps_sd, kSpreadBps, "basis points",
                 "spread of cost floors between merchants (normal, floored at `min_margin_bps`)"),
      number_key("undercut_bps", &C::undercut_bps, kInventoryMarginBps, "basis points",
                 "how far below the best competing ad a competing merchant quotes"),
      number_key("loss_pricing_weight", &C::loss_pricing_weight, kLossPricingWeight, "weight",
                 "a merchant's margin and cost floor rise by this × its own fraud losses in bps "
                 "of what it traded (counted as at least its capital)"),
      flag_key("bounded_capital", &C::bounded_capital,
               "a merchant trades on its own capital: no daily top-up, it converts USDT and "
               "fiat off-platform with a delay"),
      number_key("restock_below_share", &C::restock_below_share, kShare, "share",
                 "a merchant converts when its USDT or usable fiat falls below this share of "
                 "its target"),
      number_key("restock_delay_hours", &C::restock_delay_hours, kRestockDelayHours, "hours",
                 "time for an off-platform conversion to land"),
      number_key("capital_cost_per_year", &C::capital_cost_per_year, kCapitalCostPerYear,
                 "share a year",
                 "return forgone by fiat on a frozen account, charged to the merchant's profit "
                 "and loss each day"),
      number_key("frozen_fiat_loss_share", &C::frozen_fiat_loss_share, kShare, "share",
                 "share of a frozen account's balance the bank keeps when the freeze ends"),
      number_key("drop_method_after_loss_usd", &C::drop_method_after_loss_usd, kMoney, "USD",
                 "a merchant stops taking a payment method once the fraud losses it bore on it "
                 "(net of claw-backs) reach this, unless it is its last method (0 = never)"),
      integer_key("relax_filters_after_days", &C::relax_filters_after_days, kOptionalWindowDays,
                  "days",
                  "a filter a merchant started after a fraud loss is lifted after this many "
                  "days without another (0 = never)"),
      integer_key("filter_min_account_age_days", &C::filter_min_account_age_days, kFilterAgeDays,
                  "days",
                  "days since registration a filtering merchant asks of its counterparties"),
  };
  return kKeys;
}

std::span<const ConfigKey<SupportConfig>> support_keys() {
  using C = SupportConfig;
  static constexpr std::array<ConfigKey<C>, 6> kKeys = {
      integer_key("agents", &C::agents, kPositiveCount, "agents",
                  "appeals handled at the same time"),
      number_key("resolution_minutes_mean", &C::resolution_minutes_mean, kMinutes, "minutes",
                 "mean handling time per appeal (exponentially distributed)"),
      number_key("fast_track_share", &C::fast_track_share, kShare, "share",
                 "share of appeals that go to an agent at once; the rest first wait for evidence"),
      number_key("evidence_hours_mean", &C::evidence_hours_mean, kHours, "hours",
                 "mean time until both sides' evidence is in, on the regular track (exponential)"),
      number_key("evidence_deadline_hours", &C::evidence_deadline_hours, kHours, "hours",
                 "the regular track's evidence deadline: the appeal goes to an agent by then"),
      number_key("verdict_error_probability", &C::verdict_error_probability, kProbability,
                 "probability", "chance an agent rules for the side that is in the wrong"),
  };
  return kKeys;
}

// The bearers that make sense for a typology, as its scheme declares them.
std::span<const int> allowed_bearers(int typology) {
  static const std::array<std::vector<int>, kFraudTypologyCount> kAllowed = [] {
    std::array<std::vector<int>, kFraudTypologyCount> allowed;
    for (int t = 0; t < kFraudTypologyCount; ++t) {
      for (LossBearer bearer : FraudScheme::of(static_cast<FraudTypology>(t)).allowed_bearers())
        allowed[t].push_back(static_cast<int>(bearer));
    }
    return allowed;
  }();
  return kAllowed[typology];
}

// In the order the resolved scenario has always listed them, `bearer` last.
std::span<const ConfigKey<FraudTypologyConfig>> fraud_typology_keys() {
  using C = FraudTypologyConfig;
  static constexpr ChoiceField<C> kBearer{
      kLossBearerNames, [](const C& fraud) { return static_cast<int>(fraud.bearer); },
      [](C& fraud, int bearer) { fraud.bearer = static_cast<LossBearer>(bearer); },
      allowed_bearers};
  constexpr std::uint32_t kAttackers = kAllTypologies & ~kMerchantExitScam;
  // Fraud that surfaces through a complaint, a reconciliation or a freeze.
  constexpr std::uint32_t kRevealed = kAllTypologies & ~kPaymentReversal & ~kPromotionAbuse;
  static constexpr std::array<ConfigKey<C>, 20> kKeys = {
      number_key(
          "accounts_per_day", &C::accounts_per_day, kPerDay, "accounts per day",
          "new attacker accounts per day, flat over the day and week (0 = no fraud of this kind)"),
      number_key("attempts_per_account", &C::attempts_per_account, kAttempts, "attempts",
                 "mean attempts before the account is abandoned (geometric)", kAttackers),
      number_key("hours_between_attempts", &C::hours_between_attempts, kHours, "hours",
                 "mean gap between an account's attempts (exponential)", kAttackers),
      number_key(
          "order_usd_median", &C::order_usd_median, kOrderUsd, "USD",
          "median size of a fraudulent order (lognormal; read but not used by `mule_structuring`)",
          kAttackers),
      number_key("order_usd_sigma", &C::order_usd_sigma, kSigma, "log scale",
                 "spread of fraudulent order sizes: the sigma of their logarithm", kAttackers),
      number_key("adaptation_speed", &C::adaptation_speed, kProbability, "weight",
                 "weight of each outcome in the fraudsters' memory of their failure rate",
                 kAttackers),
      number_key(
          "aging_days", &C::aging_days, kDurationOrZero, "days",
          "an adapting typology's new account waits F × `aging_days` before its first attempt",
          kAttackers),
      number_key("reversal_delay_days", &C::reversal_delay_days, kDuration, "days",
                 "mean delay of the chargeback after completion", kPaymentReversal),
      number_key("reveal_delay_days", &C::reveal_delay_days, kDuration, "days",
                 "mean delay (exponential) until the platform learns of the fraud", kRevealed),
      number_key("ring_size_mean", &C::ring_size_mean, kRingSize, "accounts",
                 "mean accounts per sybil ring (geometric)", kPromotionAbuse),
      number_key("reference_bonus_usd", &C::reference_bonus_usd, kReferenceBonusUsd, "USD",
                 "the bonus one sybil account can farm at which rings arrive at `accounts_per_day`",
                 kPromotionAbuse),
      number_key("account_age_days_median", &C::account_age_days_median, kDuration, "days",
                 "median age of the taken-over account (lognormal, sigma 0.5) where the market "
                 "has no genuine account to take over",
                 kAccountTakeover),
      number_key("night_probability", &C::night_probability, kProbability, "probability",
                 "chance an attempt is moved to 00:00-06:00", kAccountTakeover),
      number_key("device_change_probability", &C::device_change_probability, kProbability,
                 "probability",
                 "chance the attacker signs in from a new device (else from the owner's)",
                 kAccountTakeover),
      number_key("threshold_usd", &C::threshold_usd, kMuleThreshold, "USD",
                 "the limit every order stays under", kMuleStructuring),
      number_key("reveal_probability", &C::reveal_probability, kProbability, "probability",
                 "share of completed mule orders a bank later freezes and seizes",
                 kMuleStructuring),
      number_key("reputation_orders", &C::reputation_orders, kCountNumber, "orders",
                 "completed orders a merchant needs before it can turn", kMerchantExitScam),
      number_key("exit_hours", &C::exit_hours, kHours, "hours",
                 "how long the scamming merchant keeps taking orders before vanishing",
                 kMerchantExitScam),
      number_key(
          "victim_release_probability", &C::victim_release_probability, kProbability, "probability",
          "chance a selling user releases on the scammer's fake \"paid\" mark", kMerchantExitScam),
      choice_key("bearer", kBearer, "who bears the loss"),
  };
  return kKeys;
}

// The random path's keys; the scheduled jumps, an array of tables, have their own list.
std::span<const ConfigKey<ReferenceRateConfig>> rate_keys() {
  using C = ReferenceRateConfig;
  static constexpr std::array<ConfigKey<C>, 4> kKeys = {
      number_key("drift_per_year", &C::drift_per_year, kDriftPerYear, "per year",
                 "annualised drift mu of the rate"),
      number_key("volatility_per_year", &C::volatility_per_year, kVolatilityPerYear,
                 "per square root of a year",
                 "annualised volatility sigma of the rate's log-returns"),
      number_key("jumps_per_year", &C::jumps_per_year, kJumpsPerYear, "jumps per year",
                 "mean number of random jumps a year (a Poisson process)"),
      number_key("jump_mean", &C::jump_mean, kJumpSize, "relative change",
                 "mean size J of a random jump, exponentially distributed"),
  };
  return kKeys;
}

// Each entry of the rate's scheduled_jumps.
std::span<const ConfigKey<ScheduledRateJump>> scheduled_jump_keys() {
  using C = ScheduledRateJump;
  static constexpr std::array<ConfigKey<C>, 2> kKeys = {
      required(day_key("day", &C::day, kDayOfRun, "the jump happens at 00:00 of this day")),
      required(number_key("change", &C::change, kRateChange, "relative change",
                          "the rate is multiplied by 1 + `change`")),
  };
  return kKeys;
}

std::span<const ConfigKey<CancellationRuleConfig>> cancellation_keys() {
  using C = CancellationRuleConfig;
  static constexpr std::array<ConfigKey<C>, 3> kKeys = {
      integer_key("max_cancels_before_paying", &C::max_cancels_before_paying, kCancelLimit,
                  "orders per day",
                  "cancellations before paying a user may make in a day; each one beyond bans"),
      integer_key("max_cancels_after_marking_paid", &C::max_cancels_after_marking_paid,
                  kCancelLimit, "orders per day",
                  "cancellations after marking an order paid a user may make in a day"),
      numbers_key("ban_minutes", &C::ban_minutes, kBanMinutes, "minutes",
                  "the ladder: the n-th ban of a day lasts the n-th entry"),
  };
  return kKeys;
}

std::span<const ConfigKey<MerchantEligibilityConfig>> merchant_eligibility_keys() {
  using C = MerchantEligibilityConfig;
  static constexpr std::array<ConfigKey<C>, 7> kKeys = {
      flag_key("enabled", &C::enabled, "apply the merchant eligibility rule"),
      number_key("min_deposit_usdt", &C::min_deposit_usdt, kInventory, "USDT",
                 "security deposit required (compare `merchants.deposit_usdt`)"),
      number_key("min_completion_rate", &C::min_completion_rate, kShare, "share",
                 "completed / counted orders over the window required (counted: completed, or "
                 "failed by the merchant's own doing)"),
      integer_key("min_orders", &C::min_orders, kAnyCount, "orders",
                  "counted orders over the window required"),
      integer_key("window_days", &C::window_days, kWindowDays, "days",
                  "the rolling window (never reaching back before the merchant's entry)"),
      integer_key("probation_days", &C::probation_days, kRuleDays, "days",
                  "days after entry (or after a suspension) before the merchant is judged"),
      integer_key("suspension_days", &C::suspension_days, kPositiveRuleDays, "days",
                  "length of a suspension"),
  };
  return kKeys;
}

std::span<const ConfigKey<MerchantTierConfig>> merchant_tier_keys() {
  using C = MerchantTierConfig;
  static constexpr std::array<ConfigKey<C>, 5> kKeys = {
      text_key("name", &C::name, "the tier's name", true),
      integer_key("min_completed_orders", &C::min_completed_orders, kAnyCount, "orders",
                  "completed orders since the merchant was listed"),
      number_key("min_completion_rate", &C::min_completion_rate, kShare, "share",
                 "the completion rate buyers see: (completed + 19) / (counted + 20)"),
      number_key("min_deposit_usdt", &C::min_deposit_usdt, kInventory, "USDT",
                 "security deposit held (compare `merchants.deposit_usdt`)"),
      number_key("max_order_usd", &C::max_order_usd, kOrderUsd, "USD",
                 "the largest order the tier's ads take"),
  };
  return kKeys;
}

std::span<const ConfigKey<FeeConfig>> fee_keys() {
  using C = FeeConfig;
  static constexpr std::array<ConfigKey<C>, 2> kKeys = {
      number_key("maker_bps", &C::maker_bps, kFeeBps, "bps of the order's USD amount",
                 "fee the merchant whose ad was taken pays (booked to its P&L)"),
      number_key("taker_bps", &C::taker_bps, kFeeBps, "bps of the order's USD amount",
                 "fee the user pays"),
  };
  return kKeys;
}

std::span<const ConfigKey<IncentiveResponseConfig>> incentive_response_keys() {
  using C = IncentiveResponseConfig;
  static constexpr std::array<ConfigKey<C>, 5> kKeys = {
      number_key("first_order_probability", &C::first_order_probability, kProbability,
                 "probability",
                 "p0: chance a newly verified user places a first order with no bonus on offer"),
      number_key("bonus_half_response_usd", &C::bonus_half_response_usd, kOrderUsd, "USD",
                 "new-user bonus that makes half of those who would not try place a first order"),
      number_key("referral_max_uplift", &C::referral_max_uplift, kUplift, "multiple",
                 "most a referral bonus raises referrals by"),
      number_key("referral_half_response_usd", &C::referral_half_response_usd, kOrderUsd, "USD",
                 "referral bonus that gives half the maximum uplift"),
      number_key("taker_fee_elasticity", &C::taker_fee_elasticity, kUplift, "per 100 bps",
                 "genuine users' order attempt rate is multiplied by exp(-this × taker bps paid / "
                 "100), the fee paid being the taker fee less any waiver"),
  };
  return kKeys;
}

// `fraud_fail_probability`, one value for every typology, is read by hand: the resolved scenario
// shows each typology's value, in step_up_typology_keys().
std::span<const ConfigKey<StepUpConfig>> step_up_keys() {
  using C = StepUpConfig;
  static constexpr std::array<ConfigKey<C>, 1> kKeys = {
      number_key("abandon_probability", &C::abandon_probability, kProbability, "probability",
                 "a genuine user asked to verify gives up"),
  };
  return kKeys;
}

// One typology's fail probability, by FraudTypology index.
template <int kTypology>
double& fail_probability(StepUpConfig& step_up) {
  return step_up.fraud_fail_probability[kTypology];
}

// One key per typology, named after it.
template <std::size_t... kIndex>
std::array<ConfigKey<StepUpConfig>, kFraudTypologyCount> fail_probability_keys(
    std::index_sequence<kIndex...>) {
  static const std::array<std::string, kFraudTypologyCount> kResolvedNames = {
      (std::string("fraud_fail_probability_by_typology.") + kFraudTypologyNames[kIndex])...};
  return {number_at_key<StepUpConfig>(
      kFraudTypologyNames[kIndex], {fail_probability<kIndex>}, kProbability, "probability",
      "the typology's fraudster fails the verification", kResolvedNames[kIndex])...};
}

std::span<const ConfigKey<StepUpConfig>> step_up_typology_keys() {
  static const std::array<ConfigKey<StepUpConfig>, kFraudTypologyCount> kKeys =
      fail_probability_keys(std::make_index_sequence<kFraudTypologyCount>{});
  return kKeys;
}

// Reviewers on shift are read by hand (`reviewers` and `shifts` add up by hour).
std::span<const ConfigKey<ReviewConfig>> review_keys() {
  using C = ReviewConfig;
  static constexpr std::array<ConfigKey<C>, 4> kKeys = {
      number_key("review_minutes_mean", &C::review_minutes_mean, kMinutes, "minutes",
                 "mean review time (exponential)"),
      number_key("detection_probability", &C::detection_probability, kProbability, "probability",
                 "a reviewer stops a fraudulent order"),
      number_key("false_block_probability", &C::false_block_probability, kProbability,
                 "probability", "a reviewer stops a genuine order"),
      number_key("abandon_after_minutes_mean", &C::abandon_after_minutes_mean, kMinutes, "minutes",
                 "mean (exponential) patience of a genuine user waiting for a reviewer to start"),
  };
  return kKeys;
}

std::span<const ConfigKey<CampaignTerms>> campaign_term_keys() {
  using C = CampaignTerms;
  static constexpr std::array<ConfigKey<C>, 4> kKeys = {
      day_key("start_day", &C::start_day, kDayOfRun, "first day it runs (from 00:00)"),
      day_key("end_day", &C::end_day, kDayOfRun, "last day it runs (to 24:00)"),
      number_key("budget_usd", &C::budget_usd, kPositiveMoney, "USD",
                 "total it may spend (waived fees, bonuses, rebates) over all its markets"),
      number_key("per_user_cap_usd", &C::per_user_cap_usd, kOrderUsd, "USD",
                 "most one user (or, for rebates, one merchant) may receive from it"),
  };
  return kKeys;
}

}  // namespace p2psim
