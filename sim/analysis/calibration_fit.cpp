#include "analysis/calibration_fit.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "metrics/kpis.hpp"

namespace p2psim {
namespace {

// The target's KPI in one replication, if that replication produced it.
std::optional<double> replication_value(const ReplicationOutcome& outcome,
                                        const CalibrationTarget& target) {
  for (const MarketTally& tally : outcome.markets) {
    if (tally.market != target.market) continue;
    KpiCounters merged;
    if (target.first_day) {
      for (std::uint32_t day = *target.first_day; day <= *target.last_day; ++day) {
        if (day < tally.days.size()) merged.merge(tally.days[day]);
      }
    }
    const KpiCounters& counters = target.first_day ? merged : tally.period;
    for (const KpiValue& kpi : derive_kpis(counters, tally.payment_methods)) {
      if (kpi.name == target.kpi) return kpi.value;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// The weight a target's error carries in the curvature: simulation noise adds to the target's.
double curvature_weight(const CalibrationTarget& target, const SimulatedTarget& simulated) {
  if (!target.standard_error) return target.weight;
  const double variance = *target.standard_error * *target.standard_error +
                          simulated.standard_error * simulated.standard_error;
  return 1.0 / variance;
}

// The variance of a direction the targets do not move at all.
constexpr double kNoVariance = std::numeric_limits<double>::infinity();

}  // namespace

std::vector<SimulatedTarget> simulated_targets(const RunResult& result,
                                               std::span<const CalibrationTarget> targets) {
  std::vector<SimulatedTarget> simulated;
  simulated.reserve(targets.size());
  std::vector<double> values;
  for (const CalibrationTarget& target : targets) {
    values.clear();
    for (const ReplicationOutcome& outcome : result.replications) {
      if (std::optional<double> value = replication_value(outcome, target))
        values.push_back(*value);
    }
    SimulatedTarget entry;
    entry.produced = !values.empty() && values.size() == result.replications.size();
    if (entry.produced) {
      entry.estimate = estimate_mean(values);
      entry.standard_error = standard_error_of_mean(values);
    }
    simulated.push_back(entry);
  }
  return simulated;
}

double standardised_error(const CalibrationTarget& target, const SimulatedTarget& simulated) {
  return (simulated.estimate.mean - target.value) * std::sqrt(target.weight);
}

double calibration_objective(std::span<const CalibrationTarget> targets,
                             std::span<const SimulatedTarget> simulated) {
  double objective = 0.0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (!simulated[i].produced) {
      objective += kMissingTargetPenalty;
      continue;
    }
    const double error = standardised_error(targets[i], simulated[i]);
    objective += error * error;
  }
  return objective;
}

std::optional<double> normalised_rmse(std::span<const CalibrationTarget> targets,
                                      std::span<const SimulatedTarget> simulated) {
  double squares = 0.0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].value == 0.0 || !simulated[i].produced) continue;
    const double relative = (simulated[i].estimate.mean - targets[i].value) / targets[i].value;
    squares += relative * relative;
    ++count;
  }
  if (count == 0) return std::nullopt;
  return std::sqrt(squares / static_cast<double>(count));
}

