#pragma once
// The typed, validated description of a world: what a scenario resolves to. Defaults live here
// and only here; docs/scenarios.md documents them key by key.
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "metrics/facts.hpp"
#include "world/incentive_campaign.hpp"
#include "world/risk_policy.hpp"

namespace p2psim {

// Relative intensity by hour of day (0 = 00:00-01:00) and by day of week (0 = Monday). Each is
// normalised to mean 1 when the world is built, so the daily mean rate is what the scenario says.
struct ArrivalProfile {
  std::array<double, 24> hourly = {0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 0.9, 1.2, 1.4, 1.5, 1.5,
                                   1.4, 1.4, 1.4,  1.4, 1.4, 1.4, 1.5, 1.6, 1.6, 1.4, 1.0, 0.6};
  std::array<double, 7> weekly = {1.0, 1.0, 1.0, 1.0, 1.1, 0.95, 0.95};
};

// A market has at most this many payment methods: merchants keep per-method fiat accounts and
// reservations in fixed arrays.
inline constexpr std::size_t kMaxPaymentMethods = 16;
// The most arrivals of one kind a day (visitors, a typology's fraudsters, entering merchants): a
// limit of the format (docs/scenarios.md#limits), and the cap of rates the world derives, such as
// promotion-abuse rings drawn by a bonus many times their reference_bonus_usd.
inline constexpr double kMaxArrivalsPerDay = 1e7;

struct PaymentMethodConfig {
  std::string name;
  double share = 1.0;                 // relative share of users and ads using it
  double settlement_minutes = 2.0;    // mean (exponential) time for the fiat to reach the receiver
  bool reversible = false;            // can the payer claw the fiat back after release?
  double reversal_window_days = 0.0;  // how long after payment a reversal can still happen
  double min_order_usd = 0.0;         // orders below this find no ad on this method
  double max_order_usd = std::numeric_limits<double>::infinity();  // ...nor orders above this
  double freeze_probability = 0.0;    // chance tainted fiat freezes the receiving merchant account
  double freeze_days_mean = 7.0;      // mean of the exponentially distributed freeze duration
  bool enabled = true;                // platform rule: a disabled method's ads are hidden
  double reversal_probability = 1.0;  // chance a chargeback claimed on this method is granted
  // Methods with the same non-empty bank_account are paid into one bank account of the merchant
  // (UPI and IMPS into the same Indian account): a bank's freeze of it stops all of them.
  std::string bank_account;
  // A recall on this method takes back only what the receiving account holds when it lands
  // (Brazil's Pix MED): the rest of the claim stays with the merchant.
  bool recovery_limited_to_balance = false;
};

// How recent bad experiences raise a user's chance of leaving after each order or attempt:
//   p_churn = 1 - (1 - base_probability) x exp(-sum_k weight_k x n_k)
// where n_k counts the user's experiences of kind k, each decayed with `half_life_days`.
struct ChurnConfig {
  double base_probability = 0.02;  // chance of leaving with no recent bad experience
  double weight_failed = 0.15;     // no ad, expired, or cancelled by the other side
  double weight_slow = 0.10;       // the counterparty was slower than the user's patience
  double weight_blocked = 0.30;    // an attempt refused by a platform rule (a ban)
  double weight_disputed = 0.30;   // the order went to appeal
  double half_life_days = 30.0;    // a bad experience weighs half as much this much later
};

struct UserConfig {
  std::uint32_t initial_users = 10000;  // verified users already on the platform at day 0
  double daily_visitors = 1000.0;       // mean arrivals per day at the top of the funnel
  ArrivalProfile profile;
  double registration_probability = 0.5;  // visitor -> registered
  double kyc_pass_probability = 0.7;      // registered -> kyc_verified
  double first_order_hours = 24.0;        // mean delay from verification to the first order try
  double buy_share = 0.8;                 // share of users who buy USDT; the rest sell
  double extra_payment_method_probability = 0.3;  // chance of holding one more method, repeated
  double order_usd_median = 100.0;                // order size: lognormal with this median...
  double order_usd_sigma = 0.9;                   // ...and this sigma of its logarithm
  double days_between_orders = 7.0;  // mean gap between attempts, at activity 1 (below)
  // Users' own habits (docs/model.md, Heterogeneous users): each genuine user's attempt rate is
  // the market's times an activity multiplier, lognormal with mean 1 and this sigma of its
  // logarithm; a share `order_usd_persistence` of the variance of log order sizes lies between
  // users (their own median), the rest between one user's orders.
  double activity_sigma = 1.5;
  double order_usd_persistence = 0.6;
  double pay_minutes_median = 4.0;  // buyer's time to pay after the order is created
  double pay_minutes_sigma = 0.7;
  double cancel_probability = 0.05;   // buyer cancels before paying
  double abandon_probability = 0.03;  // buyer walks away; the order expires
  // A buyer who cancelled often tries another ad in the same visit, and the reason they
  // cancelled (the ad's terms, a payment app at its limit) often holds for the next one: this is
  // what drives cancellation bans (docs/model.md, Rights and support).
  double retry_after_cancel_probability = 0.6;
  double retry_minutes_mean = 2.0;        // exponential delay of that retry
  double cancel_again_probability = 0.3;  // a retrying buyer cancels before paying again
  // A genuine buyer whose release is slower than their patience presses cancel instead of
  // appeal this often; having paid, the cancel opens a dispute (and counts against the limits).
  double cancel_when_slow_probability = 0.2;
  // Mean hours (exponential) after a completed purchase at which a genuine buyer would withdraw
  // the USDT: a withdrawal lock only costs them the part of the lock beyond it.
  double withdraw_hours_mean = 48.0;
  // A genuine buyer pays from someone else's account (a relative's, a friend's) this often: a
  // merchant who checks the payer's name refunds and disputes it, as it does triangulation.
  double third_party_payment_probability = 0.02;
  double patience_minutes_median = 30.0;  // how long a user waits for the counterparty...
  double patience_minutes_sigma = 0.5;    // ...lognormal across users, drawn once each
  double release_minutes_median = 3.0;    // a selling user's time to confirm receipt
  double price_sensitivity = 1.0;         // logit weight per 100 bps of price difference
  double quality_sensitivity = 5.0;       // logit weight on the merchant's completion rate
  std::uint32_t ads_viewed = 10;          // eligible ads a user compares before choosing
  double referrals_per_user = 0.2;        // mean referred visitors after a first trade
  double referral_delay_days = 7.0;       // mean delay from the first trade to each referral
  std::array<double, 3> kyc_tier_shares = {0.3, 0.6, 0.1};  // tiers 0, 1, 2 of new users
  double kyc_tier0_max_order_usd = 500.0;                   // order size cap of tier 0
  double kyc_tier1_max_order_usd = 5000.0;  // order size cap of tier 1; tier 2 is uncapped
  double initial_account_age_days = 365.0;  // mean age of the accounts present at day 0
  double shared_device_share = 0.02;        // users on the device of the previous sign-up...
  double household_join_probability = 0.5;  // ...or, this often, on the latest shared device
  double shared_bank_account_share = 0.01;  // users paying from the previous sign-up's account
  // Demand surge after a devaluation: buyers' arrival and order-attempt rates are multiplied by
  // min(max_demand_multiplier, 1 + devaluation_demand_factor x max(0, S)), where S is the rate's
  // hourly changes remembered with exponential decay of mean life surge_decay_hours.
  double devaluation_demand_factor = 0.0;
  double max_demand_multiplier = 3.0;
  double surge_decay_hours = 24.0;
  ChurnConfig churn;
  // Mean days between a genuine user's changes of phone (exponential): an account present at
  // day 0 last changed its device that long before (at most its age); none change in the run.
  double device_change_days_mean = 365.0;
};

struct MerchantConfig {
  std::uint32_t count = 50;
  double margin_bps_mean = 80.0;  // ad price = reference rate x (1 +/- margin)
  double margin_bps_sd = 30.0;
  double min_margin_bps = 5.0;  // margins are drawn from a normal floored here
  // USDT and fiat (in USD) held for sell and buy ads: restored daily, or the merchant's capital
  // (bounded_capital below).
  double usdt_inventory = 20000.0;
  double fiat_inventory_usd = 20000.0;
  double min_order_usd = 10.0;
  double max_order_usd = 2000.0;
  std::uint32_t capacity = 10;             // concurrent open orders per merchant
  std::uint32_t payment_methods_each = 2;  // payment methods each merchant accepts
  double release_minutes_median = 3.0;     // time to check the bank and release, after settlement
  double release_minutes_sigma = 0.8;
  double pay_minutes_median = 3.0;             // time to pay a selling user, on buy ads
  double careless_release_probability = 0.02;  // releases on a 'paid' mark without checking
  std::uint32_t online_hours = 24;    // hours online per day, from a start hour drawn per merchant
  double deposit_usdt = 0.0;          // security deposit locked with the platform while listed
  double daily_cost_usd = 0.0;        // operating cost per listed day, charged to the P&L
  std::uint32_t exit_after_days = 0;  // leave when the P&L over this many days is < 0 (0 = never)
  // Entry: newcomers join at a Poisson rate per day of entry_per_day + entry_per_day_per_bps x
  // max(0, yesterday's average spread - entry_spread_threshold_bps), at most max_entrants.
  std::uint32_t max_entrants = 0;
  double entry_per_day = 0.0;
  double entry_per_day_per_bps = 0.0;
  double entry_spread_threshold_bps = 100.0;
  // Hourly repricing: margins widen by this many bps per bp of the rate's absolute 24 h move...
  double volatility_margin_factor = 0.0;
  // ...and shift by up to this many bps with the USDT inventory against its target (long: the
  // sell ad undercuts and the buy ad pays less; short: the other way round).
  double inventory_margin_bps = 0.0;
  // Merchants as risk-takers (docs/model.md, Merchants' own risk decisions). Each merchant checks
  // that the payer's name matches the buyer's with its own probability, uniform on mean +/-
  // spread (clamped to 0-1); a share of merchants filters its ads' counterparties (completed
  // orders and KYC tier at least these), and any merchant starts filtering after a fraud loss
  // it bears when tighten_filters_after_loss is on. All off by default; the market presets
  // (scenarios/markets/) turn them on.
  double name_check_probability_mean = 0.0;
  double name_check_probability_spread = 0.0;
  double counterparty_filter_share = 0.0;
  std::uint32_t filter_min_completed_orders = 1;
  std::uint32_t filter_min_kyc_tier = 1;
  bool tighten_filters_after_loss = false;
  // Competition (docs/model.md, Competition and capital): each hour a merchant undercuts the
  // best competing ad on each side by undercut_bps, never below its cost floor (drawn once per
  // merchant, normal with this mean and sd, floored at min_margin_bps) nor above its own margin.
  bool competitive_pricing = false;
  double cost_floor_bps_mean = 30.0;
  double cost_floor_bps_sd = 10.0;
  double undercut_bps = 2.0;
  // Pricing for risk: both the merchant's own margin and its cost floor rise by this weight x
  // its fraud losses in bps of its traded volume (the volume counted at least as its capital).
  double loss_pricing_weight = 0.0;
  // Capital: with bounded_capital a merchant trades on its own capital (usdt_inventory +
  // fiat_inventory_usd, put in when it lists) and nothing more. When its USDT or its usable fiat
  // falls below restock_below_share of its target, it converts the other side off-platform at
  // the reference rate, back to its capital's target mix; the conversion lands after
  // restock_delay_hours. Profit stays in the business; losses and frozen fiat are not made good.
  bool bounded_capital = false;
  double restock_below_share = 0.3;
  double restock_delay_hours = 2.0;
  // Fiat on a frozen account is capital that cannot trade: each day the merchant bears its
  // forgone return at this rate a year (local interest, or the currency's expected fall).
  double capital_cost_per_year = 0.0;
  // ...and when the freeze ends the bank keeps this share of the frozen balance (claims it pays
  // out, fees, the balance of an account it closes).
  double frozen_fiat_loss_share = 0.0;
  // Merchants' risk decisions, continued: a merchant stops taking a payment method once the fraud
  // losses it bore on it, net of claw-backs, reach drop_method_after_loss_usd (0: never; never
  // its last method); a filter it started after a loss is lifted again after
  // relax_filters_after_days without a loss (0: never); and a filter also asks for an account
  // registered at least filter_min_account_age_days ago.
  double drop_method_after_loss_usd = 0.0;
  std::uint32_t relax_filters_after_days = 0;
  std::uint32_t filter_min_account_age_days = 0;
};

// Platform rule: a merchant keeps advertising only while it has a deposit of at least
// min_deposit_usdt and, over the last window_days, at least min_orders counted orders with a
// completion rate of at least min_completion_rate. Merchants are judged only after a probation
// of probation_days from their entry (day 0 for the merchants already there); one who fails is
// suspended from advertising for suspension_days, then starts a new probation.
struct MerchantEligibilityConfig {
  bool enabled = false;
  double min_deposit_usdt = 0.0;
  double min_completion_rate = 0.9;
  std::uint32_t min_orders = 20;
  std::uint32_t window_days = 30;
  std::uint32_t probation_days = 30;
  std::uint32_t suspension_days = 7;
};

// Appeals (docs/model.md, Rights and support): a share takes the fast track straight to an
// agent; the rest wait for both sides' evidence, which comes in after an exponential time, at
// the latest by the deadline. An agent then rules, wrongly with verdict_error_probability.
struct SupportConfig {
  std::uint32_t agents = 5;               // appeals handled at once
  double resolution_minutes_mean = 30.0;  // exponential handling time per appeal
  double fast_track_share = 0.3;
  double evidence_hours_mean = 4.0;
  double evidence_deadline_hours = 24.0;
  double verdict_error_probability = 0.02;
};

// Step-up verification (a risk action at order creation, docs/strategies.md): a genuine user
// gives up with abandon_probability; a fraudster fails it with their typology's probability.
// A merchant_exit_scam order's user is a genuine victim and behaves as one.
// Each typology's default chance of failing a step-up, from its scheme (world/fraud_<name>.cpp).
std::array<double, kFraudTypologyCount> default_step_up_fail_probabilities();

struct StepUpConfig {
  double abandon_probability = 0.1;
  // Indexed by FraudTypology.
  std::array<double, kFraudTypologyCount> fraud_fail_probability =
      default_step_up_fail_probabilities();
};

// A market's manual review team (docs/strategies.md): orders a policy sends to review wait for
// one of the reviewers on shift, FIFO; each review takes an exponential time.
struct ReviewConfig {
  std::array<std::uint32_t, 24> reviewers_by_hour{};  // reviewers on shift, by hour of day
  double review_minutes_mean = 15.0;
  double detection_probability = 0.8;        // a reviewer stops a fraudulent order
  double false_block_probability = 0.02;     // a reviewer stops a genuine order
  double abandon_after_minutes_mean = 60.0;  // a genuine user's patience in the queue (exp.)
  bool staffed() const {
    for (std::uint32_t reviewers : reviewers_by_hour) {
      if (reviewers > 0) return true;
    }
    return false;
  }
};

// One fraud typology's attackers: fresh accounts arriving as a Poisson stream, each making a
// geometric number of attempts. Keys that only one typology reads are marked so; docs/model.md
// describes each typology's signature and docs/scenarios.md each key.
struct FraudTypologyConfig {
  double accounts_per_day = 0.0;      // merchant_exit_scam: merchants turning to scam per day
  double attempts_per_account = 2.0;  // mean attempts before the account is abandoned
  double hours_between_attempts = 6.0;
  double order_usd_median = 300.0;
  double order_usd_sigma = 0.6;
  double reversal_delay_days = 10.0;  // payment reversal only: mean delay of the chargeback
  // Mean days until a victim's complaint, a bank's freeze or a merchant's reconciliation tells
  // the platform (and, for triangulation and mules, claws the fiat back).
  double reveal_delay_days = 5.0;
  // Per observed outcome, the weight of that outcome in the typology's memory of its failure
  // rate (an exponential moving average); 0 = fraudsters never adapt.
  double adaptation_speed = 0.0;
  double aging_days = 14.0;  // the wait before a new account's first attack at full pressure
  LossBearer bearer = LossBearer::kMerchant;
  double ring_size_mean = 5.0;  // promotion_abuse: sybil accounts per ring
  // promotion_abuse, in a market some incentive campaign targets: rings arrive at
  // accounts_per_day x (farmable bonus per account / reference_bonus_usd) x (1 - failure memory).
  double reference_bonus_usd = 10.0;
  double account_age_days_median = 400.0;   // account_takeover: age of the taken-over account
  double night_probability = 0.7;           // account_takeover: attempts moved to 00:00-06:00
  double threshold_usd = 1000.0;            // mule_structuring: the limit orders stay under
  double reveal_probability = 0.2;          // mule_structuring: share of orders a bank freezes
  double reputation_orders = 20.0;          // merchant_exit_scam: completed orders before exit
  double exit_hours = 12.0;                 // merchant_exit_scam: time taken before vanishing
  double victim_release_probability = 0.3;  // merchant_exit_scam: sellers trusting a fake mark
  double device_change_probability = 0.8;   // account_takeover: signs in from a new device
};

// Platform rule: users who cancel too often are banned from trading for the next rung of a
// ladder of bans, then for the rest of the day; counts and ladder restart at 00:00.
struct CancellationRuleConfig {
  std::uint32_t max_cancels_before_paying = 2;       // per day, before a ban
  std::uint32_t max_cancels_after_marking_paid = 3;  // per day, before a ban
  std::vector<double> ban_minutes = {15.0, 30.0, 60.0, 240.0};
};

// Platform rule: merchant tiers (docs/model.md#merchant-tiers). Every merchant is in the highest
// tier whose requirements it meets, judged at each day's close; the first tier has none, so a
// merchant that meets no other is in it. A tier's privilege is the largest order its ads take.
// Requirements and caps never decrease from one tier to the next (the loader checks it).
inline constexpr std::size_t kMaxMerchantTiers = 8;
struct MerchantTierConfig {
  std::string name;
  std::uint32_t min_completed_orders = 0;  // completed orders since listing
  double min_completion_rate = 0.0;        // the completion rate buyers see (with its prior)
  double min_deposit_usdt = 0.0;           // the security deposit held now
  double max_order_usd = std::numeric_limits<double>::infinity();  // beyond merchants' own cap
};

struct RulesConfig {
  MerchantEligibilityConfig merchant_eligibility;
  std::vector<MerchantTierConfig> merchant_tiers;  // empty: no tiers
  CancellationRuleConfig cancellation;
};

// Each typology's defaults, from its scheme (world/fraud_<name>.cpp).
std::array<FraudTypologyConfig, kFraudTypologyCount> default_fraud_settings();

// Each typology's settings, indexed by FraudTypology (metrics/fraud_typology.hpp).
struct FraudConfig {
  std::array<FraudTypologyConfig, kFraudTypologyCount> typologies = default_fraud_settings();

