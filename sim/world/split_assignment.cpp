#include "world/split_assignment.hpp"

#include <cassert>
#include <cmath>

#include "world/agents.hpp"

namespace p2psim {
std::uint64_t splitmix64(std::uint64_t value) {
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31);
}

bool unit_in_treatment(std::uint64_t key, std::uint64_t seed, std::uint32_t replication,
                       double allocation) {
  std::uint64_t mixed =
      splitmix64(key ^ splitmix64(seed + 0x9E3779B97F4A7C15ULL * (replication + 1)));
  double uniform = static_cast<double>(mixed >> 11) * 0x1.0p-53;
  return uniform < allocation;
}

SplitAssignment::SplitAssignment(const SplitConfig& config, std::uint32_t replication,
                                 Seconds treatment_start, Seconds horizon)
    : unit_(config.unit),
      allocation_(config.allocation),
      seed_(config.assignment_seed),
      replication_(replication),
      start_(treatment_start),
      block_(config.block_hours * kHour),
      burn_in_(config.burn_in_hours * kHour) {
  if (unit_ != SplitUnit::kTimeBlock) return;
  assert(block_ > 0.0 && burn_in_ < block_ && "the reader checks block and burn-in");
  blocks_ = static_cast<std::uint32_t>(std::floor((horizon - start_) / block_));
}

std::uint8_t SplitAssignment::arm_of_unit(std::uint32_t id) const {
  // Ids and block indices get different keys, so a user and a block never share a draw.
  return unit_in_treatment(2 * static_cast<std::uint64_t>(id), seed_, replication_, allocation_)
             ? 1
             : 0;
}

std::uint8_t SplitAssignment::arm_of_block(std::uint32_t block) const {
  return unit_in_treatment(2 * static_cast<std::uint64_t>(block) + 1, seed_, replication_,
                           allocation_)
             ? 1
             : 0;
}

std::uint8_t SplitAssignment::arm(UserId user, MerchantId merchant, Seconds time) const {
  if (time < start_) return 0;
  switch (unit_) {
    case SplitUnit::kNone:
      return 0;
    case SplitUnit::kUser:
      return arm_of_unit(user.index());
    case SplitUnit::kMerchant:
      if (merchant == kNobody) return allocation_ >= 1.0 ? 1 : 0;
      return arm_of_unit(merchant.index());
    case SplitUnit::kTimeBlock:
      return arm_of_block(static_cast<std::uint32_t>((time - start_) / block_));
  }
  return 0;
}

double SplitAssignment::treated_share(Seconds time) const {
  if (time < start_) return 0.0;
  switch (unit_) {
    case SplitUnit::kUser:
      return allocation_;
    case SplitUnit::kMerchant:
    case SplitUnit::kTimeBlock:
      return arm(kNobody, kNobody, time);
    case SplitUnit::kNone:
      break;
  }
  return 0.0;
}

std::uint32_t SplitAssignment::slot(UserId user, MerchantId merchant, std::uint16_t market,
                                    Seconds time) const {
  const std::uint32_t period = time < start_ ? kUnitMetricCount : 0;
  switch (unit_) {
    case SplitUnit::kNone:
      return kNoSlot;
    case SplitUnit::kUser:
      return user.index() * kUnitMomentSize + period;
    case SplitUnit::kMerchant:
      if (merchant == kNobody) return kNoSlot;
      return merchant.index() * kUnitMomentSize + period;
    case SplitUnit::kTimeBlock: {
      if (time < start_) return kNoSlot;  // blocks have no warm-up of their own
      const auto block = static_cast<std::uint32_t>((time - start_) / block_);
      if (time - start_ - block * block_ < burn_in_ || block >= blocks_) return kNoSlot;
      return block_unit(market, block) * kUnitMomentSize;
    }
  }
  return kNoSlot;
}

}  // namespace p2psim