CurvatureReport curvature_report(std::span<const CalibrationTarget> targets,
                                 std::span<const SimulatedTarget> best,
                                 std::span<const double> jacobian,
                                 std::span<const CalibrationParameter> parameters,
                                 std::span<const double> best_positions) {
  const auto rows = static_cast<Eigen::Index>(targets.size());
  const auto columns = static_cast<Eigen::Index>(parameters.size());
  Eigen::MatrixXd j(rows, columns);
  Eigen::VectorXd w(rows);
  for (Eigen::Index t = 0; t < rows; ++t) {
    w(t) = best[t].produced ? curvature_weight(targets[t], best[t]) : 0.0;
    for (Eigen::Index p = 0; p < columns; ++p)
      j(t, p) = jacobian[static_cast<std::size_t>(t * columns + p)];
  }
  const Eigen::MatrixXd information = j.transpose() * w.asDiagonal() * j;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(information);
  // An eigenvalue below this leaves its direction's position error above kFlatDirectionError.
  const double flat_below = 1.0 / (kFlatDirectionError * kFlatDirectionError);
  Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(columns, columns);
  // Per parameter, the variance its position gets from the flat directions: sum of v^2 / lambda.
  std::vector<double> flat_variance(parameters.size(), 0.0);
  CurvatureReport report;
  for (Eigen::Index k = 0; k < columns; ++k) {
    const double lambda = std::max(eigen.eigenvalues()(k), 0.0);
    const Eigen::VectorXd direction = eigen.eigenvectors().col(k);
    if (lambda >= flat_below) {
      covariance += direction * direction.transpose() / lambda;
      continue;
    }
    FlatDirection flat;
    flat.standard_error =
        lambda > 0.0 ? 1.0 / std::sqrt(lambda) : std::numeric_limits<double>::infinity();
    // The sign of an eigenvector is arbitrary: its largest weight is made positive to read it.
    const double sign = direction.maxCoeff() >= -direction.minCoeff() ? 1.0 : -1.0;
    for (Eigen::Index p = 0; p < columns; ++p) {
      flat.weights.push_back(sign * direction(p));
      const double share = direction(p) * direction(p);
      // Shares below 1e-9 are rounding in the eigenvectors, not part of the direction.
      if (share > 1e-9) flat_variance[p] += lambda > 0.0 ? share / lambda : kNoVariance;
    }
    report.flat_directions.push_back(std::move(flat));
  }
  for (Eigen::Index p = 0; p < columns; ++p) {
    // Not pinned down when the flat directions alone leave it a position error above the limit.
    if (flat_variance[p] > kFlatDirectionError * kFlatDirectionError) {
      report.position_errors.emplace_back();
      report.standard_errors.emplace_back();
      continue;
    }
    const double position_error = std::sqrt(covariance(p, p) + flat_variance[p]);
    report.position_errors.emplace_back(position_error);
    report.standard_errors.emplace_back(position_error *
                                        std::abs(parameters[p].slope_at(best_positions[p])));
  }
  return report;
}

std::pair<double, double> parameter_interval(const CalibrationParameter& parameter, double position,
                                             double position_error) {
  // 1.96: the normal 97.5% quantile, for a 95% interval.
  return {parameter.value_at(position - 1.96 * position_error),
          parameter.value_at(position + 1.96 * position_error)};
}

std::optional<std::string> bound_reached(const CalibrationParameter& parameter, double position,
                                         double value) {
  // An integer key's value is rounded: its bound is reached before its position is.
  if (position <= kAtBound || value <= parameter.lower) return "lower";
  if (position >= 1.0 - kAtBound || value >= parameter.upper) return "upper";
  return std::nullopt;
}

