// Tests of the mergeable duration histogram: quantiles within the documented relative bin width,
// and merging equal to adding everything to one histogram.
#include "metrics/duration_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/random_stream.hpp"

namespace p2psim {
namespace {

// Bins are 1/40 of a decade wide: a bin's upper edge is 10^(1/40) = 1.0593 times its lower edge,
// the "6%" of the header.
const double kBinRatio = std::pow(10.0, 1.0 / DurationHistogram::kBinsPerDecade);

// The q-quantile of a sample as the order statistic of rank ceil(q n). The histogram finds the
// first bin whose cumulative count reaches q n; that bin holds this order statistic, and the
// interpolated estimate lies in the same bin, so the two differ by less than a factor kBinRatio.
double exact_quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  std::size_t rank = static_cast<std::size_t>(std::ceil(q * values.size()));
  return values[std::max<std::size_t>(rank, 1) - 1];
}

void expect_quantiles_within_a_bin(const std::vector<double>& values,
                                   const DurationHistogram& histogram) {
  for (double q : {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99}) {
    double exact = exact_quantile(values, q);
    double estimate = histogram.quantile(q);
    EXPECT_LE(estimate / exact, kBinRatio) << "q = " << q;
    EXPECT_GE(estimate / exact, 1.0 / kBinRatio) << "q = " << q;
  }
}

TEST(DurationHistogram, BinWidthIsAboutSixPercent) {
  EXPECT_NEAR(kBinRatio - 1.0, 0.06, 0.001);
  EXPECT_EQ(DurationHistogram::kBins, 280);
}

TEST(DurationHistogram, EmptyHistogramHasNoQuantile) {
  DurationHistogram histogram;
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_TRUE(std::isnan(histogram.quantile(0.5)));
}

TEST(DurationHistogram, QuantilesOfAUniformGridAreWithinOneBin) {
  std::vector<double> values;
  DurationHistogram histogram;
  for (int s = 1; s <= 10000; ++s) {
    values.push_back(s);
    histogram.add(s);
  }
  EXPECT_EQ(histogram.count(), 10000u);
  expect_quantiles_within_a_bin(values, histogram);
  // Spot values: the median of 1..10000 is 5000.
  EXPECT_NEAR(histogram.quantile(0.5), 5000.0, 5000.0 * (kBinRatio - 1));
}

TEST(DurationHistogram, QuantilesOfLognormalOrderTimesAreWithinOneBin) {
  // Order completion times: median 8 minutes, wide spread, from seconds to days.
  RandomStream stream(12, 0, StreamId{0, 0});
  std::vector<double> values;
  DurationHistogram histogram;
  for (int i = 0; i < 50000; ++i) {
    double seconds = lognormal_from_median(stream, 480.0, 1.5);
    values.push_back(seconds);
    histogram.add(seconds);
  }
  expect_quantiles_within_a_bin(values, histogram);
}

TEST(DurationHistogram, SingleValueQuantilesStayInItsBin) {
  DurationHistogram histogram;
  for (int i = 0; i < 10; ++i)
    histogram.add(3600.0);
  for (double q : {0.1, 0.5, 0.99}) {
    EXPECT_GE(histogram.quantile(q), 3600.0 / kBinRatio);
    EXPECT_LT(histogram.quantile(q), 3600.0 * kBinRatio);
  }
}

TEST(DurationHistogram, QuantilesAreMonotoneInQ) {
  RandomStream stream(13, 0, StreamId{0, 0});
  DurationHistogram histogram;
  for (int i = 0; i < 5000; ++i)
    histogram.add(exponential(stream, 900.0));
  double previous = 0.0;
  for (double q = 0.01; q < 1.0; q += 0.01) {
    double value = histogram.quantile(q);
    EXPECT_GE(value, previous) << "q = " << q;
    previous = value;
  }
}

TEST(DurationHistogram, ValuesOutsideTheRangeAreClampedToTheEndBins) {
  DurationHistogram short_ones;
  for (int i = 0; i < 100; ++i)
    short_ones.add(0.2);  // below 1 s: the first bin
  EXPECT_GE(short_ones.quantile(0.5), 1.0);
  EXPECT_LT(short_ones.quantile(0.5), kBinRatio);
  DurationHistogram long_ones;
  for (int i = 0; i < 100; ++i)
    long_ones.add(1e9);  // beyond 10^7 s: the last bin
  EXPECT_LE(long_ones.quantile(0.5), 1e7);
  EXPECT_GT(long_ones.quantile(0.5), 1e7 / kBinRatio);
  EXPECT_EQ(long_ones.count(), 100u);
}

TEST(DurationHistogram, MergeEqualsAddingAll) {
  RandomStream stream(14, 0, StreamId{0, 0});
  DurationHistogram all, first, second, third;
  for (int i = 0; i < 30000; ++i) {
    double seconds = lognormal_from_median(stream, 600.0, 1.2);
    all.add(seconds);
    (i % 3 == 0 ? first : i % 3 == 1 ? second : third).add(seconds);
  }
  DurationHistogram merged = first;
  merged.merge(second);
  merged.merge(third);
  EXPECT_EQ(merged.count(), all.count());
  for (double q = 0.005; q < 1.0; q += 0.005) {
    EXPECT_EQ(merged.quantile(q), all.quantile(q)) << "q = " << q;  // identical bins: exact
  }
  DurationHistogram empty;
  merged.merge(empty);
  EXPECT_EQ(merged.count(), all.count());
  EXPECT_EQ(merged.quantile(0.5), all.quantile(0.5));
}

}  // namespace
}  // namespace p2psim
