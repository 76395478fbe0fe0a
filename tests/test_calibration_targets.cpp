#include "scenario/calibration_targets.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "command_process.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;
using end_to_end::fresh_directory;
using end_to_end::kSource;

// A one-market scenario on the Nigeria preset, and a targets file beside it.
class CalibrationTargetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fresh_directory("calibration_targets", "files");
    std::ofstream(directory_ / "scenario.toml")
        << "name = \"calibration_targets\"\ninclude = [\""
        << (kSource / "scenarios/markets/ng.toml").string()
        << "\"]\n[simulation]\ndays = 6\nwarmup_days = 1\nreplications = 3\n";
    scenario_ = load_scenario(directory_ / "scenario.toml");
  }

  CalibrationTargets read(const std::string& text) {
    std::ofstream(directory_ / "targets.toml") << text;
    return read_calibration_targets(directory_ / "targets.toml", directory_ / "scenario.toml",
                                    scenario_);
  }

  // The message of the error reading `text`, without the file name.
  std::string error_of(const std::string& text) {
    try {
      read(text);
    } catch (const ScenarioError& error) {
      const std::string message = error.what();
      return message.substr(message.find("targets.toml:") + std::string("targets.toml").size());
    }
    return "no error";
  }

  fs::path directory_;
  Scenario scenario_;
};

const std::string kTarget =
    "[[targets]]\nmarket = \"ng\"\nkpi = \"cancellation_rate\"\nvalue = 0.05\n"
    "standard_error = 0.002\n";
const std::string kParameter =
    "[[parameters]]\nkey = \"markets.ng.users.cancel_probability\"\nlower = 0.01\nupper = 0.2\n";

TEST_F(CalibrationTargetsTest, ReadsTargetsParametersAndSearchDefaults) {
  const CalibrationTargets calibration =
      read(kTarget + "days = [2, 4]\n" + kParameter + "scale = \"log\"\n");
  ASSERT_EQ(calibration.targets.size(), 1u);
  const CalibrationTarget& target = calibration.targets[0];
  EXPECT_EQ(target.label(), "ng.cancellation_rate days 2-4");
  EXPECT_DOUBLE_EQ(target.weight, 1.0 / (0.002 * 0.002));
  ASSERT_EQ(calibration.parameters.size(), 1u);
  const CalibrationParameter& parameter = calibration.parameters[0];
  EXPECT_EQ(parameter.scale, ParameterScale::kLog);
  EXPECT_FALSE(parameter.integer);
  // The start is the scenario's own value when the targets file gives none.
  EXPECT_DOUBLE_EQ(parameter.start, scenario_.world.markets[0].users.cancel_probability);
  EXPECT_EQ(calibration.search.seed, scenario_.world.simulation.seed);
  EXPECT_EQ(calibration.search.replications, 3u);
  EXPECT_EQ(calibration.search.local_method, "sbplx");
}

TEST_F(CalibrationTargetsTest, PositionsMapToValuesOnEitherScale) {
  CalibrationParameter parameter;
  parameter.lower = 10.0;
  parameter.upper = 1000.0;
  EXPECT_DOUBLE_EQ(parameter.value_at(0.5), 505.0);
  parameter.scale = ParameterScale::kLog;
  EXPECT_NEAR(parameter.value_at(0.5), 100.0, 1e-9);  // the geometric midpoint
  EXPECT_NEAR(parameter.position_of(100.0), 0.5, 1e-12);
  // d value / d position = value * ln(upper / lower) on a log scale.
  EXPECT_NEAR(parameter.slope_at(0.5), 100.0 * std::log(100.0), 1e-9);
  parameter.integer = true;
  parameter.key = "markets.ng.merchants.count";
  EXPECT_EQ(parameter.setting(parameter.value_at(0.25)), "markets.ng.merchants.count=32");
}

TEST_F(CalibrationTargetsTest, IntegerKeysAreRecognised) {
  const CalibrationTargets calibration = read(
      kTarget + "[[parameters]]\nkey = \"markets.ng.merchants.count\"\nlower = 5\nupper = 80\n");
  EXPECT_TRUE(calibration.parameters[0].integer);
}

TEST_F(CalibrationTargetsTest, AnUnknownKpiIsRejectedWithItsPosition) {
  EXPECT_EQ(error_of("[[targets]]\nmarket = \"ng\"\nkpi = \"completion_rat\"\nvalue = 0.9\n"
                     "weight = 1\n" +
                     kParameter),
            ":3:7: targets[0].kpi: expected a KPI of docs/kpis.md such as \"completion_rate\", "
            "found \"completion_rat\"");
}

