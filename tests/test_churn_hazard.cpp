// The churn hazard's equation: p = 1 - [(1 - base) exp(-S)]^(1 / a), S = sum_k w_k n_k / a with
// a = max(1, activity), counts halving every half-life (sim/world/churn_hazard.hpp).
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
  EXPECT_NEAR(hazard.churn_probability(score, 0, 5 * kDay, 1.0), 0.02, 1e-15);
}

TEST(ChurnHazard, EachKindAddsItsWeight) {
  ChurnHazard hazard(config());
  EXPECT_DOUBLE_EQ(hazard.weight_of(kExperienceFailed), 0.1);
  EXPECT_DOUBLE_EQ(hazard.weight_of(kExperienceSlow | kExperienceDisputed), 1.0);
  ExperienceScore score;
  double p = hazard.churn_probability(score, kExperienceBlocked, 0.0, 1.0);
  EXPECT_NEAR(p, 1.0 - 0.98 * std::exp(-0.4), 1e-7);
  // A second experience at once adds up: S = 0.4 + 0.1.
  p = hazard.churn_probability(score, kExperienceFailed, 0.0, 1.0);
  EXPECT_NEAR(p, 1.0 - 0.98 * std::exp(-0.5), 1e-6);
}

TEST(ChurnHazard, BadExperiencesHalveEveryHalfLife) {
  ChurnHazard hazard(config());
  ExperienceScore score;
  hazard.churn_probability(score, kExperienceDisputed, 2 * kDay, 1.0);
  // 10 days later the dispute weighs 0.4, 20 days later 0.2.
  EXPECT_NEAR(hazard.churn_probability(score, 0, 12 * kDay, 1.0), 1.0 - 0.98 * std::exp(-0.4),
              1e-6);
  EXPECT_NEAR(hazard.churn_probability(score, 0, 22 * kDay, 1.0), 1.0 - 0.98 * std::exp(-0.2),
              1e-6);
}

TEST(ChurnHazard, MoreBadExperiencesNeverLowerTheProbability) {
  ChurnHazard hazard(config());
  ExperienceScore score;
  double previous = hazard.churn_probability(score, 0, 0.0, 1.0);
  for (int i = 1; i <= 20; ++i) {
    double p = hazard.churn_probability(score, kExperienceFailed, i * kHour, 1.0);
    EXPECT_GT(p, previous);
    EXPECT_LT(p, 1.0);
    previous = p;
  }
}

TEST(ChurnHazard, FrequentTradersQuietChurnIsTheAverageHazardInTime) {
  // A user attempting `activity` times as often stays through those attempts with the chance an
  // average user stays through one: (1 - p_a)^a = 1 - base.
  ChurnHazard hazard(config());
  for (double activity : {1.5, 2.0, 8.0}) {
    ExperienceScore score;
    const double p = hazard.churn_probability(score, 0, kDay, activity);
    EXPECT_NEAR(std::pow(1.0 - p, activity), 0.98, 1e-12) << activity;
  }
}

TEST(ChurnHazard, ABadExperienceWeighsByItsShareOfTheUsersAttempts) {
  // For a frequent trader a block is one of `activity` times as many experiences: it adds
  // 0.4 / activity to S, and the user stays through `activity` such attempts as an average user
  // stays through one with S = 0.4 / activity.
  ChurnHazard hazard(config());
  for (double activity : {2.0, 4.0}) {
    ExperienceScore score;
    const double p = hazard.churn_probability(score, kExperienceBlocked, 0.0, activity);
    EXPECT_NEAR(score.weighted, 0.4 / activity, 1e-7) << activity;
    EXPECT_NEAR(std::pow(1.0 - p, activity), 0.98 * std::exp(-0.4 / activity), 1e-6) << activity;
  }
}

TEST(ChurnHazard, OccasionalUsersDecidePerAttempt) {
  // Below the market's rate nothing scales: the base probability per attempt, full weights.
  ChurnHazard hazard(config());
  for (double activity : {0.05, 0.5, 1.0}) {
    ExperienceScore quiet;
    EXPECT_DOUBLE_EQ(hazard.churn_probability(quiet, 0, kDay, activity), 0.02) << activity;
    ExperienceScore blocked;
    EXPECT_NEAR(hazard.churn_probability(blocked, kExperienceBlocked, 0.0, activity),
                1.0 - 0.98 * std::exp(-0.4), 1e-7)
        << activity;
  }
}

TEST(ChurnHazard, FrequentAndAverageUsersWithTheSameShareOfBadExperiencesLeaveAlike) {
  // Over 40 days, a user at activity 4 fails one attempt in 5 of their 4 a day, a user at
  // activity 1 one in 5 of theirs: each chance of still being there at the end is the product
  // of their per-attempt stays. Per day both face the same hazard but for the timing: the
  // average user's S jumps by 0.1 every 5 days, the frequent one's by 0.025 every 1.25 days, so
  // their S differ by a fraction of one jump, against S near 0.2 over most of the 40 days: a
  // few percent of the log survival (1.4% here), held to 5%.
  ChurnHazard hazard(config());
  auto log_survival = [&](double activity) {
    ExperienceScore score;
    double log_stay = 0.0;
    const int attempts = static_cast<int>(40 * activity);
    for (int i = 0; i < attempts; ++i) {
      const Experience experience = i % 5 == 4 ? kExperienceFailed : 0;
      const Seconds now = (i + 1) * kDay / activity;
      log_stay += std::log1p(-hazard.churn_probability(score, experience, now, activity));
    }
    return log_stay;
  };
  EXPECT_NEAR(log_survival(4.0) / log_survival(1.0), 1.0, 0.05);
}

}  // namespace
}  // namespace p2psim
