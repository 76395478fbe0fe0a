// The logistic fit of `p2psim train` against closed forms: with one binary feature and no
// penalty the fitted probabilities are the two groups' rates; with a penalty the gradient of the
// penalised objective vanishes at the fit. scikit-learn agreement on a real export is checked by
// tests/sklearn_oracle.py.
#include "lab/logistic_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace p2psim {
namespace {

double logit(double p) {
  return std::log(p / (1.0 - p));
}

double sigmoid(double z) {
  return 1.0 / (1.0 + std::exp(-z));
}

TEST(LogisticFit, UnpenalisedBinaryFeatureRecoversTheGroupRates) {
  // x = 0: 100 rows, 20 fraud; x = 1: 50 rows, 40 fraud.
  Eigen::MatrixXd x(150, 1);
  Eigen::VectorXd y(150);
  for (int row = 0; row < 150; ++row) {
    x(row, 0) = row < 100 ? 0.0 : 1.0;
    y[row] = row < 100 ? (row < 20 ? 1.0 : 0.0) : (row < 140 ? 1.0 : 0.0);
  }
  const LogisticModel model = fit_logistic(x, y, {.l2 = 0.0});
  EXPECT_TRUE(model.converged);
  EXPECT_NEAR(model.intercept, logit(0.2), 1e-9);
  EXPECT_NEAR(model.weights[0], logit(0.8) - logit(0.2), 1e-9);
}

struct RandomData {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
};

RandomData random_data(int rows, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal;
  RandomData data{Eigen::MatrixXd(rows, 3), Eigen::VectorXd(rows)};
  for (int row = 0; row < rows; ++row) {
    data.x(row, 0) = 100.0 + 30.0 * normal(engine);  // a large scale, as amount_usd
    data.x(row, 1) = normal(engine);
    data.x(row, 2) = std::floor(3.0 * std::abs(normal(engine)));  // a count
    const double z = -2.0 + 0.02 * (data.x(row, 0) - 100.0) + 1.0 * data.x(row, 1);
    data.y[row] = std::bernoulli_distribution(sigmoid(z))(engine) ? 1.0 : 0.0;
  }
  return data;
}

TEST(LogisticFit, PenalisedGradientVanishesAtTheFit) {
  const RandomData data = random_data(3000, 5);
  const double l2 = 2.5;
  const LogisticModel model = fit_logistic(data.x, data.y, {.l2 = l2});
  ASSERT_TRUE(model.converged);
  // d/db = sum (p - y); d/dw_j = sum (p - y) (x_j - m_j) / s_j + l2 w_j.
  double intercept_gradient = 0.0;
  Eigen::Vector3d weight_gradient = Eigen::Vector3d::Zero();
  for (int row = 0; row < data.x.rows(); ++row) {
    const Eigen::VectorXd features = data.x.row(row).transpose();
    const double miss = sigmoid(model.log_odds(features.data())) - data.y[row];
    intercept_gradient += miss;
    for (int j = 0; j < 3; ++j)
      weight_gradient[j] += miss * (data.x(row, j) - model.mean[j]) / model.scale[j];
  }
  for (int j = 0; j < 3; ++j)
    weight_gradient[j] += l2 * model.standardised_weights[j];
  EXPECT_NEAR(intercept_gradient, 0.0, 1e-8);
  EXPECT_NEAR(weight_gradient.cwiseAbs().maxCoeff(), 0.0, 1e-8);
}

TEST(LogisticFit, RawAndStandardisedWeightsGiveTheSameLogOdds) {
  const RandomData data = random_data(500, 9);
  const LogisticModel model = fit_logistic(data.x, data.y, {.l2 = 1.0});
  for (int row = 0; row < 20; ++row) {
    double standardised = model.standardised_intercept;
    for (int j = 0; j < 3; ++j)
      standardised +=
          model.standardised_weights[j] * (data.x(row, j) - model.mean[j]) / model.scale[j];
    const Eigen::VectorXd features = data.x.row(row).transpose();
    EXPECT_NEAR(model.log_odds(features.data()), standardised, 1e-12);
  }
}

TEST(LogisticFit, ALargerPenaltyShrinksTheWeights) {
  const RandomData data = random_data(2000, 13);
  const LogisticModel loose = fit_logistic(data.x, data.y, {.l2 = 0.01});
  const LogisticModel tight = fit_logistic(data.x, data.y, {.l2 = 1000.0});
  const auto norm = [](const LogisticModel& model) {
    double sum = 0.0;
    for (double weight : model.standardised_weights)
      sum += weight * weight;
    return sum;
  };
  EXPECT_LT(norm(tight), 0.5 * norm(loose));
}

TEST(LogisticFit, SeparableDataStaysFiniteUnderAPenalty) {
  Eigen::MatrixXd x(100, 1);
  Eigen::VectorXd y(100);
  for (int row = 0; row < 100; ++row) {
    x(row, 0) = row;
    y[row] = row >= 50 ? 1.0 : 0.0;  // x alone separates the classes: no finite MLE without L2
  }
  const LogisticModel model = fit_logistic(x, y, {.l2 = 1.0});
  EXPECT_TRUE(model.converged);
  EXPECT_TRUE(std::isfinite(model.weights[0]));
  EXPECT_GT(model.weights[0], 0.0);
}

}  // namespace
}  // namespace p2psim
