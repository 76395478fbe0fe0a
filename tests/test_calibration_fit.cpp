#include "analysis/calibration_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace p2psim {
namespace {

CalibrationTarget target_with_error(double value, double standard_error) {
  CalibrationTarget target;
  target.market = "ng";
  target.kpi = "completion_rate";
  target.value = value;
  target.standard_error = standard_error;
  target.weight = 1.0 / (standard_error * standard_error);
  return target;
}

SimulatedTarget simulated(double mean, double standard_error = 0.0) {
  SimulatedTarget result;
  result.estimate = {mean, mean, mean, 4};
  result.standard_error = standard_error;
  result.produced = true;
  return result;
}

CalibrationParameter linear(const std::string& key, double lower, double upper) {
  CalibrationParameter parameter;
  parameter.key = key;
  parameter.lower = lower;
  parameter.upper = upper;
  return parameter;
}

TEST(CalibrationObjective, SumsSquaredStandardisedErrors) {
  const std::vector<CalibrationTarget> targets = {target_with_error(0.9, 0.01),
                                                  target_with_error(0.05, 0.002)};
  const std::vector<SimulatedTarget> values = {simulated(0.88), simulated(0.056)};
  // (-0.02 / 0.01)^2 + (0.006 / 0.002)^2 = 4 + 9
  EXPECT_NEAR(calibration_objective(targets, values), 13.0, 1e-9);
  EXPECT_NEAR(standardised_error(targets[1], values[1]), 3.0, 1e-9);
}

TEST(CalibrationObjective, ATargetNotProducedCostsThePenalty) {
  const std::vector<CalibrationTarget> targets = {target_with_error(0.9, 0.01)};
  const std::vector<SimulatedTarget> values = {SimulatedTarget{}};
  EXPECT_EQ(calibration_objective(targets, values), kMissingTargetPenalty);
}

TEST(CalibrationObjective, NormalisedRmseIsTheRootMeanSquareOfRelativeErrors) {
  const std::vector<CalibrationTarget> targets = {
      target_with_error(2.0, 1.0), target_with_error(4.0, 1.0), target_with_error(0.0, 1.0)};
  const std::vector<SimulatedTarget> values = {simulated(2.2), simulated(3.6), simulated(5.0)};
  // Relative errors 0.1 and -0.1; the zero target is left out.
  EXPECT_NEAR(*normalised_rmse(targets, values), 0.1, 1e-12);
}

// For a linear model the Gauss-Newton curvature is exact: the positions' covariance is
// (J' W J)^-1. Two parameters each moving their own target: se(position p) = se_p / |slope_p|.
TEST(CurvatureReport, MatchesTheClosedFormOfALinearModel) {
  const std::vector<CalibrationTarget> targets = {target_with_error(1.0, 0.03),
                                                  target_with_error(1.0, 0.04)};
  const std::vector<SimulatedTarget> best = {simulated(1.0), simulated(1.0)};
  const std::vector<double> jacobian = {2.0, 0.0, 0.0, 4.0};  // targets x parameters
  const std::vector<CalibrationParameter> parameters = {linear("a", 0.0, 10.0),
                                                        linear("b", 5.0, 7.0)};
  const std::vector<double> positions = {0.5, 0.5};
  const CurvatureReport report = curvature_report(targets, best, jacobian, parameters, positions);
  EXPECT_TRUE(report.flat_directions.empty());
  ASSERT_TRUE(report.position_errors[0] && report.position_errors[1]);
  EXPECT_NEAR(*report.position_errors[0], 0.03 / 2.0, 1e-12);
  EXPECT_NEAR(*report.position_errors[1], 0.04 / 4.0, 1e-12);
  // Values: the position's error times the range.
  EXPECT_NEAR(*report.standard_errors[0], 0.015 * 10.0, 1e-12);
  EXPECT_NEAR(*report.standard_errors[1], 0.01 * 2.0, 1e-12);
}

// The simulated mean's own noise adds to the target's: var = 0.03^2 + 0.04^2 = 0.05^2.
TEST(CurvatureReport, AddsTheSimulationsNoiseToTheTargets) {
  const std::vector<CalibrationTarget> targets = {target_with_error(1.0, 0.03)};
  const std::vector<SimulatedTarget> best = {simulated(1.0, 0.04)};
  const std::vector<double> jacobian = {1.0};
  const std::vector<CalibrationParameter> parameters = {linear("a", 0.0, 1.0)};
  const std::vector<double> positions = {0.5};
  const CurvatureReport report = curvature_report(targets, best, jacobian, parameters, positions);
  EXPECT_NEAR(*report.position_errors[0], 0.05, 1e-12);
}

// Two parameters moving one target together: J' W J has rank one, and the direction (1, -1)
// changes nothing.
TEST(CurvatureReport, FindsTheFlatDirectionOfTwoParametersMovingOneTarget) {
  const std::vector<CalibrationTarget> targets = {target_with_error(1.0, 0.01)};
  const std::vector<SimulatedTarget> best = {simulated(1.0)};
  const std::vector<double> jacobian = {1.0, 1.0};
  const std::vector<CalibrationParameter> parameters = {linear("a", 0.0, 1.0),
                                                        linear("b", 0.0, 1.0)};
  const std::vector<double> positions = {0.5, 0.5};
  const CurvatureReport report = curvature_report(targets, best, jacobian, parameters, positions);
  ASSERT_EQ(report.flat_directions.size(), 1u);
  const FlatDirection& flat = report.flat_directions[0];
  EXPECT_NEAR(std::abs(flat.weights[0]), std::sqrt(0.5), 1e-9);
  EXPECT_NEAR(flat.weights[0], -flat.weights[1], 1e-9);
  EXPECT_GT(flat.standard_error, kFlatDirectionError);
  EXPECT_FALSE(report.standard_errors[0]);
  EXPECT_FALSE(report.standard_errors[1]);
}

TEST(CurvatureReport, AParameterThatMovesNothingIsNotIdentified) {
  const std::vector<CalibrationTarget> targets = {target_with_error(1.0, 0.01)};
  const std::vector<SimulatedTarget> best = {simulated(1.0)};
  const std::vector<double> jacobian = {1.0, 0.0};
  const std::vector<CalibrationParameter> parameters = {linear("a", 0.0, 1.0),
                                                        linear("b", 0.0, 1.0)};
  const std::vector<double> positions = {0.5, 0.5};
  const CurvatureReport report = curvature_report(targets, best, jacobian, parameters, positions);
  ASSERT_EQ(report.flat_directions.size(), 1u);
  EXPECT_NEAR(report.flat_directions[0].weights[1], 1.0, 1e-12);
  EXPECT_TRUE(report.standard_errors[0]);
  EXPECT_FALSE(report.standard_errors[1]);
}

TEST(ParameterInterval, IsCutAtTheBounds) {
  const CalibrationParameter parameter = linear("a", 0.0, 10.0);
  const auto [low, high] = parameter_interval(parameter, 0.9, 0.1);
  EXPECT_NEAR(low, 10.0 * (0.9 - 0.196), 1e-9);
  EXPECT_DOUBLE_EQ(high, 10.0);
}

// On a log scale the interval is symmetric in the logarithm: 10^(2 x (0.5 -/+ 0.196)) on 1..100.
TEST(ParameterInterval, IsSymmetricInTheLogarithmOnALogScale) {
  CalibrationParameter parameter = linear("a", 1.0, 100.0);
  parameter.scale = ParameterScale::kLog;
  const auto [low, high] = parameter_interval(parameter, 0.5, 0.1);
  EXPECT_NEAR(low, std::pow(10.0, 2.0 * 0.304), 1e-9);
  EXPECT_NEAR(high, std::pow(10.0, 2.0 * 0.696), 1e-9);
  EXPECT_NEAR(low * high, 100.0, 1e-9);  // the fit, 10, is their geometric mean
}

TEST(CalibrationWarnings, NameUnreachableTargetsAndParametersAtABound) {
  CalibrationTargets calibration;
  calibration.targets = {target_with_error(0.9, 0.01)};
  calibration.parameters = {linear("markets.ng.users.cancel_probability", 0.0, 1.0)};
  CalibrationResult result;
  result.trace.push_back({CalibrationStage::kStart, {1.0}, 0.0, {simulated(0.85)}, {}});
  result.best_positions = {1.0};
  const std::vector<std::string> warnings = calibration_warnings(calibration, result);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0],
            "markets.ng.users.cancel_probability sits at its upper bound (1): the best fit may lie "
            "beyond it");
  EXPECT_EQ(warnings[1],
            "ng.completion_rate is not reached: the fit simulates 0.85 against a target of 0.9 "
            "(standardised error -5); the model within these bounds may not produce it, or the "
            "search stopped short (a larger budget tells which)");
}

