#pragma once
// Independent, reproducible random streams for common random numbers.
//
// Every agent and every independent source of randomness draws from its own stream, identified
// by (seed, replication, entity, purpose). A stream is Random123's Philox4x32-10 in counter mode:
// the seed is the key and (block, replication, entity, purpose) is the counter, so two streams
// never share a block and a change in how often one agent draws cannot shift any other agent's
// draws. Distributions come from Boost.Random, whose algorithms are fixed across platforms
// (unlike the standard library's), so the same seed gives the same numbers everywhere.
#include <Random123/philox.h>

#include <cstdint>
#include <limits>

namespace p2psim {

struct StreamId {
  std::uint32_t entity;   // dense id of the agent, or 0 for a world-wide source
  std::uint32_t purpose;  // which kind of randomness: arrivals, a user's behaviour, support...
};

class RandomStream {
 public:
  using result_type = std::uint32_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  RandomStream() = default;
  RandomStream(std::uint64_t seed, std::uint32_t replication, StreamId id)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
        replication_(replication),
        entity_(id.entity),
        purpose_(id.purpose) {}

  result_type operator()() {
    if (position_ == 4) refill();
    return buffer_[position_++];
  }

  // How many 128-bit blocks this stream has consumed; a stream's position is fully described by
  // its id and this count.
  std::uint32_t blocks_used() const { return next_block_; }

 private:
  void refill() {
    using Philox = r123::Philox4x32;
    Philox::ctr_type counter = {{next_block_++, replication_, entity_, purpose_}};
    Philox::ctr_type block = Philox()(counter, key_);
    for (int i = 0; i < 4; ++i)
      buffer_[i] = block[i];
    position_ = 0;
  }

  r123::Philox4x32::key_type key_ = {{0, 0}};
  std::uint32_t replication_ = 0;
  std::uint32_t entity_ = 0;
  std::uint32_t purpose_ = 0;
  std::uint32_t next_block_ = 0;
  std::uint32_t buffer_[4] = {0, 0, 0, 0};
  std::uint8_t position_ = 4;
};

// A uniform double in [0, 1) built from 53 random bits (two draws), so that probabilities as small
// as 1e-9 are resolved.
inline double uniform01(RandomStream& stream) {
  std::uint64_t high = stream() >> 5;  // 27 bits
  std::uint64_t low = stream() >> 6;   // 26 bits
  return static_cast<double>((high << 26) | low) * (1.0 / 9007199254740992.0);
}

inline bool bernoulli(RandomStream& stream, double probability) {
  return uniform01(stream) < probability;
}

double exponential(RandomStream& stream, double mean);
double lognormal_from_median(RandomStream& stream, double median, double sigma);
double standard_normal(RandomStream& stream);
// A geometric count on {1, 2, ...} with the given mean (>= 1).
std::uint32_t geometric_count(RandomStream& stream, double mean);
// A Poisson count on {0, 1, ...} with the given mean (>= 0).
std::uint32_t poisson_count(RandomStream& stream, double mean);

}  // namespace p2psim
