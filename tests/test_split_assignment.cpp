// Which arm a split experiment's unit is in, and where its metrics are booked.
#include "world/split_assignment.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace p2psim {
namespace {

constexpr MerchantId kNoMerchant = kNobody;

SplitConfig config(SplitUnit unit, double allocation = 0.3) {
  return {.unit = unit,
          .treatment = nullptr,
          .allocation = allocation,
          .assignment_seed = 99,
          .block_hours = 4.0,
          .burn_in_hours = 1.0};
}

TEST(SplitAssignment, TreatsUnitsAtTheAllocationRate) {
  // 100,000 Bernoulli(0.3) draws: sd sqrt(0.3 x 0.7 / 1e5) = 0.00145; 4 sd = 0.0058.
  SplitAssignment split(config(SplitUnit::kUser), 0, kDay, 10 * kDay);
  int treated = 0;
  for (std::uint32_t id = 0; id < 100000; ++id)
    treated += split.arm_of_unit(id);
  EXPECT_NEAR(treated / 1e5, 0.3, 0.0058);
}

TEST(SplitAssignment, ReplicationsDrawNewArmsAndTheSameReplicationTheSameOnes) {
  SplitAssignment first(config(SplitUnit::kUser, 0.5), 0, kDay, 10 * kDay);
  SplitAssignment again(config(SplitUnit::kUser, 0.5), 0, kDay, 10 * kDay);
  SplitAssignment other(config(SplitUnit::kUser, 0.5), 1, kDay, 10 * kDay);
  int same = 0;
  for (std::uint32_t id = 0; id < 1000; ++id) {
    ASSERT_EQ(first.arm_of_unit(id), again.arm_of_unit(id));
    same += first.arm_of_unit(id) == other.arm_of_unit(id);
  }
  // Independent replications agree on half the units: 500 +/- 4 x 15.8.
  EXPECT_NEAR(same, 500, 64);
}

TEST(SplitAssignment, EveryUnitRunsTheControlBeforeTheTreatmentStarts) {
  SplitAssignment split(config(SplitUnit::kUser, 1.0), 0, kDay, 10 * kDay);
  EXPECT_EQ(split.arm(UserId(7), kNoMerchant, kDay - 1.0), 0);
  EXPECT_EQ(split.arm(UserId(7), kNoMerchant, kDay), 1);
}

TEST(SplitAssignment, BooksWarmUpOrdersToThePrePeriod) {
  SplitAssignment split(config(SplitUnit::kMerchant), 0, kDay, 10 * kDay);
  EXPECT_EQ(split.slot(UserId(3), MerchantId(5), 0, 0.5 * kDay),
            5 * kUnitMomentSize + kUnitMetricCount);
  EXPECT_EQ(split.slot(UserId(3), MerchantId(5), 0, 2 * kDay), 5 * kUnitMomentSize);
  // An attempt has no merchant yet: nothing to book in a merchant split.
  EXPECT_EQ(split.slot(UserId(3), kNoMerchant, 0, 2 * kDay), SplitAssignment::kNoSlot);
}

TEST(SplitAssignment, SwitchbackBlocksSkipTheirBurnInAndTheWarmUp) {
  // Treatment from day 1 to day 3: 12 blocks of 4 hours, the first hour of each not measured.
  SplitAssignment split(config(SplitUnit::kTimeBlock, 0.5), 0, kDay, 3 * kDay);
  ASSERT_EQ(split.blocks(), 12u);
  EXPECT_EQ(split.slot(UserId(0), MerchantId(0), 0, 0.5 * kDay), SplitAssignment::kNoSlot);
  EXPECT_EQ(split.slot(UserId(0), MerchantId(0), 0, kDay + 0.5 * kHour), SplitAssignment::kNoSlot);
  EXPECT_EQ(split.slot(UserId(0), MerchantId(0), 1, kDay + 5.5 * kHour),
            split.block_unit(1, 1) * kUnitMomentSize);
  // Every order of a block runs that block's arm, whoever trades.
  const Seconds in_block_2 = kDay + 9 * kHour;
  EXPECT_EQ(split.arm(UserId(1), MerchantId(2), in_block_2), split.arm_of_block(2));
  EXPECT_EQ(split.arm(UserId(8), MerchantId(9), in_block_2), split.arm_of_block(2));
}

}  // namespace
}  // namespace p2psim
