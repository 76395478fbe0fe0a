#pragma once
// A mergeable histogram of durations on log-spaced bins (1 s to about 116 days, 40 bins per
// decade), so percentiles of per-order times can be combined across days and markets without
// keeping every observation. The relative bin width is 6%, which bounds a quantile's error.
#include <array>
#include <cstdint>

namespace p2psim {

class DurationHistogram {
 public:
  static constexpr int kBinsPerDecade = 40;
  static constexpr int kDecades = 7;
  static constexpr int kBins = kBinsPerDecade * kDecades;

  void add(double seconds);
  void merge(const DurationHistogram& other);
  std::uint64_t count() const { return count_; }
  // The q-quantile (0 < q < 1) in seconds, interpolated log-linearly inside its bin.
  // Undefined (NaN) when the histogram is empty.
  double quantile(double q) const;

 private:
  std::array<std::uint32_t, kBins> bins_{};
  std::uint64_t count_ = 0;
};

}  // namespace p2psim
