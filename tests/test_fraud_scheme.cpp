// Tests of the per-typology fraud schemes and of a user's intent built on the typology list.
#include "world/fraud_scheme.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "world/stream_purpose.hpp"

namespace p2psim {
namespace {

Order order_of(FraudTypology typology, TradeSide side) {
  Order order;
  order.intent = UserIntent(typology);
  order.side = side;
  return order;
}

TEST(UserIntent, IsGenuineOrOneTypology) {
  EXPECT_TRUE(UserIntent::kGenuine.genuine());
  EXPECT_TRUE(UserIntent().genuine());
  for (int t = 0; t < kFraudTypologyCount; ++t) {
    const auto typology = static_cast<FraudTypology>(t);
    const UserIntent intent(typology);
    EXPECT_FALSE(intent.genuine());
    EXPECT_EQ(intent.typology(), typology);
    EXPECT_EQ(typology_of(intent), t);
    EXPECT_TRUE(intent == typology);
    EXPECT_NE(intent, UserIntent::kGenuine);
  }
  static_assert(sizeof(UserIntent) == 1, "an intent fits the byte the records keep for it");
}

TEST(FraudScheme, EachTypologyHasItsOwnScheme) {
  std::set<const FraudScheme*> schemes;
  for (int t = 0; t < kFraudTypologyCount; ++t) {
    schemes.insert(&FraudScheme::of(static_cast<FraudTypology>(t)));
  }
  EXPECT_EQ(schemes.size(), static_cast<std::size_t>(kFraudTypologyCount));
  EXPECT_EQ(&FraudScheme::of(UserIntent(FraudTypology::kTriangulation)),
            &FraudScheme::of(FraudTypology::kTriangulation));
}

TEST(FraudTypology, NamesAreUniqueScenarioWords) {
  std::set<std::string> names;
  for (const char* name : kFraudTypologyNames) {
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(std::string(name).find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string::npos)
        << name;
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kFraudTypologyCount));
}

TEST(FraudScheme, EachSchemeGivesItsTypologysDefaults) {
  // Pinned: the documented defaults (docs/scenarios.md) come from the schemes' files.
  const FraudConfig fraud;
  const FraudTypologyConfig plain;
  EXPECT_EQ(fraud[FraudTypology::kNonPayment].bearer, LossBearer::kMerchant);
  EXPECT_EQ(fraud[FraudTypology::kTriangulation].hours_between_attempts,
            plain.hours_between_attempts);
  EXPECT_EQ(fraud[FraudTypology::kPromotionAbuse].hours_between_attempts, 2.0);
  EXPECT_EQ(fraud[FraudTypology::kPromotionAbuse].order_usd_median, 15.0);
  EXPECT_EQ(fraud[FraudTypology::kPromotionAbuse].order_usd_sigma, 0.3);
  EXPECT_EQ(fraud[FraudTypology::kPromotionAbuse].bearer, LossBearer::kPlatform);
  EXPECT_EQ(fraud[FraudTypology::kAccountTakeover].bearer, LossBearer::kUser);
  EXPECT_EQ(fraud[FraudTypology::kMuleStructuring].attempts_per_account, 8.0);
  EXPECT_EQ(fraud[FraudTypology::kMuleStructuring].hours_between_attempts, 1.0);
  EXPECT_EQ(fraud[FraudTypology::kMerchantExitScam].bearer, LossBearer::kUser);
  const StepUpConfig step_up;
  for (int t = 0; t < kFraudTypologyCount; ++t) {
    const bool takeover = t == static_cast<int>(FraudTypology::kAccountTakeover);
    EXPECT_EQ(step_up.fraud_fail_probability[t], takeover ? 0.8 : 0.5) << kFraudTypologyNames[t];
  }
}

TEST(FraudScheme, EachDefaultBearerIsOneTheSchemeAllows) {
  const FraudConfig fraud;
  for (int t = 0; t < kFraudTypologyCount; ++t) {
    const std::span<const LossBearer> allowed =
        FraudScheme::of(static_cast<FraudTypology>(t)).allowed_bearers();
    EXPECT_FALSE(allowed.empty()) << kFraudTypologyNames[t];
    EXPECT_NE(std::find(allowed.begin(), allowed.end(), fraud.typology(t).bearer), allowed.end())
        << kFraudTypologyNames[t];
  }
  const std::span<const LossBearer> promotion =
      FraudScheme::of(FraudTypology::kPromotionAbuse).allowed_bearers();
  EXPECT_EQ(std::vector<LossBearer>(promotion.begin(), promotion.end()),
            std::vector<LossBearer>{LossBearer::kPlatform});
}

TEST(FraudScheme, OnlyNonPayersAndAScammerPayingASellerSendNoFiat) {
  for (int t = 0; t < kFraudTypologyCount; ++t) {
    const auto typology = static_cast<FraudTypology>(t);
    const bool buys_unpaid = typology == FraudTypology::kNonPayment;
    const bool sells_unpaid = buys_unpaid || typology == FraudTypology::kMerchantExitScam;
    const FraudScheme& scheme = FraudScheme::of(typology);
    EXPECT_EQ(scheme.pays_fiat(order_of(typology, TradeSide::kUserBuys)), !buys_unpaid) << t;
    EXPECT_EQ(scheme.pays_fiat(order_of(typology, TradeSide::kUserSells)), !sells_unpaid) << t;
  }
}

TEST(FraudScheme, TraitsFollowTheTypologies) {
  for (int t = 0; t < kFraudTypologyCount; ++t) {
    const auto typology = static_cast<FraudTypology>(t);
    const FraudScheme& scheme = FraudScheme::of(typology);
    EXPECT_EQ(scheme.needs_reversible_method(), typology == FraudTypology::kPaymentReversal) << t;
    EXPECT_EQ(scheme.reverses_order(), typology != FraudTypology::kMuleStructuring) << t;
    EXPECT_EQ(scheme.loss_is_payout(), typology == FraudTypology::kPromotionAbuse) << t;
    EXPECT_EQ(scheme.never_releases(), typology == FraudTypology::kMerchantExitScam) << t;
    EXPECT_EQ(scheme.pays_victim_outside(), typology == FraudTypology::kAccountTakeover ||
                                                typology == FraudTypology::kMerchantExitScam)
        << t;
    EXPECT_EQ(scheme.revealed_at_appeal(), typology == FraudTypology::kNonPayment ||
                                               typology == FraudTypology::kMerchantExitScam)
        << t;
  }
}

TEST(FraudScheme, MuleOrdersStayJustUnderTheThreshold) {
  FraudTypologyConfig settings{.threshold_usd = 1000.0};
  User user{};
  user.stream = RandomStream(7, 0, stream_id(kUserStream, 0, 1));
  const FraudScheme& mule = FraudScheme::of(FraudTypology::kMuleStructuring);
  for (int i = 0; i < 200; ++i) {
    const double usd = mule.order_usd(user, settings);
    EXPECT_LT(usd, 1000.0);
    EXPECT_GE(usd, 999.99 * 0.85);
  }
}

TEST(FraudScheme, AccountTakeoverSellsFromAnAgedAccount) {
  FraudTypologyConfig settings{.account_age_days_median = 300.0};
  User user{};
  user.stream = RandomStream(7, 0, stream_id(kUserStream, 0, 2));
  user.side = TradeSide::kUserBuys;
  double created_day = 10.0;
  FraudScheme::of(FraudTypology::kAccountTakeover).shape_account(user, created_day, settings);
  EXPECT_EQ(user.side, TradeSide::kUserSells);
  EXPECT_LT(created_day, 0.0);
  double untouched = 10.0;
  FraudScheme::of(FraudTypology::kNonPayment).shape_account(user, untouched, settings);
  EXPECT_EQ(untouched, 10.0);
}

}  // namespace
}  // namespace p2psim
