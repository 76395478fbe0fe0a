#include "metrics/score_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace p2psim {

int ScoreHistogram::bin_of(double log_odds) {
  // Bin 0 holds everything below kLowest + kBinWidth; the last, everything from its lower edge.
  const double position = std::floor((log_odds - kLowest) / kBinWidth);
  if (position <= 0.0) return 0;
  return position >= kBins - 1 ? kBins - 1 : static_cast<int>(position);
}

void ScoreHistogram::add(bool genuine, double log_odds) {
  if (std::isnan(log_odds)) return;
  const int kind = genuine ? 0 : 1;
  ++bins_[kind][bin_of(log_odds)];
  ++totals_[kind];
}

void ScoreHistogram::merge(const ScoreHistogram& other) {
  for (int kind = 0; kind < 2; ++kind) {
    for (int bin = 0; bin < kBins; ++bin)
      bins_[kind][bin] += other.bins_[kind][bin];
    totals_[kind] += other.totals_[kind];
  }
}

double ScoreHistogram::roc_auc() const {
  if (totals_[0] == 0 || totals_[1] == 0) return std::numeric_limits<double>::quiet_NaN();
  // Mann-Whitney: each fraudulent order beats the genuine ones in lower bins, ties half.
  double wins = 0.0;
  double genuine_below = 0.0;
  for (int bin = 0; bin < kBins; ++bin) {
    const double genuine = bins_[0][bin];
    wins += bins_[1][bin] * (genuine_below + 0.5 * genuine);
    genuine_below += genuine;
  }
  return wins / (static_cast<double>(totals_[0]) * static_cast<double>(totals_[1]));
}

std::vector<ScoreHistogram::Point> ScoreHistogram::curve() const {
  std::vector<Point> points;
  if (totals_[0] == 0 || totals_[1] == 0) return points;
  std::uint64_t genuine_above = 0;
  std::uint64_t fraud_above = 0;
  for (int bin = kBins - 1; bin >= 0; --bin) {
    if (bins_[0][bin] == 0 && bins_[1][bin] == 0) continue;
    genuine_above += bins_[0][bin];
    fraud_above += bins_[1][bin];
    const double edge =
        bin == 0 ? -std::numeric_limits<double>::infinity() : kLowest + kBinWidth * bin;
    points.push_back(
        {.threshold = 1.0 / (1.0 + std::exp(-edge)),
         .genuine_stopped = static_cast<double>(genuine_above) / static_cast<double>(totals_[0]),
         .fraud_caught = static_cast<double>(fraud_above) / static_cast<double>(totals_[1])});
  }
  return points;
}

}  // namespace p2psim
