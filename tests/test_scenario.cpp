// Tests of the scenario layer: TOML files -> includes -> validated Scenario, and the exact text
// of every kind of error an analyst can meet.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "scenario/scenario_json.hpp"
#include "scenario/scenario_loader.hpp"
#include "world/risk_policy.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;

// The fields of each config struct as a tuple, so whole structs compare in one expectation.
auto fields(const SimulationConfig& c) {
  return std::tie(c.days, c.warmup_days, c.seed, c.replications);
}
auto fields(const PaymentMethodConfig& c) {
  return std::tie(c.name, c.share, c.settlement_minutes, c.reversible, c.reversal_window_days,
                  c.min_order_usd, c.max_order_usd, c.freeze_probability, c.freeze_days_mean,
                  c.enabled, c.reversal_probability);
}
auto fields(const UserConfig& c) {
  return std::tie(
      c.initial_users, c.daily_visitors, c.profile.hourly, c.profile.weekly,
      c.registration_probability, c.kyc_pass_probability, c.first_order_hours, c.buy_share,
      c.order_usd_median, c.order_usd_sigma, c.days_between_orders, c.pay_minutes_median,
      c.pay_minutes_sigma, c.cancel_probability, c.abandon_probability, c.patience_minutes_median,
      c.patience_minutes_sigma, c.release_minutes_median, c.price_sensitivity,
      c.quality_sensitivity, c.ads_viewed, c.extra_payment_method_probability, c.referrals_per_user,
      c.referral_delay_days, c.kyc_tier_shares, c.kyc_tier0_max_order_usd,
      c.kyc_tier1_max_order_usd, c.initial_account_age_days, c.shared_device_share,
      c.shared_bank_account_share, c.churn.base_probability, c.churn.weight_failed,
      c.churn.weight_slow, c.churn.weight_blocked, c.churn.weight_disputed, c.churn.half_life_days,
      c.devaluation_demand_factor, c.max_demand_multiplier, c.surge_decay_hours);
}
auto fields(const CancellationRuleConfig& c) {
  return std::tie(c.max_cancels_before_paying, c.max_cancels_after_marking_paid, c.ban_minutes);
}
auto fields(const MerchantConfig& c) {
  return std::tie(c.count, c.margin_bps_mean, c.margin_bps_sd, c.min_margin_bps, c.usdt_inventory,
                  c.fiat_inventory_usd, c.min_order_usd, c.max_order_usd, c.capacity,
                  c.payment_methods_each, c.release_minutes_median, c.release_minutes_sigma,
                  c.pay_minutes_median, c.careless_release_probability, c.online_hours,
                  c.deposit_usdt, c.daily_cost_usd, c.exit_after_days, c.max_entrants,
                  c.entry_per_day, c.entry_per_day_per_bps, c.entry_spread_threshold_bps,
                  c.volatility_margin_factor, c.inventory_margin_bps, c.competitive_pricing,
                  c.cost_floor_bps_mean, c.cost_floor_bps_sd, c.undercut_bps, c.loss_pricing_weight,
                  c.bounded_capital, c.restock_below_share, c.restock_delay_hours,
                  c.capital_cost_per_year, c.frozen_fiat_loss_share);
}
auto fields(const ScheduledRateJump& c) {
  return std::tie(c.day, c.change);
}
auto fields(const ReferenceRateConfig& c) {
  return std::tie(c.drift_per_year, c.volatility_per_year, c.jumps_per_year, c.jump_mean);
}
auto fields(const ShockConfig& c) {
  return std::tie(c.day, c.market, c.key, c.payment_method, c.typology, c.value);
}
auto fields(const MerchantEligibilityConfig& c) {
  return std::tie(c.enabled, c.min_deposit_usdt, c.min_completion_rate, c.min_orders, c.window_days,
                  c.probation_days, c.suspension_days);
}
auto fields(const SupportConfig& c) {
  return std::tie(c.agents, c.resolution_minutes_mean);
}
auto fields(const FraudTypologyConfig& c) {
  return std::tie(c.accounts_per_day, c.attempts_per_account, c.hours_between_attempts,
                  c.order_usd_median, c.order_usd_sigma, c.reversal_delay_days, c.bearer);
}

// Two payment methods, because merchants accept two each by default; one is reversible so that
// payment-reversal fraud is allowed.
const std::string kMethods =
    "[[markets.ng.payment_methods]]\n"
    "name = \"bank_transfer\"\n"
    "[[markets.ng.payment_methods]]\n"
    "name = \"card_transfer\"\n"
    "reversible = true\n"
    "reversal_window_days = 30.0\n";
const std::string kMarket =
    "[markets.ng]\n"
    "currency = \"NGN\"\n"
    "reference_rate = 1580.0\n" +
    kMethods;

// A valid scenario with `tables` written between the name (line 1) and the market, so that the
// first line of `tables` is line 2 of the file.
std::string scenario_with(const std::string& tables) {
  return "name = \"test\"\n" + tables + kMarket;
}

// Each test gets its own empty directory to write scenario files into.
class ScenarioLoader : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = fs::temp_directory_path() / ("p2psim_test_scenario_" + std::to_string(::getpid()) +
                                              "_" + test->test_suite_name() + "_" + test->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  // The path of `name` in the test directory, as the loader shows it in messages.
  std::string path(const std::string& name) const { return (directory_ / name).string(); }

  std::string write(const std::string& name, const std::string& text) const {
    fs::path file = directory_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file.string();
  }

  // The full message of the error loading `file` throws.
  static std::string error_of(const std::string& file) {
    try {
      load_scenario(file);
    } catch (const ScenarioError& error) {
      return error.what();
    }
    return "(loaded without error)";
  }

  std::string error_of_text(const std::string& text) const {
    return error_of(write("s.toml", text));
  }

  fs::path directory_;
};

class ScenarioIncludes : public ScenarioLoader {};

// ---- Values that load -------------------------------------------------------------------

TEST_F(ScenarioLoader, AppliesStructDefaultsForOmittedKeys) {
  Scenario scenario = load_scenario(write("s.toml", scenario_with("")));
  EXPECT_EQ(scenario.name, "test");
  EXPECT_EQ(scenario.description, "");
  EXPECT_EQ(fields(scenario.world.simulation), fields(SimulationConfig{}));
  ASSERT_EQ(scenario.world.markets.size(), 1u);
  const MarketConfig& market = scenario.world.markets[0];
  MarketConfig defaults;
  EXPECT_EQ(market.code, "ng");
  EXPECT_EQ(market.payment_window_minutes, defaults.payment_window_minutes);
  ASSERT_EQ(market.payment_methods.size(), 2u);
  PaymentMethodConfig bank_defaults;
  bank_defaults.name = "bank_transfer";
  EXPECT_EQ(fields(market.payment_methods[0]), fields(bank_defaults));
  EXPECT_EQ(fields(market.users), fields(defaults.users));
  EXPECT_EQ(fields(market.merchants), fields(defaults.merchants));
  EXPECT_EQ(fields(market.rules.merchant_eligibility), fields(defaults.rules.merchant_eligibility));
  EXPECT_EQ(fields(market.support), fields(defaults.support));
  EXPECT_EQ(fields(market.fraud[FraudTypology::kNonPayment]),
            fields(defaults.fraud[FraudTypology::kNonPayment]));
  EXPECT_EQ(fields(market.fraud[FraudTypology::kPaymentReversal]),
            fields(defaults.fraud[FraudTypology::kPaymentReversal]));
}

TEST_F(ScenarioLoader, ReadsEveryKeyIntoItsField) {
  Scenario scenario = load_scenario(write("s.toml", R"(name = "every-key_1"
description = "Every key set to a value different from its default."
[simulation]
days = 90
warmup_days = 7
seed = 9223372036854775807
replications = 12
[markets.ar]
currency = "ARS"
reference_rate = 1200
payment_window_minutes = 30.5
[[markets.ar.payment_methods]]
name = "bank"
share = 2.5
settlement_minutes = 0
reversible = true
reversal_window_days = 45.5
min_order_usd = 5.5
max_order_usd = 500.5
freeze_probability = 0.05
freeze_days_mean = 3.5
enabled = false
reversal_probability = 0.455
[markets.ar.rate]
drift_per_year = 0.81
volatility_per_year = 0.82
jumps_per_year = 83.0
jump_mean = 0.84
[[markets.ar.rate.scheduled_jumps]]
day = 85
change = 0.86
[[markets.ar.rate.scheduled_jumps]]
day = 0
change = -0.87
[markets.ar.users]
initial_users = 4294967295
daily_visitors = 123.5
hourly_profile = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]
weekly_profile = [1, 2, 3, 4, 5, 6, 7.5]
registration_probability = 0.11
kyc_pass_probability = 0.12
first_order_hours = 13.0
buy_share = 0.14
order_usd_median = 15.0
order_usd_sigma = 0.16
days_between_orders = 17.0
pay_minutes_median = 18.0
pay_minutes_sigma = 0.19
cancel_probability = 0.20
abandon_probability = 0.21
patience_minutes_median = 22.0
patience_minutes_sigma = 0.221
release_minutes_median = 23.0
price_sensitivity = 24.0
quality_sensitivity = 25.0
ads_viewed = 26
extra_payment_method_probability = 0.261
referrals_per_user = 2.62
referral_delay_days = 2.63
kyc_tier_shares = [0.264, 0.265, 0.266]
kyc_tier0_max_order_usd = 267.0
kyc_tier1_max_order_usd = 268.0
initial_account_age_days = 269.0
shared_device_share = 0.270
shared_bank_account_share = 0.271
devaluation_demand_factor = 0.29
max_demand_multiplier = 2.9
[markets.ar.users.churn]
base_probability = 0.272
weight_failed = 2.73
weight_slow = 2.74
weight_blocked = 2.75
weight_disputed = 2.76
half_life_days = 2.77
[markets.ar.merchants]
count = 31
margin_bps_mean = 32.0
margin_bps_sd = 33.0
min_margin_bps = -34.0
usdt_inventory = 35.0
fiat_inventory_usd = 36.0
min_order_usd = 37.0
max_order_usd = 38.0
capacity = 39
payment_methods_each = 1
release_minutes_median = 41.0
release_minutes_sigma = 0.42
pay_minutes_median = 43.0
careless_release_probability = 0.44
volatility_margin_factor = 0.45
inventory_margin_bps = 46.0
online_hours = 12
deposit_usdt = 45.0
daily_cost_usd = 46.0
exit_after_days = 47
max_entrants = 48
entry_per_day = 49.0
entry_per_day_per_bps = 50.0
entry_spread_threshold_bps = 50.5
[markets.ar.rules.merchant_eligibility]
enabled = true
min_deposit_usdt = 81.0
min_completion_rate = 0.82
min_orders = 83
window_days = 84
probation_days = 85
suspension_days = 86
[markets.ar.support]
agents = 51
resolution_minutes_mean = 52.0
[markets.ar.fraud.non_payment]
accounts_per_day = 61.0
attempts_per_account = 62.0
hours_between_attempts = 63.0
order_usd_median = 64.0
order_usd_sigma = 0.65
bearer = "platform"
[markets.ar.fraud.payment_reversal]
accounts_per_day = 71.0
attempts_per_account = 72.0
hours_between_attempts = 73.0
order_usd_median = 74.0
order_usd_sigma = 0.75
reversal_delay_days = 76.0
bearer = "platform"
[markets.ar.rules.cancellation]
max_cancels_before_paying = 81
max_cancels_after_marking_paid = 82
ban_minutes = [8.3, 84]
)"));
  EXPECT_EQ(scenario.name, "every-key_1");
  EXPECT_EQ(scenario.description, "Every key set to a value different from its default.");
  EXPECT_EQ(fields(scenario.world.simulation),
            fields(SimulationConfig{90, 7, 9223372036854775807u, 12}));
  ASSERT_EQ(scenario.world.markets.size(), 1u);
  const MarketConfig& market = scenario.world.markets[0];
  EXPECT_EQ(market.code, "ar");
  EXPECT_EQ(market.currency, "ARS");
  EXPECT_EQ(market.reference_rate, 1200.0);
  EXPECT_EQ(market.payment_window_minutes, 30.5);
  ASSERT_EQ(market.payment_methods.size(), 1u);
  EXPECT_EQ(fields(market.payment_methods[0]),
            fields(PaymentMethodConfig{"bank", 2.5, 0.0, true, 45.5, 5.5, 500.5, 0.05, 3.5, false,
                                       0.455}));
  EXPECT_EQ(fields(market.rate), fields(ReferenceRateConfig{0.81, 0.82, 83.0, 0.84, {}}));
  ASSERT_EQ(market.rate.scheduled_jumps.size(), 2u);
  EXPECT_EQ(fields(market.rate.scheduled_jumps[0]), fields(ScheduledRateJump{85, 0.86}));
  EXPECT_EQ(fields(market.rate.scheduled_jumps[1]), fields(ScheduledRateJump{0, -0.87}));

  UserConfig users;
  users.initial_users = 4294967295u;
  users.daily_visitors = 123.5;
  for (int hour = 0; hour < 24; ++hour)
    users.profile.hourly[hour] = hour;
  users.profile.weekly = {1, 2, 3, 4, 5, 6, 7.5};
  users.registration_probability = 0.11;
  users.kyc_pass_probability = 0.12;
  users.first_order_hours = 13.0;
  users.buy_share = 0.14;
  users.order_usd_median = 15.0;
  users.order_usd_sigma = 0.16;
  users.days_between_orders = 17.0;
  users.pay_minutes_median = 18.0;
  users.pay_minutes_sigma = 0.19;
  users.cancel_probability = 0.20;
  users.abandon_probability = 0.21;
  users.patience_minutes_median = 22.0;
  users.patience_minutes_sigma = 0.221;
  users.release_minutes_median = 23.0;
  users.price_sensitivity = 24.0;
  users.quality_sensitivity = 25.0;
  users.ads_viewed = 26;
  users.extra_payment_method_probability = 0.261;
  users.referrals_per_user = 2.62;
  users.referral_delay_days = 2.63;
  users.kyc_tier_shares = {0.264, 0.265, 0.266};
  users.kyc_tier0_max_order_usd = 267.0;
  users.kyc_tier1_max_order_usd = 268.0;
  users.initial_account_age_days = 269.0;
  users.shared_device_share = 0.270;
  users.shared_bank_account_share = 0.271;
  users.churn = {0.272, 2.73, 2.74, 2.75, 2.76, 2.77};
  users.devaluation_demand_factor = 0.29;
  users.max_demand_multiplier = 2.9;
  EXPECT_EQ(fields(market.users), fields(users));
  EXPECT_EQ(fields(market.rules.cancellation), fields(CancellationRuleConfig{81, 82, {8.3, 84.0}}));

  MerchantConfig merchants{31,   32.0, 33.0, -34.0, 35.0, 36.0, 37.0, 38.0, 39,   1,    41.0, 0.42,
                           43.0, 0.44, 12,   45.0,  46.0, 47,   48,   49.0, 50.0, 50.5, 0.45, 46.0};
  EXPECT_EQ(fields(market.merchants), fields(merchants));
  EXPECT_EQ(fields(market.rules.merchant_eligibility),
            fields(MerchantEligibilityConfig{true, 81.0, 0.82, 83, 84, 85, 86}));
  EXPECT_EQ(fields(market.support), fields(SupportConfig{51, 52.0}));
  FraudTypologyConfig non_payment{.accounts_per_day = 61.0,
                                  .attempts_per_account = 62.0,
                                  .hours_between_attempts = 63.0,
                                  .order_usd_median = 64.0,
                                  .order_usd_sigma = 0.65,
                                  .bearer = LossBearer::kPlatform};
  EXPECT_EQ(fields(market.fraud[FraudTypology::kNonPayment]), fields(non_payment));
  FraudTypologyConfig reversal{.accounts_per_day = 71.0,
                               .attempts_per_account = 72.0,
                               .hours_between_attempts = 73.0,
                               .order_usd_median = 74.0,
                               .order_usd_sigma = 0.75,
                               .reversal_delay_days = 76.0,
                               .bearer = LossBearer::kPlatform};
  EXPECT_EQ(fields(market.fraud[FraudTypology::kPaymentReversal]), fields(reversal));
}

TEST_F(ScenarioLoader, DefaultRateIsConstantAndNoShocks) {
  Scenario scenario = load_scenario(write("s.toml", scenario_with("")));
  const MarketConfig& market = scenario.world.markets.at(0);
  EXPECT_EQ(fields(market.rate), fields(ReferenceRateConfig{}));
  EXPECT_EQ(market.rate.volatility_per_year, 0.0);
  EXPECT_EQ(market.rate.drift_per_year, 0.0);
  EXPECT_EQ(market.rate.jumps_per_year, 0.0);
  EXPECT_TRUE(market.rate.scheduled_jumps.empty());
  EXPECT_TRUE(market.payment_methods.at(0).enabled);
  EXPECT_TRUE(scenario.world.shocks.empty());
}

