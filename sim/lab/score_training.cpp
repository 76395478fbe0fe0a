#include "lab/score_training.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "scenario/toml_section.hpp"

namespace p2psim {
namespace {

// The shares of good orders stopped at which the catch rate is read.
constexpr std::array<double, 8> kStoppedCeilings = {0.001, 0.002, 0.005, 0.01,
                                                    0.02,  0.05,  0.1,   0.2};
constexpr int kCalibrationBins = 10;

std::string resolve_market(const ExportedOrders& orders, const std::string& asked) {
  const std::vector<std::string>& markets = orders.markets.names();
  if (asked.empty()) {
    if (markets.size() == 1) return markets.front();
    throw ExportInputError(
        fmt::format("the export holds the markets {}: choose the one to train for with --market",
                    fmt::join(markets, ", ")));
  }
  if (std::find(markets.begin(), markets.end(), asked) == markets.end()) {
    throw ExportInputError(fmt::format("--market {}: not in the export, whose markets are {}",
                                       asked, fmt::join(markets, ", ")));
  }
  return asked;
}

std::vector<std::size_t> rows_of_market(const ExportedOrders& orders, std::uint16_t market) {
  std::vector<std::size_t> rows;
  for (std::size_t row = 0; row < orders.rows(); ++row) {
    if (orders.market[row] == market) rows.push_back(row);
  }
  return rows;
}

std::vector<std::size_t> rows_in(const ExportedOrders& orders, const std::vector<std::size_t>& rows,
                                 DayWindow window) {
  std::vector<std::size_t> kept;
  for (std::size_t row : rows) {
    if (orders.day[row] >= window.first && orders.day[row] <= window.last) kept.push_back(row);
  }
  return kept;
}

std::string window_text(DayWindow window) {
  return fmt::format("days {}-{}", window.first, window.last);
}

// Fills the windows and the label day, checking each against the days the market has.
void resolve_days(TrainedScore& trained, DayWindow data) {
  const TrainOptions& options = trained.options;
  const std::int32_t middle = data.first + (data.last - data.first) / 2;
  trained.train_days = options.train_days.value_or(DayWindow{data.first, middle});
  trained.test_days = options.test_days.value_or(DayWindow{trained.train_days.last + 1, data.last});
  trained.label_day = options.label_day.value_or(trained.train_days.last);
  for (const auto& [name, window] : {std::pair{"--train-days", trained.train_days},
                                     std::pair{"--test-days", trained.test_days}}) {
    if (window.first > window.last) {
      throw ExportInputError(fmt::format(
          "{} {}:{}: the window is empty (first day after last); the export's days of market {} "
          "are {}",
          name, window.first, window.last, trained.market, window_text(data)));
    }
  }
  if (trained.label_day < trained.train_days.first) {
    throw ExportInputError(fmt::format(
        "--label-day {} is before the train window ({}): on that day the platform knows no "
        "label of an order in it",
        trained.label_day, window_text(trained.train_days)));
  }
}

bool varies(const ExportedOrders& orders, const std::vector<std::size_t>& rows, std::size_t f) {
  for (std::size_t row : rows) {
    if (orders.feature(row, f) != orders.feature(rows.front(), f)) return true;
  }
  return false;
}

// The feature columns to fit, by index into the export's features.
std::vector<std::size_t> choose_features(const ExportedOrders& orders,
                                         const std::vector<std::size_t>& rows,
                                         TrainedScore& trained) {
  std::vector<std::size_t> chosen;
  if (trained.options.features.empty()) {
    for (std::size_t f = 0; f < orders.feature_count(); ++f) {
      (varies(orders, rows, f) ? trained.features : trained.dropped)
          .push_back(orders.feature_names[f]);
      if (varies(orders, rows, f)) chosen.push_back(f);
    }
    return chosen;
  }
  for (const std::string& name : trained.options.features) {
    const int f = orders.feature_index(name);
    if (f < 0) {
      const std::string suggestion = scenario_detail::closest_key(name, orders.feature_names);
      throw ExportInputError(
          fmt::format("--features: unknown feature \"{}\"{}; the export's features are {}", name,
                      suggestion.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", suggestion),
                      fmt::join(orders.feature_names, ", ")));
    }
    if (!varies(orders, rows, static_cast<std::size_t>(f))) {
      throw ExportInputError(fmt::format(
          "--features: \"{}\" has the same value in every labelled order of the train window "
          "({}), so no weight can be fitted for it",
          name, window_text(trained.train_days)));
    }
    chosen.push_back(static_cast<std::size_t>(f));
    trained.features.push_back(name);
  }
  return chosen;
}

Eigen::MatrixXd design_of(const ExportedOrders& orders, const std::vector<std::size_t>& rows,
                          const std::vector<std::size_t>& features) {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()),
                    static_cast<Eigen::Index>(features.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < features.size(); ++j)
      x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          orders.feature(rows[i], features[j]);
  }
  return x;
}

