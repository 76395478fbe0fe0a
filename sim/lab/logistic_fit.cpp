#include "lab/logistic_fit.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace p2psim {
namespace {

// log(1 + exp(z)) without overflow.
double softplus(double z) {
  return z > 0.0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

double sigmoid(double z) {
  if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

// The standardised design: a column of ones, then each feature centred and scaled.
Eigen::MatrixXd standardise(const Eigen::MatrixXd& x, LogisticModel& model) {
  const Eigen::Index rows = x.rows();
  Eigen::MatrixXd design(rows, x.cols() + 1);
  design.col(0).setOnes();
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double mean = x.col(j).mean();
    const double variance = (x.col(j).array() - mean).square().mean();
    const double scale = std::sqrt(variance);
    assert(scale > 0.0 && "constant features are dropped before fitting");
    model.mean.push_back(mean);
    model.scale.push_back(scale);
    design.col(j + 1) = (x.col(j).array() - mean) / scale;
  }
  return design;
}

double objective(const Eigen::VectorXd& z, const Eigen::VectorXd& y, const Eigen::VectorXd& beta,
                 double l2) {
  double loss = 0.0;
  for (Eigen::Index i = 0; i < z.size(); ++i)
    loss += softplus(z[i]) - y[i] * z[i];
  return loss + 0.5 * l2 * beta.tail(beta.size() - 1).squaredNorm();
}

// X^T diag(w) X, in blocks so that no weighted copy of the whole design is made.
Eigen::MatrixXd weighted_gram(const Eigen::MatrixXd& design, const Eigen::VectorXd& weight) {
  const Eigen::Index columns = design.cols();
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(columns, columns);
  constexpr Eigen::Index kBlock = 4096;
  Eigen::MatrixXd block;
  for (Eigen::Index start = 0; start < design.rows(); start += kBlock) {
    const Eigen::Index length = std::min(kBlock, design.rows() - start);
    block = design.middleRows(start, length).array().colwise() *
            weight.segment(start, length).array().sqrt();
    gram.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
  }
  return gram.selfadjointView<Eigen::Lower>();
}

}  // namespace

double LogisticModel::log_odds(const double* features) const {
  double z = intercept;
  for (std::size_t j = 0; j < weights.size(); ++j)
    z += weights[j] * features[j];
  return z;
}

LogisticModel fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                           const LogisticFitOptions& options) {
  LogisticModel model;
  const Eigen::MatrixXd design = standardise(x, model);
  const Eigen::Index columns = design.cols();
  Eigen::VectorXd penalty = Eigen::VectorXd::Constant(columns, options.l2);
  penalty[0] = 0.0;  // the intercept is not penalised

  Eigen::VectorXd beta = Eigen::VectorXd::Zero(columns);
  const double base_rate = std::clamp(y.mean(), 1e-12, 1.0 - 1e-12);
  beta[0] = std::log(base_rate / (1.0 - base_rate));
  Eigen::VectorXd z = design * beta;
  double current = objective(z, y, beta, options.l2);
  for (model.iterations = 1; model.iterations <= options.max_iterations; ++model.iterations) {
    Eigen::VectorXd probability = z.unaryExpr([](double value) { return sigmoid(value); });
    Eigen::VectorXd weight = probability.array() * (1.0 - probability.array());
    const Eigen::VectorXd gradient =
        design.transpose() * (probability - y) + penalty.cwiseProduct(beta);
    Eigen::MatrixXd hessian = weighted_gram(design, weight);
    hessian.diagonal() += penalty;
    const Eigen::VectorXd step = hessian.ldlt().solve(gradient);
    // Newton's step, halved until the objective does not rise (it is convex, so a full step
    // is taken near the optimum).
    double length = 1.0;
    Eigen::VectorXd next = beta - step;
    Eigen::VectorXd next_z = design * next;
    double next_objective = objective(next_z, y, next, options.l2);
    while (next_objective > current && length > 1e-8) {
      length /= 2.0;
      next = beta - length * step;
      next_z = design * next;
      next_objective = objective(next_z, y, next, options.l2);
    }
    const double moved = (length * step).cwiseAbs().maxCoeff();
    beta = next;
    z = next_z;
    current = next_objective;
    if (moved < options.tolerance) {
      model.converged = true;
      break;
    }
  }
  model.iterations = std::min(model.iterations, options.max_iterations);
  model.standardised_intercept = beta[0];
  model.intercept = beta[0];
  for (Eigen::Index j = 1; j < columns; ++j) {
    const double weight = beta[j];
    model.standardised_weights.push_back(weight);
    model.weights.push_back(weight / model.scale[j - 1]);
    model.intercept -= weight * model.mean[j - 1] / model.scale[j - 1];
  }
  return model;
}

}  // namespace p2psim
