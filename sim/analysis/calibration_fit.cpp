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

double sample_standard_error(std::span<const double> values) {
  if (values.size() < 2) return 0.0;
  double mean = 0.0;
  for (double value : values)
    mean += value;
  mean /= static_cast<double>(values.size());
  double squares = 0.0;
  for (double value : values)
    squares += (value - mean) * (value - mean);
  const double n = static_cast<double>(values.size());
  return std::sqrt(squares / (n - 1.0) / n);
}

// The weight a target's error carries in the curvature: simulation noise adds to the target's.
double curvature_weight(const CalibrationTarget& target, const SimulatedTarget& simulated) {
  if (!target.standard_error) return target.weight;
  const double variance = *target.standard_error * *target.standard_error +
                          simulated.standard_error * simulated.standard_error;
  return 1.0 / variance;
}

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
      entry.standard_error = sample_standard_error(values);
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
  std::vector<bool> in_flat_direction(parameters.size(), false);
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
      // A parameter with a share of more than a tenth in the flat direction is not pinned down.
      if (direction(p) * direction(p) > 0.1) in_flat_direction[p] = true;
    }
    report.flat_directions.push_back(std::move(flat));
  }
  for (Eigen::Index p = 0; p < columns; ++p) {
    if (in_flat_direction[p]) {
      report.position_errors.emplace_back();
      report.standard_errors.emplace_back();
      continue;
    }
    const double position_error = std::sqrt(covariance(p, p));
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

std::vector<std::string> calibration_warnings(const CalibrationTargets& calibration,
                                              const CalibrationResult& result) {
  std::vector<std::string> warnings;
  if (result.trace.empty()) return warnings;
  if (result.interrupted) {
    warnings.push_back(
        "interrupted: these are the best values found so far, not the end of the search, and "
        "the curvature (standard errors, flat directions) was not measured");
  }
  const CalibrationEvaluation& best = result.trace[result.best];
  if (result.curvature) {
    for (const FlatDirection& flat : result.curvature->flat_directions) {
      std::string terms;
      for (std::size_t p = 0; p < flat.weights.size(); ++p) {
        if (std::abs(flat.weights[p]) < 0.05) continue;
        terms += fmt::format("{}{:.2f} x {}", terms.empty() ? "" : " + ", flat.weights[p],
                             calibration.parameters[p].key);
      }
      warnings.push_back(fmt::format(
          "not identified: the targets barely move along {} (positions along the bounds; "
          "standard error {}): fix all but one of these parameters, or add a target that tells "
          "them apart",
          terms,
          std::isfinite(flat.standard_error) ? fmt::format("{:.2g}", flat.standard_error)
                                             : "unbounded"));
    }
  }
  for (std::size_t p = 0; p < calibration.parameters.size(); ++p) {
    const CalibrationParameter& parameter = calibration.parameters[p];
    const double position = result.best_positions[p];
    if (position > kAtBound && position < 1.0 - kAtBound) continue;
    warnings.push_back(fmt::format("{} sits at its {} bound ({}): the best fit may lie beyond it",
                                   parameter.key, position <= kAtBound ? "lower" : "upper",
                                   best.values[p]));
  }
  for (std::size_t t = 0; t < calibration.targets.size(); ++t) {
    const CalibrationTarget& target = calibration.targets[t];
    const SimulatedTarget& simulated = best.simulated[t];
    if (!simulated.produced) {
      warnings.push_back(
          fmt::format("{}: the simulated market produced no value at the best "
                      "point (a zero denominator in some replication)",
                      target.label()));
    } else if (std::abs(standardised_error(target, simulated)) > kUnreachableError) {
      warnings.push_back(fmt::format(
          "{} is out of reach: the best fit simulates {:.6g} against a target of {:.6g} "
          "(standardised error {:.1f}); the model or the bounds cannot produce it",
          target.label(), simulated.estimate.mean, target.value,
          standardised_error(target, simulated)));
    }
  }
  return warnings;
}

}  // namespace p2psim