TEST_F(CalibrationTargetsTest, ABreakdownTheScenarioDoesNotHaveIsAnUnknownKpi) {
  const std::string rest = "\nvalue = 1\nweight = 1\n" + kParameter;
  EXPECT_EQ(
      error_of("[[targets]]\nmarket = \"ng\"\nkpi = \"fraud_loss_usd.typology.bogus\"" + rest),
      ":3:7: targets[0].kpi: expected a KPI of docs/kpis.md such as \"completion_rate\", "
      "found \"fraud_loss_usd.typology.bogus\"");
  EXPECT_EQ(error_of("[[targets]]\nmarket = \"ng\"\nkpi = \"fraud_loss_usd.method.cheque\"" + rest),
            ":3:7: targets[0].kpi: expected a KPI of docs/kpis.md such as \"completion_rate\", "
            "found \"fraud_loss_usd.method.cheque\"");
  EXPECT_EQ(error_of("[[targets]]\nmarket = \"ng\"\nkpi = \"\"" + rest),
            ":3:7: targets[0].kpi: expected a KPI of docs/kpis.md such as \"completion_rate\", "
            "found \"\"");
  const std::string method = scenario_.world.markets[0].payment_methods[0].name;
  EXPECT_NO_THROW(
      read("[[targets]]\nmarket = \"ng\"\nkpi = \"fraud_loss_usd.method." + method + "\"" + rest));
}

TEST_F(CalibrationTargetsTest, AnUnknownMarketIsRejected) {
  EXPECT_EQ(error_of("[[targets]]\nmarket = \"ke\"\nkpi = \"completion_rate\"\nvalue = 0.9\n"
                     "weight = 1\n" +
                     kParameter),
            ":2:10: targets[0].market: expected a market of the scenario (\"ng\"), found \"ke\"");
}

TEST_F(CalibrationTargetsTest, AValueOutsideTheKpisDomainIsRejected) {
  EXPECT_EQ(error_of("[[targets]]\nmarket = \"ng\"\nkpi = \"completion_rate\"\nvalue = 1.5\n"
                     "weight = 1\n" +
                     kParameter),
            ":4:9: targets[0].value: expected a share from 0 to 1 (the KPI is a ratio), found 1.5");
  EXPECT_EQ(error_of("[[targets]]\nmarket = \"ng\"\nkpi = \"orders_created\"\nvalue = -3\n"
                     "weight = 1\n" +
                     kParameter),
            ":4:9: targets[0].value: expected a number of at least 0, found -3");
}

TEST_F(CalibrationTargetsTest, ATargetNeedsEitherAStandardErrorOrAWeight) {
  EXPECT_EQ(error_of(kTarget + "weight = 2\n" + kParameter),
            ":6:10: targets[0].weight: expected either standard_error or weight (not both), "
            "found both");
}

TEST_F(CalibrationTargetsTest, ADistinctCountHasAValueOverTheWholePeriodOnly) {
  EXPECT_EQ(error_of("[[targets]]\nmarket = \"ng\"\nkpi = \"active_users\"\nvalue = 100\n"
                     "weight = 1\ndays = [2, 2]\n" +
                     kParameter),
            ":6:8: targets[0].days: active_users counts distinct accounts over the measured "
            "period: it has a value over the whole period only (leave days out)");
}

TEST_F(CalibrationTargetsTest, DaysMustLieInTheMeasuredPeriod) {
  EXPECT_EQ(error_of(kTarget + "days = [0, 3]\n" + kParameter),
            ":6:8: targets[0].days: expected two days of the measured period, 1 to 5, the first "
            "not after the last, found [0, 3]");
}

TEST_F(CalibrationTargetsTest, AnUnknownScenarioKeyIsRejectedWithASuggestion) {
  EXPECT_EQ(error_of(kTarget +
                     "[[parameters]]\nkey = \"markets.ng.users.cancel_probabilty\"\nlower = 0.01\n"
                     "upper = 0.2\n"),
            ":7:7: parameters[0].key: expected a scenario key, found "
            "markets.ng.users.cancel_probabilty=0: unknown key; did you mean "
            "'cancel_probability'?");
}

TEST_F(CalibrationTargetsTest, AKeyThatIsNotANumberIsRejected) {
  EXPECT_EQ(error_of(kTarget + "[[parameters]]\nkey = \"markets.ng.currency\"\nlower = 1\n"
                               "upper = 2\n"),
            ":7:7: parameters[0].key: expected a numeric scenario key, found "
            "\"markets.ng.currency\", which takes text");
}

TEST_F(CalibrationTargetsTest, TheRunsOwnKeysAreNotParameters) {
  EXPECT_EQ(error_of(kTarget + "[[parameters]]\nkey = \"simulation.seed\"\nlower = 1\nupper = 9\n"),
            ":7:7: parameters[0].key: expected a key of the market, found \"simulation.seed\": the "
            "run's length, seed and replications are the calibration's own");
}

TEST_F(CalibrationTargetsTest, AnIntegerKeyNeedsWholeBounds) {
  EXPECT_EQ(error_of(kTarget + "[[parameters]]\nkey = \"markets.ng.merchants.count\"\n"
                               "lower = 4.5\nupper = 80\n"),
            ":8:9: parameters[0].lower: expected a whole number for the integer key "
            "markets.ng.merchants.count, found 4.5");
}