// Shocks name their market by code and their key by path; the loader resolves both to indexes.
TEST_F(ScenarioLoader, ReadsShocksOfEveryKey) {
  std::string shocks;
  const std::vector<std::pair<std::string, std::string>> written = {
      {"users.daily_visitors", "5000"},
      {"users.registration_probability", "0.3"},
      {"users.kyc_pass_probability", "0.4"},
      {"merchants.careless_release_probability", "0.05"},
      {"fraud.non_payment.accounts_per_day", "12"},
      {"fraud.payment_reversal.accounts_per_day", "13.5"},
      {"fraud.triangulation.accounts_per_day", "14"},
      {"payment_methods.card_transfer.enabled", "false"},
      {"rate.jump", "0.25"},
      {"rate.drift_per_year", "-0.5"},
      {"rate.volatility_per_year", "0.6"},
      {"payment_methods.bank_transfer.freeze_wave", "0.4"},
  };
  for (std::size_t i = 0; i < written.size(); ++i) {
    shocks += "[[shocks]]\nday = " + std::to_string(i) + "\nmarket = \"ng\"\nkey = \"" +
              written[i].first + "\"\nvalue = " + written[i].second + "\n";
  }
  Scenario scenario = load_scenario(write("s.toml", scenario_with(shocks)));
  const std::vector<ShockConfig> expected = {
      {0, 0, ShockKey::kDailyVisitors, 0, 0, 5000.0},
      {1, 0, ShockKey::kRegistrationProbability, 0, 0, 0.3},
      {2, 0, ShockKey::kKycPassProbability, 0, 0, 0.4},
      {3, 0, ShockKey::kCarelessReleaseProbability, 0, 0, 0.05},
      {4, 0, ShockKey::kFraudAccountsPerDay, 0, 0, 12.0},
      {5, 0, ShockKey::kFraudAccountsPerDay, 0, 1, 13.5},
      {6, 0, ShockKey::kFraudAccountsPerDay, 0, 2, 14.0},
      {7, 0, ShockKey::kPaymentMethodEnabled, 1, 0, 0.0},
      {8, 0, ShockKey::kRateJump, 0, 0, 0.25},
      {9, 0, ShockKey::kRateDriftPerYear, 0, 0, -0.5},
      {10, 0, ShockKey::kRateVolatilityPerYear, 0, 0, 0.6},
      {11, 0, ShockKey::kFreezeWave, 0, 0, 0.4},
  };
  ASSERT_EQ(scenario.world.shocks.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(fields(scenario.world.shocks[i]), fields(expected[i])) << i;
  }
}

TEST_F(ScenarioLoader, OrdersMarketsByCode) {
  std::string zz = kMarket;
  for (std::size_t at = zz.find("markets.ng"); at != std::string::npos;
       at = zz.find("markets.ng", at)) {
    zz.replace(at, 10, "markets.zz");
  }
  Scenario scenario = load_scenario(write("s.toml", "name = \"two\"\n" + zz + kMarket));
  ASSERT_EQ(scenario.world.markets.size(), 2u);
  EXPECT_EQ(scenario.world.markets[0].code, "ng");
  EXPECT_EQ(scenario.world.markets[1].code, "zz");
}

TEST_F(ScenarioIncludes, IncludingFileOverridesPresetAndReplacesArraysWhole) {
  write("markets/base.toml", R"([markets.ng]
currency = "NGN"
reference_rate = 1000.0
payment_window_minutes = 20
[[markets.ng.payment_methods]]
name = "a"
[[markets.ng.payment_methods]]
name = "b"
[[markets.ng.payment_methods]]
name = "c"
[markets.ng.users]
cancel_probability = 0.1
abandon_probability = 0.2
)");
  Scenario scenario = load_scenario(write("main.toml", R"(name = "test"
include = ["markets/base.toml"]
[markets.ng]
reference_rate = 1200.0
[[markets.ng.payment_methods]]
name = "x"
[[markets.ng.payment_methods]]
name = "y"
[markets.ng.users]
cancel_probability = 0.3
)"));
  ASSERT_EQ(scenario.world.markets.size(), 1u);
  const MarketConfig& market = scenario.world.markets[0];
  EXPECT_EQ(market.currency, "NGN");
  EXPECT_EQ(market.reference_rate, 1200.0);
  EXPECT_EQ(market.payment_window_minutes, 20.0);
  ASSERT_EQ(market.payment_methods.size(), 2u);
  EXPECT_EQ(market.payment_methods[0].name, "x");
  EXPECT_EQ(market.payment_methods[1].name, "y");
  EXPECT_EQ(market.users.cancel_probability, 0.3);
  EXPECT_EQ(market.users.abandon_probability, 0.2);
}

TEST_F(ScenarioIncludes, LaterIncludeOverridesEarlierOne) {
  write("base.toml", kMarket + "[markets.ng.users]\ncancel_probability = 0.1\n");
  write("override.toml", "[markets.ng]\nreference_rate = 1100.0\n");
  Scenario later = load_scenario(
      write("later.toml", "name = \"test\"\ninclude = [\"base.toml\", \"override.toml\"]\n"));
  EXPECT_EQ(later.world.markets.at(0).reference_rate, 1100.0);
  EXPECT_EQ(later.world.markets.at(0).users.cancel_probability, 0.1);
  Scenario earlier = load_scenario(
      write("earlier.toml", "name = \"test\"\ninclude = [\"override.toml\", \"base.toml\"]\n"));
  EXPECT_EQ(earlier.world.markets.at(0).reference_rate, 1580.0);
}

TEST_F(ScenarioIncludes, ResolvesNestedIncludesRelativeToTheirOwnFile) {
  write("common/methods.toml", kMethods);
  write("presets/ng.toml",
        "include = [\"../common/methods.toml\"]\n"
        "[markets.ng]\ncurrency = \"NGN\"\nreference_rate = 1580.0\n");
  Scenario scenario =
      load_scenario(write("main.toml", "name = \"test\"\ninclude = [\"presets/ng.toml\"]\n"));
  ASSERT_EQ(scenario.world.markets.size(), 1u);
  EXPECT_EQ(scenario.world.markets[0].currency, "NGN");
  EXPECT_EQ(scenario.world.markets[0].payment_methods.size(), 2u);
}

// A preset whose market ng has two strategies, each with its settings.
const std::string kRulesAndScore = kMarket +
                                   "[markets.ng.risk]\n"
                                   "strategies = [\"rules\", \"score\"]\n"
                                   "[[markets.ng.risk.rules]]\n"
                                   "when = \"amount_usd > 500\"\n"
                                   "action = \"block\"\n"
                                   "[markets.ng.risk.score]\n"
                                   "intercept = -6.0\n";

// The keys of the settings a market's strategies read, in order.
std::vector<std::string> setting_keys(const MarketConfig& market) {
  std::vector<std::string> keys;
  for (const ResolvedSetting& setting : market.risk_settings)
    keys.push_back(setting.key);
  return keys;
}

TEST_F(ScenarioIncludes, AShorterStrategyListDropsTheInheritedSettingsOfTheOthers) {
  write("preset.toml", kRulesAndScore);
  Scenario score = load_scenario(write("score.toml",
                                       "name = \"test\"\ninclude = [\"preset.toml\"]\n"
                                       "[markets.ng.risk]\nstrategies = [\"score\"]\n"));
  const MarketConfig& market = score.world.markets.at(0);
  EXPECT_EQ(market.risk_strategies, std::vector<std::string>{"score"});
  const std::vector<std::string> keys = setting_keys(market);
  EXPECT_NE(std::find(keys.begin(), keys.end(), "score.intercept"), keys.end());
  EXPECT_TRUE(std::none_of(keys.begin(), keys.end(),
                           [](const std::string& key) { return key.starts_with("rules"); }));
  Scenario none = load_scenario(write("none.toml",
                                      "name = \"test\"\ninclude = [\"preset.toml\"]\n"
                                      "[markets.ng.risk]\nstrategies = []\n"));
  EXPECT_TRUE(none.world.markets.at(0).risk_strategies.empty());
  EXPECT_EQ(none.world.markets.at(0).risk, nullptr);
}

TEST_F(ScenarioIncludes, AStrategyListDropsTheSettingsOfEveryFileUnderIt) {
  write("preset.toml", kRulesAndScore);
  write("score_only.toml", "[markets.ng.risk]\nstrategies = [\"score\"]\n");
  write("nested.toml",
        "include = [\"preset.toml\"]\n[markets.ng.risk]\nstrategies = [\"score\"]\n");
  for (const std::string& file :
       {write("later.toml", "name = \"test\"\ninclude = [\"preset.toml\", \"score_only.toml\"]\n"),
        write("main.toml", "name = \"test\"\ninclude = [\"nested.toml\"]\n")}) {
    EXPECT_EQ(load_scenario(file).world.markets.at(0).risk_strategies,
              std::vector<std::string>{"score"})
        << file;
  }
  // An earlier include's list is under the later include's settings: they stay.
  EXPECT_EQ(load_scenario(write("earlier.toml",
                                "name = \"test\"\n"
                                "include = [\"score_only.toml\", \"preset.toml\"]\n"))
                .world.markets.at(0)
                .risk_strategies,
            (std::vector<std::string>{"rules", "score"}));
}

TEST_F(ScenarioIncludes, ReportsSettingsOfAnUnlistedStrategyWrittenBesideTheList) {
  write("preset.toml", kRulesAndScore);
  EXPECT_EQ(error_of(write("main.toml",
                           "name = \"test\"\ninclude = [\"preset.toml\"]\n"
                           "[markets.ng.risk]\nstrategies = [\"score\"]\n"
                           "[[markets.ng.risk.rules]]\n"
                           "when = \"amount_usd > 100\"\naction = \"block\"\n")),
            path("main.toml") +
                ":5:19: markets.ng.risk.rules: settings of a strategy that "
                "markets.ng.risk.strategies does not list (it lists score): add \"rules\" to the "
                "list or remove these settings");
}

TEST_F(ScenarioIncludes, AStrategyListSetOnTheCommandLineOrByAnArmDropsTheOthersSettings) {
  const std::string file = write("s.toml", "name = \"test\"\n" + kRulesAndScore +
                                               "[experiment]\nprimary_kpi = \"ng.gmv_usd\"\n"
                                               "[experiment.arms.control]\n"
                                               "[experiment.arms.score.markets.ng.risk]\n"
                                               "strategies = [\"score\"]\n");
  const std::vector<std::string> settings = {"markets.ng.risk.strategies=[\"rules\"]"};
  Scenario set = load_scenario(file, settings);
  EXPECT_EQ(set.world.markets.at(0).risk_strategies, std::vector<std::string>{"rules"});
  const std::vector<std::string> keys = setting_keys(set.world.markets.at(0));
  EXPECT_TRUE(std::none_of(keys.begin(), keys.end(),
                           [](const std::string& key) { return key.starts_with("score"); }));
  const Scenario with_arms = load_scenario(file);
  const ExperimentConfig& experiment = *with_arms.experiment;
  ASSERT_EQ(experiment.arms.size(), 2u);
  EXPECT_EQ(experiment.arms[0].world.markets.at(0).risk_strategies,
            (std::vector<std::string>{"rules", "score"}));
  EXPECT_EQ(experiment.arms[1].world.markets.at(0).risk_strategies,
            std::vector<std::string>{"score"});
}

TEST_F(ScenarioIncludes, AnEmptyListRemovesEveryInheritedCampaignOrShock) {
  write("preset.toml",
        kMarket +
            "[[incentives]]\nkind = \"fee_waiver\"\nmarkets = [\"ng\"]\n"
            "[[incentives]]\nkind = \"maker_rebate\"\nmarkets = [\"ng\"]\nbps = 2\n"
            "[[shocks]]\nday = 3\nmarket = \"ng\"\nkey = \"rate.jump\"\nvalue = 0.5\n");
  Scenario all = load_scenario(write("all.toml", "name = \"test\"\ninclude = [\"preset.toml\"]\n"));
  EXPECT_EQ(all.world.incentives.size(), 2u);
  EXPECT_EQ(all.world.shocks.size(), 1u);
  Scenario none = load_scenario(write("none.toml",
                                      "name = \"test\"\nincentives = []\nshocks = []\n"
                                      "include = [\"preset.toml\"]\n"));
  EXPECT_TRUE(none.world.incentives.empty());
  EXPECT_TRUE(none.world.shocks.empty());
  // A list written again replaces the inherited one whole: the campaigns kept are rewritten.
  Scenario one = load_scenario(write("one.toml",
                                     "name = \"test\"\ninclude = [\"preset.toml\"]\n"
                                     "[[incentives]]\nkind = \"maker_rebate\"\n"
                                     "markets = [\"ng\"]\nbps = 2\n"));
  ASSERT_EQ(one.world.incentives.size(), 1u);
  EXPECT_EQ(one.world.incentives[0]->terms().kind, "maker_rebate");
}

TEST(ShippedScenarios, QuickstartLoads) {
  Scenario scenario = load_scenario(P2PSIM_SOURCE_DIR "/scenarios/quickstart.toml");
  EXPECT_EQ(scenario.name, "quickstart");
  EXPECT_FALSE(scenario.description.empty());
  EXPECT_EQ(fields(scenario.world.simulation), fields(SimulationConfig{14, 2, 20261125, 4}));
  ASSERT_EQ(scenario.world.markets.size(), 1u);
  const MarketConfig& market = scenario.world.markets[0];
  EXPECT_EQ(market.code, "ng");
  EXPECT_EQ(market.currency, "NGN");
  EXPECT_EQ(market.reference_rate, 1580.0);
  ASSERT_EQ(market.payment_methods.size(), 3u);
  // The Nigeria preset's methods: no order limits, freezes on the two final ones.
  const double no_limit = std::numeric_limits<double>::infinity();
  EXPECT_EQ(
      fields(market.payment_methods[0]),
      fields(PaymentMethodConfig{"bank_transfer", 0.6, 2.0, false, 0.0, 0.0, no_limit, 0.3, 10.0}));
  EXPECT_EQ(
      fields(market.payment_methods[1]),
      fields(PaymentMethodConfig{"mobile_money", 0.3, 1.0, false, 0.0, 0.0, no_limit, 0.2, 5.0}));
  EXPECT_EQ(fields(market.payment_methods[2]),
            fields(PaymentMethodConfig{"card_transfer", 0.1, 5.0, true, 60.0}));
  EXPECT_EQ(market.users.initial_users, 20000u);
  EXPECT_EQ(market.users.daily_visitors, 2000.0);
  EXPECT_EQ(market.merchants.count, 60u);
  EXPECT_EQ(market.support.agents, 4u);
  EXPECT_EQ(market.fraud[FraudTypology::kNonPayment].accounts_per_day, 20.0);
  EXPECT_EQ(market.fraud[FraudTypology::kPaymentReversal].accounts_per_day, 10.0);
}

// ---- Errors: files and syntax ------------------------------------------------------------

TEST_F(ScenarioLoader, ReportsSyntaxErrorWithPosition) {
  EXPECT_EQ(error_of_text("name = \"test\"\ndescription = \n"),
            path("s.toml") +
                ":2:15: syntax error: Error while parsing key-value pair: expected value, saw "
                "'\\n'");
}

TEST_F(ScenarioLoader, ReportsMissingFile) {
  EXPECT_EQ(error_of(path("absent.toml")), path("absent.toml") + ": cannot open scenario file");
}

TEST_F(ScenarioLoader, ExposesTheLocationOfAnError) {
  write("s.toml", scenario_with("[markets.ng.users]\ncancel_probability = 1.5\n"));
  try {
    load_scenario(path("s.toml"));
    FAIL() << "loaded without error";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(error.file(), path("s.toml"));
    EXPECT_EQ(error.line(), 3);
    EXPECT_EQ(error.column(), 22);
    EXPECT_EQ(error.key(), "markets.ng.users.cancel_probability");
    EXPECT_EQ(error.message(), "expected a probability between 0 and 1, found 1.5");
  }
}

TEST_F(ScenarioIncludes, ReportsMissingIncludeAtTheIncludeEntry) {
  write("markets/ng.toml", kMarket);
  EXPECT_EQ(error_of(write("main.toml",
                           "name = \"test\"\n"
                           "include = [\"markets/ng.toml\", \"markets/none.toml\"]\n")),
            path("main.toml") + ":2:31: include[1]: cannot open included file '" +
                path("markets/none.toml") + "'");
}

TEST_F(ScenarioIncludes, ReportsIncludeCycleWithTheChain) {
  write("b.toml", "include = [\"a.toml\"]\n");
  EXPECT_EQ(error_of(write("a.toml", "name = \"test\"\ninclude = [\"b.toml\"]\n")),
            path("b.toml") + ":1:12: include[0]: include cycle: " + path("a.toml") + " -> " +
                path("b.toml") + " -> " + path("a.toml"));
}

// Includes are bounded: an acyclic fan-out of ten includes a file used to load 10^depth files.
TEST_F(ScenarioIncludes, RefusesIncludesNestedDeeperThanSixteen) {
  for (int level = 1; level <= 16; ++level) {
    write(fmt::format("level{}.toml", level),
          fmt::format("include = [\"level{}.toml\"]\n", level + 1));
  }
  write("level17.toml", kMarket);
  const std::string error =
      error_of(write("main.toml", "name = \"test\"\ninclude = [\"level1.toml\"]\n"));
  EXPECT_EQ(error.substr(0, error.find(": includes")), path("level15.toml") + ":1:12: include[0]");
  EXPECT_NE(error.find("includes nest more than 16 deep: " + path("main.toml") + " -> " +
                       path("level1.toml")),
            std::string::npos)
      << error;
}

// 1 + 10 + 100 + 1000 loads: the 257th is an entry of a level3.toml.
TEST_F(ScenarioIncludes, RefusesMoreThanTwoHundredFiftySixIncludedFilesInAll) {
  for (int level = 1; level <= 3; ++level) {
    std::vector<std::string> entries(10, fmt::format("\"level{}.toml\"", level + 1));
    write(fmt::format("level{}.toml", level),
          fmt::format("include = [{}]\n", fmt::join(entries, ", ")));
  }
  write("level4.toml", kMarket);
  const std::string error =
      error_of(write("main.toml", "name = \"test\"\ninclude = [\"level1.toml\"] \n"));
  EXPECT_NE(error.find(": more than 256 included files loaded in all (the same file included "
                       "twice counts twice)"),
            std::string::npos)
      << error;
  EXPECT_EQ(error.rfind(path("level3.toml"), 0), 0u) << error;
}

TEST_F(ScenarioIncludes, PointsAtIncludedFileForErrorsInIt) {
  write("markets/ng.toml", "# preset\n[markets.ng.users]\nabandon_probability = -0.5\n" + kMarket);
  EXPECT_EQ(error_of(write("main.toml", "name = \"test\"\ninclude = [\"markets/ng.toml\"]\n")),
            path("markets/ng.toml") +
                ":3:23: markets.ng.users.abandon_probability: expected a probability between 0 "
                "and 1, found -0.5");
}

TEST_F(ScenarioIncludes, RejectsAnActivitySpreadBeyondThree) {
  // Beyond 3 the users' mean activity rests on a handful of users (docs/model.md).
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng.users]\nactivity_sigma = 3.5\n" + kMarket),
            path("s.toml") +
                ":3:18: markets.ng.users.activity_sigma: expected a number between 0 and 3, "
                "found 3.5");
}