TEST(CalibrationWarnings, AnIntegerKeyRoundedToItsBoundSitsAtIt) {
  CalibrationParameter merchants = linear("markets.ng.merchants.count", 5.0, 15.0);
  merchants.integer = true;
  // Position 0.97 rounds to 15, the upper bound, though the position is not at 1.
  EXPECT_EQ(bound_reached(merchants, 0.97, merchants.value_at(0.97)), "upper");
  EXPECT_FALSE(bound_reached(merchants, 0.5, merchants.value_at(0.5)));
}

TEST(CalibrationWarnings, ACurvaturePointBetterThanTheFitMeansTheSearchStoppedShort) {
  CalibrationTargets calibration;
  calibration.targets = {target_with_error(0.9, 0.01)};
  calibration.parameters = {linear("markets.ng.users.cancel_probability", 0.0, 1.0)};
  CalibrationResult result;
  result.trace.push_back({CalibrationStage::kLocal, {0.5}, 2.0, {simulated(0.91)}, {}});
  result.trace.push_back({CalibrationStage::kCurvature, {0.45}, 1.0, {simulated(0.9)}, {}});
  result.best_positions = {0.5};
  const std::vector<std::string> warnings = calibration_warnings(calibration, result);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "not converged: a point measured for the curvature fits better (1) than the fit (2); "
            "raise local_evaluations or start from calibrated.toml's values");
}

// A parameter with a small share in an exactly flat direction still has no finite error: its
// position could move without bound along that direction.
TEST(CurvatureReport, ASmallShareInAnExactlyFlatDirectionIsNotIdentified) {
  const std::vector<CalibrationTarget> targets = {target_with_error(1.0, 0.01)};
  const std::vector<SimulatedTarget> best = {simulated(1.0)};
  const std::vector<double> jacobian = {1.0, 0.3};  // the flat direction is (-0.29, 0.96)
  const std::vector<CalibrationParameter> parameters = {linear("a", 0.0, 1.0),
                                                        linear("b", 0.0, 1.0)};
  const std::vector<double> positions = {0.5, 0.5};
  const CurvatureReport report = curvature_report(targets, best, jacobian, parameters, positions);
  ASSERT_EQ(report.flat_directions.size(), 1u);
  EXPECT_FALSE(report.standard_errors[0]);
  EXPECT_FALSE(report.standard_errors[1]);
}

}  // namespace
}  // namespace p2psim
