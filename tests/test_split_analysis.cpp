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
#include <string>

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

TEST(SwitchbackOnSimulatedWorlds, AnAaTestRejectsAtTheNominalRate) {
  // Identical arms, 36 blocks of 2 hours over the 3 measured days: blocks are randomised, so
  // the per-block interval misses 0 in about 5% of replications, though blocks differ a lot
  // with the hour of the day. With about 18 blocks per arm the normal quantile (1.96) stands in
  // for t(34) (2.03): the rate expected is nearer 5.8%, inside 4 binomial sd of 5% (0.069).
  constexpr std::uint32_t kReplications = 160;
  const Scenario scenario = split_scenario("", "block_hours = 2\nburn_in_hours = 0.5",
                                           "[experiment.arms.same.markets.ng.fees]\nmaker_bps = 10",
                                           kReplications, {.design = "switchback"});
  const ExperimentResult result = run(scenario);
  const SplitKpi& kpi = *find_split_kpi("gmv_usd");
  std::uint32_t tests = 0;
  std::uint32_t rejected = 0;
  for (const ReplicationOutcome& replication : result.split->run.replications) {
    const MarketUnits& blocks = replication.units[0];
    ASSERT_EQ(blocks.arms[0].units + blocks.arms[1].units, 36u);
    auto estimate = estimate_split_kpi(kpi, blocks.arms[0], blocks.arms[1], 1.0, false);
    if (!estimate) continue;  // an arm drew fewer than 2 blocks: no test (rare at 36 blocks)
    ++tests;
    rejected += estimate->p_value < 0.05;
  }
  ASSERT_GT(tests, 150u);
  EXPECT_NEAR(rejected / double(tests), 0.05, four_sd(0.05, tests));
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