TEST_F(CalibrationTargetsTest, AStandardErrorTooSmallForAFiniteWeightIsRejected) {
  EXPECT_EQ(error_of("[[targets]]\nmarket = \"ng\"\nkpi = \"cancellation_rate\"\nvalue = 0.05\n"
                     "standard_error = 1e-200\n" +
                     kParameter),
            ":5:18: targets[0].standard_error: expected a number whose weight in the objective is "
            "finite, found one so small it is not");
}

TEST_F(CalibrationTargetsTest, StartValuesAreCheckedTogether) {
  // Each alone is a probability; together they exceed the rule cancel + abandon <= 1.
  const std::string error = error_of(
      kTarget +
      "[[parameters]]\nkey = \"markets.ng.users.cancel_probability\"\nlower = 0.1\nupper = 0.6\n"
      "start = 0.55\n[[parameters]]\nkey = \"markets.ng.users.abandon_probability\"\n"
      "lower = 0.1\nupper = 0.6\nstart = 0.55\n");
  EXPECT_TRUE(
      error.starts_with(":6:1: parameters: expected start values the scenario takes "
                        "together, found markets.ng.users.cancel_probability=0.55 "
                        "markets.ng.users.abandon_probability=0.55: "))
      << error;
}

TEST_F(CalibrationTargetsTest, AScenarioWithAnExperimentIsRefused) {
  std::ofstream(directory_ / "experiment.toml")
      << "name = \"with_experiment\"\ninclude = [\"scenario.toml\"]\n"
         "[experiment]\ncontrol = \"a\"\nprimary_kpi = "
         "\"ng.completion_rate\"\n[experiment.arms.a]\n[experiment.arms.b]\n"
         "markets.ng.users.cancel_probability = 0.1\n";
  const Scenario with_experiment = load_scenario(directory_ / "experiment.toml");
  std::ofstream(directory_ / "targets.toml") << kTarget << kParameter;
  EXPECT_THROW(read_calibration_targets(directory_ / "targets.toml", directory_ / "experiment.toml",
                                        with_experiment),
               ScenarioError);
}

TEST_F(CalibrationTargetsTest, ReversedBoundsAreRejected) {
  EXPECT_EQ(error_of(kTarget + "[[parameters]]\nkey = \"markets.ng.users.cancel_probability\"\n"
                               "lower = 0.2\nupper = 0.01\n"),
            ":9:9: parameters[0].upper: expected a bound greater than lower (0.2), found 0.01");
}

TEST_F(CalibrationTargetsTest, ABoundTheKeyRefusesIsRejected) {
  EXPECT_EQ(error_of(kTarget + "[[parameters]]\nkey = \"markets.ng.users.cancel_probability\"\n"
                               "lower = 0.01\nupper = 1.5\n"),
            ":9:9: parameters[0].upper: expected a value the key takes, found "
            "markets.ng.users.cancel_probability=1.5: expected a probability between 0 and 1, "
            "found 1.5");
}

TEST_F(CalibrationTargetsTest, ALogScaleNeedsAPositiveLowerBound) {
  EXPECT_EQ(error_of(kTarget + "[[parameters]]\nkey = \"markets.ng.users.cancel_probability\"\n"
                               "lower = 0\nupper = 0.5\nscale = \"log\"\n"),
            ":8:9: parameters[0].lower: expected a bound greater than 0 on a log scale, found 0");
}

TEST_F(CalibrationTargetsTest, AScenarioValueOutsideTheBoundsNeedsAStart) {
  // The preset's cancel_probability is above 0.001.
  EXPECT_EQ(error_of(kTarget + "[[parameters]]\nkey = \"markets.ng.users.cancel_probability\"\n"
                               "lower = 0.0001\nupper = 0.001\n"),
            fmt::format(":7:7: parameters[0].key: expected a start between lower and upper "
                        "(0.0001 to 0.001), found {} (the scenario's value; give start)",
                        scenario_.world.markets[0].users.cancel_probability));
}

TEST_F(CalibrationTargetsTest, UnknownKeysOfTheTargetsFileAreErrors) {
  EXPECT_EQ(error_of("[calibration]\nlocal_evaluation = 3\n" + kTarget + kParameter),
            ":2:1: calibration.local_evaluation: unknown key; did you mean 'local_evaluations'?");
}

TEST_F(CalibrationTargetsTest, AKeyListedTwiceIsRejected) {
  EXPECT_EQ(error_of(kTarget + kParameter + kParameter),
            ":11:7: parameters[1].key: expected each key once, found "
            "\"markets.ng.users.cancel_probability\" again (parameters[0])");
}

TEST_F(CalibrationTargetsTest, TargetsAndParametersAreRequired) {
  EXPECT_EQ(error_of(kParameter), ":1:1: targets: required key is missing");
  EXPECT_EQ(error_of(kTarget), ":1:1: parameters: required key is missing");
}

}  // namespace
}  // namespace p2psim
