// The churn hazard's equation: p = 1 - (1 - base) exp(-sum_k w_k n_k), counts halving every
// half-life (sim/world/churn_hazard.hpp).
#include "world/churn_hazard.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace p2psim {
namespace {

ChurnConfig config() {
  return {.base_probability = 0.02,
          .weight_failed = 0.1,
          .weight_slow = 0.2,
          .weight_blocked = 0.4,
          .weight_disputed = 0.8,
          .half_life_days = 10.0};
}

TEST(ChurnHazard, GoodExperienceGivesTheBaseProbability) {
  ChurnHazard hazard(config());
  ExperienceScore score;
  EXPECT_NEAR(hazard.churn_probability(score, 0, 5 * kDay), 0.02, 1e-15);
}

TEST(ChurnHazard, EachKindAddsItsWeight) {
  ChurnHazard hazard(config());
  EXPECT_DOUBLE_EQ(hazard.weight_of(kExperienceFailed), 0.1);
  EXPECT_DOUBLE_EQ(hazard.weight_of(kExperienceSlow | kExperienceDisputed), 1.0);
  ExperienceScore score;
  double p = hazard.churn_probability(score, kExperienceBlocked, 0.0);
  EXPECT_NEAR(p, 1.0 - 0.98 * std::exp(-0.4), 1e-7);
  // A second experience at once adds up: S = 0.4 + 0.1.
  p = hazard.churn_probability(score, kExperienceFailed, 0.0);
  EXPECT_NEAR(p, 1.0 - 0.98 * std::exp(-0.5), 1e-6);
}

TEST(ChurnHazard, BadExperiencesHalveEveryHalfLife) {
  ChurnHazard hazard(config());
  ExperienceScore score;
  hazard.churn_probability(score, kExperienceDisputed, 2 * kDay);
  // 10 days later the dispute weighs 0.4, 20 days later 0.2.
  EXPECT_NEAR(hazard.churn_probability(score, 0, 12 * kDay), 1.0 - 0.98 * std::exp(-0.4), 1e-6);
  EXPECT_NEAR(hazard.churn_probability(score, 0, 22 * kDay), 1.0 - 0.98 * std::exp(-0.2), 1e-6);
}

TEST(ChurnHazard, MoreBadExperiencesNeverLowerTheProbability) {
  ChurnHazard hazard(config());
  ExperienceScore score;
  double previous = hazard.churn_probability(score, 0, 0.0);
  for (int i = 1; i <= 20; ++i) {
    double p = hazard.churn_probability(score, kExperienceFailed, i * kHour);
    EXPECT_GT(p, previous);
    EXPECT_LT(p, 1.0);
    previous = p;
  }
}

}  // namespace
}  // namespace p2psim
