// Tests of each market's daily KPI tallies: today follows the world's clock.
#include "world/daily_tallies.hpp"

#include <gtest/gtest.h>

namespace p2psim {
namespace {

TEST(DailyTallies, TodayFollowsTheClock) {
  Seconds now = 0.0;
  DailyTallies tallies(now);
  tallies.add_market(3, 2);
  tallies.add_market(3, 4);
  ++tallies.today(1).visitors;
  now = 2 * kDay + kHour;
  ++tallies.today(1).visitors;
  ++tallies.today(1).visitors;
  EXPECT_EQ(tallies.days(1)[0].visitors, 1u);
  EXPECT_EQ(tallies.days(1)[1].visitors, 0u);
  EXPECT_EQ(tallies.day(1, 2).visitors, 2u);
  EXPECT_EQ(tallies.days(0)[2].visitors, 0u);
}

TEST(DailyTallies, EachDayHasALossSlotPerPaymentMethod) {
  Seconds now = 0.0;
  DailyTallies tallies(now);
  tallies.add_market(2, 3);
  for (const KpiCounters& day : tallies.days(0)) {
    EXPECT_EQ(day.fraud_loss_by_method_usd.size(), 3u);
  }
}

}  // namespace
}  // namespace p2psim
