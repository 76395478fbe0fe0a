// Tests of the score histogram behind report.html's score curves and score_roc_auc: the area is
// the Mann-Whitney statistic of the binned scores, worked by hand here; the curve's corners are
// the shares at or above each bin's lower edge.
#include "metrics/score_histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace p2psim {
namespace {

double logistic(double log_odds) {
  return 1.0 / (1.0 + std::exp(-log_odds));
}

TEST(ScoreHistogram, RocAucIsUndefinedWithoutBothKinds) {
  ScoreHistogram scores;
  EXPECT_TRUE(std::isnan(scores.roc_auc()));
  scores.add(true, -2.0);
  EXPECT_TRUE(std::isnan(scores.roc_auc()));
  EXPECT_TRUE(scores.curve().empty());
}

TEST(ScoreHistogram, RocAucIsOneWhenEveryFraudScoresAboveEveryGenuine) {
  ScoreHistogram scores;
  for (double log_odds : {-6.0, -3.0, -1.1})
    scores.add(true, log_odds);
  for (double log_odds : {-0.9, 2.0})
    scores.add(false, log_odds);
  EXPECT_DOUBLE_EQ(scores.roc_auc(), 1.0);
}

// Genuine at -2 (three) and 0 (one); fraud at 0 (one) and 2 (two). Pairs: 4 x 3 = 12. The fraud
// at 0 beats the three at -2 and ties the one at 0: 3.5; each fraud at 2 beats all four: 8.
TEST(ScoreHistogram, RocAucCountsTiesInABinAsOneHalf) {
  ScoreHistogram scores;
  for (double log_odds : {-2.0, -2.0, -2.0, 0.0})
    scores.add(true, log_odds);
  for (double log_odds : {0.1, 2.0, 2.0})
    scores.add(false, log_odds);  // 0.1: 0's bin
  EXPECT_DOUBLE_EQ(scores.roc_auc(), 11.5 / 12.0);
}

TEST(ScoreHistogram, CurveGivesTheSharesAtOrAboveEachOccupiedEdge) {
  ScoreHistogram scores;
  for (double log_odds : {-2.0, -2.0, -2.0, 0.0})
    scores.add(true, log_odds);
  for (double log_odds : {0.1, 2.0, 2.0})
    scores.add(false, log_odds);
  const std::vector<ScoreHistogram::Point> curve = scores.curve();
  ASSERT_EQ(curve.size(), 3u);
  EXPECT_DOUBLE_EQ(curve[0].threshold, logistic(2.0));
  EXPECT_DOUBLE_EQ(curve[0].genuine_stopped, 0.0);
  EXPECT_DOUBLE_EQ(curve[0].fraud_caught, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(curve[1].threshold, 0.5);
  EXPECT_DOUBLE_EQ(curve[1].genuine_stopped, 0.25);
  EXPECT_DOUBLE_EQ(curve[1].fraud_caught, 1.0);
  EXPECT_DOUBLE_EQ(curve[2].threshold, logistic(-2.0));
  EXPECT_DOUBLE_EQ(curve[2].genuine_stopped, 1.0);
}

TEST(ScoreHistogram, ScoresBeyondTheRangeLandInTheEndBins) {
  ScoreHistogram scores;
  scores.add(true, -400.0);
  scores.add(false, 400.0);
  const std::vector<ScoreHistogram::Point> curve = scores.curve();
  ASSERT_EQ(curve.size(), 2u);
  const double last_edge =
      ScoreHistogram::kLowest + ScoreHistogram::kBinWidth * (ScoreHistogram::kBins - 1);
  EXPECT_DOUBLE_EQ(curve[0].threshold, logistic(last_edge));
  EXPECT_DOUBLE_EQ(curve[1].threshold, 0.0);  // the first bin holds everything below
  EXPECT_DOUBLE_EQ(scores.roc_auc(), 1.0);
}

TEST(ScoreHistogram, MergeAddsTheCounts) {
  ScoreHistogram a;
  ScoreHistogram b;
  a.add(true, -1.0);
  b.add(true, -1.0);
  b.add(false, 1.0);
  a.merge(b);
  EXPECT_EQ(a.count(true), 2u);
  EXPECT_EQ(a.count(false), 1u);
  EXPECT_DOUBLE_EQ(a.roc_auc(), 1.0);
}

}  // namespace
}  // namespace p2psim