TEST_F(ScenarioIncludes, RejectsIncludeThatIsNotAnArray) {
  EXPECT_EQ(error_of_text("name = \"test\"\ninclude = \"markets/ng.toml\"\n"),
            path("s.toml") +
                ":2:11: include: expected an array of file paths such as [\"markets/ng.toml\"], "
                "found a string (\"markets/ng.toml\")");
}

// ---- Errors: unknown keys ----------------------------------------------------------------

TEST_F(ScenarioLoader, RejectsUnknownTopLevelKeyWithSuggestion) {
  EXPECT_EQ(error_of_text(scenario_with("descripton = \"typo\"\n")),
            path("s.toml") + ":2:1: descripton: unknown key; did you mean 'description'?");
}

TEST_F(ScenarioLoader, RejectsUnknownKeyWithSuggestion) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.users]\ncancel_probabilty = 0.1\n")),
            path("s.toml") +
                ":3:1: markets.ng.users.cancel_probabilty: unknown key; did you mean "
                "'cancel_probability'?");
}

TEST_F(ScenarioLoader, RejectsUnknownKeyInPaymentMethod) {
  EXPECT_EQ(error_of_text("name = \"test\"\n" + kMarket + "settlement_minute = 2.0\n"),
            path("s.toml") +
                ":11:1: markets.ng.payment_methods[1].settlement_minute: unknown key; did you "
                "mean 'settlement_minutes'?");
}

TEST_F(ScenarioLoader, ListsAllowedKeysWhenNoKeyIsClose) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.support]\nstaff = 3\n")),
            path("s.toml") +
                ":3:1: markets.ng.support.staff: unknown key; the keys allowed here are: agents, "
                "resolution_minutes_mean, fast_track_share, evidence_hours_mean, "
                "evidence_deadline_hours, verdict_error_probability");
}

TEST_F(ScenarioLoader, RejectsReversalDelayUnderNonPayment) {
  EXPECT_EQ(
      error_of_text(scenario_with("[markets.ng.fraud.non_payment]\nreversal_delay_days = 5.0\n")),
      path("s.toml") +
          ":3:1: markets.ng.fraud.non_payment.reversal_delay_days: unknown key; did you mean "
          "'reveal_delay_days'?");
}

// Each typology reads only its own signature keys: a mule's threshold is unknown elsewhere.
TEST_F(ScenarioLoader, RejectsAnotherTypologysKey) {
  EXPECT_EQ(
      error_of_text(scenario_with("[markets.ng.fraud.triangulation]\nthreshold_usd = 900.0\n")),
      path("s.toml") +
          ":3:1: markets.ng.fraud.triangulation.threshold_usd: unknown key; the keys allowed "
          "here are: accounts_per_day, attempts_per_account, hours_between_attempts, "
          "order_usd_median, order_usd_sigma, adaptation_speed, aging_days, reveal_delay_days, "
          "bearer");
}

TEST_F(ScenarioLoader, RejectsAdaptationSpeedAboveOne) {
  EXPECT_EQ(
      error_of_text(scenario_with("[markets.ng.fraud.mule_structuring]\nadaptation_speed = 1.5\n")),
      path("s.toml") +
          ":3:20: markets.ng.fraud.mule_structuring.adaptation_speed: expected a "
          "probability between 0 and 1, found 1.5");
}

TEST_F(ScenarioLoader, RejectsMuleThresholdWithoutRoomForACent) {
  EXPECT_EQ(
      error_of_text(scenario_with("[markets.ng.fraud.mule_structuring]\nthreshold_usd = 0.01\n")),
      path("s.toml") +
          ":3:17: markets.ng.fraud.mule_structuring.threshold_usd: expected a number "
          "greater than 0.01 and at most 1e7, found 0.01");
}

// ---- Errors: types and ranges ------------------------------------------------------------

TEST_F(ScenarioLoader, RejectsWrongType) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\n"
                          "reference_rate = \"abc\"\n" +
                          kMethods),
            path("s.toml") +
                ":4:18: markets.ng.reference_rate: expected a number, found a string (\"abc\")");
}

TEST_F(ScenarioLoader, RejectsIntegerOutOfRange) {
  EXPECT_EQ(
      error_of_text(scenario_with("[simulation]\ndays = 0\n")),
      path("s.toml") + ":3:8: simulation.days: expected an integer between 1 and 3650, found 0");
}

TEST_F(ScenarioLoader, RejectsNegativeUnsignedCount) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.users]\ninitial_users = -1\n")),
            path("s.toml") +
                ":3:17: markets.ng.users.initial_users: expected an integer between 0 and "
                "4294967295, found -1");
}

TEST_F(ScenarioLoader, RejectsUnsignedCountAbove32Bits) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.users]\ninitial_users = 4294967296\n")),
            path("s.toml") +
                ":3:17: markets.ng.users.initial_users: expected an integer between 0 and "
                "4294967295, found 4294967296");
}

TEST_F(ScenarioLoader, RejectsDecimalForIntegerField) {
  EXPECT_EQ(
      error_of_text(scenario_with("[simulation]\ndays = 14.0\n")),
      path("s.toml") + ":3:8: simulation.days: expected an integer, found a decimal number (14.0)");
}

TEST_F(ScenarioLoader, RejectsNegativeSeed) {
  EXPECT_EQ(error_of_text(scenario_with("[simulation]\nseed = -1\n")),
            path("s.toml") +
                ":3:8: simulation.seed: expected an integer between 0 and 9223372036854775807, "
                "found -1");
}

TEST_F(ScenarioLoader, RejectsProbabilityOutOfRange) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.users]\ncancel_probability = 1.5\n")),
            path("s.toml") +
                ":3:22: markets.ng.users.cancel_probability: expected a probability between 0 and "
                "1, found 1.5");
}

TEST_F(ScenarioLoader, RejectsInfiniteNumber) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.users]\ndaily_visitors = inf\n")),
            path("s.toml") +
                ":3:18: markets.ng.users.daily_visitors: expected a number from 0 to 1e7, found "
                "inf");
}

TEST_F(ScenarioLoader, RejectsProfileOfWrongLength) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.users]\nweekly_profile = [1.0, 1.0]\n")),
            path("s.toml") +
                ":3:18: markets.ng.users.weekly_profile: expected an array of 7 numbers, found an "
                "array of 2 values");
}

TEST_F(ScenarioLoader, PointsAtTheBadProfileEntry) {
  EXPECT_EQ(
      error_of_text(scenario_with("[markets.ng.users]\nweekly_profile = [1, 1, 1, 1, 1, 1, -1]\n")),
      path("s.toml") +
          ":3:37: markets.ng.users.weekly_profile[6]: expected a number from 0 to 1e6, "
          "found -1");
}

TEST_F(ScenarioLoader, RejectsAllZeroProfile) {
  EXPECT_EQ(
      error_of_text(scenario_with("[markets.ng.users]\nweekly_profile = [0, 0, 0, 0, 0, 0, 0]\n")),
      path("s.toml") +
          ":3:18: markets.ng.users.weekly_profile: expected at least one weight greater "
          "than 0, found only zeros");
}

TEST_F(ScenarioLoader, RejectsEmptyBanLadder) {
  EXPECT_EQ(
      error_of_text(scenario_with("[markets.ng.rules.cancellation]\nban_minutes = []\n")),
      path("s.toml") +
          ":3:15: markets.ng.rules.cancellation.ban_minutes: expected an array of numbers, found "
          "an empty array");
}

TEST_F(ScenarioLoader, RejectsBanLadderThatIsNotAnArray) {
  EXPECT_EQ(
      error_of_text(scenario_with("[markets.ng.rules.cancellation]\nban_minutes = 15\n")),
      path("s.toml") +
          ":3:15: markets.ng.rules.cancellation.ban_minutes: expected an array of numbers, found "
          "an integer (15)");
}

TEST_F(ScenarioLoader, PointsAtTheBadBanRung) {
  EXPECT_EQ(error_of_text(
                scenario_with("[markets.ng.rules.cancellation]\nban_minutes = [15, 30, 0, 240]\n")),
            path("s.toml") +
                ":3:24: markets.ng.rules.cancellation.ban_minutes[2]: expected a number of "
                "minutes greater than 0 and at most 1440, found 0");
}

TEST_F(ScenarioLoader, RejectsUnknownKeyInChurn) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.users.churn]\nweight_fail = 1.0\n")),
            path("s.toml") +
                ":3:1: markets.ng.users.churn.weight_fail: unknown key; did you mean "
                "'weight_failed'?");
}

// ---- Errors: required keys and formats ---------------------------------------------------

TEST_F(ScenarioLoader, ReportsMissingRequiredKeyAtItsTable) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\nreference_rate = 1580.0\n" + kMethods),
            path("s.toml") + ":2:1: markets.ng.currency: required key is missing");
}

TEST_F(ScenarioLoader, ReportsMissingName) {
  EXPECT_EQ(error_of_text(kMarket), path("s.toml") + ":1:1: name: required key is missing");
}

TEST_F(ScenarioLoader, ReportsMissingMarkets) {
  EXPECT_EQ(error_of_text("name = \"test\"\n"),
            path("s.toml") + ":1:1: markets: required key is missing");
}

TEST_F(ScenarioLoader, RejectsEmptyPaymentMethods) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\n"
                          "reference_rate = 1580.0\npayment_methods = []\n"),
            path("s.toml") +
                ":5:19: markets.ng.payment_methods: expected at least one payment method, found "
                "an empty array");
}

TEST_F(ScenarioLoader, RejectsBadScenarioName) {
  EXPECT_EQ(error_of_text("name = \"Quick Start\"\n" + kMarket),
            path("s.toml") +
                ":1:8: name: expected a name made of lower-case letters, digits, '_' and '-' (it "
                "names the results folder), found \"Quick Start\"");
}

TEST_F(ScenarioLoader, RejectsBadMarketCode) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.NG]\ncurrency = \"NGN\"\n"),
            path("s.toml") +
                ":2:10: markets.NG: expected a market code made of lower-case letters, digits "
                "and '_', found \"NG\"");
}

TEST_F(ScenarioLoader, RejectsBadCurrency) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"ngn\"\n"
                          "reference_rate = 1580.0\n" +
                          kMethods),
            path("s.toml") +
                ":3:12: markets.ng.currency: expected a three-letter upper-case currency code "
                "such as \"NGN\", found \"ngn\"");
}

TEST_F(ScenarioLoader, RejectsBadBearer) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.fraud.non_payment]\nbearer = \"exchange\"\n")),
            path("s.toml") +
                ":3:10: markets.ng.fraud.non_payment.bearer: expected \"merchant\" or "
                "\"platform\", found \"exchange\"");
}

// A user bears only the losses of their own money (account takeover, a merchant's exit scam);
// a merchant never bears those, and promotion abuse costs only the platform.
TEST_F(ScenarioLoader, RejectsBearerThatDoesNotFitTheTypology) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.fraud.non_payment]\nbearer = \"user\"\n")),
            path("s.toml") +
                ":3:10: markets.ng.fraud.non_payment.bearer: expected \"merchant\" or "
                "\"platform\", found \"user\"");
  EXPECT_EQ(
      error_of_text(scenario_with("[markets.ng.fraud.account_takeover]\nbearer = \"merchant\"\n")),
      path("s.toml") +
          ":3:10: markets.ng.fraud.account_takeover.bearer: expected \"user\" or "
          "\"platform\", found \"merchant\"");
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.fraud.promotion_abuse]\nbearer = \"user\"\n")),
            path("s.toml") +
                ":3:10: markets.ng.fraud.promotion_abuse.bearer: expected \"platform\", found "
                "\"user\"");
}

TEST_F(ScenarioLoader, RejectsBearerThatIsNotAString) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.fraud.payment_reversal]\nbearer = 1\n")),
            path("s.toml") +
                ":3:10: markets.ng.fraud.payment_reversal.bearer: expected \"merchant\" or "
                "\"platform\", found an integer (1)");
}

TEST_F(ScenarioLoader, RejectsDuplicatePaymentMethodName) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\n"
                          "reference_rate = 1580.0\n"
                          "[[markets.ng.payment_methods]]\nname = \"bank_transfer\"\n"
                          "[[markets.ng.payment_methods]]\nname = \"bank_transfer\"\n"),
            path("s.toml") +
                ":8:8: markets.ng.payment_methods[1].name: expected a name not used by another "
                "payment method of market 'ng', found \"bank_transfer\", already the name of "
                "markets.ng.payment_methods[0]");
}

// ---- Merchant tiers ------------------------------------------------------------------------

// Two tiers after kMarket: their text starts at line 11 of the file.
const std::string kTiers =
    "[[markets.ng.rules.merchant_tiers]]\n"  // 11
    "name = \"new\"\n"
    "max_order_usd = 200.0\n"
    "[[markets.ng.rules.merchant_tiers]]\n"  // 14
    "name = \"gold\"\n"
    "min_completed_orders = 50\n"
    "min_completion_rate = 0.95\n"
    "min_deposit_usdt = 1000.0\n";

auto fields(const MerchantTierConfig& c) {
  return std::tie(c.name, c.min_completed_orders, c.min_completion_rate, c.min_deposit_usdt,
                  c.max_order_usd);
}

TEST_F(ScenarioLoader, ReadsMerchantTiersInOrder) {
  Scenario scenario = load_scenario(write("s.toml", "name = \"test\"\n" + kMarket + kTiers));
  const std::vector<MerchantTierConfig>& tiers = scenario.world.markets[0].rules.merchant_tiers;
  ASSERT_EQ(tiers.size(), 2u);
  EXPECT_EQ(fields(tiers[0]), fields(MerchantTierConfig{"new", 0, 0.0, 0.0, 200.0}));
  EXPECT_EQ(fields(tiers[1]), fields(MerchantTierConfig{"gold", 50, 0.95, 1000.0,
                                                        std::numeric_limits<double>::infinity()}));
  EXPECT_TRUE(load_scenario(write("t.toml", scenario_with("")))
                  .world.markets[0]
                  .rules.merchant_tiers.empty());
}

TEST_F(ScenarioLoader, RejectsTierWithLowerRequirementThanTheTierBefore) {
  EXPECT_EQ(error_of_text("name = \"test\"\n" + kMarket + kTiers +
                          "[[markets.ng.rules.merchant_tiers]]\nname = \"silver\"\n"
                          "min_completed_orders = 10\n"),
            path("s.toml") +
                ":21:24: markets.ng.rules.merchant_tiers[2].min_completed_orders: expected at "
                "least 50, the value of markets.ng.rules.merchant_tiers[1] (tiers are listed "
                "from the lowest), found 10");
}

TEST_F(ScenarioLoader, RejectsTierWithSmallerCapThanTheTierBefore) {
  EXPECT_EQ(error_of_text("name = \"test\"\n" + kMarket + kTiers + "max_order_usd = 100.0\n"),
            path("s.toml") +
                ":19:17: markets.ng.rules.merchant_tiers[1].max_order_usd: expected at least "
                "200, the cap of markets.ng.rules.merchant_tiers[0] (tiers are listed from the "
                "lowest), found 100");
}

TEST_F(ScenarioLoader, RejectsRequirementInTheFirstTier) {
  EXPECT_EQ(error_of_text("name = \"test\"\n" + kMarket +
                          "[[markets.ng.rules.merchant_tiers]]\nname = \"new\"\n"
                          "min_completion_rate = 0.9\n"),
            path("s.toml") +
                ":13:23: markets.ng.rules.merchant_tiers[0].min_completion_rate: expected 0 in "
                "the first tier (a merchant that meets no other tier is in it), found 0.9");
}