namespace {

void warn_flat_directions(const CalibrationTargets& calibration, const CurvatureReport& curvature,
                          std::vector<std::string>& warnings) {
  for (const FlatDirection& flat : curvature.flat_directions) {
    std::vector<std::string> keys;
    std::string terms;
    for (std::size_t p = 0; p < flat.weights.size(); ++p) {
      if (std::abs(flat.weights[p]) < 0.05) continue;
      keys.push_back(calibration.parameters[p].key);
      terms += fmt::format("{}{:.2f} x {}", terms.empty() ? "" : " + ", flat.weights[p],
                           calibration.parameters[p].key);
    }
    const std::string error = std::isfinite(flat.standard_error)
                                  ? fmt::format("{:.2g}", flat.standard_error)
                                  : "unbounded";
    if (keys.size() == 1) {
      warnings.push_back(fmt::format(
          "not identified: the targets barely move with {} (standard error of its position "
          "along the bounds {}): fix it, or add a target it moves",
          keys[0], error));
      continue;
    }
    warnings.push_back(fmt::format(
        "not identified: the targets barely move along {} (positions along the bounds; "
        "standard error {}): fix all but one of these parameters, or add a target that tells "
        "them apart",
        terms, error));
  }
}

// A curvature point that fits better than the fit: the search stopped short of the minimum.
void warn_better_curvature_point(const CalibrationResult& result,
                                 std::vector<std::string>& warnings) {
  const double fit = result.trace[result.best].objective;
  double lowest = fit;
  for (const CalibrationEvaluation& evaluation : result.trace) {
    if (evaluation.stage == CalibrationStage::kCurvature && evaluation.refused.empty())
      lowest = std::min(lowest, evaluation.objective);
  }
  if (lowest >= fit) return;
  warnings.push_back(fmt::format(
      "not converged: a point measured for the curvature fits better ({:.4g}) than the fit "
      "({:.4g}); raise local_evaluations or start from calibrated.toml's values",
      lowest, fit));
}

void warn_refused(const CalibrationResult& result, std::vector<std::string>& warnings) {
  std::size_t refused = 0;
  const CalibrationEvaluation* first = nullptr;
  for (const CalibrationEvaluation& evaluation : result.trace) {
    if (evaluation.refused.empty()) continue;
    ++refused;
    if (first == nullptr) first = &evaluation;
  }
  if (refused == 0) return;
  warnings.push_back(fmt::format(
      "{} evaluation(s) fell on values the scenario refuses together and were scored as "
      "infeasible; the first: {}",
      refused, first->refused));
}

void warn_targets(const CalibrationTargets& calibration, const CalibrationResult& result,
                  std::vector<std::string>& warnings) {
  const CalibrationEvaluation& best = result.trace[result.best];
  for (std::size_t t = 0; t < calibration.targets.size(); ++t) {
    const CalibrationTarget& target = calibration.targets[t];
    const SimulatedTarget& simulated = best.simulated[t];
    if (!simulated.produced) {
      warnings.push_back(
          fmt::format("{}: some replication produced no value at the fit", target.label()));
      continue;
    }
    const double error = standardised_error(target, simulated);
    if (std::abs(error) <= kUnreachableError) continue;
    warnings.push_back(fmt::format(
        "{} is not reached: the fit simulates {:.6g} against a target of {:.6g} (standardised "
        "error {:.3g}); {}",
        target.label(), simulated.estimate.mean, target.value, error,
        result.interrupted ? "the search was interrupted"
                           : "the model within these bounds may not produce it, or the search "
                             "stopped short (a larger budget tells which)"));
  }
}

}  // namespace

std::vector<std::string> calibration_warnings(const CalibrationTargets& calibration,
                                              const CalibrationResult& result) {
  std::vector<std::string> warnings;
  if (result.trace.empty()) return warnings;
  if (result.interrupted) {
    warnings.push_back(
        "interrupted: these are the best values found so far, not the end of the search, and "
        "the curvature (standard errors, flat directions) was not measured");
  }
  if (result.curvature) warn_flat_directions(calibration, *result.curvature, warnings);
  warn_better_curvature_point(result, warnings);
  const CalibrationEvaluation& best = result.trace[result.best];
  for (std::size_t p = 0; p < calibration.parameters.size(); ++p) {
    const CalibrationParameter& parameter = calibration.parameters[p];
    const std::optional<std::string> bound =
        bound_reached(parameter, result.best_positions[p], best.values[p]);
    if (!bound) continue;
    warnings.push_back(fmt::format("{} sits at its {} bound ({}): the best fit may lie beyond it",
                                   parameter.key, *bound, best.values[p]));
  }
  warn_targets(calibration, result, warnings);
  warn_refused(result, warnings);
  const bool weighted = std::any_of(calibration.targets.begin(), calibration.targets.end(),
                                    [](const CalibrationTarget& t) { return !t.standard_error; });
  if (weighted && result.curvature) {
    warnings.push_back(
        "some targets give a weight, not a standard error: the parameters' standard errors "
        "treat each weight as 1 / variance and are only as meaningful as that reading");
  }
  return warnings;
}

}  // namespace p2psim
