// Split designs on simulated worlds: user_split and merchant_split estimates, computed as an
// online platform would, against what the simulator knows. Without interference they are
// unbiased and their intervals cover at the nominal rate; on a market short of merchant
// liquidity a user_split overstates a demand-raising treatment, as theory predicts
// (docs/experiments.md, When each design is biased).
#include "analysis/split_analysis.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "analysis/statistics.hpp"
#include "analysis/unit_estimate.hpp"
#include "experiment/run_experiment.hpp"
#include "report/split_outputs.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {
namespace {

// The design and the size of a test world: small enough for hundreds of replications.
struct SplitSetup {
  std::string design = "user_split";
  int days = 5;
  int warmup_days = 2;
  int initial_users = 1500;
  std::string users;  // more keys of [markets.ng.users]
};

// A one-market split read from TOML: `market` adds keys to [markets.ng], `experiment` to
// [experiment], `treatment` is the treatment arm's table body.
Scenario split_scenario(const std::string& market, const std::string& experiment,
                        const std::string& treatment, std::uint32_t replications,
                        const SplitSetup& size = {}) {
  const std::string file = (std::filesystem::temp_directory_path() /
                            ("p2psim_test_split_" + std::to_string(::getpid()) + ".toml"))
                               .string();
  std::ofstream(file) << "name = \"split\"\n[simulation]\nwarmup_days = " << size.warmup_days
                      << "\nseed = 11\ndays = " << size.days
                      << "\n[markets.ng]\ncurrency = \"NGN\"\nreference_rate = 1500.0\n"
                      << market << "\n[markets.ng.users]\ndaily_visitors = 200\ninitial_users = "
                      << size.initial_users << "\n"
                      << size.users << "\n"
                      << "[[markets.ng.payment_methods]]\nname = \"bank\"\n"
                      << "[[markets.ng.payment_methods]]\nname = \"wallet\"\n"
                      << "[experiment]\nprimary_kpi = \"ng.gmv_usd\"\ndesign = \"" << size.design
                      << "\"\n"
                      << "replications = " << replications << "\n"
                      << experiment << "\n[experiment.arms.control]\n"
                      << treatment << "\n";
  Scenario scenario = load_scenario(file);
  std::filesystem::remove(file);
  return scenario;
}

ExperimentResult run(const Scenario& scenario) {
  RunOptions options;
  options.threads = 2;
  return run_experiment(scenario, options);
}

const SplitRow& row_of(const SplitAnalysis& analysis, const std::string& kpi) {
  for (const SplitRow& row : analysis.rows)
    if (row.market == "ng" && row.kpi == kpi) return row;
  throw std::runtime_error("no row " + kpi);
}

// 4 binomial standard deviations of a share p over n replications.
double four_sd(double p, std::uint32_t n) {
  return 4.0 * std::sqrt(p * (1.0 - p) / n);
}

TEST(UserSplitOnSimulatedWorlds, AnAaTestRejectsAtTheNominalRate) {
  // Identical arms: every per-replication interval should miss 0 in 5% of replications.
  constexpr std::uint32_t kReplications = 160;
  for (bool cuped : {false, true}) {
    const Scenario scenario =
        split_scenario("", cuped ? "cuped = true" : "",
                       "[experiment.arms.same.markets.ng.fees]\nmaker_bps = 10", kReplications);
    const ExperimentResult result = run(scenario);
    for (const char* name : {"gmv_usd", "completion_rate"}) {
      const SplitKpi& kpi = *find_split_kpi(name);
      std::uint32_t rejected = 0;
      for (const ReplicationOutcome& replication : result.split->run.replications) {
        const MarketUnits& units = replication.units[0];
        const double population = static_cast<double>(units.arms[0].units + units.arms[1].units);
        auto estimate = estimate_split_kpi(kpi, units.arms[0], units.arms[1], population, cuped);
        ASSERT_TRUE(estimate.has_value());
        rejected += estimate->p_value < 0.05;
      }
      EXPECT_NEAR(rejected / double(kReplications), 0.05, four_sd(0.05, kReplications))
          << name << (cuped ? " with CUPED" : "");
    }
  }
}

// With users indifferent to the taker fee (taker_fee_elasticity 0) a fee changes no one's
// behaviour, so the split world trades exactly as the control world does and a fee of `bps` has
// a true effect of bps / 10,000 x the GMV of all units: known in each replication without running
// the worlds design. Users pay the taker fee, merchants the maker's.
void expect_known_fee_effect_covered(const std::string& design, const std::string& fee,
                                     double bps) {
  constexpr std::uint32_t kReplications = 160;
  const Scenario scenario = split_scenario(
      "[markets.ng.incentive_response]\ntaker_fee_elasticity = 0.0", "",
      "[experiment.arms.fee.markets.ng.fees]\n" + fee, kReplications, {.design = design});
  const ExperimentResult result = run(scenario);
  const SplitKpi& kpi = *find_split_kpi("fee_revenue_usd");
  constexpr int kGmv = static_cast<int>(UnitMetric::kGmvUsd);
  std::uint32_t covered = 0;
  double bias = 0.0;
  for (const ReplicationOutcome& replication : result.split->run.replications) {
    const MarketUnits& units = replication.units[0];
    const double population = static_cast<double>(units.arms[0].units + units.arms[1].units);
    auto estimate = estimate_split_kpi(kpi, units.arms[0], units.arms[1], population, false);
    ASSERT_TRUE(estimate.has_value());
    const double truth = bps / 1e4 * (units.arms[0].sum[kGmv] + units.arms[1].sum[kGmv]);
    covered += estimate->low <= truth && truth <= estimate->high;
    bias += (estimate->difference - truth) / estimate->standard_error / kReplications;
  }
  EXPECT_NEAR(covered / double(kReplications), 0.95, four_sd(0.95, kReplications)) << design;
  // Unbiased: the mean of 160 standardised errors is N(0, 1/160), within 4 / sqrt(160).
  EXPECT_NEAR(bias, 0.0, 4.0 / std::sqrt(double(kReplications))) << design;
  // Neither arm has a risk policy or a campaign: those KPIs are not modelled, so absent.
  for (const SplitRow& row : analyze_split(result).rows) {
    EXPECT_NE(row.kpi, "good_orders_blocked");
    EXPECT_NE(row.kpi, "incentive_cost_usd");
  }
}

TEST(UserSplitOnSimulatedWorlds, AKnownFeeEffectIsCoveredAtTheNominalRate) {
  expect_known_fee_effect_covered("user_split", "taker_bps = 50", 50.0);
}

TEST(MerchantSplitOnSimulatedWorlds, AKnownFeeEffectIsCoveredAtTheNominalRate) {
  // The default 50 merchants are the units; the maker fee rises from 10 to 30 bps.
  expect_known_fee_effect_covered("merchant_split", "maker_bps = 30", 20.0);
}

TEST(UserSplitOnSimulatedWorlds, IdenticalArmsHaveNoTrueEffectEvenWithACampaign) {
  // A new-user bonus whose budget runs out: both arms run the same campaign, with one budget,
  // so treating every user changes nothing and every true effect is exactly 0.
  const Scenario scenario = split_scenario(
      "[[incentives]]\nkind = \"new_user_bonus\"\nmarkets = [\"ng\"]\namount_usd = 5\n"
      "budget_usd = 300",
      "compare_with_worlds = true", "[experiment.arms.same.markets.ng.fees]\nmaker_bps = 10", 4);
  const SplitAnalysis analysis = analyze_split(run(scenario));
  ASSERT_FALSE(analysis.rows.empty());
  bool costs = false;
  for (const SplitRow& row : analysis.rows) {
    EXPECT_EQ(row.true_effect, 0.0) << row.kpi;
    costs = costs || row.kpi == "incentive_cost_usd";
  }
  EXPECT_TRUE(costs);  // the campaign ran and paid
}

// Few units: 24 switchback blocks (3 hours each over the 3 measured days) or 15 merchants.
// Their intervals are t with small-sample degrees of freedom (the smaller of Welch's and
// Bell-McCaffrey's), and a ratio's variance is CR2's from the listed units; normal intervals
// (1.96 for t(0.975, ~20) = 2.09) rejected 6.0-7.8% of identical-arm tests, Welch's degrees of
// freedom alone 6.1% in the merchant split, and the ratios' plain delta method 8.5-8.8% there.
const SplitSetup kTwentyFourBlocks{.design = "switchback", .users = {}};
const char* const kThreeHourBlocks = "block_hours = 3\nburn_in_hours = 0.5";
const SplitSetup kFifteenMerchants{.design = "merchant_split", .users = {}};
const char* const kFifteenMerchantsMarket = "[markets.ng.merchants]\ncount = 15";

// 7,600 replications put 4 binomial standard deviations of a 5% rate at +-1 point:
// 4 * sqrt(0.05 * 0.95 / 7600) = 0.0100.
constexpr std::uint32_t kFewUnitReplications = 7600;

// Per KPI the split reports, the share of replications whose 95% interval covers the KPI's true
// effect, which `truth` gives from the replication's units (NaN: the KPI is not checked).
using TrueEffect = std::function<double(const SplitKpi&, const MarketUnits&)>;
std::map<std::string, double> coverage_by_kpi(const ExperimentResult& result,
                                              std::uint32_t expected_units,
                                              const TrueEffect& truth) {
  std::map<std::string, std::pair<std::uint32_t, std::uint32_t>> counts;  // covered, tests
  const bool per_merchant = result.scenario.experiment->design == ExperimentDesign::kMerchantSplit;
  for (const ReplicationOutcome& replication : result.split->run.replications) {
    const MarketUnits& units = replication.units[0];
    EXPECT_EQ(units.arms[0].units + units.arms[1].units, expected_units);
    const double population = split_population(result, units);
    for (const SplitKpi& kpi : split_kpis()) {
      if (per_merchant && !kpi.per_merchant) continue;
      const double true_effect = truth(kpi, units);
      if (std::isnan(true_effect)) continue;
      auto estimate = estimate_split_kpi(kpi, units, population, false);
      if (!estimate) continue;  // an arm drew under 2 units, or a ratio has no denominator
      auto& [covered, tests] = counts[kpi.name];
      ++tests;
      covered += estimate->low <= true_effect && true_effect <= estimate->high;
    }
  }
  std::map<std::string, double> coverage;
  for (const auto& [name, count] : counts) {
    // Nearly every replication must give a test: a KPI tested in a few is no evidence.
    EXPECT_GT(count.second, 0.9 * kFewUnitReplications) << name;
    coverage[name] = count.first / double(count.second);
  }
  return coverage;
}

// Neither arm has a fraud typology, a risk policy or a campaign: the KPIs they would feed are
// all 0 in every unit and carry no test.
bool checked_here(const SplitKpi& kpi) {
  for (const char* absent : {"fraud_loss_usd", "incentive_cost_usd", "good_orders_blocked",
                             "fraud_loss_bps", "catch_rate", "false_positive_rate"})
    if (kpi.name == std::string(absent)) return false;
  return true;
}

void expect_aa_rejects_at_five_percent(const std::string& market, const std::string& experiment,
                                       const SplitSetup& setup, std::uint32_t units) {
  const ExperimentResult result = run(
      split_scenario(market, experiment, "[experiment.arms.same.markets.ng.fees]\nmaker_bps = 10",
                     kFewUnitReplications, setup));
  const auto coverage = coverage_by_kpi(result, units, [](const SplitKpi& kpi, const MarketUnits&) {
    return checked_here(kpi) ? 0.0 : std::nan("");
  });
  EXPECT_GE(coverage.size(), 7u);  // totals and ratios
  for (const auto& [name, covered] : coverage)
    EXPECT_NEAR(1.0 - covered, 0.05, four_sd(0.05, kFewUnitReplications))
        << setup.design << " " << name;
}

TEST(SwitchbackOnSimulatedWorlds, AnAaTestOfTwentyFourBlocksRejectsAtTheNominalRate) {
  expect_aa_rejects_at_five_percent("", kThreeHourBlocks, kTwentyFourBlocks, 24);
}

TEST(MerchantSplitOnSimulatedWorlds, AnAaTestOfFifteenMerchantsRejectsAtTheNominalRate) {
  expect_aa_rejects_at_five_percent(kFifteenMerchantsMarket, "", kFifteenMerchants, 15);
}

// A fee the users (or merchants) do not respond to (taker_fee_elasticity 0) changes nothing but
// the fees: its true effect on fee and net revenue is bps / 10,000 x the GMV per unit x the
// population the estimate scales to, and 0 on every other KPI. The fee's effect on a unit is
// proportional to the unit's GMV, so it differs from unit to unit, and Neyman's variance is then
// conservative for the effect on these units: for fee and net revenue coverage may only exceed
// 95%, the others must be at it.
void expect_planted_fee_covered(const std::string& market, const std::string& experiment,
                                const SplitSetup& setup, std::uint32_t units,
                                const std::string& fee, double bps) {
  const ExperimentResult result = run(split_scenario(
      "[markets.ng.incentive_response]\ntaker_fee_elasticity = 0.0\n" + market, experiment,
      "[experiment.arms.fee.markets.ng.fees]\n" + fee, kFewUnitReplications, setup));
  constexpr int kGmv = static_cast<int>(UnitMetric::kGmvUsd);
  auto carries_fee = [](const std::string& name) {
    return name == "fee_revenue_usd" || name == "net_revenue_usd";
  };
  const auto coverage =
      coverage_by_kpi(result, units, [&](const SplitKpi& kpi, const MarketUnits& units) {
        if (!checked_here(kpi)) return std::nan("");
        if (!carries_fee(kpi.name)) return 0.0;
        const double per_unit = (units.arms[0].sum[kGmv] + units.arms[1].sum[kGmv]) /
                                (units.arms[0].units + units.arms[1].units);
        return bps / 1e4 * per_unit * split_population(result, units);
      });
  EXPECT_TRUE(coverage.contains("fee_revenue_usd"));
  const double band = four_sd(0.05, kFewUnitReplications);
  for (const auto& [name, covered] : coverage) {
    if (carries_fee(name)) {
      EXPECT_GT(covered, 0.95 - band) << setup.design << " " << name;
    } else {
      EXPECT_NEAR(covered, 0.95, band) << setup.design << " " << name;
    }
  }
}

TEST(SwitchbackOnSimulatedWorlds, APlantedFeeIsCoveredAtTheNominalRate) {
  expect_planted_fee_covered("", kThreeHourBlocks, kTwentyFourBlocks, 24, "taker_bps = 50", 50.0);
}

TEST(MerchantSplitOnSimulatedWorlds, APlantedFeeIsCoveredAtTheNominalRate) {
  expect_planted_fee_covered(kFifteenMerchantsMarket, "", kFifteenMerchants, 15, "maker_bps = 30",
                             20.0);
}

TEST(SplitDesigns, ResultsAreIdenticalAtAnyThreadCount) {
  for (const char* design : {"user_split", "merchant_split", "switchback"}) {
    const Scenario scenario = split_scenario(
        "", "compare_with_worlds = true", "[experiment.arms.fee.markets.ng.fees]\ntaker_bps = 50",
        6, {.design = design});
    RunOptions one;
    one.threads = 1;
    const std::string alone = split_comparison_csv(analyze_split(run_experiment(scenario, one)));
    const std::string shared = split_comparison_csv(analyze_split(run(scenario)));
    EXPECT_EQ(alone, shared) << design;
  }
}

// A 50 bps taker fee in both arms, waived for the treatment's users: they come back e^0.5 = 1.65
// times as often (taker_fee_elasticity 1, docs/model.md). `merchants` is the [markets.ng.merchants]
// body.
constexpr std::uint32_t kBiasReplications = 32;
SplitAnalysis fee_waiver_split(const std::string& merchants) {
  const Scenario scenario = split_scenario(
      "[markets.ng.merchants]\n" + merchants + "\n[markets.ng.fees]\ntaker_bps = 50",
      "compare_with_worlds = true",
      "[[experiment.arms.waiver.incentives]]\nkind = \"fee_waiver\"\nmarkets = [\"ng\"]\n"
      "share = 1.0",
      kBiasReplications, {.design = "user_split", .days = 8, .initial_users = 3000});
  return analyze_split(run(scenario));
}

// The standard error of the mean of the replications' errors (estimate - true effect), from
// their RMSE and mean (the bias): sd = sqrt(rmse^2 - bias^2), with n - 1 degrees of freedom.
double bias_standard_error(const SplitRow& row) {
  const double n = row.replications;
  const double variance = std::max(0.0, row.rmse * row.rmse - row.bias * row.bias) * n / (n - 1);
  return std::sqrt(variance / n);
}

TEST(UserSplitOnSimulatedWorlds, OverstatesADemandRaisingTreatmentWhenLiquidityIsScarce) {
  // Two merchants taking one order at a time: the market fills what they can handle. Treated
  // users' extra orders take the slots control users would have had, so the split estimate of
  // the GMV gain exceeds the global effect, where everyone competes for the same slots. A mean
  // error beyond 4 of its standard errors is not noise.
  const SplitAnalysis scarce = fee_waiver_split("count = 2\ncapacity = 1");
  const SplitRow& gmv = row_of(scarce, "gmv_usd");
  EXPECT_GT(gmv.bias, 4.0 * bias_standard_error(gmv));
  // ...and it hides what a global launch does to everyone's fill rate: the true effect is a
  // fall, larger than the split's estimate of it.
  const SplitRow& fill = row_of(scarce, "fill_rate");
  EXPECT_LT(fill.true_effect, fill.estimate.mean);
  // With merchants to spare (40 taking 10 orders at a time) no one takes anyone's slot: no bias
  // beyond the noise.
  const SplitAnalysis ample = fee_waiver_split("count = 40\ncapacity = 10");
  const SplitRow& free = row_of(ample, "gmv_usd");
  EXPECT_LT(std::abs(free.bias), 4.0 * bias_standard_error(free));
}

// Each replication's share of the variance of the GMV difference that CUPED removes, with a
// 7-day warm-up before 7 measured days, in an A/A user split of users with `habits`.
std::vector<double> cuped_variance_reductions(const std::string& habits,
                                              std::uint32_t replications) {
  const Scenario scenario =
      split_scenario("", "cuped = true", "[experiment.arms.same.markets.ng.fees]\nmaker_bps = 10",
                     replications, {.days = 14, .warmup_days = 7, .users = habits});
  const ExperimentResult result = run(scenario);
  const SplitKpi& kpi = *find_split_kpi("gmv_usd");
  std::vector<double> reductions;
  for (const ReplicationOutcome& replication : result.split->run.replications) {
    const MarketUnits& units = replication.units[0];
    const double population = static_cast<double>(units.arms[0].units + units.arms[1].units);
    auto estimate = estimate_split_kpi(kpi, units.arms[0], units.arms[1], population, true);
    EXPECT_TRUE(estimate.has_value() && estimate->adjusted);
    reductions.push_back(estimate ? estimate->variance_reduction : 0.0);
  }
  return reductions;
}

TEST(UserSplitOnSimulatedWorlds, UsersOwnHabitsLetCupedRemoveMuchOfTheVariance) {
  // Direction test of heterogeneous users (docs/model.md, Heterogeneous users): when users keep
  // their own activity and order size, a user's warm-up GMV predicts their measured GMV, and
  // CUPED removes a substantial share of the variance; when every user is alike it predicts
  // almost nothing. Same seeds and replications in both (common random numbers where the streams
  // allow); the 95% interval of the paired difference must exclude 0.
  constexpr std::uint32_t kReplications = 12;
  const std::vector<double> alike = cuped_variance_reductions(
      "activity_sigma = 0.0\norder_usd_persistence = 0.0\n", kReplications);
  const std::vector<double> habits = cuped_variance_reductions("", kReplications);
  std::vector<double> difference(kReplications);
  for (std::uint32_t r = 0; r < kReplications; ++r)
    difference[r] = habits[r] - alike[r];
  const Estimate shift = estimate_mean(difference);
  EXPECT_GT(shift.low, 0.0);
  // "Substantial": a quarter of the variance at least, in every replication; without habits
  // under a tenth on average.
  EXPECT_GT(*std::min_element(habits.begin(), habits.end()), 0.25);
  EXPECT_LT(estimate_mean(alike).mean, 0.10);
}

}  // namespace
}  // namespace p2psim