TEST_F(ScenarioLoader, RejectsUnknownKeyInATier) {
  EXPECT_EQ(error_of_text("name = \"test\"\n" + kMarket +
                          "[[markets.ng.rules.merchant_tiers]]\nname = \"new\"\n"
                          "max_order = 100.0\n"),
            path("s.toml") +
                ":13:1: markets.ng.rules.merchant_tiers[0].max_order: unknown key; the keys "
                "allowed here are: name, min_completed_orders, min_completion_rate, "
                "min_deposit_usdt, max_order_usd");
}

TEST_F(ScenarioLoader, RejectsDuplicateTierName) {
  EXPECT_EQ(error_of_text("name = \"test\"\n" + kMarket + kTiers +
                          "[[markets.ng.rules.merchant_tiers]]\nname = \"gold\"\n"
                          "min_completed_orders = 60\n"),
            path("s.toml") +
                ":20:8: markets.ng.rules.merchant_tiers[2].name: expected a name not used by "
                "another tier, found \"gold\", already the name of "
                "markets.ng.rules.merchant_tiers[1]");
}

TEST_F(ScenarioLoader, RejectsTierWithoutName) {
  EXPECT_EQ(
      error_of_text("name = \"test\"\n" + kMarket +
                    "[[markets.ng.rules.merchant_tiers]]\nmax_order_usd = 100.0\n"),
      path("s.toml") + ":11:1: markets.ng.rules.merchant_tiers[0].name: required key is missing");
}

// ---- Errors: values that contradict each other ---------------------------------------------

TEST_F(ScenarioLoader, RejectsWarmupNotBeforeDays) {
  EXPECT_EQ(error_of_text(scenario_with("[simulation]\ndays = 5\nwarmup_days = 5\n")),
            path("s.toml") +
                ":4:15: simulation.warmup_days: expected fewer days than simulation.days (5), "
                "found 5");
}

TEST_F(ScenarioLoader, RejectsDaysNotAfterDefaultWarmup) {
  EXPECT_EQ(error_of_text(scenario_with("[simulation]\ndays = 2\n")),
            path("s.toml") +
                ":3:8: simulation.days: expected more days than simulation.warmup_days (2, the "
                "default), found 2");
}

TEST_F(ScenarioLoader, RejectsReversalFraudWithoutReversibleMethod) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\n"
                          "reference_rate = 1580.0\n"
                          "[[markets.ng.payment_methods]]\nname = \"bank_transfer\"\n"
                          "[[markets.ng.payment_methods]]\nname = \"mobile_money\"\n"
                          "[markets.ng.fraud.payment_reversal]\naccounts_per_day = 10\n"),
            path("s.toml") +
                ":10:20: markets.ng.fraud.payment_reversal.accounts_per_day: expected 0 because "
                "market 'ng' has no reversible payment method, found 10");
}

// ---- Errors: shocks and the reference rate -------------------------------------------------

// A shock in a scenario: lines 2-6 of the file, its value on line 6 (column 9).
std::string shock_with(const std::string& market, const std::string& key, const std::string& value,
                       int day = 3) {
  return scenario_with("[[shocks]]\nday = " + std::to_string(day) + "\nmarket = \"" + market +
                       "\"\nkey = \"" + key + "\"\nvalue = " + value + "\n");
}

TEST_F(ScenarioLoader, RejectsShockOfAKeyThatIsNotShockable) {
  EXPECT_EQ(error_of_text(shock_with("ng", "users.cancel_probability", "0.5")),
            path("s.toml") +
                ":5:7: shocks[0].key: expected a shockable key (one of users.daily_visitors, "
                "users.registration_probability, users.kyc_pass_probability, "
                "merchants.careless_release_probability, fraud.<typology>.accounts_per_day, "
                "payment_methods.<name>.enabled, "
                "rate.jump, rate.drift_per_year, rate.volatility_per_year, "
                "payment_methods.<name>.freeze_wave), found \"users.cancel_probability\"");
}

TEST_F(ScenarioLoader, RejectsShockOfAnUnknownFraudTypology) {
  EXPECT_EQ(error_of_text(shock_with("ng", "fraud.phishing.accounts_per_day", "5")),
            path("s.toml") +
                ":5:7: shocks[0].key: expected a fraud typology (non_payment, payment_reversal, "
                "triangulation, promotion_abuse, account_takeover, mule_structuring, "
                "merchant_exit_scam), found \"phishing\"");
}

TEST_F(ScenarioLoader, RejectsShockOfAMarketThatDoesNotExist) {
  EXPECT_EQ(error_of_text(shock_with("br", "rate.jump", "0.5")),
            path("s.toml") +
                ":4:10: shocks[0].market: expected the code of a market of this scenario (ng), "
                "found \"br\"");
}

TEST_F(ScenarioLoader, RejectsARegistrationAgeFilterBeyondWhatAMerchantRecordHolds) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\n"
                          "reference_rate = 1580.0\n[markets.ng.merchants]\n"
                          "filter_min_account_age_days = 365\n"),
            path("s.toml") +
                ":6:31: markets.ng.merchants.filter_min_account_age_days: expected an integer "
                "between 0 and 255, found 365");
}

TEST_F(ScenarioLoader, RejectsABankAccountNameThatIsNotLowerCase) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\n"
                          "reference_rate = 1580.0\n[[markets.ng.payment_methods]]\n"
                          "name = \"upi\"\nbank_account = \"Main Account\"\n"
                          "[[markets.ng.payment_methods]]\nname = \"imps\"\n"),
            path("s.toml") +
                ":7:16: markets.ng.payment_methods[0].bank_account: expected a name made of "
                "lower-case letters, digits and '_', found \"Main Account\"");
}

TEST_F(ScenarioLoader, RejectsShockOfAPaymentMethodTheMarketLacks) {
  EXPECT_EQ(error_of_text(shock_with("ng", "payment_methods.pix.enabled", "false")),
            path("s.toml") +
                ":5:7: shocks[0].key: expected a payment method of market 'ng' (bank_transfer, "
                "card_transfer), found \"pix\"");
}

TEST_F(ScenarioLoader, RejectsAFreezeWaveOnAPaymentMethodTheMarketLacksOrAShareAboveOne) {
  EXPECT_EQ(error_of_text(shock_with("ng", "payment_methods.upi.freeze_wave", "0.5")),
            path("s.toml") +
                ":5:7: shocks[0].key: expected a payment method of market 'ng' (bank_transfer, "
                "card_transfer), found \"upi\"");
  EXPECT_EQ(error_of_text(shock_with("ng", "payment_methods.bank_transfer.freeze_wave", "1.5")),
            path("s.toml") + ":6:9: shocks[0].value: expected a share between 0 and 1, found 1.5");
}

TEST_F(ScenarioLoader, RangeChecksShockValuesLikeTheBaseKey) {
  EXPECT_EQ(
      error_of_text(shock_with("ng", "users.kyc_pass_probability", "1.5")),
      path("s.toml") + ":6:9: shocks[0].value: expected a probability between 0 and 1, found 1.5");
  EXPECT_EQ(error_of_text(shock_with("ng", "rate.jump", "-1")),
            path("s.toml") +
                ":6:9: shocks[0].value: expected a number greater than -1 and at most 100, "
                "found -1");
  EXPECT_EQ(error_of_text(shock_with("ng", "payment_methods.bank_transfer.enabled", "0")),
            path("s.toml") + ":6:9: shocks[0].value: expected true or false, found an integer (0)");
}

TEST_F(ScenarioLoader, RejectsShockOnADayNoRunHas) {
  EXPECT_EQ(
      error_of_text(shock_with("ng", "rate.jump", "0.5", 3650)),
      path("s.toml") + ":3:7: shocks[0].day: expected an integer between 0 and 3649, found 3650");
  EXPECT_EQ(
      error_of_text(shock_with("ng", "rate.jump", "0.5", -1)),
      path("s.toml") + ":3:7: shocks[0].day: expected an integer between 0 and 3649, found -1");
}

TEST_F(ScenarioLoader, RejectsShockWithoutValue) {
  EXPECT_EQ(
      error_of_text(scenario_with("[[shocks]]\nday = 3\nmarket = \"ng\"\nkey = \"rate.jump\"\n")),
      path("s.toml") + ":2:1: shocks[0].value: required key is missing");
}

TEST_F(ScenarioLoader, RejectsReversalFraudShockWithoutReversibleMethod) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\n"
                          "reference_rate = 1580.0\n"
                          "[[markets.ng.payment_methods]]\nname = \"bank_transfer\"\n"
                          "[[markets.ng.payment_methods]]\nname = \"mobile_money\"\n"
                          "[[shocks]]\nday = 1\nmarket = \"ng\"\n"
                          "key = \"fraud.payment_reversal.accounts_per_day\"\nvalue = 4\n"),
            path("s.toml") +
                ":13:9: shocks[0].value: expected 0 because market 'ng' has no reversible "
                "payment method, found 4");
}

TEST_F(ScenarioLoader, RejectsScheduledJumpThatWouldMakeTheRateNonPositive) {
  EXPECT_EQ(
      error_of_text(scenario_with("[[markets.ng.rate.scheduled_jumps]]\nday = 3\nchange = -1.0\n")),
      path("s.toml") +
          ":4:10: markets.ng.rate.scheduled_jumps[0].change: expected a number greater "
          "than -1 and at most 100, found -1.0");
}

TEST_F(ScenarioLoader, RejectsUnknownRateKey) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.rate]\nvolatility_per_yaer = 0.3\n")),
            path("s.toml") +
                ":3:1: markets.ng.rate.volatility_per_yaer: unknown key; did you mean "
                "'volatility_per_year'?");
}

TEST_F(ScenarioLoader, RejectsReversibleMethodWithoutWindow) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\n"
                          "reference_rate = 1580.0\n"
                          "[[markets.ng.payment_methods]]\nname = \"bank_transfer\"\n"
                          "[[markets.ng.payment_methods]]\nname = \"card_transfer\"\n"
                          "reversible = true\n"),
            path("s.toml") +
                ":7:1: markets.ng.payment_methods[1].reversal_window_days: required key is "
                "missing (the method is reversible)");
}

TEST_F(ScenarioLoader, RejectsCancelPlusAbandonAboveOne) {
  EXPECT_EQ(error_of_text(scenario_with(
                "[markets.ng.users]\ncancel_probability = 0.75\nabandon_probability = 0.5\n")),
            path("s.toml") +
                ":4:23: markets.ng.users.abandon_probability: expected cancel_probability + "
                "abandon_probability to be at most 1, found 0.75 + 0.5 = 1.25");
}

TEST_F(ScenarioLoader, RejectsCancelAgainPlusAbandonAboveOne) {
  // A retry within a visit cancels, walks away or pays, as a first try does.
  EXPECT_EQ(error_of_text(scenario_with(
                "[markets.ng.users]\ncancel_again_probability = 0.9\nabandon_probability = 0.2\n")),
            path("s.toml") +
                ":4:23: markets.ng.users.abandon_probability: expected cancel_again_probability + "
                "abandon_probability to be at most 1, found 0.9 + 0.2 = 1.1");
}

TEST_F(ScenarioLoader, RejectsMaxOrderBelowMin) {
  EXPECT_EQ(error_of_text(
                scenario_with("[markets.ng.merchants]\nmin_order_usd = 50\nmax_order_usd = 20\n")),
            path("s.toml") +
                ":4:17: markets.ng.merchants.max_order_usd: expected at least min_order_usd (50), "
                "found 20");
}

TEST_F(ScenarioLoader, RejectsPaymentMethodMaxOrderBelowMin) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\n"
                          "reference_rate = 1580.0\n"
                          "[[markets.ng.payment_methods]]\nname = \"bank_transfer\"\n"
                          "min_order_usd = 50\nmax_order_usd = 20\n"
                          "[markets.ng.merchants]\npayment_methods_each = 1\n"),
            path("s.toml") +
                ":8:17: markets.ng.payment_methods[0].max_order_usd: expected at least "
                "min_order_usd (50), found 20");
}

TEST_F(ScenarioLoader, RejectsPaymentMethodMinOrderAboveDefaultMax) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\n"
                          "reference_rate = 1580.0\n"
                          "[[markets.ng.payment_methods]]\nname = \"bank_transfer\"\n"
                          "min_order_usd = inf\n"
                          "[markets.ng.merchants]\npayment_methods_each = 1\n"),
            path("s.toml") +
                ":7:17: markets.ng.payment_methods[0].min_order_usd: expected a number from 0 "
                "to 1e7, found inf");
}

TEST_F(ScenarioLoader, RejectsMorePaymentMethodsThanTheLimit) {
  std::string text = "name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\nreference_rate = 1.0\n";
  for (int method = 0; method < 17; ++method) {
    text += "[[markets.ng.payment_methods]]\nname = \"m" + std::to_string(method) + "\"\n";
  }
  EXPECT_EQ(error_of_text(text), path("s.toml") +
                                     ":5:1: markets.ng.payment_methods: expected at most 16 "
                                     "payment methods, found 17");
}

// Bounds that keep fiat amounts in 64-bit minor units and one event's work finite.
TEST_F(ScenarioLoader, RejectsAmountsBeyondTheirBounds) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.merchants]\nmax_order_usd = 2e7\n")),
            path("s.toml") +
                ":3:17: markets.ng.merchants.max_order_usd: expected a number greater than 0 "
                "and at most 1e7, found 20000000.0");
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.merchants]\nfiat_inventory_usd = 2e8\n")),
            path("s.toml") +
                ":3:22: markets.ng.merchants.fiat_inventory_usd: expected a number from 0 to 1e8, "
                "found 200000000.0");
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.users]\nads_viewed = 65\n")),
            path("s.toml") +
                ":3:14: markets.ng.users.ads_viewed: expected an integer between 1 and 64, "
                "found 65");
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.fraud.promotion_abuse]\n"
                                        "ring_size_mean = 5000\n")),
            path("s.toml") +
                ":3:18: markets.ng.fraud.promotion_abuse.ring_size_mean: expected a number from 1 "
                "to 1000, found 5000");
}

TEST_F(ScenarioLoader, RejectsOnlineHoursBeyondADay) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.merchants]\nonline_hours = 25\n")),
            path("s.toml") +
                ":3:16: markets.ng.merchants.online_hours: expected an integer between 1 and 24, "
                "found 25");
}

TEST_F(ScenarioLoader, RejectsUnknownMerchantEligibilityKey) {
  // The rules table is read like every other: an unknown key is an error with a suggestion.
  EXPECT_EQ(
      error_of_text(scenario_with("[markets.ng.rules.merchant_eligibility]\nmin_order = 3\n")),
      path("s.toml") +
          ":3:1: markets.ng.rules.merchant_eligibility.min_order: unknown key; did "
          "you mean 'min_orders'?");
}

TEST_F(ScenarioLoader, RejectsMorePaymentMethodsEachThanTheMarketHas) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.merchants]\npayment_methods_each = 3\n")),
            path("s.toml") +
                ":3:24: markets.ng.merchants.payment_methods_each: expected at most 2 (the number "
                "of payment methods of market 'ng'), found 3");
}

TEST_F(ScenarioLoader, ExplainsDefaultPaymentMethodsEachAboveTheMarketsMethods) {
  EXPECT_EQ(error_of_text("name = \"test\"\n[markets.ng]\ncurrency = \"NGN\"\n"
                          "reference_rate = 1580.0\n"
                          "[[markets.ng.payment_methods]]\nname = \"bank_transfer\"\n"),
            path("s.toml") +
                ":2:1: markets.ng.merchants.payment_methods_each: expected at most 1 (the number "
                "of payment methods of market 'ng'), found 2 (the default)");
}

// ---- Risk strategies (docs/strategies.md) ------------------------------------------------

const std::string kRiskRules =
    "[markets.ng.risk]\n"
    "strategies = [\"rules\", \"score\"]\n"
    "[[markets.ng.risk.rules]]\n"
    "when = \"account_age_days < 7 and amount_usd > 500\"\n"
    "action = \"block\"\n"
    "[[markets.ng.risk.rules]]\n"
    "when = \"account_age_days < 30 or payment_method == \\\"card_transfer\\\"\"\n"
    "action = \"hold\"\n"
    "hold_minutes = 60\n"
    "[markets.ng.risk.score]\n"
    "intercept = -5.0\n"
    "block_above = 0.5\n"
    "[markets.ng.risk.score.weights]\n"
    "orders_last_24h = 1.0\n";

OrderFeatures risk_features(double age_days, double amount_usd, double orders_last_24h = 0.0) {
  OrderFeatures features;
  features[RiskFeature::kAccountAgeDays] = age_days;
  features[RiskFeature::kAmountUsd] = amount_usd;
  features[RiskFeature::kOrdersLast24h] = orders_last_24h;
  return features;
}

