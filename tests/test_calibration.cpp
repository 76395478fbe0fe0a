#include "experiment/calibration.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "command_process.hpp"
#include "experiment/run_replications.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;
using end_to_end::fresh_directory;
using end_to_end::kSource;

// A small Nigeria-preset market: a few days, so that one evaluation takes a fraction of a second.
fs::path small_scenario(const fs::path& directory) {
  const fs::path file = directory / "scenario.toml";
  std::ofstream(file) << "name = \"calibration_test\"\ninclude = [\""
                      << (kSource / "scenarios/markets/ng.toml").string()
                      << "\"]\n[simulation]\ndays = 5\nwarmup_days = 1\nseed = 11\n"
                         "replications = 8\n[markets.ng.users]\ninitial_users = 1500\n"
                         "daily_visitors = 300\n[markets.ng.merchants]\ncount = 15\n";
  return file;
}

CalibrationOptions threads(std::uint32_t count) {
  CalibrationOptions options;
  options.threads = count;
  return options;
}

CalibrationParameter parameter(const std::string& key, double lower, double upper, double start) {
  CalibrationParameter result;
  result.key = key;
  result.lower = lower;
  result.upper = upper;
  result.scale = ParameterScale::kLog;
  result.start = start;
  return result;
}

// Targets taken from a run of the scenario as it is (the truth), each with its standard error.
std::vector<CalibrationTarget> observed(const fs::path& scenario_file,
                                        const std::vector<std::string>& kpis) {
  const Scenario scenario = load_scenario(scenario_file);
  RunOptions options;
  options.threads = 2;
  std::vector<CalibrationTarget> targets;
  for (const std::string& kpi : kpis) {
    CalibrationTarget target;
    target.market = "ng";
    target.kpi = kpi;
    targets.push_back(target);
  }
  const std::vector<SimulatedTarget> truth =
      simulated_targets(run_replications(scenario, options), targets);
  for (std::size_t t = 0; t < targets.size(); ++t) {
    targets[t].value = truth[t].estimate.mean;
    targets[t].standard_error = truth[t].standard_error;
    targets[t].weight = 1.0 / (truth[t].standard_error * truth[t].standard_error);
  }
  return targets;
}

// Recovery: the scenario's own values are the truth. The targets are its KPIs from seed 11; the
// calibration runs from seed 12 (fresh noise) and starts away from the truth. Each true value
// must lie within the 95% interval the fit reports and each KPI within two standard errors (the
// target's and the simulation's together). With 95% intervals a fixed seed could fail by chance
// once in twenty draws per parameter; this seed is one draw, fixed, so the outcome is stable.
TEST(Calibration, RecoversKnownParametersWithinTheirIntervals) {
  const fs::path directory = fresh_directory("calibration", "recovery");
  const fs::path scenario_file = small_scenario(directory);
  CalibrationTargets calibration;
  calibration.targets =
      observed(scenario_file, {"cancellation_rate", "visitors", "completion_rate"});
  const Scenario scenario = load_scenario(scenario_file);
  const double true_cancel = scenario.world.markets[0].users.cancel_probability;
  const double true_visitors = scenario.world.markets[0].users.daily_visitors;
  calibration.parameters = {
      parameter("markets.ng.users.cancel_probability", 0.01, 0.3, 2.0 * true_cancel),
      parameter("markets.ng.users.daily_visitors", 100.0, 1000.0, 1.6 * true_visitors)};
  calibration.search.seed = 12;
  calibration.search.replications = 8;
  calibration.search.global_evaluations = 10;
  calibration.search.local_evaluations = 60;
  const CalibrationResult result = calibrate(scenario_file, calibration, threads(2));
  ASSERT_FALSE(result.interrupted);
  ASSERT_TRUE(result.curvature);
  EXPECT_TRUE(result.curvature->flat_directions.empty());
  const double truths[] = {true_cancel, true_visitors};
  for (std::size_t p = 0; p < 2; ++p) {
    ASSERT_TRUE(result.curvature->position_errors[p]) << calibration.parameters[p].key;
    const auto [low, high] = parameter_interval(calibration.parameters[p], result.best_positions[p],
                                                *result.curvature->position_errors[p]);
    EXPECT_LE(low, truths[p]) << calibration.parameters[p].key;
    EXPECT_GE(high, truths[p]) << calibration.parameters[p].key;
  }
  const CalibrationEvaluation& best = result.trace[result.best];
  for (std::size_t t = 0; t < calibration.targets.size(); ++t) {
    const CalibrationTarget& target = calibration.targets[t];
    const double combined = std::hypot(*target.standard_error, best.simulated[t].standard_error);
    EXPECT_LE(std::abs(best.simulated[t].estimate.mean - target.value), 2.0 * combined)
        << target.kpi;
  }
  EXPECT_LT(best.objective, result.trace[result.start].objective);
  // The start runs exactly as given, not as a round trip through its position.
  EXPECT_EQ(result.trace[result.start].values[0], 2.0 * true_cancel);
}

