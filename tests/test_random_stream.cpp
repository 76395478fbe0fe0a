// Tests of the random streams: reproducibility, separation of streams (the common-random-numbers
// property) and the moments of the derived distributions.
//
// Every statistical assertion uses a fixed seed and a tolerance derived from theory: a statistic
// with standard error se must lie within 4 se of its expectation (a two-sided 4-sigma band, so a
// correct generator fails a given check with probability about 6e-5; with a fixed seed the outcome
// is deterministic anyway, and the band is never tuned to a particular run).
#include "core/random_stream.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

namespace p2psim {
namespace {

constexpr std::uint64_t kSeed = 0x5EED5EED1234ULL;
constexpr int kDraws = 100000;

std::vector<std::uint32_t> draw_raw(RandomStream stream, int count) {
  std::vector<std::uint32_t> values(count);
  for (auto& value : values)
    value = stream();
  return values;
}

// ---- reproducibility and separation -------------------------------------------------------------

TEST(RandomStream, SameIdentityGivesSameSequence) {
  RandomStream a(kSeed, 3, StreamId{17, 5});
  RandomStream b(kSeed, 3, StreamId{17, 5});
  for (int i = 0; i < 10000; ++i)
    ASSERT_EQ(a(), b()) << "draw " << i;
}

TEST(RandomStream, CopyContinuesTheSameSequence) {
  RandomStream original(kSeed, 0, StreamId{1, 1});
  for (int i = 0; i < 7; ++i)
    original();  // mid-block
  RandomStream copy = original;
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(original(), copy());
}

TEST(RandomStream, EveryComponentOfTheIdentitySeparatesStreams) {
  const auto base = draw_raw(RandomStream(kSeed, 3, StreamId{17, 5}), 64);
  const std::vector<std::vector<std::uint32_t>> variants = {
      draw_raw(RandomStream(kSeed + 1, 3, StreamId{17, 5}), 64),             // seed
      draw_raw(RandomStream(kSeed + (1ULL << 32), 3, StreamId{17, 5}), 64),  // seed's high word
      draw_raw(RandomStream(kSeed, 4, StreamId{17, 5}), 64),                 // replication
      draw_raw(RandomStream(kSeed, 3, StreamId{18, 5}), 64),                 // entity
      draw_raw(RandomStream(kSeed, 3, StreamId{17, 6}), 64),                 // purpose
      draw_raw(RandomStream(kSeed, 3, StreamId{5, 17}), 64),                 // entity <-> purpose
  };
  for (std::size_t v = 0; v < variants.size(); ++v) {
    // Two different 32-bit streams agree at a given position with probability 2^-32, so over 64
    // positions any agreement at all is already suspicious; allow none.
    int equal = 0;
    for (int i = 0; i < 64; ++i)
      equal += base[i] == variants[v][i];
    EXPECT_EQ(equal, 0) << "variant " << v;
  }
}

// The common-random-numbers property: how much one stream is used never shifts another's draws.
TEST(RandomStream, DrawingFromOneStreamDoesNotShiftAnother) {
  const auto reference = draw_raw(RandomStream(kSeed, 1, StreamId{2, 9}), 1000);

  RandomStream a(kSeed, 1, StreamId{1, 9});
  RandomStream b(kSeed, 1, StreamId{2, 9});
  std::vector<std::uint32_t> observed;
  for (int i = 0; i < 1000; ++i) {
    for (int extra = 0; extra < i % 13; ++extra)
      a();                      // A draws an irregular amount between
    (void)exponential(a, 1.0);  // uses of B, through distributions too
    observed.push_back(b());
  }
  EXPECT_EQ(observed, reference);
}

TEST(RandomStream, BlocksUsedCountsFourDrawsPerBlock) {
  RandomStream stream(kSeed, 0, StreamId{0, 0});
  EXPECT_EQ(stream.blocks_used(), 0u);
  stream();
  EXPECT_EQ(stream.blocks_used(), 1u);
  for (int i = 0; i < 3; ++i)
    stream();
  EXPECT_EQ(stream.blocks_used(), 1u);
  stream();
  EXPECT_EQ(stream.blocks_used(), 2u);
  (void)uniform01(stream);  // two draws
  EXPECT_EQ(stream.blocks_used(), 2u);
  (void)uniform01(stream);
  EXPECT_EQ(stream.blocks_used(), 3u);
}

// Draws of neighbouring streams (adjacent entities, as the world assigns them) are uncorrelated:
// the sample correlation of n independent pairs has standard error 1/sqrt(n).
TEST(RandomStream, NeighbouringStreamsAreUncorrelated) {
  for (std::uint32_t entity = 0; entity < 3; ++entity) {
    RandomStream a(kSeed, 0, StreamId{entity, 6});
    RandomStream b(kSeed, 0, StreamId{entity + 1, 6});
    double sum_ab = 0.0, sum_a = 0.0, sum_b = 0.0, sum_aa = 0.0, sum_bb = 0.0;
    for (int i = 0; i < kDraws; ++i) {
      double x = uniform01(a), y = uniform01(b);
      sum_a += x;
      sum_b += y;
      sum_ab += x * y;
      sum_aa += x * x;
      sum_bb += y * y;
    }
    const double n = kDraws;
    double covariance = sum_ab / n - (sum_a / n) * (sum_b / n);
    double correlation = covariance / std::sqrt((sum_aa / n - std::pow(sum_a / n, 2)) *
                                                (sum_bb / n - std::pow(sum_b / n, 2)));
    EXPECT_NEAR(correlation, 0.0, 4.0 / std::sqrt(n)) << "entity " << entity;
  }
}

// ---- distributions ------------------------------------------------------------------------------

TEST(RandomStream, Uniform01LiesInHalfOpenUnitInterval) {
  RandomStream stream(kSeed, 0, StreamId{0, 1});
  double low = 1.0, high = 0.0;
  for (int i = 0; i < kDraws; ++i) {
    double u = uniform01(stream);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    low = std::min(low, u);
    high = std::max(high, u);
  }
  // The extremes of n uniforms are within 1/n of the ends on average; 20/n is a loose bound
  // (P(min > 20/n) = (1 - 20/n)^n ~ e^-20).
  EXPECT_LT(low, 20.0 / kDraws);
  EXPECT_GT(high, 1.0 - 20.0 / kDraws);
}

TEST(RandomStream, Uniform01MeanAndVarianceMatchTheory) {
  RandomStream stream(kSeed, 0, StreamId{0, 2});
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < kDraws; ++i) {
    double u = uniform01(stream);
    sum += u;
    sum_sq += u * u;
  }
  const double n = kDraws;
  double mean = sum / n;
  double variance = (sum_sq - n * mean * mean) / (n - 1);
  // Mean: 1/2 with standard error sqrt(Var U / n) = sqrt(1/12 / n).
  EXPECT_NEAR(mean, 0.5, 4.0 * std::sqrt(1.0 / 12.0 / n));
  // Sample variance: 1/12 with standard error sqrt((mu4 - sigma^4) / n), where for U(0,1) the
  // fourth central moment mu4 = 1/80 and sigma^4 = 1/144.
  EXPECT_NEAR(variance, 1.0 / 12.0, 4.0 * std::sqrt((1.0 / 80.0 - 1.0 / 144.0) / n));
}

// Pearson's chi-square over 100 equal bins of uniform01: the statistic is chi-square with 99
// degrees of freedom; the bound is its 0.9999 quantile.
TEST(RandomStream, Uniform01PassesChiSquareOnHundredBins) {
  constexpr int kBins = 100;
  RandomStream stream(kSeed, 7, StreamId{3, 3});
  std::vector<int> counts(kBins, 0);
  for (int i = 0; i < kDraws; ++i)
    ++counts[static_cast<int>(uniform01(stream) * kBins)];
  const double expected = static_cast<double>(kDraws) / kBins;
  double chi_square = 0.0;
  for (int count : counts)
    chi_square += (count - expected) * (count - expected) / expected;
  boost::math::chi_squared distribution(kBins - 1);
  EXPECT_LT(chi_square, boost::math::quantile(distribution, 0.9999));
}

TEST(RandomStream, BernoulliFrequencyMatchesProbability) {
  RandomStream stream(kSeed, 0, StreamId{0, 4});
  for (double p : {0.02, 0.3, 0.5, 0.97}) {
    int hits = 0;
    for (int i = 0; i < kDraws; ++i)
      hits += bernoulli(stream, p);
    // Binomial: standard error of the frequency sqrt(p (1 - p) / n).
    EXPECT_NEAR(hits / static_cast<double>(kDraws), p, 4.0 * std::sqrt(p * (1 - p) / kDraws))
        << "p = " << p;
  }
  int never = 0, always = 0;
  for (int i = 0; i < 1000; ++i) {
    never += bernoulli(stream, 0.0);
    always += bernoulli(stream, 1.0);
  }
  EXPECT_EQ(never, 0);
  EXPECT_EQ(always, 1000);
}

TEST(RandomStream, ExponentialMeanMatchesWithinFourStandardErrors) {
  RandomStream stream(kSeed, 0, StreamId{0, 5});
  for (double mean : {0.5, 30.0, 7.0 * 86400.0}) {
    double sum = 0.0, sum_sq = 0.0;
    for (int i = 0; i < kDraws; ++i) {
      double x = exponential(stream, mean);
      ASSERT_GE(x, 0.0);
      sum += x;
      sum_sq += x * x;
    }
    const double n = kDraws;
    // An exponential's standard deviation equals its mean: standard error mean / sqrt(n).
    EXPECT_NEAR(sum / n, mean, 4.0 * mean / std::sqrt(n)) << "mean " << mean;
    // Its second moment is 2 mean^2; Var(X^2) = E X^4 - (E X^2)^2 = 24 m^4 - 4 m^4 = 20 m^4.
    EXPECT_NEAR(sum_sq / n, 2.0 * mean * mean, 4.0 * std::sqrt(20.0 / n) * mean * mean);
  }
}

TEST(RandomStream, StandardNormalMomentsMatchTheory) {
  RandomStream stream(kSeed, 0, StreamId{0, 6});
  double sum = 0.0, sum_sq = 0.0;
  int below_one = 0;
  for (int i = 0; i < kDraws; ++i) {
    double z = standard_normal(stream);
    sum += z;
    sum_sq += z * z;
    below_one += z < 1.0;
  }
  const double n = kDraws;
  EXPECT_NEAR(sum / n, 0.0, 4.0 / std::sqrt(n));
  // E Z^2 = 1 and Var Z^2 = 2.
  EXPECT_NEAR(sum_sq / n, 1.0, 4.0 * std::sqrt(2.0 / n));
  // Phi(1) = 0.841345, binomial standard error.
  const double phi_one = 0.8413447460685429;
  EXPECT_NEAR(below_one / n, phi_one, 4.0 * std::sqrt(phi_one * (1 - phi_one) / n));
}

TEST(RandomStream, GeometricCountHasRequestedMeanAndSupport) {
  RandomStream stream(kSeed, 0, StreamId{0, 7});
  for (double mean : {1.5, 2.0, 10.0}) {
    double sum = 0.0;
    int ones = 0;
    for (int i = 0; i < kDraws; ++i) {
      std::uint32_t k = geometric_count(stream, mean);
      ASSERT_GE(k, 1u);
      sum += k;
      ones += k == 1;
    }
    const double n = kDraws;
    // Geometric on {1, 2, ...} with success probability p = 1/mean: variance (1 - p) / p^2 =
    // mean (mean - 1).
    EXPECT_NEAR(sum / n, mean, 4.0 * std::sqrt(mean * (mean - 1.0) / n)) << "mean " << mean;
    // P(N = 1) = p, binomial standard error.
    const double p = 1.0 / mean;
    EXPECT_NEAR(ones / n, p, 4.0 * std::sqrt(p * (1 - p) / n)) << "mean " << mean;
  }
}

TEST(RandomStream, PoissonCountHasRequestedMeanAndZeroShare) {
  RandomStream stream(kSeed, 0, StreamId{0, 9});
  for (double mean : {0.2, 3.0}) {
    double sum = 0.0;
    int zeros = 0;
    for (int i = 0; i < kDraws; ++i) {
      std::uint32_t k = poisson_count(stream, mean);
      sum += k;
      zeros += k == 0;
    }
    const double n = kDraws;
    // Poisson: variance = mean; P(N = 0) = exp(-mean) with a binomial standard error.
    EXPECT_NEAR(sum / n, mean, 4.0 * std::sqrt(mean / n)) << "mean " << mean;
    const double p = std::exp(-mean);
    EXPECT_NEAR(zeros / n, p, 4.0 * std::sqrt(p * (1 - p) / n)) << "mean " << mean;
  }
  EXPECT_EQ(poisson_count(stream, 0.0), 0u);
}

TEST(RandomStream, GeometricCountWithMeanAtMostOneIsAlwaysOne) {
  RandomStream stream(kSeed, 0, StreamId{0, 8});
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(geometric_count(stream, 1.0), 1u);
    ASSERT_EQ(geometric_count(stream, 0.3), 1u);
  }
}

