// The worlds design end to end: arms run as full worlds on (seed, replication), compared by
// analyze_experiment. Small markets over a few days keep each test well under a second.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "analysis/experiment_analysis.hpp"
#include "analysis/split_analysis.hpp"
#include "experiment/run_experiment.hpp"
#include "report/comparison_csv.hpp"
#include "report/experiment_outputs.hpp"
#include "small_market.hpp"

namespace p2psim {
namespace {

// Control against an arm with `visitor_factor` times the daily visitors.
Scenario two_arm_scenario(double visitor_factor, bool common_random_numbers,
                          std::uint32_t replications, std::uint64_t seed = 17) {
  Scenario scenario;
  scenario.name = "test";
  scenario.world.simulation.days = 5;
  scenario.world.simulation.warmup_days = 1;
  scenario.world.simulation.seed = seed;
  scenario.world.simulation.replications = replications;
  scenario.world.markets = {small_market("ng", "NGN")};
  ExperimentConfig experiment;
  experiment.replications = replications;
  experiment.common_random_numbers = common_random_numbers;
  experiment.primary = {"ng", "gmv_usd"};
  experiment.arms.push_back({"control", scenario.world});
  experiment.arms.push_back({"treatment", scenario.world});
  experiment.arms[1].world.markets[0].users.daily_visitors *= visitor_factor;
  scenario.experiment = experiment;
  return scenario;
}

ExperimentAnalysis analyze(const Scenario& scenario, std::uint32_t threads = 2) {
  RunOptions options;
  options.threads = threads;
  return analyze_experiment(run_experiment(scenario, options));
}

const ComparisonRow& row_of(const ExperimentAnalysis& analysis, const std::string& arm,
                            const std::string& kpi) {
  for (const ComparisonRow& row : analysis.rows)
    if (row.arm == arm && row.market == "ng" && row.kpi == kpi) return row;
  throw std::runtime_error("no row " + arm + " " + kpi);
}

TEST(WorldsDesign, IdenticalArmsWithCommonRandomNumbersAreIdenticalWorlds) {
  // Same config, same (seed, replication): every stream matches, so every KPI is equal in every
  // replication and the paired difference is exactly 0 with p = 1.
  ExperimentAnalysis analysis = analyze(two_arm_scenario(1.0, true, 3));
  const ComparisonRow& gmv = row_of(analysis, "treatment", "gmv_usd");
  ASSERT_TRUE(gmv.comparison.has_value());
  EXPECT_EQ(gmv.comparison->difference, 0.0);
  EXPECT_EQ(gmv.comparison->p_value, 1.0);
  EXPECT_EQ(analysis.decisions.at(0).decision, Decision::kInconclusive);
  // Every KPI: an exact 0 with a zero-width interval, and no power figure (nothing to power
  // against), where v_c + v_t - 2 cov used to leave intervals of +-1e-5 and "1,000,000 needed".
  std::size_t compared = 0;
  for (const ComparisonRow& row : analysis.rows) {
    if (!row.comparison) continue;
    ++compared;
    EXPECT_EQ(row.comparison->difference, 0.0) << row.kpi;
    EXPECT_EQ(row.comparison->difference_low, 0.0) << row.kpi;
    EXPECT_EQ(row.comparison->difference_high, 0.0) << row.kpi;
    EXPECT_TRUE(std::isnan(row.minimum_detectable_difference)) << row.kpi;
    EXPECT_FALSE(row.replications_needed.has_value()) << row.kpi;
  }
  EXPECT_GT(compared, 30u);
}

TEST(WorldsDesign, ResultsAreIdenticalAtAnyThreadCount) {
  Scenario scenario = two_arm_scenario(1.2, true, 4);
  RunOptions one;
  one.threads = 1;
  RunOptions three;
  three.threads = 3;
  ExperimentResult serial = run_experiment(scenario, one);
  ExperimentResult parallel = run_experiment(scenario, three);
  ExperimentAnalysis serial_analysis = analyze_experiment(serial);
  ExperimentAnalysis parallel_analysis = analyze_experiment(parallel);
  EXPECT_EQ(comparison_csv(serial_analysis), comparison_csv(parallel_analysis));
  auto serial_json = experiment_summary_json(serial, serial_analysis);
  auto parallel_json = experiment_summary_json(parallel, parallel_analysis);
  serial_json.erase("execution");
  parallel_json.erase("execution");
  EXPECT_EQ(serial_json.dump(), parallel_json.dump());
}

TEST(WorldsDesign, CommonRandomNumbersShrinkTheInterval) {
  // Same scenario and replications; only the arms' streams differ. Positive correlation between
  // the arms of a replication removes the shared noise from the paired difference, so its
  // interval must be narrower than Welch's between independent arms.
  ExperimentAnalysis common = analyze(two_arm_scenario(1.2, true, 6));
  ExperimentAnalysis independent = analyze(two_arm_scenario(1.2, false, 6));
  const Comparison& paired = *row_of(common, "treatment", "gmv_usd").comparison;
  const Comparison& welch = *row_of(independent, "treatment", "gmv_usd").comparison;
  EXPECT_TRUE(paired.paired);
  EXPECT_FALSE(welch.paired);
  EXPECT_LT(paired.difference_high - paired.difference_low,
            0.5 * (welch.difference_high - welch.difference_low));
}

TEST(WorldsDesign, ShipsAClearGainAndStopsAtAGuardrailThatShowsHarm) {
  Scenario scenario = two_arm_scenario(1.5, true, 4);
  ExperimentAnalysis gain = analyze(scenario);
  EXPECT_EQ(gain.decisions.at(0).decision, Decision::kShip) << gain.decisions.at(0).reason;
  // 50% more visitors create more orders: the whole interval lies above a +1% guardrail.
  scenario.experiment->guardrails.push_back({{"ng", "orders_created"}, 0.01});
  ExperimentAnalysis guarded = analyze(scenario);
  EXPECT_EQ(guarded.decisions.at(0).decision, Decision::kDoNotShip);
  EXPECT_EQ(guarded.decisions.at(0).reason, "guardrail ng.orders_created shows harm");
  EXPECT_EQ(row_of(guarded, "treatment", "orders_created").guardrail->verdict,
            GuardrailVerdict::kHarmShown);
}

TEST(WorldsDesign, AGuardrailWhoseIntervalStraddlesItsLimitHoldsBackAShip) {
  // The limit set at the measured relative change itself: the interval reaches either side of
  // it, so the run shows neither safety nor harm, and the clear primary gain is not shipped.
  Scenario scenario = two_arm_scenario(1.5, true, 4);
  const double measured =
      row_of(analyze(scenario), "treatment", "orders_created").comparison->relative;
  scenario.experiment->guardrails.push_back({{"ng", "orders_created"}, measured});
  ExperimentAnalysis guarded = analyze(scenario);
  EXPECT_EQ(row_of(guarded, "treatment", "orders_created").guardrail->verdict,
            GuardrailVerdict::kSafetyNotShown);
  EXPECT_EQ(guarded.decisions.at(0).decision, Decision::kInconclusive);
  EXPECT_NE(
      guarded.decisions.at(0).reason.find("but guardrail ng.orders_created is not shown safe"),
      std::string::npos)
      << guarded.decisions.at(0).reason;
  // Allowing twice the change shows it safe.
  scenario.experiment->guardrails.back().worst_change = 2.0 * measured;
  EXPECT_EQ(analyze(scenario).decisions.at(0).decision, Decision::kShip);
}

TEST(WorldsDesign, AWhatIfReportsEffectsWithoutADecision) {
  Scenario scenario = two_arm_scenario(1.5, true, 4);
  scenario.experiment->primary.reset();
  scenario.experiment->guardrails.push_back({{"ng", "orders_created"}, 0.01});
  ExperimentAnalysis what_if = analyze(scenario);
  EXPECT_TRUE(what_if.decisions.empty());
  const ComparisonRow& gmv = row_of(what_if, "treatment", "gmv_usd");
  ASSERT_TRUE(gmv.comparison.has_value());
  EXPECT_GT(gmv.comparison->difference_low, 0.0);
  EXPECT_EQ(gmv.role, KpiRole::kOther);
  EXPECT_EQ(row_of(what_if, "treatment", "orders_created").guardrail->verdict,
            GuardrailVerdict::kHarmShown);
}

TEST(WorldsDesign, ComparesArmsOnTheValueTheScenarioDeclares) {
  // value_usd = 0.01 x GMV - 1 x orders created, replication by replication: its mean is the
  // same combination of the two KPIs' means, and a decision can rest on it.
  Scenario scenario = two_arm_scenario(1.5, true, 4);
  scenario.experiment->value = {{"gmv_usd", 0.01}, {"orders_created", -1.0}};
  scenario.experiment->primary = KpiReference{"ng", "value_usd"};
  ExperimentAnalysis analysis = analyze(scenario);
  for (const char* arm : {"control", "treatment"}) {
    const double expected = 0.01 * row_of(analysis, arm, "gmv_usd").value.mean -
                            row_of(analysis, arm, "orders_created").value.mean;
    const ComparisonRow& value = row_of(analysis, arm, "value_usd");
    EXPECT_NEAR(value.value.mean, expected, 1e-9 * std::fabs(expected)) << arm;
    EXPECT_EQ(value.role, KpiRole::kPrimary);
  }
  ASSERT_EQ(analysis.decisions.size(), 1u);
  EXPECT_NE(analysis.decisions[0].reason.find("primary KPI"), std::string::npos);
}

TEST(WorldsDesign, IndependentArmSeedsDifferAndCommonOnesMatch) {
  Scenario scenario = two_arm_scenario(1.0, false, 1);
  EXPECT_EQ(arm_seed(*scenario.experiment, 17, 0), 17u);
  EXPECT_NE(arm_seed(*scenario.experiment, 17, 1), 17u);
  scenario.experiment->common_random_numbers = true;
  EXPECT_EQ(arm_seed(*scenario.experiment, 17, 1), 17u);
}

}  // namespace
}  // namespace p2psim

