#include "lab/ranking_metrics.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

namespace p2psim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

ScoreRanking::ScoreRanking(std::span<const double> scores, std::span<const std::uint8_t> labels) {
  assert(scores.size() == labels.size());
  ranked_.reserve(scores.size());
  for (std::size_t row = 0; row < scores.size(); ++row)
    ranked_.push_back({scores[row], static_cast<std::uint32_t>(row), labels[row] != 0});
  // Values, not indices, are sorted: contiguous, and the order never depends on the sort.
  std::sort(ranked_.begin(), ranked_.end(), [](const Ranked& a, const Ranked& b) {
    return a.score != b.score ? a.score > b.score : a.row < b.row;
  });
  for (const Ranked& entry : ranked_) {
    if (groups_.empty() || groups_.back().score != entry.score)
      groups_.push_back({entry.score, 0, 0});
    (entry.positive ? groups_.back().positives : groups_.back().negatives) += 1;
    (entry.positive ? positives_ : negatives_) += 1;
  }
}

double ScoreRanking::roc_auc() const {
  if (positives_ == 0 || negatives_ == 0) return kNaN;
  // Twice the count of (positive, negative) pairs ranked right, ties counting one: exact in
  // integers (below 2^64 up to three billion rows of each class).
  std::uint64_t twice_right = 0;
  std::uint64_t negatives_below = negatives_;
  for (const Group& group : groups_) {
    negatives_below -= group.negatives;
    twice_right += group.positives * (2 * negatives_below + group.negatives);
  }
  return static_cast<double>(static_cast<long double>(twice_right) /
                             (2.0L * positives_ * negatives_));
}

double ScoreRanking::average_precision() const {
  if (positives_ == 0) return kNaN;
  double sum = 0.0;
  std::uint64_t true_positives = 0;
  std::uint64_t flagged = 0;
  for (const Group& group : groups_) {
    true_positives += group.positives;
    flagged += group.positives + group.negatives;
    if (group.positives == 0) continue;
    const double recall_step = static_cast<double>(group.positives) / positives_;
    sum += recall_step * (static_cast<double>(true_positives) / flagged);
  }
  return sum;
}

std::vector<CatchPoint> ScoreRanking::catch_curve(std::span<const double> stopped_ceilings) const {
  std::vector<CatchPoint> curve;
  for (double ceiling : stopped_ceilings) {
    std::uint64_t caught = 0;
    std::uint64_t stopped = 0;
    for (const Group& group : groups_) {
      if (static_cast<double>(stopped + group.negatives) > ceiling * negatives_) break;
      caught += group.positives;
      stopped += group.negatives;
    }
    curve.push_back({ceiling, negatives_ == 0 ? kNaN : static_cast<double>(stopped) / negatives_,
                     positives_ == 0 ? kNaN : static_cast<double>(caught) / positives_});
  }
  return curve;
}

std::vector<CalibrationBin> ScoreRanking::calibration(int bins) const {
  std::vector<CalibrationBin> result;
  const std::size_t rows = ranked_.size();
  for (int bin = 0; bin < bins; ++bin) {
    // Lowest scores first: bin 0 takes the last rows of the ranking.
    const std::size_t first = rows - rows * (bin + 1) / bins;
    const std::size_t last = rows - rows * bin / bins;
    if (first == last) continue;
    double predicted = 0.0;
    std::uint64_t positives = 0;
    for (std::size_t at = first; at < last; ++at) {
      predicted += ranked_[at].score;
      positives += ranked_[at].positive ? 1 : 0;
    }
    const double count = static_cast<double>(last - first);
    result.push_back({last - first, predicted / count, static_cast<double>(positives) / count});
  }
  return result;
}

double ScoreRanking::brier_score() const {
  if (ranked_.empty()) return kNaN;
  double sum = 0.0;
  for (const Ranked& entry : ranked_) {
    const double miss = entry.score - (entry.positive ? 1.0 : 0.0);
    sum += miss * miss;
  }
  return sum / static_cast<double>(ranked_.size());
}

double CapacityResult::precision() const {
  return reviewed == 0 ? kNaN : static_cast<double>(caught) / reviewed;
}

double CapacityResult::recall() const {
  return positives == 0 ? kNaN : static_cast<double>(caught) / positives;
}

CapacityResult precision_at_capacity(std::span<const double> scores,
                                     std::span<const std::uint8_t> labels,
                                     std::span<const std::uint64_t> groups,
                                     std::span<const std::uint64_t> tie_order,
                                     std::uint32_t capacity) {
  struct Entry {
    std::uint64_t group;
    double score;
    std::uint64_t tie;
    bool positive;
  };
  std::vector<Entry> entries;
  entries.reserve(scores.size());
  for (std::size_t row = 0; row < scores.size(); ++row)
    entries.push_back({groups[row], scores[row], tie_order[row], labels[row] != 0});
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.group != b.group) return a.group < b.group;
    if (a.score != b.score) return a.score > b.score;
    return a.tie < b.tie;
  });
  CapacityResult result;
  std::uint32_t rank = 0;
  for (std::size_t at = 0; at < entries.size(); ++at) {
    if (at > 0 && entries[at - 1].group != entries[at].group) rank = 0;
    const bool positive = entries[at].positive;
    result.positives += positive ? 1 : 0;
    if (rank++ < capacity) {
      result.reviewed += 1;
      result.caught += positive ? 1 : 0;
    }
  }
  return result;
}

}  // namespace p2psim
