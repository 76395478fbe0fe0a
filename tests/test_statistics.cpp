// Worked examples for the Student-t interval. Each expected value is computed by hand in the
// comment from mean +/- t(0.975, n - 1) * s / sqrt(n), with t from a printed t table.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "experiment/statistics.hpp"

namespace p2psim {
namespace {

constexpr double kTolerance = 1e-6;

TEST(EstimateMean, FiveValuesMatchWorkedExample) {
  // mean 3; s = sqrt(10 / 4) = 1.5811388; s / sqrt(5) = 0.70710678;
  // t(0.975, 4) = 2.776445105; half-width = 1.963243161.
  std::vector<double> values = {1, 2, 3, 4, 5};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.mean, 3.0);
  EXPECT_NEAR(estimate.low, 3.0 - 1.963243161, kTolerance);
  EXPECT_NEAR(estimate.high, 3.0 + 1.963243161, kTolerance);
  EXPECT_EQ(estimate.count, 5u);
}

TEST(EstimateMean, TwoValuesUseOneDegreeOfFreedom) {
  // mean 3; s = sqrt(2); s / sqrt(2) = 1; t(0.975, 1) = 12.706204736.
  std::vector<double> values = {2, 4};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.mean, 3.0);
  EXPECT_NEAR(estimate.low, 3.0 - 12.706204736, kTolerance);
  EXPECT_NEAR(estimate.high, 3.0 + 12.706204736, kTolerance);
  EXPECT_EQ(estimate.count, 2u);
}

TEST(EstimateMean, TenValuesMatchWorkedExample) {
  // 1..10: mean 5.5; s = sqrt(82.5 / 9) = 3.0276504; s / sqrt(10) = 0.95742711;
  // t(0.975, 9) = 2.262157163; half-width = 2.165850590.
  std::vector<double> values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.mean, 5.5);
  EXPECT_NEAR(estimate.high - estimate.mean, 2.165850590, kTolerance);
  EXPECT_NEAR(estimate.mean - estimate.low, 2.165850590, kTolerance);
}

TEST(EstimateMean, LargeMeanKeepsSmallSpreadExact) {
  // The spread of {1e9+1, 1e9+2, 1e9+3} is that of {1, 2, 3}: s = 1, s / sqrt(3) = 0.57735027;
  // t(0.975, 2) = 4.302652730; half-width = 2.484137712. A one-pass sum of squares loses it;
  // the bounds themselves are only resolved to 1.2e-7 (a double's spacing near 1e9).
  std::vector<double> values = {1e9 + 1, 1e9 + 2, 1e9 + 3};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.mean, 1e9 + 2);
  EXPECT_NEAR(estimate.high - estimate.mean, 2.484137712, kTolerance);
}

TEST(EstimateMean, IdenticalValuesGiveZeroWidth) {
  std::vector<double> values = {4, 4, 4};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.low, 4.0);
  EXPECT_DOUBLE_EQ(estimate.high, 4.0);
}

TEST(EstimateMean, SingleValueHasNoInterval) {
  std::vector<double> values = {7};
  Estimate estimate = estimate_mean(values);
  EXPECT_DOUBLE_EQ(estimate.mean, 7.0);
  EXPECT_TRUE(std::isnan(estimate.low));
  EXPECT_TRUE(std::isnan(estimate.high));
  EXPECT_EQ(estimate.count, 1u);
}

TEST(EstimateMean, NoValuesHaveNoMean) {
  Estimate estimate = estimate_mean({});
  EXPECT_TRUE(std::isnan(estimate.mean));
  EXPECT_TRUE(std::isnan(estimate.low));
  EXPECT_TRUE(std::isnan(estimate.high));
  EXPECT_EQ(estimate.count, 0u);
}

}  // namespace
}  // namespace p2psim