  const FraudTypologyConfig& typology(int index) const { return typologies[index]; }
  FraudTypologyConfig& typology(int index) { return typologies[index]; }
  const FraudTypologyConfig& operator[](FraudTypology typology) const {
    return typologies[static_cast<int>(typology)];
  }
  FraudTypologyConfig& operator[](FraudTypology typology) {
    return typologies[static_cast<int>(typology)];
  }
};

struct ScheduledRateJump {
  std::uint32_t day = 0;  // applied at 00:00 of this day
  double change = 0.0;    // relative: the rate is multiplied by (1 + change)
};

// The path of a market's reference rate: geometric Brownian motion with Poisson jumps
// (sim/world/reference_rate.hpp). The defaults keep the rate constant.
struct ReferenceRateConfig {
  double drift_per_year = 0.0;       // mu, annualised
  double volatility_per_year = 0.0;  // sigma, annualised
  double jumps_per_year = 0.0;       // Poisson rate of random jumps
  double jump_mean = 0.1;            // mean relative size of a random jump (exponential)
  std::vector<ScheduledRateJump> scheduled_jumps;
};

// The platform's fees on completed orders, in basis points of the order's USD amount, paid in
// USDT into the platform's fee account. The maker (the merchant whose ad was taken) pays
// maker_bps, the taker (the user) taker_bps. Defaults: docs/model.md, Fees and incentives.
struct FeeConfig {
  double maker_bps = 10.0;
  double taker_bps = 0.0;
};

// How users respond to the fees and growth incentives on offer in their market (docs/model.md):
//   first order: p = p0 + (1 - p0) x B / (B + bonus_half_response_usd)
//   referrals:   lambda = referrals_per_user x (1 + referral_max_uplift x R / (R + R_half))
//   attempts:    rate x exp(-taker_fee_elasticity x taker bps paid / 100)
// where B is the first-trade bonus, R the referral bonus on offer, R_half
// referral_half_response_usd, and the taker fee paid is the fee less any waiver. With the defaults
// (p0 = 1) a first-trade bonus cannot raise first orders: a scenario that studies it sets p0.
struct IncentiveResponseConfig {
  double first_order_probability = 1.0;  // p0: a verified user places a first order, no bonus
  double bonus_half_response_usd = 10.0;
  double referral_max_uplift = 1.0;
  double referral_half_response_usd = 10.0;
  double taker_fee_elasticity = 1.0;
};

// One setting a risk strategy or an incentive kind read, as resolved (its default when the
// scenario does not write it). The policies and campaigns are opaque objects, so these are what
// the resolved scenario, and with it the scenario hash, shows of them.
struct ResolvedSetting {
  std::string key;  // relative to the table read, e.g. "score.block_above" or "rules[0].when"
  std::variant<double, std::string> value;
};

struct MarketConfig {
  std::string code;             // short id, used as the `market` column of every output
  std::string currency;         // ISO code of the fiat currency
  double reference_rate = 1.0;  // fiat per USDT at the start; 1 USDT is taken as 1 USD
  ReferenceRateConfig rate;
  double payment_window_minutes = 15.0;
  std::vector<PaymentMethodConfig> payment_methods;
  UserConfig users;
  MerchantConfig merchants;
  SupportConfig support;
  FraudConfig fraud;
  RulesConfig rules;
  FeeConfig fees;
  IncentiveResponseConfig incentive_response;
  // The platform's risk policy on orders (docs/strategies.md); none by default. Built by the
  // scenario layer from [markets.<code>.risk], immutable and shared by every replication.
  std::shared_ptr<const RiskPolicy> risk;
  std::vector<std::string> risk_strategies;    // the names `risk` is made of, in order
  std::vector<ResolvedSetting> risk_settings;  // what they read of [markets.<code>.risk]
  StepUpConfig step_up;                        // [markets.<code>.risk.step_up]
  ReviewConfig review;                         // [markets.<code>.review]
};

struct SimulationConfig {
  std::uint32_t days = 30;
  std::uint32_t warmup_days = 2;
  std::uint64_t seed = 1;
  std::uint32_t replications = 1;
};

// What a shock can change: the shockable keys, relative to `markets.<code>`. The scenario
// layer names them as in kShockKeyNames; payment_methods.<name>.enabled names a method and
// fraud.<typology>.accounts_per_day a fraud typology.
enum class ShockKey : std::uint8_t {
  kDailyVisitors,
  kRegistrationProbability,
  kKycPassProbability,
  kCarelessReleaseProbability,
  kFraudAccountsPerDay,
  kPaymentMethodEnabled,
  kRateJump,
  kRateDriftPerYear,
  kRateVolatilityPerYear,
  kFreezeWave,  // a regulator's or banks' wave of freezes on one payment method's accounts
};
inline constexpr std::array<const char*, 10> kShockKeyNames = {
    "users.daily_visitors",
    "users.registration_probability",
    "users.kyc_pass_probability",
    "merchants.careless_release_probability",
    "fraud.<typology>.accounts_per_day",
    "payment_methods.<name>.enabled",
    "rate.jump",
    "rate.drift_per_year",
    "rate.volatility_per_year",
    "payment_methods.<name>.freeze_wave",
};

// A change to one market's parameter at 00:00 of a day, for the rest of the run.
struct ShockConfig {
  std::uint32_t day = 0;
  std::uint16_t market = 0;  // index into WorldConfig::markets
  ShockKey key = ShockKey::kDailyVisitors;
  std::uint8_t payment_method = 0;  // kPaymentMethodEnabled and kFreezeWave only
  std::uint8_t typology = 0;        // kFraudAccountsPerDay only, as in kFraudTypologyNames
  double value = 0.0;  // 1 or 0 for kPaymentMethodEnabled; kFreezeWave: the share frozen
};

struct WorldConfig;

// The world of a split experiment (docs/experiments.md): units randomised to two arms, the
// treatment arm's per-unit policies (its markets' risk policies and step-up, fees, and its
// incentive campaigns) applying to treated units only. Set by the experiment layer, never read
// from a scenario's own keys.
enum class SplitUnit : std::uint8_t { kNone, kUser, kMerchant, kTimeBlock };
struct SplitConfig {
  SplitUnit unit = SplitUnit::kNone;
  std::shared_ptr<const WorldConfig> treatment;  // the treatment arm's world; set unless kNone
  double allocation = 0.5;                       // the share of units randomised to the treatment
  // With the replication, what the randomisation hashes with each unit's id (or block index).
  std::uint64_t assignment_seed = 0;
  double block_hours = 4.0;    // switchback: the length of a block
  double burn_in_hours = 1.0;  // switchback: after each block starts, not measured
};

struct WorldConfig {
  SimulationConfig simulation;
  std::vector<MarketConfig> markets;
  std::vector<ShockConfig> shocks;
  // Growth incentive campaigns (docs/strategies.md, Growth incentives), each targeting some
  // markets; none by default. Immutable and shared; their budgets are spent per replication.
  std::vector<std::shared_ptr<const IncentiveCampaign>> incentives;
  // By campaign: what its kind read of its [[incentives]] table beyond the common terms.
  std::vector<std::vector<ResolvedSetting>> incentive_settings;
  SplitConfig split;  // none unless the world is a split experiment's
};

}  // namespace p2psim