double probability_of(const LogisticModel& model, const ExportedOrders& orders, std::size_t row,
                      const std::vector<std::size_t>& features) {
  double z = model.intercept;
  for (std::size_t j = 0; j < features.size(); ++j)
    z += model.weights[j] * orders.feature(row, features[j]);
  return 1.0 / (1.0 + std::exp(-z));
}

std::uint64_t day_group(const ExportedOrders& orders, std::size_t row) {
  return (static_cast<std::uint64_t>(orders.replication[row]) << 32) |
         static_cast<std::uint32_t>(orders.day[row] + (1 << 30));
}

// The threshold meeting the target, from the train window's attempts.
void choose_threshold(const ExportedOrders& orders, const std::vector<std::size_t>& attempts,
                      const std::vector<std::size_t>& features, TrainedScore& trained) {
  std::vector<double> scores;
  std::vector<std::uint64_t> groups;
  for (std::size_t row : attempts) {
    scores.push_back(probability_of(trained.model, orders, row, features));
    groups.push_back(day_group(orders, row));
  }
  std::sort(groups.begin(), groups.end());
  const double group_count =
      static_cast<double>(std::unique(groups.begin(), groups.end()) - groups.begin());
  if (trained.options.false_positive_ceiling) {
    // Known-genuine orders: the only genuine rows the platform can count.
    std::vector<double> genuine;
    for (std::size_t i = 0; i < attempts.size(); ++i) {
      const std::size_t row = attempts[i];
      if (orders.has_order[row] != 0 && !orders.known_fraud(row, trained.label_day))
        genuine.push_back(scores[i]);
    }
    std::sort(genuine.begin(), genuine.end(), std::greater<>());
    const auto allowed = static_cast<std::size_t>(
        std::floor(*trained.options.false_positive_ceiling * static_cast<double>(genuine.size())));
    trained.threshold = allowed >= genuine.size()
                            ? 0.0
                            : std::nextafter(genuine[allowed], 2.0);  // above the first one over
  } else {
    std::vector<double> sorted = scores;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    const auto wanted = static_cast<std::size_t>(trained.options.capacity * group_count);
    trained.threshold = wanted == 0 ? 2.0 : sorted[std::min(wanted, sorted.size()) - 1];
  }
  const auto reaching = std::count_if(scores.begin(), scores.end(),
                                      [&](double score) { return score >= trained.threshold; });
  trained.threshold_rows_per_day = static_cast<double>(reaching) / group_count;
}

Evaluation evaluate(const ExportedOrders& orders, const std::vector<std::size_t>& rows,
                    const std::vector<double>& probabilities,
                    const std::vector<std::uint8_t>& labels, std::uint32_t capacity) {
  Evaluation evaluation;
  std::vector<std::uint64_t> groups;
  std::vector<std::uint64_t> attempts;
  for (std::size_t row : rows) {
    groups.push_back(day_group(orders, row));
    attempts.push_back(orders.attempt[row]);
  }
  const ScoreRanking ranking(probabilities, labels);
  evaluation.rows = rows.size();
  evaluation.positives = ranking.positives();
  evaluation.roc_auc = ranking.roc_auc();
  evaluation.average_precision = ranking.average_precision();
  evaluation.at_capacity = precision_at_capacity(probabilities, labels, groups, attempts, capacity);
  evaluation.brier = ranking.brier_score();
  evaluation.catch_curve = ranking.catch_curve(kStoppedCeilings);
  evaluation.calibration = ranking.calibration(kCalibrationBins);
  return evaluation;
}

