#include "metrics/duration_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace p2psim {

void DurationHistogram::add(double seconds) {
  double position = seconds <= 1.0 ? 0.0 : std::log10(seconds) * kBinsPerDecade;
  int bin = std::clamp(static_cast<int>(position), 0, kBins - 1);
  ++bins_[bin];
  ++count_;
}

void DurationHistogram::merge(const DurationHistogram& other) {
  for (int bin = 0; bin < kBins; ++bin)
    bins_[bin] += other.bins_[bin];
  count_ += other.count_;
}

double DurationHistogram::quantile(double q) const {
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  double target = q * static_cast<double>(count_);
  double below = 0.0;
  for (int bin = 0; bin < kBins; ++bin) {
    double in_bin = bins_[bin];
    if (in_bin > 0 && below + in_bin >= target) {
      double fraction = (target - below) / in_bin;
      return std::pow(10.0, (bin + fraction) / kBinsPerDecade);
    }
    below += in_bin;
  }
  return std::pow(10.0, static_cast<double>(kDecades));
}

}  // namespace p2psim
