#pragma once
// How a risk score ranked the orders it screened, genuine against fraudulent: counts on bins of
// the score's log-odds (a quarter wide, from -16 to 16, the ends open), mergeable across days,
// markets and replications. From it, the curves of report.html's risk section (the catch rate
// against the share of genuine orders stopped, as the threshold moves) and score_roc_auc.
// A quarter of log-odds is a relative step of about 28% in the odds: fine enough for a threshold
// among probabilities from 1e-7 to 1 - 1e-7.
#include <array>
#include <cstdint>
#include <vector>

namespace p2psim {

class ScoreHistogram {
 public:
  static constexpr double kLowest = -16.0;  // the first bin's lower edge (it holds all below)
  static constexpr double kBinWidth = 0.25;
  static constexpr int kBins = 128;

  // A log-odds that is not a number ranks nothing and is not counted.
  void add(bool genuine, double log_odds);
  void merge(const ScoreHistogram& other);
  std::uint64_t count(bool genuine) const { return totals_[genuine ? 0 : 1]; }

  // The probability that a fraudulent order scores above a genuine one, ties (the same bin)
  // counting one half: the area under the curve below. NaN without orders of both kinds.
  double roc_auc() const;

  // The curve's corners, from the strictest threshold to the loosest: at each bin's lower edge
  // (a probability), the shares of genuine and of fraudulent orders scoring at or above it.
  // Only edges where a share changes; empty without orders of both kinds.
  struct Point {
    double threshold;  // probability
    double genuine_stopped;
    double fraud_caught;
  };
  std::vector<Point> curve() const;

 private:
  static int bin_of(double log_odds);

  // [genuine, fraudulent][bin]; 64 bits: the report pools every replication
  std::array<std::array<std::uint64_t, kBins>, 2> bins_{};
  std::array<std::uint64_t, 2> totals_{};
};

}  // namespace p2psim
