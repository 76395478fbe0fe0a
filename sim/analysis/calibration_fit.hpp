#pragma once
// What a calibration computes from runs: each target's simulated value, the objective, and at the
// best point the fit's diagnostics (docs/calibration.md): standardised errors, NRMSE, parameter
// standard errors from the local curvature, flat directions the targets do not pin down, and
// targets the model cannot reach.
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "analysis/replication.hpp"
#include "analysis/statistics.hpp"
#include "scenario/calibration_targets.hpp"

namespace p2psim {

// A target's value in a run: the mean over replications, its 95% interval, and the standard
// error of that mean. produced is false when some replication had no value (a zero
// denominator): the target cannot be compared.
struct SimulatedTarget {
  Estimate estimate{0.0, 0.0, 0.0, 0};
  double standard_error = 0.0;
  bool produced = false;
};

std::vector<SimulatedTarget> simulated_targets(const RunResult& result,
                                               std::span<const CalibrationTarget> targets);

// The term a target adds to the objective when the run produced no value for it: larger than
// any term a produced value gives in practice, so the search moves away from such points.
inline constexpr double kMissingTargetPenalty = 1e12;

// Sum over targets of weight * (simulated mean - value)^2.
double calibration_objective(std::span<const CalibrationTarget> targets,
                             std::span<const SimulatedTarget> simulated);

// (simulated mean - value) * sqrt(weight): the standardised error when the target has a standard
// error.
double standardised_error(const CalibrationTarget& target, const SimulatedTarget& simulated);

// Root mean square of the relative errors (simulated - value) / |value| over the targets whose
// value is not 0; absent when every value is 0.
std::optional<double> normalised_rmse(std::span<const CalibrationTarget> targets,
                                      std::span<const SimulatedTarget> simulated);

// A direction of the parameters' positions (0..1 along each one's bounds) along which the
// targets hardly change: its standard error exceeds kFlatDirectionError.
struct FlatDirection {
  std::vector<double> weights;  // unit vector over the parameters, in parameter order
  double standard_error = 0.0;  // of the position along it; infinite when exactly flat
};

// A position along the bounds pinned no better than +/- 0.25 (a 95% interval as wide as the whole
// range) is not identified by the targets.
inline constexpr double kFlatDirectionError = 0.25;

struct CurvatureReport {
  // Per parameter: the standard error of its position and of its value; absent when the
  // parameter takes part in a flat direction.
  std::vector<std::optional<double>> position_errors;
  std::vector<std::optional<double>> standard_errors;
  std::vector<FlatDirection> flat_directions;
};

// From the Jacobian of the simulated means with respect to the positions (targets x parameters,
// row-major) at the best point: the Gauss-Newton curvature J' W J with W = 1 / (the target's
// standard error^2 + the simulated mean's standard error^2), or the target's weight when it has
// no standard error. Its inverse approximates the positions' covariance.
CurvatureReport curvature_report(std::span<const CalibrationTarget> targets,
                                 std::span<const SimulatedTarget> best,
                                 std::span<const double> jacobian,
                                 std::span<const CalibrationParameter> parameters,
                                 std::span<const double> best_positions);

// The 95% interval of a parameter's value: its position +/- 1.96 standard errors, as values,
// cut at the bounds.
std::pair<double, double> parameter_interval(const CalibrationParameter& parameter, double position,
                                             double position_error);

// A position within this of 0 or 1 sits at a bound.
inline constexpr double kAtBound = 1e-3;

// The bound ("lower" or "upper") a parameter's fitted position or value sits at, if any.
std::optional<std::string> bound_reached(const CalibrationParameter& parameter, double position,
                                         double value);

// |standardised error| above this at the best point: the target is out of the model's reach
// within the bounds.
inline constexpr double kUnreachableError = 3.0;

// What a calibration produced (experiment/calibration.hpp runs it).
enum class CalibrationStage : std::uint8_t { kStart, kGlobal, kLocal, kCurvature };
inline constexpr const char* kCalibrationStageNames[] = {"start", "global", "local", "curvature"};

struct CalibrationEvaluation {
  CalibrationStage stage = CalibrationStage::kStart;
  std::vector<double> values;  // of the parameters, in parameter order
  double objective = 0.0;
  std::vector<SimulatedTarget> simulated;  // in target order; none produced when refused
  // When the scenario refuses these values together (a cross-key rule): its message. The point
  // is scored as infeasible, with kMissingTargetPenalty per target, and never becomes the fit.
  std::string refused;
};

struct CalibrationResult {
  std::vector<CalibrationEvaluation> trace;  // every evaluation, in order
  std::size_t start = 0;                     // index into trace of the start point
  std::size_t best = 0;                      // index into trace of the lowest objective
  std::vector<double> best_positions;        // of the parameters at `best`, 0..1 along the bounds
  std::optional<CurvatureReport> curvature;  // absent when the search was interrupted
  bool interrupted = false;                  // Ctrl-C: `best` is the best point so far
  std::uint32_t threads = 1;                 // per rank
  std::uint32_t ranks = 1;                   // processes of a distributed run (mpirun)
  double wall_seconds = 0.0;
};

// What a reviewer must know before trusting the fit, one sentence each: an interrupted search,
// flat directions, a search stopped short of the minimum, parameters at a bound, targets out of
// reach or not produced, values the scenario refused, weights read as inverse variances.
std::vector<std::string> calibration_warnings(const CalibrationTargets& calibration,
                                              const CalibrationResult& result);

}  // namespace p2psim
