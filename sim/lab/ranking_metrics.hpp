#pragma once
// How well a score ranks fraud above genuine orders, on held-out rows: the metrics a risk team
// reads (docs/risk-models.md, Training). ROC-AUC and average precision are computed as
// scikit-learn's roc_auc_score and average_precision_score (tied scores form one threshold),
// which the tests use as the oracle.
#include <cstdint>
#include <span>
#include <vector>

namespace p2psim {

struct CatchPoint {
  double stopped_ceiling;
  double good_stopped;  // the share of negatives actually stopped there
  double catch_rate;    // the share of positives stopped there
};

// Rows in a group of equal size by score: the mean predicted probability against the share of
// positives.
struct CalibrationBin {
  std::uint64_t rows;
  double predicted;
  double observed;
};

// Rows ranked by score, highest first, with equal scores grouped: one sort serves every metric
// of a ranking.
class ScoreRanking {
 public:
  // scores are probabilities for calibration(); the other metrics read only their order.
  ScoreRanking(std::span<const double> scores, std::span<const std::uint8_t> labels);

  std::uint64_t positives() const { return positives_; }
  std::uint64_t negatives() const { return negatives_; }
  // Area under the ROC curve: the chance a random positive scores above a random negative (ties
  // count a half). NaN when either class is absent.
  double roc_auc() const;
  // The sum over distinct thresholds, highest first, of (recall_k - recall_(k-1)) * precision_k.
  // NaN without a positive.
  double average_precision() const;
  // The catch rate at the lowest threshold whose share of negatives stopped (scored at or above
  // it) is at most each ceiling.
  std::vector<CatchPoint> catch_curve(std::span<const double> stopped_ceilings) const;
  // `bins` groups of equal size (rows in score order, ties in row order), lowest scores first.
  std::vector<CalibrationBin> calibration(int bins) const;
  // The mean squared difference between probability and label.
  double brier_score() const;

 private:
  struct Group {
    double score;
    std::uint64_t positives;
    std::uint64_t negatives;
  };
  struct Ranked {
    double score;
    std::uint32_t row;
    bool positive;
  };
  std::vector<Ranked> ranked_;  // highest score first, ties in row order
  std::vector<Group> groups_;   // highest first
  std::uint64_t positives_ = 0;
  std::uint64_t negatives_ = 0;
};

// A review team that looks at the `capacity` highest-scored rows of each group (a day of one
// replication); ties in score go to the earlier attempt.
struct CapacityResult {
  std::uint64_t reviewed = 0;
  std::uint64_t caught = 0;     // positives among the reviewed
  std::uint64_t positives = 0;  // all positives
  double precision() const;     // caught / reviewed
  double recall() const;        // caught / positives
};
CapacityResult precision_at_capacity(std::span<const double> scores,
                                     std::span<const std::uint8_t> labels,
                                     std::span<const std::uint64_t> groups,
                                     std::span<const std::uint64_t> tie_order,
                                     std::uint32_t capacity);

}  // namespace p2psim