TEST_F(ScenarioLoader, ReadsRiskRulesAndScoreInTheirOrder) {
  Scenario scenario = load_scenario(write("s.toml", scenario_with(kRiskRules)));
  const RiskPolicy& policy = *scenario.world.markets[0].risk;
  const RiskStage create = RiskStage::kOrderCreation;
  const RiskStage paid = RiskStage::kMarkPaid;
  EXPECT_EQ(policy.decide(create, risk_features(3.0, 600.0)).action, RiskAction::kBlock);
  EXPECT_EQ(policy.decide(create, risk_features(3.0, 400.0)).action, RiskAction::kAllow);
  // The score: sigmoid(-5 + 5) = 0.5 reaches block_above.
  EXPECT_EQ(policy.decide(create, risk_features(90.0, 10.0, 5.0)).action, RiskAction::kBlock);
  EXPECT_EQ(policy.decide(create, risk_features(90.0, 10.0, 4.0)).action, RiskAction::kAllow);
  RiskDecision held = policy.decide(paid, risk_features(10.0, 10.0));
  EXPECT_EQ(held.action, RiskAction::kHold);
  EXPECT_DOUBLE_EQ(held.hold_minutes, 60.0);
  EXPECT_EQ(policy.decide(paid, risk_features(90.0, 10.0)).action, RiskAction::kAllow);
  // Each decision names what decided it: the rules by their place, then the score.
  EXPECT_EQ(policy.reason_count(), 3u);
  EXPECT_EQ(policy.reason_name(policy.decide(create, risk_features(3.0, 600.0)).reason), "rule 1");
  EXPECT_EQ(policy.reason_name(held.reason), "rule 2");
  EXPECT_EQ(policy.reason_name(policy.decide(create, risk_features(90.0, 10.0, 5.0)).reason),
            "score");
  EXPECT_EQ(policy.decide(create, risk_features(3.0, 400.0)).reason, 0u);
  EXPECT_EQ(policy.reason_name(0), "");
}

TEST_F(ScenarioLoader, ReadsWithdrawalLocksOfRulesAndScoreAndKeepsTheLongestBesideAHold) {
  // A rule locks young accounts' purchases 24 h; the score holds 30 minutes from p >= 0.5 and
  // locks 72 h from p >= 0.25. At mark-paid the hold wins the action and the longer lock stays.
  Scenario scenario =
      load_scenario(write("s.toml", scenario_with("[markets.ng.risk]\n"
                                                  "strategies = [\"rules\", \"score\"]\n"
                                                  "[[markets.ng.risk.rules]]\n"
                                                  "when = \"account_age_days < 30\"\n"
                                                  "action = \"lock_withdrawal\"\n"
                                                  "lock_hours = 24\n"
                                                  "[markets.ng.risk.score]\n"
                                                  "intercept = -5.0\n"
                                                  "hold_above = 0.5\n"
                                                  "hold_minutes = 30\n"
                                                  "lock_above = 0.25\n"
                                                  "lock_hours = 72\n"
                                                  "[markets.ng.risk.score.weights]\n"
                                                  "orders_last_24h = 1.0\n")));
  const RiskPolicy& policy = *scenario.world.markets[0].risk;
  const RiskStage paid = RiskStage::kMarkPaid;
  const RiskDecision rule_only = policy.decide(paid, risk_features(10.0, 10.0));
  EXPECT_EQ(rule_only.action, RiskAction::kLockWithdrawal);
  EXPECT_DOUBLE_EQ(rule_only.lock_hours, 24.0);
  // sigmoid(-5 + 4) = 0.27: the score locks 72 h, without a hold.
  const RiskDecision score_lock = policy.decide(paid, risk_features(90.0, 10.0, 4.0));
  EXPECT_EQ(score_lock.action, RiskAction::kLockWithdrawal);
  EXPECT_DOUBLE_EQ(score_lock.lock_hours, 72.0);
  // sigmoid(-5 + 5) = 0.5: the score holds and locks; with the rule's lock, the longest stays.
  const RiskDecision both = policy.decide(paid, risk_features(10.0, 10.0, 5.0));
  EXPECT_EQ(both.action, RiskAction::kHold);
  EXPECT_DOUBLE_EQ(both.hold_minutes, 30.0);
  EXPECT_DOUBLE_EQ(both.lock_hours, 72.0);
  EXPECT_EQ(policy.decide(paid, risk_features(90.0, 10.0)).lock_hours, 0.0);
  // Nothing locks at order creation.
  EXPECT_EQ(policy.decide(RiskStage::kOrderCreation, risk_features(10.0, 10.0)).lock_hours, 0.0);
}

TEST_F(ScenarioLoader, AScoreLocksAtCreationOrAfterTheReleaseByItsOwnThresholds) {
  // Locks 48 h from p >= 0.25 at creation (beside a step-up from p >= 0.5) and from p >= 0.4
  // after the release; nothing at mark-paid.
  Scenario scenario =
      load_scenario(write("s.toml", scenario_with("[markets.ng.risk]\n"
                                                  "strategies = [\"score\"]\n"
                                                  "[markets.ng.risk.score]\n"
                                                  "intercept = -5.0\n"
                                                  "step_up_above = 0.5\n"
                                                  "creation_lock_above = 0.25\n"
                                                  "post_trade_lock_above = 0.4\n"
                                                  "lock_hours = 48\n"
                                                  "[markets.ng.risk.score.weights]\n"
                                                  "orders_last_24h = 1.0\n")));
  const RiskPolicy& policy = *scenario.world.markets[0].risk;
  EXPECT_TRUE(policy.decides_post_trade());
  // sigmoid(-5 + 4) = 0.27: a lock alone at creation, none after the release.
  const OrderFeatures lock_only = risk_features(90.0, 10.0, 4.0);
  const RiskDecision created = policy.decide(RiskStage::kOrderCreation, lock_only);
  EXPECT_EQ(created.action, RiskAction::kLockWithdrawal);
  EXPECT_DOUBLE_EQ(created.lock_hours, 48.0);
  EXPECT_EQ(policy.decide(RiskStage::kPostTrade, lock_only).action, RiskAction::kAllow);
  EXPECT_EQ(policy.decide(RiskStage::kMarkPaid, lock_only).lock_hours, 0.0);
  // sigmoid(-5 + 5) = 0.5: a step-up with the lock at creation; a lock after the release.
  const OrderFeatures both = risk_features(90.0, 10.0, 5.0);
  EXPECT_EQ(policy.decide(RiskStage::kOrderCreation, both).action, RiskAction::kStepUp);
  EXPECT_DOUBLE_EQ(policy.decide(RiskStage::kOrderCreation, both).lock_hours, 48.0);
  EXPECT_EQ(policy.decide(RiskStage::kPostTrade, both).action, RiskAction::kLockWithdrawal);
  EXPECT_DOUBLE_EQ(policy.decide(RiskStage::kPostTrade, both).lock_hours, 48.0);
  // sigmoid(-5) = 0.007: nothing anywhere.
  const OrderFeatures quiet = risk_features(90.0, 10.0);
  EXPECT_EQ(policy.decide(RiskStage::kOrderCreation, quiet).action, RiskAction::kAllow);
  EXPECT_EQ(policy.decide(RiskStage::kOrderCreation, quiet).reason, 0);
}

TEST_F(ScenarioLoader, RequiresTheHoursOfAWithdrawalLock) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\n"
                                        "strategies = [\"rules\"]\n"
                                        "[[markets.ng.risk.rules]]\n"
                                        "when = \"account_age_days < 30\"\n"
                                        "action = \"lock_withdrawal\"\n")),
            path("s.toml") + ":4:1: markets.ng.risk.rules[0].lock_hours: required key is missing");
}

// The combined policy's log-odds at creation are the score's, whatever the rules decide; a score
// without a threshold at creation gives none (its features are not computed then).
TEST_F(ScenarioLoader, ScoreGivesItsLogOddsAtCreation) {
  Scenario scenario = load_scenario(write("s.toml", scenario_with(kRiskRules)));
  const RiskPolicy& policy = *scenario.world.markets[0].risk;
  EXPECT_EQ(policy.creation_log_odds(risk_features(3.0, 600.0, 2.0)), -3.0);
  EXPECT_EQ(policy.creation_log_odds(risk_features(90.0, 10.0, 5.0)), 0.0);
  std::string hold_only = kRiskRules;
  hold_only.replace(hold_only.find("block_above = 0.5"), 17, "hold_above = 0.5");
  Scenario held = load_scenario(write("h.toml", scenario_with(hold_only)));
  EXPECT_EQ(held.world.markets[0].risk->creation_log_odds(risk_features(3.0, 600.0, 2.0)),
            std::nullopt);
}

TEST_F(ScenarioLoader, LimitsCapWhatAnAccountMayStillTradeToday) {
  Scenario scenario = load_scenario(write("s.toml", scenario_with("[markets.ng.risk]\n"
                                                                  "strategies = [\"limits\"]\n"
                                                                  "[[markets.ng.risk.limits]]\n"
                                                                  "kyc_tier = 0\n"
                                                                  "max_order_usd = 300\n"
                                                                  "max_daily_usd = 500\n"
                                                                  "[[markets.ng.risk.limits]]\n"
                                                                  "account_age_below_days = 7\n"
                                                                  "max_order_usd = 100\n")));
  const RiskPolicy& policy = *scenario.world.markets[0].risk;
  auto order = [](double tier, double age_days, double amount_usd, double usd_today) {
    OrderFeatures features;
    features[RiskFeature::kKycTier] = tier;
    features[RiskFeature::kAccountAgeDays] = age_days;
    features[RiskFeature::kAmountUsd] = amount_usd;
    features[RiskFeature::kUsdToday] = usd_today;
    return features;
  };
  const RiskStage create = RiskStage::kOrderCreation;
  // Tier 0, 30 days old, 400 USD traded today: 100 left of the daily 500.
  RiskDecision capped = policy.decide(create, order(0.0, 30.0, 250.0, 400.0));
  EXPECT_EQ(capped.action, RiskAction::kLimit);
  EXPECT_DOUBLE_EQ(capped.limit_usd, 100.0);
  // The per-order limit binds when less has been traded; within it the order is allowed.
  EXPECT_DOUBLE_EQ(policy.decide(create, order(0.0, 30.0, 350.0, 0.0)).limit_usd, 300.0);
  EXPECT_EQ(policy.decide(create, order(0.0, 30.0, 300.0, 0.0)).action, RiskAction::kAllow);
  // Tier 1 is only bound by the age limit, the strictest of all that apply to a young account.
  EXPECT_EQ(policy.decide(create, order(1.0, 30.0, 5000.0, 9000.0)).action, RiskAction::kAllow);
  EXPECT_DOUBLE_EQ(policy.decide(create, order(0.0, 3.0, 250.0, 0.0)).limit_usd, 100.0);
  // The limit named is the one that binds.
  EXPECT_EQ(policy.reason_name(capped.reason), "limit 1");
  EXPECT_EQ(policy.reason_name(policy.decide(create, order(0.0, 3.0, 250.0, 0.0)).reason),
            "limit 2");
  // The daily total used up: nothing is left (the world then stops the order).
  EXPECT_DOUBLE_EQ(policy.decide(create, order(0.0, 30.0, 50.0, 600.0)).limit_usd, 0.0);
  EXPECT_EQ(policy.decide(RiskStage::kMarkPaid, order(0.0, 3.0, 250.0, 0.0)).action,
            RiskAction::kAllow);
}

TEST_F(ScenarioLoader, ReportsALimitWithoutAnAmountAndAFractionalTier) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\n"
                                        "strategies = [\"limits\"]\n"
                                        "[[markets.ng.risk.limits]]\n"
                                        "kyc_tier = 1\n")),
            path("s.toml") +
                ":4:1: markets.ng.risk.limits[0].max_order_usd: a limit needs max_order_usd, "
                "max_daily_usd or both");
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\n"
                                        "strategies = [\"limits\"]\n"
                                        "[[markets.ng.risk.limits]]\n"
                                        "kyc_tier = 1.5\n"
                                        "max_order_usd = 10\n")),
            path("s.toml") + ":5:12: markets.ng.risk.limits[0].kyc_tier: expected 0, 1 or 2");
}

TEST_F(ScenarioLoader, NoRiskTableMeansNoPolicy) {
  Scenario scenario = load_scenario(write("s.toml", scenario_with("")));
  EXPECT_EQ(scenario.world.markets[0].risk, nullptr);
}

TEST_F(ScenarioLoader, ReportsUnknownFeatureInARuleAtItsColumn) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\n"
                                        "strategies = [\"rules\"]\n"
                                        "[[markets.ng.risk.rules]]\n"
                                        "when = \"amount_usd > 5 and acount_age_days < 7\"\n"
                                        "action = \"block\"\n")),
            path("s.toml") +
                ":5:28: markets.ng.risk.rules[0].when: unknown feature \"acount_age_days\"; did "
                "you mean \"account_age_days\"? The known features are: account_age_days, "
                "kyc_tier, amount_usd, payment_method, side, completed_orders, "
                "cancelled_orders_today, device_cluster_size, accounts_on_device, "
                "orders_last_24h, hour_of_day, merchant_completion_rate, market, usd_today, "
                "merchant_tier, days_since_device_change");
}

TEST_F(ScenarioLoader, ReportsBadRuleSyntaxAndActions) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\n"
                                        "strategies = [\"rules\"]\n"
                                        "[[markets.ng.risk.rules]]\n"
                                        "when = \"amount_usd >\"\n"
                                        "action = \"block\"\n")),
            path("s.toml") + ":5:21: markets.ng.risk.rules[0].when: expected a number");
  EXPECT_EQ(
      error_of_text(scenario_with("[markets.ng.risk]\n"
                                  "strategies = [\"rules\"]\n"
                                  "[[markets.ng.risk.rules]]\n"
                                  "when = \"amount_usd > 1\"\n"
                                  "action = \"ban\"\n")),
      path("s.toml") +
          ":6:10: markets.ng.risk.rules[0].action: expected \"allow\", \"block\", "
          "\"hold\", \"limit\", \"lock_withdrawal\", \"review\" or \"step_up\", found \"ban\"");
}

TEST_F(ScenarioLoader, ReportsUnknownStrategyAndScoreFeature) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\nstrategies = [\"rule\"]\n")),
            path("s.toml") +
                ":3:15: markets.ng.risk.strategies[0]: unknown strategy \"rule\"; did you mean "
                "\"rules\"? the strategies are: rules, score, limits");
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\nstrategies = [\"score\"]\n"
                                        "[markets.ng.risk.score.weights]\nkyc_teir = -1.0\n")),
            path("s.toml") +
                ":5:12: markets.ng.risk.score.weights.kyc_teir: unknown feature \"kyc_teir\"; did "
                "you mean \"kyc_tier\"? The known features are: " +
                "account_age_days, kyc_tier, amount_usd, payment_method, side, completed_orders, "
                "cancelled_orders_today, device_cluster_size, accounts_on_device, "
                "orders_last_24h, hour_of_day, merchant_completion_rate, market, usd_today, "
                "merchant_tier, days_since_device_change");
}

TEST_F(ScenarioLoader, ReportsStrategySettingsWithoutTheStrategy) {
  // The score's table is only read when "score" is listed: written beside a list without it,
  // it is most likely a strategy forgotten in the list.
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\nstrategies = [\"rules\"]\n"
                                        "[markets.ng.risk.score]\nintercept = 1.0\n")),
            path("s.toml") +
                ":4:18: markets.ng.risk.score: settings of a strategy that "
                "markets.ng.risk.strategies does not list (it lists rules): add \"score\" to the "
                "list or remove these settings");
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\nstrategies = []\n"
                                        "[[markets.ng.risk.rules]]\nwhen = \"kyc_tier < 1\"\n"
                                        "action = \"block\"\n")),
            path("s.toml") +
                ":4:19: markets.ng.risk.rules: settings of a strategy that "
                "markets.ng.risk.strategies does not list (the list is empty): add \"rules\" to "
                "the list or remove these settings");
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk.limits]\n")),
            path("s.toml") +
                ":2:18: markets.ng.risk.limits: settings of a strategy that "
                "markets.ng.risk.strategies does not list (it is not written): add \"limits\" to "
                "the list or remove these settings");
}

TEST_F(ScenarioLoader, RefusesReviewInAMarketWithoutReviewers) {
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\n"
                                        "strategies = [\"rules\"]\n"
                                        "[[markets.ng.risk.rules]]\n"
                                        "when = \"amount_usd > 1\"\n"
                                        "action = \"review\"\n")),
            path("s.toml") +
                ":6:10: markets.ng.risk.rules[0].action: \"review\" needs reviewers, but "
                "markets.ng.review has none: set its reviewers or shifts");
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\n"
                                        "strategies = [\"score\"]\n"
                                        "[markets.ng.risk.score]\n"
                                        "review_above = 0.9\n")),
            path("s.toml") +
                ":5:16: markets.ng.risk.score.review_above: sends orders to review, but "
                "markets.ng.review has no reviewers: set its reviewers or shifts");
}