namespace p2psim {
namespace {

// Four small markets of different sizes, control against 1.5 x the visitors in every market.
Scenario market_split_scenario(double visitor_factor, std::uint32_t replications) {
  Scenario scenario = two_arm_scenario(visitor_factor, true, replications);
  std::vector<MarketConfig> markets;
  for (const char* code : {"aa", "bb", "cc", "dd"})
    markets.push_back(small_market(code, "NGN"));
  markets[1].users.daily_visitors = 200.0;
  markets[2].merchants.count = 10;
  scenario.world.markets = markets;
  ExperimentConfig& experiment = *scenario.experiment;
  experiment.design = ExperimentDesign::kMarketSplit;
  experiment.compare_with_worlds = true;
  experiment.primary = {"all", "gmv_usd"};
  experiment.arms[0].world = scenario.world;
  experiment.arms[1].world = scenario.world;
  for (MarketConfig& market : experiment.arms[1].world.markets)
    market.users.daily_visitors *= visitor_factor;
  return scenario;
}

TEST(MarketSplit, AssignsMarketsAtTheAllocationRate) {
  // 20,000 independent draws at allocation 0.3: binomial sd = sqrt(0.3 * 0.7 / 20000) = 0.00324;
  // 4 sd = 0.013.
  int treated = 0;
  const int draws = 20000;
  for (int r = 0; r < draws; ++r)
    treated += market_in_treatment("ng", 5, static_cast<std::uint32_t>(r), 0.3) ? 1 : 0;
  EXPECT_NEAR(treated / double(draws), 0.3, 4 * 0.00324);
  EXPECT_EQ(market_in_treatment("ng", 5, 7, 0.3), market_in_treatment("ng", 5, 7, 0.3));
}

TEST(MarketSplit, IndependentMarketsMakeEachUnitItsArmsWorld) {
  // Markets share no users, merchants or streams, so a market of the split world behaves exactly
  // as the same market in the world of its arm (same seed and replication): the split's units
  // are the worlds design's, and the estimate differs from the true effect only by which markets
  // were drawn.
  Scenario scenario = market_split_scenario(1.5, 3);
  RunOptions options;
  options.threads = 2;
  ExperimentResult result = run_experiment(scenario, options);
  ASSERT_TRUE(result.split.has_value());
  ASSERT_EQ(result.arms.size(), 2u);
  for (std::uint32_t r = 0; r < 3; ++r) {
    for (std::size_t m = 0; m < 4; ++m) {
      bool treated = result.split->treated[r][m];
      const MarketTally& split = result.split->run.replications[r].markets[m];
      const MarketTally& world = result.arms[treated ? 1 : 0].replications[r].markets[m];
      EXPECT_EQ(split.period.orders_created, world.period.orders_created) << r << " " << m;
    }
  }
  SplitAnalysis analysis = analyze_split(result);
  EXPECT_TRUE(analysis.with_worlds);
  EXPECT_EQ(analysis.treated_units + analysis.control_units, 12u);
  bool found = false;
  for (const SplitRow& row : analysis.rows) {
    if (row.kpi != "gmv_usd") continue;
    found = true;
    EXPECT_EQ(row.role, KpiRole::kPrimary);
    EXPECT_GT(row.true_effect, 0.0);  // 50% more visitors sell more
    EXPECT_NEAR(row.bias, row.estimate.mean - row.true_effect, 1e-6 * std::fabs(row.true_effect));
    EXPECT_GE(row.rmse, std::fabs(row.bias));  // rmse^2 = bias^2 + variance of the errors
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace p2psim
