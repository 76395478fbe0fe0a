// Tests of CampaignBudgets (sim/world/campaign_budgets.hpp): a campaign's budget and each
// recipient's cap, with the last payout paid partially.
#include "world/campaign_budgets.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace p2psim {
namespace {

constexpr double kUnlimited = std::numeric_limits<double>::infinity();

TEST(CampaignBudgets, ABudgetThatRunsOutStopsPayoutsOnTheRightDay) {
  // 30 USD a day against 100 USD: 30, 60, 90 by day 2; day 3 gets the last 10 and exhausts it.
  CampaignBudgets budgets;
  const std::size_t campaign = budgets.add_campaign(100.0, kUnlimited);
  for (std::int32_t day = 0; day < 6; ++day) {
    const double paid = budgets.grant(campaign, Recipient::kUser, 7, 30.0, day);
    EXPECT_DOUBLE_EQ(paid, day < 3 ? 30.0 : (day == 3 ? 10.0 : 0.0)) << "day " << day;
    EXPECT_EQ(budgets.exhausted_day(campaign), day < 3 ? -1 : 3);
  }
  EXPECT_DOUBLE_EQ(budgets.spent(campaign), 100.0);
  EXPECT_DOUBLE_EQ(budgets.remaining(campaign), 0.0);
}

TEST(CampaignBudgets, CapsWhatEachRecipientReceives) {
  CampaignBudgets budgets;
  const std::size_t campaign = budgets.add_campaign(kUnlimited, 12.0);
  budgets.reserve(10, 2);
  EXPECT_DOUBLE_EQ(budgets.grant(campaign, Recipient::kUser, 3, 5.0, 0), 5.0);
  EXPECT_DOUBLE_EQ(budgets.grant(campaign, Recipient::kUser, 3, 5.0, 0), 5.0);
  EXPECT_DOUBLE_EQ(budgets.grant(campaign, Recipient::kUser, 3, 5.0, 0), 2.0);  // partial
  EXPECT_DOUBLE_EQ(budgets.grant(campaign, Recipient::kUser, 3, 5.0, 1), 0.0);
  // Another user, and a merchant numbered like that user, have their own caps.
  EXPECT_DOUBLE_EQ(budgets.grant(campaign, Recipient::kUser, 4, 5.0, 1), 5.0);
  EXPECT_DOUBLE_EQ(budgets.grant(campaign, Recipient::kMerchant, 3, 20.0, 1), 12.0);
  EXPECT_DOUBLE_EQ(budgets.recipient_room(campaign, Recipient::kUser, 4), 7.0);
  EXPECT_FALSE(budgets.exhausted(campaign));
  EXPECT_DOUBLE_EQ(budgets.spent(campaign), 29.0);
}

TEST(CampaignBudgets, NothingIsPaidForNothing) {
  CampaignBudgets budgets;
  const std::size_t campaign = budgets.add_campaign(10.0, kUnlimited);
  EXPECT_EQ(budgets.grant(campaign, Recipient::kUser, 0, 0.0, 0), 0.0);
  EXPECT_EQ(budgets.grant(campaign, Recipient::kUser, 0, -3.0, 0), 0.0);
  EXPECT_DOUBLE_EQ(budgets.remaining(campaign), 10.0);
}

}  // namespace
}  // namespace p2psim
