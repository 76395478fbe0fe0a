#pragma once
// Which arm a unit of a split experiment is in, and where its per-unit metrics are booked
// (docs/experiments.md). Users and merchants are randomised by a hash of their id, the seed and
// the replication; a switchback's time blocks by a hash of their index. Nothing is stored: the
// hash is cheaper than a lookup, and the same (seed, replication) always gives the same arms.
// The treatment starts when the warm-up ends; before that every unit runs the control.
#include <cstdint>
#include <limits>

#include "core/time.hpp"
#include "metrics/unit_metrics.hpp"
#include "world/agents.hpp"
#include "world/world_config.hpp"

namespace p2psim {

// One splitmix64 finalisation step: spreads a key's bits over the whole word.
std::uint64_t splitmix64(std::uint64_t value);

// Whether the unit whose key is `key` is in the treatment: the hash of the key, the seed and the
// replication, read as a uniform number in [0, 1), below `allocation`.
bool unit_in_treatment(std::uint64_t key, std::uint64_t seed, std::uint32_t replication,
                       double allocation);

class SplitAssignment {
 public:
  // Where a booking lands in the flat array of unit values, or nowhere.
  static constexpr std::uint32_t kNoSlot = kNoUnit;  // a fact with no unit

  SplitAssignment() = default;  // no split: everything runs the control and nothing is booked
  SplitAssignment(const SplitConfig& config, std::uint32_t replication, Seconds treatment_start,
                  Seconds horizon);

  bool active() const { return unit_ != SplitUnit::kNone; }
  SplitUnit unit() const { return unit_; }
  // The arm (0 control, 1 treatment) deciding for an order of `user` with `merchant` (kNobody
  // when not matched yet) at `time`. In a merchant split what happens before a merchant is known
  // (sign-up, the offers users respond to) runs the control, unless every unit is treated.
  std::uint8_t arm(UserId user, MerchantId merchant, Seconds time) const;
  // The chance that an account appearing at `time` responds to the treatment's offers: what
  // promotion-abuse rings expect when they decide to come.
  double treated_share(Seconds time) const;
  std::uint8_t arm_of_unit(std::uint32_t id) const;
  std::uint8_t arm_of_block(std::uint32_t block) const;
  // Where what happens to that order is booked: the unit's experiment or pre-period values, or
  // kNoSlot (no split, no merchant yet in a merchant split, a switchback's burn-in or warm-up).
  std::uint32_t slot(UserId user, MerchantId merchant, std::uint16_t market, Seconds time) const;
  // Switchback: the whole blocks from the treatment's start to the horizon; a remainder shorter
  // than a block runs its arm too but is not measured.
  std::uint32_t blocks() const { return blocks_; }
  // The unit a switchback block of `market` is booked to.
  std::uint32_t block_unit(std::uint16_t market, std::uint32_t block) const {
    return market * blocks_ + block;
  }

 private:
  SplitUnit unit_ = SplitUnit::kNone;
  double allocation_ = 0.0;
  std::uint64_t seed_ = 0;
  std::uint32_t replication_ = 0;
  Seconds start_ = 0.0;
  Seconds block_ = 0.0;
  Seconds burn_in_ = 0.0;
  std::uint32_t blocks_ = 0;
};

}  // namespace p2psim
