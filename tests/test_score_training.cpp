// `p2psim train`'s choices on a hand-built export: which rows train the platform's score (orders,
// with the labels known on the label day), the windows, the threshold for a capacity, a planted
// signal found, and every option that does not fit the export an error saying why.
#include "lab/score_training.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

namespace p2psim {
namespace {

// Features: "signal" (fraud is likely when it is high), "noise", "constant".
constexpr std::size_t kSignal = 0;
constexpr std::size_t kNoise = 1;

ExportedOrders synthetic_export(int days = 20, int rows_per_day = 400) {
  ExportedOrders orders;
  orders.feature_names = {"signal", "noise", "constant"};
  orders.markets.index_of("ng");
  orders.payment_methods.index_of("bank_transfer");
  orders.typologies.index_of("");
  const std::uint16_t non_payment = orders.typologies.index_of("non_payment");
  orders.outcomes.index_of("completed");
  std::mt19937_64 engine(42);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  std::uint64_t attempt = 0;
  for (int day = 0; day < days; ++day) {
    for (int row = 0; row < rows_per_day; ++row) {
      const double signal = normal(engine);
      const bool fraud = uniform(engine) < 1.0 / (1.0 + std::exp(-(-4.0 + 2.0 * signal)));
      orders.replication.push_back(0);
      orders.attempt.push_back(++attempt);
      orders.day.push_back(day);
      orders.market.push_back(0);
      orders.payment_method.push_back(0);
      orders.typology.push_back(fraud ? non_payment : 0);
      orders.outcome.push_back(0);
      orders.has_order.push_back(uniform(engine) < 0.95 ? 1 : 0);  // 5% stopped before
      orders.is_fraud.push_back(fraud ? 1 : 0);
      // Fraud comes to light 0 to 5 days later, or never (a fifth).
      const double reveal = uniform(engine);
      orders.revealed_day.push_back(fraud && reveal < 0.8 ? day + static_cast<int>(reveal * 7)
                                                          : -1);
      orders.amount_usd.push_back(100.0);
      orders.loss_usd.push_back(0.0);
      for (double value : {signal, normal(engine), 1.0})
        orders.features.push_back(value);
    }
  }
  orders.attempts_read = orders.rows();
  orders.first_day = 0;
  orders.last_day = days - 1;
  return orders;
}

std::string error_of(const ExportedOrders& orders, const TrainOptions& options) {
  try {
    train_score(orders, options);
  } catch (const ExportInputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ScoreTraining, DefaultsTrainOnTheFirstHalfWithItsLastDaysLabels) {
  const TrainedScore trained = train_score(synthetic_export(), {});
  EXPECT_EQ(trained.market, "ng");
  EXPECT_EQ(trained.train_days.first, 0);
  EXPECT_EQ(trained.train_days.last, 9);
  EXPECT_EQ(trained.label_day, 9);
  EXPECT_EQ(trained.test_days.first, 10);
  EXPECT_EQ(trained.test_days.last, 19);
}

TEST(ScoreTraining, PlatformLabelsAreOrdersWithFraudRevealedByTheLabelDay) {
  const ExportedOrders orders = synthetic_export();
  TrainOptions options;
  options.train_days = DayWindow{2, 8};
  options.label_day = 6;
  const TrainedScore trained = train_score(orders, options);
  std::uint64_t attempts = 0, orders_in = 0, known = 0, stopped = 0, fraud = 0;
  for (std::size_t row = 0; row < orders.rows(); ++row) {
    if (orders.day[row] < 2 || orders.day[row] > 8) continue;
    ++attempts;
    fraud += orders.is_fraud[row];
    if (orders.has_order[row] == 0) {
      ++stopped;
      continue;
    }
    ++orders_in;
    const int revealed = orders.revealed_day[row];
    known += orders.is_fraud[row] != 0 && revealed >= 0 && revealed <= 6 ? 1 : 0;
  }
  EXPECT_EQ(trained.train_attempts, attempts);
  EXPECT_EQ(trained.train_orders, orders_in);
  EXPECT_EQ(trained.train_unlabelled, stopped);
  EXPECT_EQ(trained.train_known_fraud, known);
  EXPECT_EQ(trained.train_true_fraud, fraud);
  EXPECT_LT(known, fraud);  // late and never-revealed fraud is genuine to the platform
}

TEST(ScoreTraining, PlantedSignalGetsTheLargestWeightAndConstantsAreDropped) {
  const TrainedScore trained = train_score(synthetic_export(), {});
  ASSERT_EQ(trained.features, (std::vector<std::string>{"signal", "noise"}));
  EXPECT_EQ(trained.dropped, (std::vector<std::string>{"constant"}));
  EXPECT_GT(trained.model.standardised_weights[kSignal], 1.0);
  EXPECT_LT(std::abs(trained.model.standardised_weights[kNoise]),
            0.2 * trained.model.standardised_weights[kSignal]);
  // Held out, the score ranks fraud far above chance.
  EXPECT_GT(trained.evaluations[0].roc_auc, 0.8);
}

TEST(ScoreTraining, CapacityThresholdLetsThatManyAttemptsADayReachIt) {
  TrainOptions options;
  options.capacity = 25;
  const TrainedScore trained = train_score(synthetic_export(), options);
  // Continuous scores: no ties, so exactly 25 a day on average over the ten train days.
  EXPECT_DOUBLE_EQ(trained.threshold_rows_per_day, 25.0);
  const Evaluation& truth = trained.evaluations[0];
  EXPECT_EQ(truth.at_capacity.reviewed, 25u * 10u);  // 25 on each of the ten test days
}

TEST(ScoreTraining, FalsePositiveCeilingBoundsTheKnownGenuineOrdersReachingTheThreshold) {
  const ExportedOrders orders = synthetic_export();
  TrainOptions options;
  options.false_positive_ceiling = 0.01;
  const TrainedScore trained = train_score(orders, options);
  std::uint64_t genuine = 0;
  std::uint64_t reaching = 0;
  for (std::size_t row = 0; row < orders.rows(); ++row) {
    if (orders.day[row] > 9 || orders.has_order[row] == 0 || orders.known_fraud(row, 9)) continue;
    ++genuine;
    const double z = trained.model.log_odds(&orders.features[row * orders.feature_count()]);
    reaching += 1.0 / (1.0 + std::exp(-z)) >= trained.threshold ? 1 : 0;
  }
  EXPECT_LE(reaching, static_cast<std::uint64_t>(0.01 * genuine));
  EXPECT_GE(reaching, static_cast<std::uint64_t>(0.01 * genuine) - 1);
}

TEST(ScoreTraining, UnknownFeatureIsNamedWithTheNearestKnownOne) {
  TrainOptions options;
  options.features = {"signl"};
  EXPECT_EQ(error_of(synthetic_export(), options),
            "--features: unknown feature \"signl\" (did you mean \"signal\"?); the export's "
            "features are signal, noise, constant");
}

TEST(ScoreTraining, ConstantFeatureAskedForIsAnError) {
  TrainOptions options;
  options.features = {"signal", "constant"};
  EXPECT_EQ(error_of(synthetic_export(), options),
            "--features: \"constant\" has the same value in every labelled order of the train "
            "window (days 0-9), so no weight can be fitted for it");
}

TEST(ScoreTraining, LabelDayBeforeTheTrainWindowIsAnError) {
  TrainOptions options;
  options.train_days = DayWindow{5, 9};
  options.label_day = 4;
  EXPECT_EQ(error_of(synthetic_export(), options),
            "--label-day 4 is before the train window (days 5-9): on that day the platform knows "
            "no label of an order in it");
}

TEST(ScoreTraining, EmptyTrainWindowIsAnError) {
  TrainOptions options;
  options.train_days = DayWindow{30, 40};
  options.test_days = DayWindow{10, 19};
  EXPECT_EQ(error_of(synthetic_export(), options),
            "the train window (days 30-40) of market ng holds no order; the market's orders are "
            "on days 0-19");
  options.train_days = DayWindow{9, 3};
  EXPECT_EQ(error_of(synthetic_export(), options),
            "--train-days 9:3: the window is empty (first day after last); the export's days of "
            "market ng are days 0-19");
}

TEST(ScoreTraining, EmptyTestWindowIsAnError) {
  TrainOptions options;
  options.train_days = DayWindow{0, 19};  // the default test window then starts on day 20
  EXPECT_EQ(error_of(synthetic_export(), options),
            "--test-days 20:19: the window is empty (first day after last); the export's days of "
            "market ng are days 0-19");
}

TEST(ScoreTraining, NoKnownFraudIsAnError) {
  TrainOptions options;
  options.train_days = DayWindow{0, 0};
  options.label_day = 0;
  ExportedOrders orders = synthetic_export();
  std::uint64_t day_zero_orders = 0;
  for (std::size_t row = 0; row < orders.rows(); ++row) {
    if (orders.revealed_day[row] >= 0) orders.revealed_day[row] += 1;  // none known on day 0
    if (orders.day[row] == 0) day_zero_orders += orders.has_order[row];
  }
  EXPECT_EQ(error_of(orders, options),
            "the " + std::to_string(day_zero_orders) +
                " orders of the train window (days 0-0) are all genuine as the platform knows "
                "them on day 0: a score needs both; widen the window or move --label-day later");
}

TEST(ScoreTraining, UnknownMarketIsAnError) {
  TrainOptions options;
  options.market = "br";
  EXPECT_EQ(error_of(synthetic_export(), options),
            "--market br: not in the export, whose markets are ng");
}

TEST(ScoreTraining, TwoMarketsNeedOneChosen) {
  ExportedOrders orders = synthetic_export();
  orders.markets.index_of("br");
  orders.market[0] = 1;
  EXPECT_EQ(error_of(orders, {}),
            "the export holds the markets ng, br: choose the one to train for with --market");
}

}  // namespace
}  // namespace p2psim