TEST_F(ScenarioLoader, ReadsReviewShiftsHourByHour) {
  Scenario scenario = load_scenario(
      write("s.toml", scenario_with("[markets.ng.review]\n"
                                    "reviewers = 1\n"
                                    "shifts = [{start_hour = 8, end_hour = 20, reviewers = 4},\n"
                                    "          {start_hour = 22, end_hour = 2, reviewers = 2}]\n"
                                    "review_minutes_mean = 12\n"
                                    "detection_probability = 0.9\n"
                                    "false_block_probability = 0.05\n"
                                    "abandon_after_minutes_mean = 45\n")));
  const ReviewConfig& review = scenario.world.markets[0].review;
  EXPECT_EQ(review.reviewers_by_hour[7], 1u);
  EXPECT_EQ(review.reviewers_by_hour[8], 5u);
  EXPECT_EQ(review.reviewers_by_hour[19], 5u);
  EXPECT_EQ(review.reviewers_by_hour[20], 1u);
  EXPECT_EQ(review.reviewers_by_hour[23], 3u);  // the night shift wraps past midnight
  EXPECT_EQ(review.reviewers_by_hour[1], 3u);
  EXPECT_EQ(review.reviewers_by_hour[2], 1u);
  EXPECT_DOUBLE_EQ(review.review_minutes_mean, 12.0);
  EXPECT_DOUBLE_EQ(review.detection_probability, 0.9);
  EXPECT_DOUBLE_EQ(review.false_block_probability, 0.05);
  EXPECT_DOUBLE_EQ(review.abandon_after_minutes_mean, 45.0);
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.review]\n"
                                        "shifts = [{start_hour = 8, end_hour = 8, "
                                        "reviewers = 4}]\n")),
            path("s.toml") +
                ":3:39: markets.ng.review.shifts[0].end_hour: expected an hour other than the "
                "start hour 8 (a shift covering the whole day is `reviewers`), found 8");
}

TEST_F(ScenarioLoader, ReadsStepUpProbabilitiesAndCombinesActionsByPrecedence) {
  Scenario scenario = load_scenario(
      write("s.toml", scenario_with("[markets.ng.review]\n"
                                    "reviewers = 2\n"
                                    "[markets.ng.risk]\n"
                                    "strategies = [\"rules\", \"score\"]\n"
                                    "[markets.ng.risk.step_up]\n"
                                    "abandon_probability = 0.2\n"
                                    "fraud_fail_probability = 0.4\n"
                                    "[markets.ng.risk.step_up.fraud_fail_probability_by_typology]\n"
                                    "account_takeover = 0.95\n"
                                    "[[markets.ng.risk.rules]]\n"
                                    "when = \"amount_usd > 100\"\n"
                                    "action = \"limit\"\n"
                                    "limit_usd = 300\n"
                                    "[[markets.ng.risk.rules]]\n"
                                    "when = \"amount_usd > 0\"\n"
                                    "action = \"step_up\"\n"
                                    "[markets.ng.risk.score]\n"
                                    "intercept = -5.0\n"
                                    "review_above = 0.5\n"
                                    "[markets.ng.risk.score.weights]\n"
                                    "orders_last_24h = 1.0\n")));
  const MarketConfig& market = scenario.world.markets[0];
  EXPECT_DOUBLE_EQ(market.step_up.abandon_probability, 0.2);
  EXPECT_DOUBLE_EQ(market.step_up.fraud_fail_probability[0], 0.4);
  EXPECT_DOUBLE_EQ(market.step_up.fraud_fail_probability[4],
                   0.95);  // account_takeover
  const RiskPolicy& policy = *market.risk;
  const RiskStage create = RiskStage::kOrderCreation;
  RiskDecision limited = policy.decide(create, risk_features(90.0, 500.0));
  EXPECT_EQ(limited.action, RiskAction::kLimit);
  EXPECT_DOUBLE_EQ(limited.limit_usd, 300.0);
  EXPECT_EQ(policy.decide(create, risk_features(90.0, 50.0)).action, RiskAction::kStepUp);
  // The score's review outranks the rule's limit and step-up.
  EXPECT_EQ(policy.decide(create, risk_features(90.0, 500.0, 5.0)).action, RiskAction::kReview);
  EXPECT_EQ(policy.decide(RiskStage::kMarkPaid, risk_features(90.0, 500.0, 5.0)).action,
            RiskAction::kAllow);
}

TEST_F(ScenarioLoader, ReadsSignUpRulesAndScore) {
  Scenario scenario =
      load_scenario(write("s.toml", scenario_with("[markets.ng.risk]\n"
                                                  "strategies = [\"rules\", \"score\"]\n"
                                                  "[[markets.ng.risk.rules]]\n"
                                                  "when = \"accounts_on_device >= 3\"\n"
                                                  "action = \"block\"\n"
                                                  "stage = \"sign_up\"\n"
                                                  "[markets.ng.risk.score]\n"
                                                  "intercept = -5.0\n"
                                                  "sign_up_block_above = 0.5\n"
                                                  "[markets.ng.risk.score.weights]\n"
                                                  "device_cluster_size = 1.0\n")));
  const RiskPolicy& policy = *scenario.world.markets[0].risk;
  OrderFeatures shared;
  shared[RiskFeature::kAccountsOnDevice] = 3.0;
  EXPECT_EQ(policy.decide(RiskStage::kSignUp, shared).action, RiskAction::kBlock);
  // The sign-up rule does not act on orders.
  EXPECT_EQ(policy.decide(RiskStage::kOrderCreation, shared).action, RiskAction::kAllow);
  OrderFeatures clustered;
  clustered[RiskFeature::kDeviceClusterSize] = 5.0;
  EXPECT_EQ(policy.decide(RiskStage::kSignUp, clustered).action, RiskAction::kBlock);
  EXPECT_EQ(policy.decide(RiskStage::kSignUp, OrderFeatures{}).action, RiskAction::kAllow);
  EXPECT_FALSE(policy.decides_post_trade());
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\n"
                                        "strategies = [\"rules\"]\n"
                                        "[[markets.ng.risk.rules]]\n"
                                        "when = \"kyc_tier < 1\"\n"
                                        "action = \"hold\"\n"
                                        "hold_minutes = 5\n"
                                        "stage = \"sign_up\"\n")),
            path("s.toml") +
                ":6:10: markets.ng.risk.rules[0].action: only \"block\" and \"allow\" act at "
                "sign_up");
  Scenario banning =
      load_scenario(write("s.toml", scenario_with("[markets.ng.risk]\n"
                                                  "strategies = [\"rules\"]\n"
                                                  "[[markets.ng.risk.rules]]\n"
                                                  "when = \"cancelled_orders_today >= 2\"\n"
                                                  "action = \"block\"\n"
                                                  "stage = \"post_trade\"\n")));
  const RiskPolicy& bans = *banning.world.markets[0].risk;
  EXPECT_TRUE(bans.decides_post_trade());
  OrderFeatures cancelling;
  cancelling[RiskFeature::kCancelledOrdersToday] = 2.0;
  EXPECT_EQ(bans.decide(RiskStage::kPostTrade, cancelling).action, RiskAction::kBlock);
  EXPECT_EQ(bans.decide(RiskStage::kOrderCreation, cancelling).action, RiskAction::kAllow);
}

TEST_F(ScenarioLoader, ALockRuleActsAtTheStageItNames) {
  auto lock_at = [&](const std::string& stage) {
    return load_scenario(write("s.toml", scenario_with("[markets.ng.risk]\n"
                                                       "strategies = [\"rules\"]\n"
                                                       "[[markets.ng.risk.rules]]\n"
                                                       "when = \"account_age_days < 30\"\n"
                                                       "action = \"lock_withdrawal\"\n"
                                                       "lock_hours = 24\n" +
                                                       stage)));
  };
  const OrderFeatures young;  // account_age_days 0
  const std::array stages = {RiskStage::kOrderCreation, RiskStage::kMarkPaid, RiskStage::kSignUp,
                             RiskStage::kPostTrade};
  const std::array<std::pair<std::string, RiskStage>, 3> named = {
      std::pair{std::string(""), RiskStage::kMarkPaid},
      std::pair{std::string("stage = \"creation\"\n"), RiskStage::kOrderCreation},
      std::pair{std::string("stage = \"post_trade\"\n"), RiskStage::kPostTrade}};
  for (const auto& [stage, acting] : named) {
    const Scenario scenario = lock_at(stage);
    const RiskPolicy& policy = *scenario.world.markets[0].risk;
    EXPECT_EQ(policy.decides_post_trade(), acting == RiskStage::kPostTrade);
    for (RiskStage asked : stages) {
      const RiskDecision decision = policy.decide(asked, young);
      EXPECT_EQ(decision.lock_hours, asked == acting ? 24.0 : 0.0) << stage;
    }
  }
  // A lock rule listed first does not hide the block after it: the block acts, with the lock.
  const Scenario both = lock_at(
      "stage = \"creation\"\n[[markets.ng.risk.rules]]\n"
      "when = \"account_age_days < 30\"\naction = \"block\"\n");
  const RiskDecision blocked = both.world.markets[0].risk->decide(RiskStage::kOrderCreation, young);
  EXPECT_EQ(blocked.action, RiskAction::kBlock);
  EXPECT_EQ(blocked.reason, 2);
  EXPECT_DOUBLE_EQ(blocked.lock_hours, 24.0);
  EXPECT_EQ(error_of_text(scenario_with("[markets.ng.risk]\n"
                                        "strategies = [\"rules\"]\n"
                                        "[[markets.ng.risk.rules]]\n"
                                        "when = \"kyc_tier < 1\"\n"
                                        "action = \"hold\"\n"
                                        "hold_minutes = 5\n"
                                        "stage = \"creation\"\n")),
            path("s.toml") +
                ":6:10: markets.ng.risk.rules[0].action: only \"lock_withdrawal\" takes stage "
                "\"creation\"");
}

// ---- The [export] table of `p2psim run` -------------------------------------------------------

TEST_F(ScenarioLoader, ReadsTheExportTablesAndLeavesTheHashAlone) {
  const Scenario plain = load_scenario(write("plain.toml", scenario_with("")));
  EXPECT_FALSE(plain.exports.orders);
  EXPECT_FALSE(plain.exports.accounts);
  const Scenario exported =
      load_scenario(write("exported.toml", scenario_with("[export]\norders = true\n")));
  EXPECT_TRUE(exported.exports.orders);
  EXPECT_FALSE(exported.exports.accounts);
  // What a run writes besides its results does not change what it simulates.
  EXPECT_EQ(scenario_hash(exported), scenario_hash(plain));
}

TEST_F(ScenarioLoader, RejectsAnUnknownExportTable) {
  EXPECT_EQ(error_of_text(scenario_with("[export]\ntrades = true\n")),
            path("s.toml") + ":3:1: export.trades: unknown key; did you mean 'orders'?");
  EXPECT_EQ(error_of_text(scenario_with("[export]\norders = 1\n")),
            path("s.toml") + ":3:10: export.orders: expected true or false, found an integer (1)");
}

// ---- The [check] table of `p2psim check` ---------------------------------------------------

TEST_F(ScenarioLoader, ReadsCheckTolerancesByKpiAndStem) {
  Scenario scenario = load_scenario(
      write("s.toml", scenario_with("[check]\ndefault_tolerance = 0.1\nalpha = 0.05\n"
                                    "[check.tolerance]\ncompletion_rate = 0.02\n"
                                    "\"fraud_loss_usd.typology\" = 0.5\n"
                                    "\"fraud_loss_usd.typology.non_payment\" = 0.3\n")));
  EXPECT_EQ(scenario.check.default_tolerance, 0.1);
  EXPECT_EQ(scenario.check.alpha, 0.05);
  EXPECT_EQ(scenario.check.tolerance_of("completion_rate"), 0.02);
  EXPECT_EQ(scenario.check.tolerance_of("gmv_usd"), 0.1);
  // The longest entry naming the KPI or one of its stems wins.
  EXPECT_EQ(scenario.check.tolerance_of("fraud_loss_usd.typology.non_payment"), 0.3);
  EXPECT_EQ(scenario.check.tolerance_of("fraud_loss_usd.typology.triangulation"), 0.5);
  EXPECT_EQ(scenario.check.tolerance_of("fraud_loss_usd"), 0.1);
  EXPECT_EQ(scenario.check.tolerance_of("completion_rate_x"), 0.1);
}

TEST_F(ScenarioLoader, CheckDefaultsWithoutTheTable) {
  Scenario scenario = load_scenario(write("s.toml", scenario_with("")));
  EXPECT_EQ(scenario.check.default_tolerance, 0.05);
  EXPECT_EQ(scenario.check.alpha, 0.01);
  EXPECT_TRUE(scenario.check.tolerances.empty());
}

TEST_F(ScenarioLoader, RejectsToleranceOfAnUnknownKpi) {
  EXPECT_EQ(error_of_text(scenario_with("[check.tolerance]\ncompletion_rat = 0.1\n")),
            path("s.toml") +
                ":3:18: check.tolerance.completion_rat: unknown KPI \"completion_rat\" (KPI "
                "names: docs/kpis.md; write a dotted name in quotes)");
}

TEST_F(ScenarioLoader, RejectsUnquotedDottedToleranceKey) {
  EXPECT_EQ(error_of_text(scenario_with("[check.tolerance]\nfraud_loss_usd.typology = 0.1\n")),
            path("s.toml") +
                ":3:1: check.tolerance.fraud_loss_usd: expected a number; write a dotted KPI "
                "name in quotes, as in \"fraud_loss_usd.typology\" = 0.2");
}

TEST_F(ScenarioLoader, RejectsOutOfRangeCheckSettings) {
  EXPECT_EQ(error_of_text(scenario_with("[check]\nalpha = 0.9\n")),
            path("s.toml") +
                ":3:9: check.alpha: expected a probability greater than 0 and at most 0.5, found "
                "0.9");
  EXPECT_EQ(error_of_text(scenario_with("[check]\ndefault_tolerance = -0.1\n")),
            path("s.toml") +
                ":3:21: check.default_tolerance: expected a relative tolerance from 0 to 100, "
                "found -0.1");
  EXPECT_EQ(error_of_text(scenario_with("[check]\ntolerence = 0.1\n")),
            path("s.toml") + ":3:1: check.tolerence: unknown key; did you mean 'tolerance'?");
}

// ---- Experiments ------------------------------------------------------------------------

// An [experiment] with a control and one arm whose lines are `arm` (from line 6 of the file).
std::string experiment_with(const std::string& arm, const std::string& settings = "") {
  return scenario_with(
      "[experiment]\n"                  // line 2
      "primary_kpi = \"ng.gmv_usd\"\n"  // line 3
      + settings +
      "[experiment.arms.control]\n"
      "[experiment.arms.bonus]\n" +
      arm);
}

TEST_F(ScenarioLoader, ReadsExperimentArmsAsOverridesOfTheBase) {
  Scenario scenario = load_scenario(
      write("s.toml", experiment_with("markets.ng.users.daily_visitors = 2400.0\n"
                                      "[experiment.arms.cheap.markets.ng.merchants]\ncount = 7\n",
                                      "secondary_kpis = [\"ng.fill_rate\"]\n"
                                      "[[experiment.guardrails]]\nkpi = \"ng.expiry_rate\"\n"
                                      "worst_change = 0.1\n")));
  ASSERT_TRUE(scenario.experiment.has_value());
  const ExperimentConfig& experiment = *scenario.experiment;
  ASSERT_EQ(experiment.arms.size(), 3u);
  EXPECT_EQ(experiment.arms[0].name, "control");  // the control first, then file order
  EXPECT_EQ(experiment.arms[1].name, "bonus");
  EXPECT_EQ(experiment.arms[2].name, "cheap");
  double base_visitors = scenario.world.markets[0].users.daily_visitors;
  EXPECT_EQ(experiment.arms[0].world.markets[0].users.daily_visitors, base_visitors);
  EXPECT_EQ(experiment.arms[1].world.markets[0].users.daily_visitors, 2400.0);
  EXPECT_EQ(experiment.arms[2].world.markets[0].merchants.count, 7u);
  EXPECT_EQ(experiment.arms[2].world.markets[0].users.daily_visitors, base_visitors);
  EXPECT_EQ(experiment.primary->text(), "ng.gmv_usd");
  ASSERT_EQ(experiment.secondary.size(), 1u);
  EXPECT_EQ(experiment.secondary[0].text(), "ng.fill_rate");
  ASSERT_EQ(experiment.guardrails.size(), 1u);
  EXPECT_EQ(experiment.guardrails[0].worst_change, 0.1);
  EXPECT_EQ(experiment.replications, scenario.world.simulation.replications);
  EXPECT_TRUE(experiment.common_random_numbers);
}

TEST_F(ScenarioLoader, ReadsAnExperimentWithoutPrimaryKpiAsAWhatIf) {
  Scenario scenario = load_scenario(write("s.toml", scenario_with("[experiment]\n"
                                                                  "[experiment.arms.control]\n"
                                                                  "[experiment.arms.wave]\n")));
  ASSERT_TRUE(scenario.experiment.has_value());
  EXPECT_FALSE(scenario.experiment->decides());
  // A goal without the KPI it is for is a mistake, not a what-if.
  EXPECT_EQ(error_of_text(scenario_with("[experiment]\nprimary_goal = \"decrease\"\n"
                                        "[experiment.arms.control]\n[experiment.arms.wave]\n")),
            path("s.toml") +
                ":3:16: experiment.primary_goal: a goal needs the KPI it is for: add primary_kpi, "
                "or leave both out for a what-if that reports effects without a decision");
}

TEST_F(ScenarioLoader, ReadsAnExperimentValueAndAcceptsItAsAKpi) {
  Scenario scenario = load_scenario(
      write("s.toml", scenario_with("[experiment]\nprimary_kpi = \"ng.value_usd\"\n"
                                    "[experiment.value]\nfee_revenue_usd = 1.0\n"
                                    "\"fraud_loss_usd.bearer.platform\" = -1\n"
                                    "[experiment.arms.control]\n[experiment.arms.bonus]\n")));
  const ExperimentConfig& experiment = *scenario.experiment;
  ASSERT_EQ(experiment.value.size(), 2u);
  EXPECT_EQ(experiment.value[0].kpi, "fee_revenue_usd");
  EXPECT_EQ(experiment.value[0].usd_per_unit, 1.0);
  EXPECT_EQ(experiment.value[1].kpi, "fraud_loss_usd.bearer.platform");
  EXPECT_EQ(experiment.value[1].usd_per_unit, -1.0);
  EXPECT_EQ(experiment.primary->text(), "ng.value_usd");
}

