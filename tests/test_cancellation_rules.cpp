// The cancellation limits and their ladder of bans (sim/world/cancellation_rules.hpp).
#include "world/cancellation_rules.hpp"

#include <gtest/gtest.h>

namespace p2psim {
namespace {

constexpr Seconds kNoon = 12 * kHour;

// Limits of 5 before paying and 3 after marking paid, and the default ladder of bans.
CancellationRuleConfig five_and_three() {
  CancellationRuleConfig config;
  config.max_cancels_before_paying = 5;
  config.max_cancels_after_marking_paid = 3;
  return config;
}

TEST(CancellationRules, CancelsUpToTheLimitAreAllowed) {
  CancellationRuleConfig config = five_and_three();
  CancellationRules rules(config);
  CancellationRecord record;
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(rules.record_cancel(record, CancelStage::kBeforePaying, kNoon + i));
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(rules.record_cancel(record, CancelStage::kAfterMarkingPaid, kNoon + 10 + i));
  }
  EXPECT_FALSE(rules.is_banned(record, kNoon + 20));
}

// Cancellations 6, 7, 8, 9 before paying ban for 15, 30, 60, 240 minutes, each from the moment
// of the cancellation; the 10th and later ban for the rest of the day.
TEST(CancellationRules, EachCancelOverTheLimitClimbsTheLadder) {
  CancellationRuleConfig config = five_and_three();
  CancellationRules rules(config);
  CancellationRecord record;
  Seconds now = kHour;
  for (int i = 0; i < 5; ++i)
    rules.record_cancel(record, CancelStage::kBeforePaying, now);
  for (double minutes : {15.0, 30.0, 60.0, 240.0}) {
    ASSERT_TRUE(rules.record_cancel(record, CancelStage::kBeforePaying, now));
    EXPECT_NEAR(rules.banned_until(record), now + minutes * kMinute, 0.01) << minutes;
    EXPECT_TRUE(rules.is_banned(record, now + minutes * kMinute - 1.0));
    EXPECT_FALSE(rules.is_banned(record, now + minutes * kMinute + 1.0));
    now += minutes * kMinute + 1.0;  // the user cancels again as soon as the ban ends
  }
  ASSERT_TRUE(rules.record_cancel(record, CancelStage::kBeforePaying, now));
  EXPECT_TRUE(rules.is_banned(record, kDay - 1.0));
  EXPECT_FALSE(rules.is_banned(record, kDay + 1.0));  // the ban ends at midnight
}

TEST(CancellationRules, AfterMarkingPaidHasItsOwnLimitAndSharesTheLadder) {
  CancellationRuleConfig config = five_and_three();
  CancellationRules rules(config);
  CancellationRecord record;
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(rules.record_cancel(record, CancelStage::kAfterMarkingPaid, kNoon));
  }
  ASSERT_TRUE(rules.record_cancel(record, CancelStage::kAfterMarkingPaid, kNoon));
  EXPECT_NEAR(rules.banned_until(record), kNoon + 15 * kMinute, 0.01);
  // Before-paying cancellations count apart, but a ban they cause takes the next rung.
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(rules.record_cancel(record, CancelStage::kBeforePaying, kNoon + kHour));
  ASSERT_TRUE(rules.record_cancel(record, CancelStage::kBeforePaying, kNoon + kHour));
  EXPECT_NEAR(rules.banned_until(record), kNoon + kHour + 30 * kMinute, 0.01);
}

TEST(CancellationRules, CountsAndLadderRestartAtMidnight) {
  CancellationRuleConfig config = five_and_three();
  CancellationRules rules(config);
  CancellationRecord record;
  const Seconds late = kDay - 10 * kMinute;
  for (int i = 0; i < 9; ++i)
    rules.record_cancel(record, CancelStage::kBeforePaying, late);
  EXPECT_TRUE(rules.is_banned(record, kDay - 1.0));  // a 240-minute ban, cut at midnight
  EXPECT_FALSE(rules.is_banned(record, kDay));
  // The next day starts from zero: five cancellations are free, the sixth is 15 minutes.
  const Seconds next = kDay + kNoon;
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(rules.record_cancel(record, CancelStage::kBeforePaying, next));
  ASSERT_TRUE(rules.record_cancel(record, CancelStage::kBeforePaying, next));
  EXPECT_NEAR(rules.banned_until(record), next + 15 * kMinute, 0.01);
}

TEST(CancellationRules, ALaterRungNeverShortensABanAlreadyRunning) {
  CancellationRuleConfig config = five_and_three();
  config.max_cancels_before_paying = 0;
  config.ban_minutes = {120.0, 10.0};  // an odd ladder, to show the rule
  CancellationRules rules(config);
  CancellationRecord record;
  ASSERT_TRUE(rules.record_cancel(record, CancelStage::kBeforePaying, kNoon));
  ASSERT_TRUE(rules.record_cancel(record, CancelStage::kBeforePaying, kNoon + kMinute));
  EXPECT_NEAR(rules.banned_until(record), kNoon + 120 * kMinute, 0.01);
}

}  // namespace
}  // namespace p2psim
