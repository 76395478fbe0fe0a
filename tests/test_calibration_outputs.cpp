#include "report/calibration_outputs.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "command_process.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;
using end_to_end::fresh_directory;
using end_to_end::kSource;
using end_to_end::slurp;

SimulatedTarget simulated(double mean) {
  return {
      .estimate = {mean, mean - 0.01, mean + 0.01, 4}, .standard_error = 0.004, .produced = true};
}

// A hand-made search of one parameter (an integer key and a probability) and two targets.
struct HandMadeFit {
  fs::path directory = fresh_directory("calibration_outputs", "fit");
  fs::path scenario_file = directory / "scenarios" / "base.toml";
  CalibrationTargets calibration;
  CalibrationResult result;

  HandMadeFit() {
    fs::create_directories(scenario_file.parent_path());
    std::ofstream(scenario_file) << "name = \"base\"\ninclude = [\""
                                 << (kSource / "scenarios/markets/ng.toml").string()
                                 << "\"]\n[simulation]\ndays = 4\nwarmup_days = 1\n";
    CalibrationTarget target;
    target.market = "ng";
    target.kpi = "cancellation_rate";
    target.value = 0.05;
    target.standard_error = 0.002;
    target.weight = 1.0 / (0.002 * 0.002);
    calibration.targets = {target};
    CalibrationParameter probability;
    probability.key = "markets.ng.users.cancel_probability";
    probability.lower = 0.01;
    probability.upper = 0.2;
    CalibrationParameter merchants;
    merchants.key = "markets.ng.merchants.count";
    merchants.lower = 10;
    merchants.upper = 50;
    merchants.integer = true;
    calibration.parameters = {probability, merchants};
    calibration.file = "targets.toml";
    calibration.search.seed = 9;
    calibration.search.replications = 4;
    result.trace = {{CalibrationStage::kStart, {0.1, 20}, 400.0, {simulated(0.09)}, {}},
                    {CalibrationStage::kLocal, {0.0525, 31}, 1.5, {simulated(0.0525)}, {}}};
    result.best = 1;
    result.best_positions = {(0.0525 - 0.01) / 0.19, 0.525};
    result.curvature = CurvatureReport{{0.02, std::nullopt}, {0.0038, std::nullopt}, {}};
  }
};

TEST(CalibratedToml, IncludesTheScenarioAndSetsTheFittedValues) {
  HandMadeFit fit;
  const fs::path out = fit.directory / "results" / "calibration";
  write_calibration_files(fit.calibration, fit.result, {fit.scenario_file, "base"}, out);
  const std::string toml = slurp(out / "calibrated.toml");
  EXPECT_NE(toml.find("name = \"base-calibrated\"\ninclude = [\"../../scenarios/base.toml\"]\n"),
            std::string::npos)
      << toml;
  EXPECT_NE(toml.find("markets.ng.users.cancel_probability = 0.0525\n"), std::string::npos);
  EXPECT_NE(toml.find("markets.ng.merchants.count = 31\n"), std::string::npos);
  // It runs as is: the scenario loads with the fitted values.
  const Scenario scenario = load_scenario(out / "calibrated.toml");
  EXPECT_EQ(scenario.name, "base-calibrated");
  EXPECT_DOUBLE_EQ(scenario.world.markets[0].users.cancel_probability, 0.0525);
  // The fit's seed and replications, so that a run reproduces the reported means.
  EXPECT_EQ(scenario.world.simulation.seed, 9u);
  EXPECT_EQ(scenario.world.simulation.replications, 4u);
  EXPECT_EQ(scenario.world.markets[0].merchants.count, 31u);
}

TEST(CalibrationJson, GivesEachTargetAndParameterOfTheFit) {
  HandMadeFit fit;
  const nlohmann::json json = nlohmann::json::parse(
      calibration_json(fit.calibration, fit.result, {fit.scenario_file, "base"}));
  EXPECT_EQ(json["status"], "complete");
  EXPECT_EQ(json["evaluations"], 2);
  EXPECT_DOUBLE_EQ(json["objective"]["fit"].get<double>(), 1.5);
  const nlohmann::json& target = json["targets"][0];
  EXPECT_DOUBLE_EQ(target["simulated"]["mean"].get<double>(), 0.0525);
  EXPECT_NEAR(target["standardised_error"].get<double>(), (0.0525 - 0.05) / 0.002, 1e-9);
  EXPECT_NEAR(json["nrmse"]["fit"].get<double>(), 0.05, 1e-9);  // 0.0025 / 0.05
  const nlohmann::json& probability = json["parameters"][0];
  EXPECT_DOUBLE_EQ(probability["standard_error"].get<double>(), 0.0038);
  EXPECT_TRUE(probability["at_bound"].is_null());
  // The interval: the position +/- 1.96 position errors, as values.
  EXPECT_NEAR(probability["interval"][0].get<double>(), 0.0525 - 1.96 * 0.02 * 0.19, 1e-9);
  EXPECT_TRUE(json["parameters"][1]["standard_error"].is_null());  // in a flat direction
  EXPECT_EQ(json["trace"].size(), 2u);
  EXPECT_EQ(json["trace"][1]["stage"], "local");
}

TEST(CalibrationJson, LabelsAnInterruptedSearch) {
  HandMadeFit fit;
  fit.result.interrupted = true;
  fit.result.curvature.reset();
  const CalibrationSource source{fit.scenario_file, "base"};
  const nlohmann::json json =
      nlohmann::json::parse(calibration_json(fit.calibration, fit.result, source));
  EXPECT_EQ(json["status"], "interrupted: best point so far");
  EXPECT_TRUE(json["warnings"][0].get<std::string>().starts_with("interrupted: "));
  EXPECT_NE(calibrated_toml(fit.calibration, fit.result, source, fit.directory)
                .find("# INTERRUPTED: the best point found before Ctrl-C"),
            std::string::npos);
  EXPECT_NE(
      calibration_html(fit.calibration, fit.result, source).find("interrupted: best point so far"),
      std::string::npos);
}

}  // namespace
}  // namespace p2psim