TEST_F(ScenarioLoader, ReportsAValueThatDoesNotAddUp) {
  const std::string arms = "[experiment.arms.control]\n[experiment.arms.bonus]\n";
  EXPECT_EQ(error_of_text(
                scenario_with("[experiment]\n[experiment.value]\ncompletion_rate = 1.0\n" + arms)),
            path("s.toml") +
                ":4:1: experiment.value.completion_rate: expected a KPI that adds up, a count or a "
                "USD amount such as fee_revenue_usd (write one with dots in quotes: "
                "\"fraud_loss_usd.bearer.platform\"), found \"completion_rate\" (a ratio)");
  EXPECT_EQ(
      error_of_text(scenario_with("[experiment]\n[experiment.value]\ngmv_usd = \"x\"\n" + arms)),
      path("s.toml") +
          ":4:11: experiment.value.gmv_usd: expected USD per unit between -1e6 and 1e6, found a "
          "string (\"x\")");
  EXPECT_EQ(error_of_text(scenario_with("[experiment]\nprimary_kpi = \"ng.value_usd\"\n" + arms)),
            path("s.toml") +
                ":3:15: experiment.primary_kpi: value_usd is the sum [experiment.value] declares; "
                "declare it to compare on it");
}

TEST_F(ScenarioLoader, ReportsAnArmOverrideAtItsOwnPosition) {
  // The override of a key that does not exist fails like the same key in the base would, at
  // the line and column where the arm writes it.
  EXPECT_EQ(error_of_text(experiment_with("markets.ng.users.daily_visiters = 2400.0\n")),
            path("s.toml") +
                ":6:18: markets.ng.users.daily_visiters: unknown key; did you mean "
                "'daily_visitors'?");
  EXPECT_EQ(error_of_text(experiment_with("markets.ng.users.daily_visitors = -1.0\n")),
            path("s.toml") +
                ":6:35: markets.ng.users.daily_visitors: expected a number from 0 to 1e7, found "
                "-1.0");
}

TEST_F(ScenarioLoader, ReportsArmOverridesThatBreakComparability) {
  EXPECT_EQ(error_of_text(experiment_with("simulation.seed = 3\n")),
            path("s.toml") +
                ":6:1: experiment.arms.bonus.simulation: an arm cannot override this key: arms "
                "share the scenario's name, files, run length, seed and replications");
  EXPECT_EQ(error_of_text(experiment_with("markets.ke.users.daily_visitors = 1.0\n")),
            path("s.toml") +
                ":6:9: experiment.arms.bonus.markets.ke: an arm can only override markets of the "
                "base scenario");
}

TEST_F(ScenarioLoader, ReportsUnknownDesigns) {
  EXPECT_EQ(error_of_text(experiment_with("", "design = \"user-split\"\n")),
            path("s.toml") +
                ":4:10: experiment.design: expected \"worlds\", \"market_split\", \"user_split\", "
                "\"merchant_split\" or \"switchback\", found \"user-split\"");
}

// ---- Split designs: user_split, merchant_split, switchback -------------------------------

TEST_F(ScenarioLoader, ReadsAUserSplitWhoseArmChangesPerUnitPolicies) {
  Scenario scenario = load_scenario(write(
      "s.toml", experiment_with("markets.ng.fees.taker_bps = 5.0\n"
                                "markets.ng.risk.step_up.abandon_probability = 0.3\n"
                                "[[experiment.arms.bonus.incentives]]\n"
                                "kind = \"new_user_bonus\"\nmarkets = [\"ng\"]\namount_usd = 5\n",
                                "design = \"user_split\"\nallocation = 0.3\ncuped = true\n"
                                "compare_with_worlds = true\n"
                                "secondary_kpis = [\"ng.completion_rate\", \"ng.fill_rate\"]\n")));
  const ExperimentConfig& experiment = *scenario.experiment;
  EXPECT_EQ(experiment.design, ExperimentDesign::kUserSplit);
  EXPECT_EQ(experiment.allocation, 0.3);
  EXPECT_TRUE(experiment.cuped);
  EXPECT_TRUE(experiment.compare_with_worlds);
  ASSERT_EQ(experiment.arms.size(), 2u);
  const MarketConfig& treated = experiment.arms[1].world.markets[0];
  EXPECT_EQ(treated.fees.taker_bps, 5.0);
  EXPECT_EQ(treated.step_up.abandon_probability, 0.3);
  EXPECT_EQ(experiment.arms[1].world.incentives.size(), 1u);
  EXPECT_TRUE(experiment.arms[0].world.incentives.empty());
  EXPECT_EQ(experiment.arms[0].world.markets[0].fees.taker_bps,
            scenario.world.markets[0].fees.taker_bps);
  ASSERT_EQ(experiment.secondary.size(), 2u);
  EXPECT_EQ(experiment.secondary[1].text(), "ng.fill_rate");
}

TEST_F(ScenarioLoader, ReadsAMerchantSplitWithItsDefaults) {
  Scenario scenario = load_scenario(
      write("s.toml", experiment_with("[experiment.arms.bonus.markets.ng.fees]\nmaker_bps = 4.0\n",
                                      "design = \"merchant_split\"\n"
                                      "[[experiment.guardrails]]\nkpi = \"ng.completion_rate\"\n"
                                      "worst_change = -0.02\n")));
  const ExperimentConfig& experiment = *scenario.experiment;
  EXPECT_EQ(experiment.design, ExperimentDesign::kMerchantSplit);
  EXPECT_EQ(experiment.allocation, ExperimentConfig{}.allocation);
  EXPECT_FALSE(experiment.cuped);
  EXPECT_EQ(experiment.arms[1].world.markets[0].fees.maker_bps, 4.0);
  ASSERT_EQ(experiment.guardrails.size(), 1u);
  EXPECT_EQ(experiment.guardrails[0].kpi.text(), "ng.completion_rate");
}

TEST_F(ScenarioLoader, ReadsASwitchbacksBlocks) {
  Scenario scenario = load_scenario(
      write("s.toml",
            experiment_with("markets.ng.fees.taker_bps = 5.0\n",
                            "design = \"switchback\"\nblock_hours = 6\nburn_in_hours = 0.5\n")));
  EXPECT_EQ(scenario.experiment->design, ExperimentDesign::kSwitchback);
  EXPECT_EQ(scenario.experiment->block_hours, 6.0);
  EXPECT_EQ(scenario.experiment->burn_in_hours, 0.5);
  scenario = load_scenario(write("s.toml", experiment_with("", "design = \"switchback\"\n")));
  EXPECT_EQ(scenario.experiment->block_hours, 4.0);  // the defaults of ExperimentConfig
  EXPECT_EQ(scenario.experiment->burn_in_hours, 1.0);
}

TEST_F(ScenarioLoader, ReportsSwitchbackBlocksOutOfRange) {
  const std::string switchback = "design = \"switchback\"\n";  // line 4, then line 5
  EXPECT_EQ(error_of_text(experiment_with("", switchback + "block_hours = 0\n")),
            path("s.toml") +
                ":5:15: experiment.block_hours: expected a number of hours greater than 0 and at "
                "most 168, found 0");
  EXPECT_EQ(error_of_text(experiment_with("", switchback + "burn_in_hours = -1\n")),
            path("s.toml") +
                ":5:17: experiment.burn_in_hours: expected a number of hours of at least 0, found "
                "-1");
  EXPECT_EQ(error_of_text(experiment_with("", switchback + "burn_in_hours = 4\n")),
            path("s.toml") +
                ":5:17: experiment.burn_in_hours: expected fewer hours than block_hours (4, the "
                "default), found 4");
  EXPECT_EQ(error_of_text(experiment_with("", switchback + "block_hours = 1\n")),
            path("s.toml") +
                ":5:15: experiment.block_hours: expected more hours than burn_in_hours (1, the "
                "default), found 1");
  // One measured day holds eight blocks of 3 hours, not of 3.5.
  std::string one_day = "[simulation]\ndays = 3\nwarmup_days = 2\n";
  EXPECT_NO_THROW(
      load_scenario(write("s.toml", experiment_with(one_day, switchback + "block_hours = 3\n"))));
  EXPECT_EQ(error_of_text(experiment_with(one_day, switchback + "block_hours = 3.5\n")),
            path("s.toml") +
                ":5:15: experiment.block_hours: expected at most 1/8 of the 24 hours after the "
                "warm-up, so that at least 8 whole blocks are randomised, found 3.5");
  // A default the analyst never wrote is named as such.
  EXPECT_EQ(error_of_text(experiment_with(one_day, switchback)),
            path("s.toml") +
                ":2:1: experiment.block_hours: expected at most 1/8 of the 24 hours after the "
                "warm-up, so that at least 8 whole blocks are randomised, found 4, the default");
  // The other split designs have no blocks: one measured day is enough for them.
  EXPECT_NO_THROW(
      load_scenario(write("s.toml", experiment_with(one_day, "design = \"user_split\"\n"))));
}

// A scenario's text may be megabytes: an unknown key is shown cut, and found at once.
TEST_F(ScenarioLoader, CutsALongUnknownKeyInTheMessage) {
  const std::string key(1000000, 'a');
  const std::string error = error_of_text(scenario_with("[simulation]\n" + key + " = 1\n"));
  EXPECT_EQ(error, path("s.toml") + ":3:1: simulation." + std::string(109, 'a') +
                       "...: unknown key; the keys allowed here are: days, warmup_days, seed, "
                       "replications");
}

TEST_F(ScenarioLoader, ReportsKeysOfAnotherDesign) {
  EXPECT_EQ(error_of_text(experiment_with("", "design = \"user_split\"\nblock_hours = 2\n")),
            path("s.toml") +
                ":5:15: experiment.block_hours: only the switchback design uses block_hours; this "
                "experiment's design is \"user_split\"");
  EXPECT_EQ(error_of_text(experiment_with("", "burn_in_hours = 0\n")),
            path("s.toml") +
                ":4:17: experiment.burn_in_hours: only the switchback design uses burn_in_hours; "
                "this experiment's design is \"worlds\"");
  EXPECT_EQ(error_of_text(experiment_with("", "design = \"switchback\"\ncuped = true\n")),
            path("s.toml") +
                ":5:9: experiment.cuped: only the user_split and merchant_split designs use cuped "
                "(it adjusts each user's or merchant's metrics by their warm-up behaviour); this "
                "experiment's design is \"switchback\", whose units, time blocks, have no warm-up");
  EXPECT_EQ(error_of_text(experiment_with("", "cuped = false\n")),
            path("s.toml") +
                ":4:9: experiment.cuped: only the user_split and merchant_split designs use cuped "
                "(it adjusts each user's or merchant's metrics by their warm-up behaviour); this "
                "experiment's design is \"worlds\"");
  EXPECT_EQ(error_of_text(experiment_with("", "allocation = 0.5\n")),
            path("s.toml") +
                ":4:14: experiment.allocation: only the split designs (market_split, user_split, "
                "merchant_split, switchback) use allocation; this experiment's design is "
                "\"worlds\", where every arm is its own whole world");
}

TEST_F(ScenarioLoader, ReportsCupedWithoutAWarmUp) {
  EXPECT_EQ(error_of_text(experiment_with("[simulation]\nwarmup_days = 0\n",
                                          "design = \"merchant_split\"\ncuped = true\n")),
            path("s.toml") +
                ":5:9: experiment.cuped: CUPED adjusts each unit by its warm-up behaviour, and "
                "simulation.warmup_days is 0: set warmup_days to at least 1");
}

TEST_F(ScenarioLoader, ReportsSplitArmsThatChangeTheWholeWorld) {
  const std::string split = "design = \"user_split\"\n";  // line 4; the arms from line 5
  EXPECT_EQ(error_of_text(experiment_with("markets.ng.users.daily_visitors = 2400.0\n", split)),
            path("s.toml") +
                ":7:12: experiment.arms.bonus.markets.ng.users: a user_split arm can only change "
                "what applies to each user: markets.<code>.risk, markets.<code>.fees and "
                "incentives; markets.ng.users is a property of the whole world (use design = "
                "\"worlds\")");
  // The first key written, not the first in alphabetical order (markets before shocks).
  EXPECT_EQ(error_of_text(experiment_with("shocks = []\nmarkets.ng.fees.taker_bps = 2.0\n"
                                          "markets.ng.merchants.count = 7\n",
                                          "design = \"switchback\"\n")),
            path("s.toml") +
                ":7:1: experiment.arms.bonus.shocks: a switchback arm can only change what applies "
                "to each block: markets.<code>.risk, markets.<code>.fees and incentives; shocks is "
                "a property of the whole world (use design = \"worlds\")");
  // The control arm is held to the same rule: its world is the split world's.
  EXPECT_EQ(error_of_text(experiment_with("[experiment.arms.control.markets.ng.review]\n"
                                          "reviewers = 3\n",
                                          "design = \"merchant_split\"\n")),
            path("s.toml") +
                ":7:37: experiment.arms.control.markets.ng.review: a merchant_split arm can only "
                "change what applies to each merchant: markets.<code>.risk, markets.<code>.fees "
                "and incentives; markets.ng.review is a property of the whole world (use design = "
                "\"worlds\")");
  EXPECT_EQ(
      error_of_text(experiment_with("[experiment.arms.third]\n", split)),
      path("s.toml") + ":5:1: experiment.arms: a user_split compares exactly 2 arms, found 3");
}

TEST_F(ScenarioLoader, ReportsKpisASplitCannotEstimate) {
  EXPECT_EQ(error_of_text(
                experiment_with("",
                                "design = \"user_split\"\n"
                                "secondary_kpis = [\"ng.fill_rate\", \"ng.avg_spread_bps\"]\n")),
            path("s.toml") +
                ":5:35: experiment.secondary_kpis[1]: a user_split estimates KPIs from per-user "
                "metrics; \"avg_spread_bps\" is not one of them (order_attempts, orders_created, "
                "orders_completed, gmv_usd, fraud_loss_usd, fee_revenue_usd, incentive_cost_usd, "
                "net_revenue_usd, good_orders_blocked, completion_rate, fill_rate, avg_order_usd, "
                "fraud_loss_bps, catch_rate, false_positive_rate)");
  EXPECT_EQ(error_of_text(experiment_with("",
                                          "design = \"merchant_split\"\n"
                                          "[[experiment.guardrails]]\n"
                                          "kpi = \"ng.fill_rate\"\nworst_change = -0.02\n")),
            path("s.toml") +
                ":6:7: experiment.guardrails[0].kpi: a merchant_split estimates KPIs from "
                "per-merchant metrics; \"fill_rate\" is not one of them, as an order attempt has "
                "no merchant yet (orders_created, orders_completed, gmv_usd, fraud_loss_usd, "
                "fee_revenue_usd, incentive_cost_usd, net_revenue_usd, good_orders_blocked, "
                "completion_rate, avg_order_usd, fraud_loss_bps, catch_rate, false_positive_rate)");
}

TEST_F(ScenarioLoader, ReportsBadExperimentKpisAndArms) {
  EXPECT_EQ(error_of_text(scenario_with("[experiment]\nprimary_kpi = \"ng.gmv\"\n"
                                        "[experiment.arms.control]\n[experiment.arms.b]\n")),
            path("s.toml") +
                ":3:15: experiment.primary_kpi: unknown KPI \"gmv\"; the KPIs are listed in "
                "docs/kpis.md");
  EXPECT_EQ(error_of_text(scenario_with("[experiment]\nprimary_kpi = \"ke.gmv_usd\"\n"
                                        "[experiment.arms.control]\n[experiment.arms.b]\n")),
            path("s.toml") +
                ":3:15: experiment.primary_kpi: expected a KPI written \"market.kpi\" whose "
                "market is one of the scenario's (or \"all\" with 2+ markets), found "
                "\"ke.gmv_usd\"");
  EXPECT_EQ(error_of_text(scenario_with("[experiment]\nprimary_kpi = \"ng.gmv_usd\"\n"
                                        "[experiment.arms.control]\n")),
            path("s.toml") +
                ":4:1: experiment.arms: expected a table of at least two arms such as "
                "[experiment.arms.control] and [experiment.arms.bonus], found 1 arm(s)");
  EXPECT_EQ(error_of_text(experiment_with("", "control = \"base\"\n")),
            path("s.toml") +
                ":4:11: experiment.control: expected the name of one of the arms, found "
                "\"base\"");
}