void evaluate_all(const ExportedOrders& orders, const std::vector<std::size_t>& features,
                  TrainedScore& trained) {
  std::vector<std::uint8_t> truth;
  std::vector<std::size_t> test_orders;
  std::vector<double> order_probability;
  std::vector<std::uint8_t> known;
  for (std::size_t i = 0; i < trained.test_rows.size(); ++i) {
    const std::size_t row = trained.test_rows[i];
    trained.test_probability.push_back(probability_of(trained.model, orders, row, features));
    trained.test_truth_probability.push_back(
        probability_of(trained.truth_model, orders, row, features));
    truth.push_back(orders.is_fraud[row]);
    if (orders.has_order[row] == 0) continue;
    test_orders.push_back(row);
    order_probability.push_back(trained.test_probability.back());
    known.push_back(orders.known_fraud(row, orders.last_day) ? 1 : 0);
  }
  const std::uint32_t capacity = trained.options.capacity;
  Evaluation platform_on_truth =
      evaluate(orders, trained.test_rows, trained.test_probability, truth, capacity);
  platform_on_truth.model = "platform labels";
  platform_on_truth.labels = "ground truth, every attempt";
  Evaluation platform_on_known = evaluate(orders, test_orders, order_probability, known, capacity);
  platform_on_known.model = "platform labels";
  platform_on_known.labels = "platform labels at the end of the run, orders only";
  Evaluation truth_on_truth =
      evaluate(orders, trained.test_rows, trained.test_truth_probability, truth, capacity);
  truth_on_truth.model = "ground truth labels";
  truth_on_truth.labels = "ground truth, every attempt";
  trained.evaluations = {std::move(platform_on_truth), std::move(platform_on_known),
                         std::move(truth_on_truth)};
}

}  // namespace

const char* score_action_key(ScoreAction action) {
  switch (action) {
    case ScoreAction::kReview:
      return "review_above";
    case ScoreAction::kStepUp:
      return "step_up_above";
    case ScoreAction::kBlock:
      return "block_above";
  }
  return "";
}

TrainedScore train_score(const ExportedOrders& orders, const TrainOptions& options) {
  TrainedScore trained;
  trained.options = options;
  trained.market = resolve_market(orders, options.market);
  const std::vector<std::size_t> market_rows = rows_of_market(
      orders, static_cast<std::uint16_t>(std::find(orders.markets.names().begin(),
                                                   orders.markets.names().end(), trained.market) -
                                         orders.markets.names().begin()));
  DayWindow data{orders.day[market_rows.front()], orders.day[market_rows.front()]};
  for (std::size_t row : market_rows) {
    data.first = std::min(data.first, orders.day[row]);
    data.last = std::max(data.last, orders.day[row]);
  }
  resolve_days(trained, data);

  const std::vector<std::size_t> attempts = rows_in(orders, market_rows, trained.train_days);
  std::vector<std::size_t> labelled;
  for (std::size_t row : attempts) {
    trained.train_true_fraud += orders.is_fraud[row];
    if (orders.has_order[row] != 0) labelled.push_back(row);
  }
  trained.train_attempts = attempts.size();
  trained.train_orders = labelled.size();
  trained.train_unlabelled = attempts.size() - labelled.size();
  if (labelled.empty()) {
    throw ExportInputError(fmt::format(
        "the train window ({}) of market {} holds no order; the market's orders are on {}",
        window_text(trained.train_days), trained.market, window_text(data)));
  }
  Eigen::VectorXd known(static_cast<Eigen::Index>(labelled.size()));
  for (std::size_t i = 0; i < labelled.size(); ++i) {
    known[static_cast<Eigen::Index>(i)] = orders.known_fraud(labelled[i], trained.label_day);
  }
  trained.train_known_fraud = static_cast<std::uint64_t>(known.sum());
  if (trained.train_known_fraud == 0 || trained.train_known_fraud == labelled.size()) {
    throw ExportInputError(fmt::format(
        "the {} orders of the train window ({}) are all {} as the platform knows them on day {}: "
        "a score needs both; widen the window or move --label-day later",
        labelled.size(), window_text(trained.train_days),
        trained.train_known_fraud == 0 ? "genuine" : "fraud", trained.label_day));
  }
  const std::vector<std::size_t> features = choose_features(orders, labelled, trained);
  if (features.empty()) {
    throw ExportInputError("every feature has one value in the train window: nothing to fit");
  }
  const LogisticFitOptions fit{.l2 = options.l2};
  trained.model = fit_logistic(design_of(orders, labelled, features), known, fit);
  Eigen::VectorXd truth(static_cast<Eigen::Index>(attempts.size()));
  for (std::size_t i = 0; i < attempts.size(); ++i)
    truth[static_cast<Eigen::Index>(i)] = orders.is_fraud[attempts[i]];
  trained.truth_model = fit_logistic(design_of(orders, attempts, features), truth, fit);

  choose_threshold(orders, attempts, features, trained);
  trained.test_rows = rows_in(orders, market_rows, trained.test_days);
  if (trained.test_rows.empty()) {
    throw ExportInputError(fmt::format(
        "the test window ({}) of market {} holds no attempt; the market's attempts are on {}",
        window_text(trained.test_days), trained.market, window_text(data)));
  }
  evaluate_all(orders, features, trained);
  return trained;
}

}  // namespace p2psim