// Two parameters that only move one KPI together: the cancellation rate rises with both the
// chance to cancel a first time and to cancel again after a retry, so one target cannot tell
// them apart.
TEST(Calibration, WarnsWhenTwoParametersMoveOneKpiTogether) {
  const fs::path directory = fresh_directory("calibration", "identifiability");
  const fs::path scenario_file = small_scenario(directory);
  CalibrationTargets calibration;
  calibration.targets = observed(scenario_file, {"cancellation_rate"});
  calibration.parameters = {parameter("markets.ng.users.cancel_probability", 0.01, 0.3, 0.1),
                            parameter("markets.ng.users.cancel_again_probability", 0.05, 0.9, 0.5)};
  calibration.search.seed = 12;
  calibration.search.replications = 4;
  calibration.search.global_evaluations = 0;
  calibration.search.local_evaluations = 30;
  const CalibrationResult result = calibrate(scenario_file, calibration, threads(2));
  ASSERT_TRUE(result.curvature);
  ASSERT_EQ(result.curvature->flat_directions.size(), 1u);
  bool warned = false;
  for (const std::string& warning : calibration_warnings(calibration, result))
    warned = warned || warning.starts_with("not identified: the targets barely move along ");
  EXPECT_TRUE(warned);
}

// Same inputs and seed, one thread or two: the same search, evaluation by evaluation.
TEST(Calibration, IsTheSameAtAnyThreadCount) {
  const fs::path directory = fresh_directory("calibration", "threads");
  const fs::path scenario_file = small_scenario(directory);
  CalibrationTargets calibration;
  calibration.targets = observed(scenario_file, {"cancellation_rate", "completion_rate"});
  calibration.parameters = {parameter("markets.ng.users.cancel_probability", 0.01, 0.3, 0.1),
                            parameter("markets.ng.users.abandon_probability", 0.005, 0.2, 0.05)};
  calibration.search.seed = 5;
  calibration.search.replications = 4;
  calibration.search.global_evaluations = 8;  // CRS2 draws from NLopt's seeded generator
  calibration.search.local_evaluations = 8;
  const CalibrationResult one = calibrate(scenario_file, calibration, threads(1));
  const CalibrationResult two = calibrate(scenario_file, calibration, threads(2));
  ASSERT_EQ(one.trace.size(), two.trace.size());
  for (std::size_t i = 0; i < one.trace.size(); ++i) {
    EXPECT_EQ(one.trace[i].values, two.trace[i].values) << "evaluation " << i;
    EXPECT_EQ(one.trace[i].objective, two.trace[i].objective) << "evaluation " << i;
  }
  EXPECT_EQ(one.best, two.best);
}

// Values each key takes alone but not together (cancel + abandon above 1) are scored as
// infeasible: the search goes on around them, and the fit says how many there were.
TEST(Calibration, ValuesTheScenarioRefusesTogetherAreInfeasibleNotFatal) {
  const fs::path scenario_file = small_scenario(fresh_directory("calibration", "refused"));
  CalibrationTargets calibration;
  calibration.targets = observed(scenario_file, {"cancellation_rate", "completion_rate"});
  calibration.parameters = {parameter("markets.ng.users.cancel_probability", 0.3, 0.7, 0.35),
                            parameter("markets.ng.users.abandon_probability", 0.3, 0.7, 0.35)};
  calibration.search.replications = 2;
  calibration.search.global_evaluations = 12;
  calibration.search.local_evaluations = 4;
  const CalibrationResult result = calibrate(scenario_file, calibration, threads(2));
  ASSERT_TRUE(result.curvature);
  const auto refused =
      std::count_if(result.trace.begin(), result.trace.end(),
                    [](const CalibrationEvaluation& e) { return !e.refused.empty(); });
  EXPECT_GT(refused, 0);
  EXPECT_TRUE(result.trace[result.best].refused.empty());
  bool warned = false;
  for (const std::string& warning : calibration_warnings(calibration, result))
    warned = warned || warning.find("refuses together") != std::string::npos;
  EXPECT_TRUE(warned);
}

// The cancellation rate, fitted by the chance to cancel, with two replications an evaluation.
CalibrationTargets one_parameter(const fs::path& scenario_file) {
  CalibrationTargets calibration;
  calibration.targets = observed(scenario_file, {"cancellation_rate"});
  calibration.parameters = {parameter("markets.ng.users.cancel_probability", 0.01, 0.3, 0.1)};
  calibration.search.replications = 2;
  return calibration;
}

TEST(Calibration, AStopRaisedBeforehandEndsWithNoEvaluation) {
  const fs::path scenario_file = small_scenario(fresh_directory("calibration", "stop"));
  const CalibrationTargets calibration = one_parameter(scenario_file);
  const std::atomic<bool> stop{true};
  CalibrationOptions options;
  options.stop = &stop;
  const CalibrationResult result = calibrate(scenario_file, calibration, options);
  EXPECT_TRUE(result.interrupted);
  EXPECT_TRUE(result.trace.empty());
  EXPECT_FALSE(result.curvature);
}

// A stop raised during the search keeps the best point so far.
TEST(Calibration, AStopDuringTheSearchKeepsTheBestPointSoFar) {
  const fs::path scenario_file = small_scenario(fresh_directory("calibration", "stop_during"));
  const CalibrationTargets calibration = one_parameter(scenario_file);
  std::atomic<bool> stop{false};
  CalibrationOptions options;
  options.stop = &stop;
  options.on_evaluation = [&stop](const CalibrationResult& so_far, std::uint32_t) {
    if (so_far.trace.size() == 5) stop = true;
  };
  const CalibrationResult result = calibrate(scenario_file, calibration, options);
  EXPECT_TRUE(result.interrupted);
  EXPECT_EQ(result.trace.size(), 5u);
  EXPECT_FALSE(result.curvature);
  for (const CalibrationEvaluation& evaluation : result.trace)
    EXPECT_GE(evaluation.objective, result.trace[result.best].objective);
}

}  // namespace
}  // namespace p2psim