TEST(RandomStream, LognormalFromMedianHasTheRequestedMedianAndSpread) {
  RandomStream stream(kSeed, 0, StreamId{0, 9});
  const double median = 100.0, sigma = 0.9;
  double sum_log = 0.0, sum_log_sq = 0.0;
  int below = 0;
  for (int i = 0; i < kDraws; ++i) {
    double x = lognormal_from_median(stream, median, sigma);
    ASSERT_GT(x, 0.0);
    below += x < median;
    sum_log += std::log(x);
    sum_log_sq += std::log(x) * std::log(x);
  }
  const double n = kDraws;
  // The count below the median is Binomial(n, 1/2): standard error of the share 0.5 / sqrt(n).
  EXPECT_NEAR(below / n, 0.5, 4.0 * 0.5 / std::sqrt(n));
  // log X ~ Normal(log median, sigma^2): mean has standard error sigma / sqrt(n), the sample
  // variance sigma^2 sqrt(2 / n).
  double mean_log = sum_log / n;
  EXPECT_NEAR(mean_log, std::log(median), 4.0 * sigma / std::sqrt(n));
  double variance_log = (sum_log_sq - n * mean_log * mean_log) / (n - 1);
  EXPECT_NEAR(variance_log, sigma * sigma, 4.0 * sigma * sigma * std::sqrt(2.0 / n));
}

TEST(RandomStream, LognormalWithZeroSigmaIsTheMedian) {
  RandomStream stream(kSeed, 0, StreamId{0, 10});
  for (int i = 0; i < 100; ++i)
    EXPECT_DOUBLE_EQ(lognormal_from_median(stream, 42.0, 0.0), 42.0);
}

}  // namespace
}  // namespace p2psim
