#pragma once
// `p2psim train`: fits a logistic risk score on a labelled export, as a platform would (on the
// labels it knows on a chosen day), tests it out of time on later days, and chooses the
// threshold that meets a target. docs/risk-models.md, Training, describes every choice.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lab/exported_orders.hpp"
#include "lab/logistic_fit.hpp"
#include "lab/ranking_metrics.hpp"

namespace p2psim {

struct DayWindow {
  std::int32_t first = 0;
  std::int32_t last = 0;
};

// What the threshold is chosen for: the capacity of the action (orders a day reaching it, on
// average over the train window), or a ceiling on the share of known-genuine orders reaching it.
enum class ScoreAction { kReview, kStepUp, kBlock };
const char* score_action_key(ScoreAction action);  // "review_above", ...

struct TrainOptions {
  std::string market;                     // empty: the export's only market
  std::optional<DayWindow> train_days;    // default: the first half of the export's days
  std::optional<std::int32_t> label_day;  // default: the train window's last day
  std::optional<DayWindow> test_days;     // default: the days after the train window
  std::vector<std::string> features;      // empty: every feature that varies in training
  double l2 = 1.0;
  std::uint32_t capacity = 100;  // orders a day
  std::optional<double> false_positive_ceiling;
  ScoreAction action = ScoreAction::kReview;
};

// One model scored on the test window against one set of labels.
struct Evaluation {
  std::string model;   // "platform labels" or "ground truth labels"
  std::string labels;  // what the test rows are judged against
  std::uint64_t rows = 0;
  std::uint64_t positives = 0;
  double roc_auc = 0.0;
  double average_precision = 0.0;
  CapacityResult at_capacity;
  double brier = 0.0;
  std::vector<CatchPoint> catch_curve;
  std::vector<CalibrationBin> calibration;
};

struct TrainedScore {
  TrainOptions options;  // with every default resolved
  std::string market;
  DayWindow train_days;
  std::int32_t label_day = 0;
  DayWindow test_days;
  std::vector<std::string> features;  // fitted, in the order of the weights
  std::vector<std::string> dropped;   // constant in the train window

  std::uint64_t train_orders = 0;       // with a label the platform can know
  std::uint64_t train_known_fraud = 0;  // of those, revealed by the label day
  std::uint64_t train_unlabelled = 0;   // attempts stopped before an order: no label
  std::uint64_t train_true_fraud = 0;   // among every train attempt (orders and stopped)
  std::uint64_t train_attempts = 0;

  LogisticModel model;        // on the platform's labels: the one written out
  LogisticModel truth_model;  // on the ground truth of every attempt: what perfect labels give
  double threshold = 0.0;     // a probability
  double threshold_rows_per_day = 0.0;  // train attempts a day at or above it
  std::vector<Evaluation> evaluations;

  // The test rows (indices into the export) and each model's probability for them.
  std::vector<std::size_t> test_rows;
  std::vector<double> test_probability;
  std::vector<double> test_truth_probability;
};

// Throws ExportInputError when an option does not fit the export (an unknown market or feature,
// an empty window, a label day before the train window, no known fraud to learn from).
TrainedScore train_score(const ExportedOrders& orders, const TrainOptions& options);

}  // namespace p2psim
