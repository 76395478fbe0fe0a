// The ranking metrics of `p2psim train` on hand-computed examples, and ROC-AUC against its
// definition (the share of positive-negative pairs ranked right) on random data with ties.
// scikit-learn agreement on a real export is checked by tests/sklearn_oracle.py.
#include "lab/ranking_metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace p2psim {
namespace {

// Five rows: ranked 0.9 (fraud), 0.8 (genuine) tied with 0.8 (fraud), 0.3, 0.1 (genuine).
const std::vector<double> kScores = {0.9, 0.8, 0.8, 0.3, 0.1};
const std::vector<std::uint8_t> kLabels = {1, 0, 1, 0, 0};

TEST(RankingMetrics, RocAucCountsTiedPairsAsHalf) {
  // Pairs right: the 0.9 fraud beats 3 genuine; the 0.8 fraud beats 2 and ties 1: 5.5 of 6.
  EXPECT_DOUBLE_EQ(ScoreRanking(kScores, kLabels).roc_auc(), 5.5 / 6.0);
}

TEST(RankingMetrics, AveragePrecisionSumsPrecisionOverRecallSteps) {
  // Threshold 0.9: recall 1/2 at precision 1; threshold 0.8: recall 1 at precision 2/3.
  EXPECT_DOUBLE_EQ(ScoreRanking(kScores, kLabels).average_precision(), 0.5 * 1.0 + 0.5 * 2.0 / 3.0);
}

TEST(RankingMetrics, AllTiedScoresGiveChanceRanking) {
  const std::vector<double> scores(4, 0.5);
  const std::vector<std::uint8_t> labels = {1, 0, 0, 0};
  const ScoreRanking ranking(scores, labels);
  EXPECT_DOUBLE_EQ(ranking.roc_auc(), 0.5);
  EXPECT_DOUBLE_EQ(ranking.average_precision(), 0.25);  // the prevalence
}

TEST(RankingMetrics, MetricsWithoutAClassAreNotANumber) {
  const std::vector<double> scores = {0.1, 0.2};
  const std::vector<std::uint8_t> none = {0, 0};
  EXPECT_TRUE(std::isnan(ScoreRanking(scores, none).roc_auc()));
  EXPECT_TRUE(std::isnan(ScoreRanking(scores, none).average_precision()));
}

TEST(RankingMetrics, RocAucEqualsThePairCountOnRandomTiedScores) {
  std::mt19937_64 engine(2024);
  std::uniform_int_distribution<int> level(0, 19);  // 20 distinct scores: many ties
  std::bernoulli_distribution fraud(0.1);
  std::vector<double> scores;
  std::vector<std::uint8_t> labels;
  for (int row = 0; row < 2000; ++row) {
    scores.push_back(level(engine) / 20.0);
    labels.push_back(fraud(engine) ? 1 : 0);
  }
  double right = 0.0;
  double pairs = 0.0;
  for (std::size_t p = 0; p < scores.size(); ++p) {
    if (labels[p] == 0) continue;
    for (std::size_t n = 0; n < scores.size(); ++n) {
      if (labels[n] != 0) continue;
      pairs += 1.0;
      right += scores[p] > scores[n] ? 1.0 : scores[p] == scores[n] ? 0.5 : 0.0;
    }
  }
  // Both sides are exact sums of halves (below 2^53): equal to rounding of one division.
  EXPECT_NEAR(ScoreRanking(scores, labels).roc_auc(), right / pairs, 1e-15);
}

TEST(RankingMetrics, CatchCurveStopsAtTheLastThresholdUnderTheCeiling) {
  const std::vector<double> ceilings = {0.0, 1.0 / 3.0, 0.5, 1.0};
  const std::vector<CatchPoint> curve = ScoreRanking(kScores, kLabels).catch_curve(ceilings);
  ASSERT_EQ(curve.size(), 4u);
  // No genuine stopped: only the 0.9 fraud (the 0.8 group holds a genuine row).
  EXPECT_DOUBLE_EQ(curve[0].catch_rate, 0.5);
  EXPECT_DOUBLE_EQ(curve[0].good_stopped, 0.0);
  // One genuine of three stopped: both frauds.
  EXPECT_DOUBLE_EQ(curve[1].catch_rate, 1.0);
  EXPECT_DOUBLE_EQ(curve[1].good_stopped, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(curve[2].good_stopped, 1.0 / 3.0);  // the 0.3 row would make it 2/3
  EXPECT_DOUBLE_EQ(curve[3].good_stopped, 1.0);
}

TEST(RankingMetrics, CalibrationBinsHoldEqualRowsFromTheLowestScores) {
  const ScoreRanking ranking(kScores, kLabels);
  const std::vector<CalibrationBin> one = ranking.calibration(1);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].rows, 5u);
  EXPECT_DOUBLE_EQ(one[0].predicted, (0.9 + 0.8 + 0.8 + 0.3 + 0.1) / 5.0);
  EXPECT_DOUBLE_EQ(one[0].observed, 0.4);
  const std::vector<CalibrationBin> five = ranking.calibration(5);
  ASSERT_EQ(five.size(), 5u);
  EXPECT_DOUBLE_EQ(five[0].predicted, 0.1);
  EXPECT_DOUBLE_EQ(five[4].predicted, 0.9);
  EXPECT_DOUBLE_EQ(five[4].observed, 1.0);
}

TEST(RankingMetrics, BrierScoreIsTheMeanSquaredMiss) {
  // Misses 0.1, 0.8, 0.2, 0.3, 0.1.
  EXPECT_NEAR(ScoreRanking(kScores, kLabels).brier_score(), 0.79 / 5.0, 1e-15);
}

TEST(RankingMetrics, CapacityTakesTheTopOfEachDay) {
  const std::vector<std::uint64_t> days = {1, 1, 1, 2, 2};
  const std::vector<std::uint64_t> attempts = {1, 2, 3, 4, 5};
  const CapacityResult result = precision_at_capacity(kScores, kLabels, days, attempts, 1);
  // Day 1: the 0.9 fraud; day 2: the 0.3 genuine.
  EXPECT_EQ(result.reviewed, 2u);
  EXPECT_EQ(result.caught, 1u);
  EXPECT_EQ(result.positives, 2u);
  EXPECT_DOUBLE_EQ(result.precision(), 0.5);
  EXPECT_DOUBLE_EQ(result.recall(), 0.5);
}

TEST(RankingMetrics, CapacityBreaksTiesByTheEarlierAttempt) {
  const std::vector<double> scores = {0.5, 0.5};
  const std::vector<std::uint8_t> labels = {1, 0};
  const std::vector<std::uint64_t> day = {0, 0};
  EXPECT_EQ(precision_at_capacity(scores, labels, day, std::vector<std::uint64_t>{7, 3}, 1).caught,
            0u);
  EXPECT_EQ(precision_at_capacity(scores, labels, day, std::vector<std::uint64_t>{3, 7}, 1).caught,
            1u);
}

}  // namespace
}  // namespace p2psim
