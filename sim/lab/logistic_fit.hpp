#pragma once
// An L2-regularised logistic regression, fitted by Newton's method (iteratively reweighted least
// squares) on standardised features. It minimises
//
//   sum_i [log(1 + exp(z_i)) - y_i z_i] + (l2 / 2) |w|^2,   z_i = b + sum_j w_j (x_ij - m_j) / s_j
//
// with m_j the mean and s_j the population standard deviation of feature j; the intercept b is
// not penalised. This is scikit-learn's LogisticRegression(C = 1 / l2) on StandardScaler output,
// which the tests use as the oracle.
#include <Eigen/Dense>
#include <vector>

namespace p2psim {

struct LogisticFitOptions {
  double l2 = 1.0;
  int max_iterations = 100;
  // Stops when no coefficient moves more than this in a Newton step.
  double tolerance = 1e-10;
};

struct LogisticModel {
  std::vector<double> mean;   // of each feature, over the fitted rows
  std::vector<double> scale;  // its population standard deviation
  double standardised_intercept = 0.0;
  std::vector<double> standardised_weights;
  // The same model on raw features: z = intercept + sum_j weights[j] x_j.
  double intercept = 0.0;
  std::vector<double> weights;
  int iterations = 0;
  bool converged = false;

  // z for one row of raw features, in the order of `weights`.
  double log_odds(const double* features) const;
};

// x: one row per example, one column per feature (each with a spread: the caller drops constant
// features); y: 0 or 1. Needs at least one example of each class.
LogisticModel fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                           const LogisticFitOptions& options);

}  // namespace p2psim