TEST_F(ScenarioLoader, ReportsBadExperimentChoices) {
  EXPECT_EQ(error_of_text(experiment_with("", "correction = \"bonferroni\"\n")),
            path("s.toml") +
                ":4:14: experiment.correction: expected \"holm\" or \"benjamini_hochberg\", found "
                "\"bonferroni\"");
  EXPECT_EQ(error_of_text(experiment_with("", "primary_goal = \"up\"\n")),
            path("s.toml") +
                ":4:16: experiment.primary_goal: expected \"increase\" or \"decrease\", found "
                "\"up\"");
  EXPECT_EQ(error_of_text(experiment_with("", "secondary_kpis = \"ng.fill_rate\"\n")),
            path("s.toml") +
                ":4:18: experiment.secondary_kpis: expected an array of KPIs such as "
                "[\"ng.completion_rate\"], found a string (\"ng.fill_rate\")");
  EXPECT_EQ(error_of_text(experiment_with(
                "", "[[experiment.guardrails]]\nkpi = \"ng.expiry_rate\"\nworst_change = 0.0\n")),
            path("s.toml") +
                ":6:16: experiment.guardrails[0].worst_change: expected a relative change between "
                "-1 and 10, not 0 (its sign says which direction is worse)");
}

TEST_F(ScenarioLoader, ReportsMarketSplitsThatCannotBeRandomisedByMarket) {
  const std::string split = "design = \"market_split\"\n";
  EXPECT_EQ(error_of_text(experiment_with("", split)),
            path("s.toml") +
                ":4:10: experiment.design: a market_split needs at least 2 markets to randomise, "
                "the scenario has 1");
  // A second market, written after the experiment's tables.
  std::string second = "[markets.ke]\ncurrency = \"KES\"\nreference_rate = 129.0\n" + kMethods;
  for (std::size_t at = second.find("markets.ng"); at != std::string::npos;
       at = second.find("markets.ng"))
    second.replace(at, 10, "markets.ke");
  EXPECT_EQ(error_of_text(experiment_with("shocks = []\n", split) + second),
            path("s.toml") +
                ":7:1: experiment.arms.bonus.shocks: a market_split arm can only change keys "
                "under markets: each market runs one arm's configuration of itself");
  EXPECT_EQ(error_of_text(experiment_with("", split) + second),
            path("s.toml") +
                ":3:15: experiment.primary_kpi: a market_split compares each KPI across the "
                "markets: write \"all.gmv_usd\", found \"ng.gmv_usd\"");
  EXPECT_EQ(
      error_of_text(experiment_with("[experiment.arms.third]\n", split) + second),
      path("s.toml") + ":5:1: experiment.arms: a market_split compares exactly 2 arms, found 3");
}

TEST_F(ScenarioLoader, AppliesCommandLineSettingsOverTheFile) {
  std::vector<std::string> settings = {"markets.ng.merchants.count=9"};
  Scenario scenario = load_scenario(write("s.toml", scenario_with("")), settings);
  EXPECT_EQ(scenario.world.markets[0].merchants.count, 9u);
  settings = {"markets.ng.merchants.cuont=9"};
  try {
    load_scenario(write("s.toml", scenario_with("")), settings);
    FAIL() << "loaded without error";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(std::string(error.what()),
              "--set:1:22: markets.ng.merchants.cuont: unknown key; did you mean 'count'?");
  }
}

}  // namespace
}  // namespace p2psim

// ---- fees and growth incentives (docs/strategies.md, Growth incentives) -------------------------

namespace p2psim {
namespace {

TEST_F(ScenarioLoader, ReadsFeesResponsesAndCampaigns) {
  Scenario scenario =
      load_scenario(write("s.toml", scenario_with("[[incentives]]\n"
                                                  "kind = \"new_user_bonus\"\n"
                                                  "markets = [\"ng\"]\n"
                                                  "start_day = 3\n"
                                                  "end_day = 9\n"
                                                  "budget_usd = 500\n"
                                                  "per_user_cap_usd = 4\n"
                                                  "amount_usd = 5\n"
                                                  "eligibility = \"kyc_tier >= 1\"\n") +
                                        "[markets.ng.fees]\n"
                                        "maker_bps = 12\n"
                                        "taker_bps = 3\n"
                                        "[markets.ng.incentive_response]\n"
                                        "first_order_probability = 0.6\n"));
  const MarketConfig& market = scenario.world.markets[0];
  EXPECT_EQ(market.fees.maker_bps, 12.0);
  EXPECT_EQ(market.fees.taker_bps, 3.0);
  EXPECT_EQ(market.incentive_response.first_order_probability, 0.6);
  ASSERT_EQ(scenario.world.incentives.size(), 1u);
  const IncentiveCampaign& campaign = *scenario.world.incentives[0];
  EXPECT_EQ(campaign.terms().kind, "new_user_bonus");
  EXPECT_TRUE(campaign.runs(0, 3));
  EXPECT_FALSE(campaign.runs(0, 10));
  EXPECT_EQ(campaign.terms().budget_usd, 500.0);
  EXPECT_EQ(campaign.terms().per_user_cap_usd, 4.0);
  EXPECT_EQ(campaign.sign_up_offer_usd(), 5.0);
}

TEST_F(ScenarioLoader, DefaultFeesAreTenBpsForMakersAndNoCampaign) {
  Scenario scenario = load_scenario(write("s.toml", scenario_with("")));
  EXPECT_EQ(scenario.world.markets[0].fees.maker_bps, 10.0);
  EXPECT_EQ(scenario.world.markets[0].fees.taker_bps, 0.0);
  EXPECT_TRUE(scenario.world.incentives.empty());
}

TEST_F(ScenarioLoader, RejectsUnknownIncentiveKind) {
  EXPECT_EQ(error_of_text(scenario_with("[[incentives]]\n"
                                        "kind = \"new_user_bonuses\"\n"
                                        "markets = [\"ng\"]\n")),
            path("s.toml") +
                ":3:8: incentives[0].kind: unknown incentive kind \"new_user_bonuses\"; did you "
                "mean \"new_user_bonus\"? the kinds are: fee_waiver, maker_rebate, "
                "new_user_bonus, referral_bonus, volume_tiers");
}

TEST_F(ScenarioLoader, RejectsUnknownMarketInACampaign) {
  EXPECT_EQ(error_of_text(scenario_with("[[incentives]]\n"
                                        "kind = \"maker_rebate\"\n"
                                        "markets = [\"ng\", \"br\"]\n"
                                        "bps = 2\n")),
            path("s.toml") +
                ":4:18: incentives[0].markets[1]: expected the code of a market of this scenario "
                "(ng), found \"br\"");
}

TEST_F(ScenarioLoader, RejectsBadEligibilityFeature) {
  EXPECT_EQ(
      error_of_text(scenario_with("[[incentives]]\n"
                                  "kind = \"new_user_bonus\"\n"
                                  "markets = [\"ng\"]\n"
                                  "amount_usd = 5\n"
                                  "eligibility = \"kyc_tier >= 1 and acount_age_days < 7\"\n")),
      path("s.toml") +
          ":6:34: incentives[0].eligibility: unknown feature \"acount_age_days\"; did you "
          "mean \"account_age_days\"? The known features are: account_age_days, kyc_tier, "
          "amount_usd, payment_method, side, completed_orders, cancelled_orders_today, "
          "device_cluster_size, accounts_on_device, orders_last_24h, hour_of_day, "
          "merchant_completion_rate, market, usd_today, merchant_tier, days_since_device_change");
}

TEST_F(ScenarioLoader, RejectsCampaignsMissingTheirKeysOrEndingBeforeTheyStart) {
  EXPECT_EQ(error_of_text(scenario_with("[[incentives]]\nmarkets = [\"ng\"]\n")),
            path("s.toml") + ":2:1: incentives[0].kind: required key is missing");
  EXPECT_EQ(error_of_text(scenario_with("[[incentives]]\nkind = \"fee_waiver\"\n")),
            path("s.toml") + ":2:1: incentives[0].markets: required key is missing");
  EXPECT_EQ(error_of_text(scenario_with("[[incentives]]\nkind = \"fee_waiver\"\nmarkets = []\n")),
            path("s.toml") +
                ":4:11: incentives[0].markets: expected a non-empty array of market codes of this "
                "scenario (ng) such as [\"ng\"]");
  EXPECT_EQ(error_of_text(scenario_with("[[incentives]]\n"
                                        "kind = \"referral_bonus\"\n"
                                        "markets = [\"ng\"]\n")),
            path("s.toml") + ":2:1: incentives[0].amount_usd: required key is missing");
  EXPECT_EQ(
      error_of_text(scenario_with("[[incentives]]\n"
                                  "kind = \"fee_waiver\"\n"
                                  "markets = [\"ng\"]\n"
                                  "start_day = 5\n"
                                  "end_day = 4\n")),
      path("s.toml") + ":6:11: incentives[0].end_day: expected at least start_day (5), found 4");
  EXPECT_EQ(error_of_text(scenario_with("[[incentives]]\n"
                                        "kind = \"volume_tiers\"\n"
                                        "markets = [\"ng\"]\n")),
            path("s.toml") +
                ":2:1: incentives[0].tiers: expected at least one tier written as "
                "[[incentives.tiers]] with min_volume_usd and rebate_bps");
  EXPECT_EQ(error_of_text(scenario_with("[[incentives]]\n"
                                        "kind = \"fee_waiver\"\n"
                                        "markets = [\"ng\"]\n"
                                        "amount_usd = 5\n")),
            path("s.toml") +
                ":5:1: incentives[0].amount_usd: unknown key; the keys allowed here are: kind, "
                "markets, start_day, end_day, budget_usd, per_user_cap_usd, eligibility, share");
}

}  // namespace
}  // namespace p2psim

// ---- Days past the run's last: clipped or dropped, with a warning ------------------------------

namespace p2psim {
namespace {

// A 10-day run (days 0 to 9) with a campaign whose days are written from line 7.
std::string campaign_with(const std::string& days) {
  return "name = \"test\"\n"
         "[simulation]\ndays = 10\n"
         "[[incentives]]\n"
         "kind = \"fee_waiver\"\n"
         "markets = [\"ng\"]\n" +
         days + kMarket;
}

TEST_F(ScenarioLoader, ClipsACampaignEndingAfterTheLastDayWithAWarning) {
  Scenario scenario =
      load_scenario(write("s.toml", campaign_with("start_day = 2\nend_day = 40\n")));
  EXPECT_EQ(scenario.warnings,
            std::vector<std::string>{path("s.toml") +
                                     ":8:11: incentives[0].end_day: 40 is past the last simulated "
                                     "day (9); the campaign ends on day 9"});
  ASSERT_EQ(scenario.world.incentives.size(), 1u);
  EXPECT_EQ(scenario.world.incentives[0]->terms().start_day, 2);
  EXPECT_EQ(scenario.world.incentives[0]->terms().end_day, 9);
  // The resolved scenario, and so the hash, is that of the campaign that runs.
  EXPECT_EQ(scenario_json(scenario)["incentives"][0]["end_day"], 9);
  Scenario written = load_scenario(write("w.toml", campaign_with("start_day = 2\nend_day = 9\n")));
  EXPECT_TRUE(written.warnings.empty());
  EXPECT_EQ(scenario_hash(scenario), scenario_hash(written));
}

TEST_F(ScenarioLoader, DropsACampaignStartingAfterTheLastDayWithAWarning) {
  Scenario scenario = load_scenario(
      write("s.toml", campaign_with("start_day = 12\nend_day = 40\n"
                                    "[[incentives]]\nkind = \"maker_rebate\"\nmarkets = [\"ng\"]\n"
                                    "bps = 3\n")));
  EXPECT_EQ(scenario.warnings,
            std::vector<std::string>{path("s.toml") +
                                     ":7:13: incentives[0].start_day: 12 is past the last "
                                     "simulated day (9); the campaign does not run"});
  ASSERT_EQ(scenario.world.incentives.size(), 1u);
  EXPECT_EQ(scenario.world.incentives[0]->terms().kind, "maker_rebate");
  // What the campaign that runs read, not what the one left out did.
  EXPECT_EQ(scenario_json(scenario)["incentives"][0]["bps"], 3.0);
}

TEST_F(ScenarioLoader, ChecksACampaignThatDoesNotRunAsFullyAsOneThatDoes) {
  // Without end_day, one starting after the run is left out, not ended before it starts.
  EXPECT_EQ(load_scenario(write("s.toml", campaign_with("start_day = 12\n"))).warnings.size(), 1u);
  EXPECT_EQ(error_of_text(campaign_with("start_day = 40\nend_day = 35\n")),
            path("s.toml") +
                ":8:11: incentives[0].end_day: expected at least start_day (40), "
                "found 35");
  EXPECT_EQ(
      error_of_text(campaign_with("start_day = 12\nshare = 2\n")),
      path("s.toml") + ":8:9: incentives[0].share: expected a number between 0 and 1, found 2");
  EXPECT_EQ(error_of_text(campaign_with("end_day = 3650\n")),
            path("s.toml") +
                ":7:11: incentives[0].end_day: expected an integer between 0 and 3649, found 3650");
  EXPECT_EQ(error_of_text(campaign_with("start_day = -1\n")),
            path("s.toml") +
                ":7:13: incentives[0].start_day: expected an integer between 0 and 3649, found -1");
}

TEST_F(ScenarioLoader, DropsShocksAndJumpsAfterTheLastDayWithAWarning) {
  Scenario scenario = load_scenario(write("s.toml",
                                          "name = \"test\"\n"
                                          "[simulation]\ndays = 10\n"
                                          "[[shocks]]\nday = 10\nmarket = \"ng\"\n"
                                          "key = \"rate.jump\"\nvalue = 0.5\n" +
                                              kMarket +
                                              "[[markets.ng.rate.scheduled_jumps]]\n"
                                              "day = 5\nchange = 0.1\n"
                                              "[[markets.ng.rate.scheduled_jumps]]\n"
                                              "day = 12\nchange = 0.2\n"));
  EXPECT_EQ(scenario.warnings,
            (std::vector<std::string>{
                path("s.toml") +
                    ":22:7: markets.ng.rate.scheduled_jumps[1].day: 12 is past the last simulated "
                    "day (9); the jump does not happen",
                path("s.toml") + ":5:7: shocks[0].day: 10 is past the last simulated day (9); the "
                                 "shock does not happen"}));
  EXPECT_TRUE(scenario.world.shocks.empty());
  ASSERT_EQ(scenario.world.markets[0].rate.scheduled_jumps.size(), 1u);
  EXPECT_EQ(scenario.world.markets[0].rate.scheduled_jumps[0].day, 5);
}

TEST_F(ScenarioLoader, ARunShortenedBySetClipsWhatWasWithinTheLongerOne) {
  const std::string file =
      write("s.toml", scenario_with("[[incentives]]\nkind = \"fee_waiver\"\nmarkets = [\"ng\"]\n"
                                    "start_day = 3\nend_day = 20\n"));
  EXPECT_TRUE(load_scenario(file).warnings.empty());
  const std::vector<std::string> settings = {"simulation.days=7"};
  Scenario shortened = load_scenario(file, settings);
  EXPECT_EQ(shortened.warnings,
            std::vector<std::string>{path("s.toml") +
                                     ":6:11: incentives[0].end_day: 20 is past the last simulated "
                                     "day (6); the campaign ends on day 6"});
  EXPECT_EQ(shortened.world.incentives.at(0)->terms().end_day, 6);
}

TEST_F(ScenarioLoader, ReportsAnArmsOwnWarningsOnceBesideTheBases) {
  Scenario scenario = load_scenario(
      write("s.toml", scenario_with("[[incentives]]\nkind = \"fee_waiver\"\nmarkets = [\"ng\"]\n"
                                    "end_day = 40\n"
                                    "[experiment]\nprimary_kpi = \"ng.gmv_usd\"\n"
                                    "[experiment.arms.control]\n"
                                    "[experiment.arms.rebate]\n"
                                    "[[experiment.arms.rebate.incentives]]\n"
                                    "kind = \"maker_rebate\"\nmarkets = [\"ng\"]\nbps = 2\n"
                                    "end_day = 45\n")));
  EXPECT_EQ(scenario.warnings,
            (std::vector<std::string>{
                path("s.toml") + ":5:11: incentives[0].end_day: 40 is past the last simulated "
                                 "day (29); the campaign ends on day 29",
                path("s.toml") + ":14:11: incentives[0].end_day: 45 is past the last simulated "
                                 "day (29); the campaign ends on day 29"}));
  EXPECT_EQ(scenario.experiment->arms.at(1).world.incentives.at(0)->terms().end_day, 29);
}

TEST_F(ScenarioLoader, RefusesSettingsThatCannotMeanWhatTheySay) {
  const std::string file = write("s.toml", scenario_with(""));
  auto error_with = [&](std::vector<std::string> settings) {
    try {
      load_scenario(file, settings);
    } catch (const ScenarioError& error) {
      return std::string(error.what());
    }
    return std::string("loaded without error");
  };
  // The same key twice, whichever way it is written.
  EXPECT_EQ(error_with({"simulation.days=3", "simulation.days=4"}),
            "--set:1:17: simulation.days: set twice on the command line; give it once");
  EXPECT_EQ(error_with({"simulation.days=3", "simulation = {days = 4}"}),
            "--set:1:22: simulation.days: set twice on the command line; give it once");
  // Includes are resolved with the file, before any setting: one set here would be ignored.
  EXPECT_EQ(error_with({"include=[\"x.toml\"]"}),
            "--set:1:9: include: cannot be set on the command line: includes are read with the "
            "scenario file, before any --set; write them in the file");
  // Different keys of one table are fine.
  EXPECT_EQ(error_with({"simulation.days=3", "simulation.warmup_days=1"}), "loaded without error");
}

}  // namespace
}  // namespace p2psim
