#include "core/random_stream.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

namespace p2psim {

double exponential(RandomStream& stream, double mean) {
  boost::random::exponential_distribution<double> distribution(1.0);
  return mean * distribution(stream);
}

double standard_normal(RandomStream& stream) {
  boost::random::normal_distribution<double> distribution(0.0, 1.0);
  return distribution(stream);
}

double lognormal_from_median(RandomStream& stream, double median, double sigma) {
  return median * std::exp(sigma * standard_normal(stream));
}

std::uint32_t geometric_count(RandomStream& stream, double mean) {
  if (mean <= 1.0) return 1;
  // P(N = k) = (1 - q) q^(k-1) with q = 1 - 1/mean; inversion of the survival function.
  double q = 1.0 - 1.0 / mean;
  double u = 1.0 - uniform01(stream);  // in (0, 1]
  return 1 + static_cast<std::uint32_t>(std::floor(std::log(u) / std::log(q)));
}

std::uint32_t poisson_count(RandomStream& stream, double mean) {
  if (mean <= 0.0) return 0;
  boost::random::poisson_distribution<std::uint32_t, double> distribution(mean);
  return distribution(stream);
}

}  // namespace p2psim
