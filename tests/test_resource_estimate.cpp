// Tests of the resource estimate made before any world is built (experiment/resource_estimate):
// what it counts and how it scales. Its agreement with a measured peak is checked end to end by
// tests/memory_estimate.py (CTest memory_estimate).
#include "experiment/resource_estimate.hpp"

#include <gtest/gtest.h>

#include "small_market.hpp"
#include "world/incentive_campaign.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

Scenario scenario_of(std::uint32_t initial_users, std::uint32_t replications) {
  Scenario scenario;
  scenario.world.simulation.days = 10;
  scenario.world.simulation.replications = replications;
  scenario.world.markets.push_back(small_market("NG", "NGN"));
  scenario.world.markets[0].users.initial_users = initial_users;
  return scenario;
}

TEST(ResourceEstimate, EachInitialUserAddsOneAccountsRecords) {
  const ResourceEstimate small = estimate_resources(scenario_of(1000, 1), 1, 1);
  const ResourceEstimate large = estimate_resources(scenario_of(101000, 1), 1, 1);
  EXPECT_DOUBLE_EQ(large.accounts - small.accounts, 100000.0);
  EXPECT_EQ(large.bytes_per_world - small.bytes_per_world, 100000 * World::bytes_per_account());
  EXPECT_EQ(large.peak_bytes - small.peak_bytes, 100000 * World::bytes_per_account());
}

TEST(ResourceEstimate, WorldsAtOnceAreTheThreadsOrTheWorldsOfThisRank) {
  EXPECT_EQ(estimate_resources(scenario_of(1000, 8), 2, 1).worlds_at_once, 2u);
  EXPECT_EQ(estimate_resources(scenario_of(1000, 8), 16, 1).worlds_at_once, 8u);
  EXPECT_EQ(estimate_resources(scenario_of(1000, 8), 16, 4).worlds_at_once, 2u);
  const ResourceEstimate one = estimate_resources(scenario_of(100000, 8), 1, 1);
  const ResourceEstimate four = estimate_resources(scenario_of(100000, 8), 4, 1);
  EXPECT_EQ(one.worlds, 8u);
  EXPECT_EQ(four.peak_bytes - one.peak_bytes, 3 * one.bytes_per_world);
}

// Far past any machine: the figure stays finite and says so, rather than wrapping.
TEST(ResourceEstimate, ATerabyteRunIsEstimatedNotWrapped) {
  Scenario scenario = scenario_of(4000000000u, 100000);
  scenario.world.simulation.days = 3650;
  const ResourceEstimate estimate = estimate_resources(scenario, 1024, 1);
  EXPECT_GT(estimate.peak_bytes, std::uint64_t{1} << 40);
  EXPECT_NE(resource_estimate_text(estimate).find(" TiB at peak"), std::string::npos)
      << resource_estimate_text(estimate);
}

// 100 visitors a day for 10 days, registering with `registration`, referring nobody.
Scenario visitors_of(double registration) {
  Scenario scenario = scenario_of(1000, 1);
  UserConfig& users = scenario.world.markets[0].users;
  users.daily_visitors = 100.0;
  users.registration_probability = registration;
  users.referrals_per_user = 0.0;
  return scenario;
}

ShockConfig visitor_shock(std::uint32_t day, double value) {
  return {.day = day, .market = 0, .key = ShockKey::kDailyVisitors, .value = value};
}

// A shock raising the visitors from day 4 of 10 counts its six days at the new rate.
TEST(ResourceEstimate, AVisitorShockCountsFromItsDay) {
  const Scenario calm = visitors_of(0.5);
  Scenario shocked = calm;
  shocked.world.shocks.push_back(visitor_shock(4, 10100.0));
  const double added =
      estimate_resources(shocked, 1, 1).accounts - estimate_resources(calm, 1, 1).accounts;
  EXPECT_DOUBLE_EQ(added, 6 * (10100.0 - 100.0) * 0.5);
}

// Shocks apply in day order whatever their order in the file, and of two on one day the later
// one in the file holds, as in the world: visitors 100 on days 0-1, 200 on 2-5, 400 on 6-9.
TEST(ResourceEstimate, ShocksApplyInDayOrderAndFileOrderWithinADay) {
  Scenario scenario = visitors_of(1.0);
  const double calm = estimate_resources(scenario, 1, 1).accounts;
  scenario.world.shocks = {visitor_shock(6, 300.0), visitor_shock(2, 200.0),
                           visitor_shock(6, 400.0)};
  EXPECT_DOUBLE_EQ(estimate_resources(scenario, 1, 1).accounts - calm,
                   4 * (200.0 - 100.0) + 4 * (400.0 - 100.0));
}

// A sign-up bonus: its hook is never reached by an estimate.
class SignUpBonus final : public IncentiveCampaign {
 public:
  SignUpBonus(CampaignTerms terms, double usd) : IncentiveCampaign(std::move(terms)), usd_(usd) {}
  IncentiveOffer on_trade(const TradeFacts&) const override { return {}; }
  double sign_up_offer_usd() const override { return usd_; }

 private:
  double usd_;
};

// Rings come at accounts_per_day x bonus / reference_bonus_usd on the campaign's days and not at
// all on the others of a market it targets (docs/model.md, Fees and incentives): a 100 USD bonus
// on days 2 to 6 against the 10 USD reference is 10 x the base rate for 5 days instead of 10 days
// at the base rate.
TEST(ResourceEstimate, ABonusDrawsPromotionAbuseRingsOnItsDays) {
  Scenario plain = scenario_of(1000, 1);
  for (int typology = 0; typology < kFraudTypologyCount; ++typology)
    plain.world.markets[0].fraud.typology(typology).accounts_per_day = 0.0;
  FraudTypologyConfig& abuse = plain.world.markets[0].fraud[FraudTypology::kPromotionAbuse];
  abuse.accounts_per_day = 2.0;
  abuse.ring_size_mean = 5.0;
  abuse.reference_bonus_usd = 10.0;
  Scenario bonus = plain;
  bonus.world.incentives.push_back(std::make_shared<SignUpBonus>(
      CampaignTerms{.kind = "bonus", .markets = {true}, .start_day = 2, .end_day = 6}, 100.0));
  const double without = estimate_resources(plain, 1, 1).accounts;
  const double with = estimate_resources(bonus, 1, 1).accounts;
  EXPECT_DOUBLE_EQ(with - without, (5 * 2.0 * 10.0 - 10 * 2.0) * 5.0);
  // Capped at the per-user cap: a 4 USD cap makes the bonus 0.4 x the reference.
  bonus.world.incentives[0] = std::make_shared<SignUpBonus>(
      CampaignTerms{.kind = "bonus", .markets = {true}, .per_user_cap_usd = 4.0}, 100.0);
  EXPECT_DOUBLE_EQ(estimate_resources(bonus, 1, 1).accounts - without,
                   (10 * 2.0 * 0.4 - 10 * 2.0) * 5.0);
}

// In a split world the treatment's campaigns draw rings too: a bonus only the treatment arm pays
// is counted as if the whole market were offered it (an upper bound).
TEST(ResourceEstimate, ATreatmentArmsBonusDrawsRingsToo) {
  Scenario control = scenario_of(1000, 1);
  FraudTypologyConfig& abuse = control.world.markets[0].fraud[FraudTypology::kPromotionAbuse];
  abuse.accounts_per_day = 2.0;
  abuse.reference_bonus_usd = 10.0;
  const CampaignTerms terms{.kind = "bonus", .markets = {true}};
  Scenario bonus_for_all = control;
  bonus_for_all.world.incentives.push_back(std::make_shared<SignUpBonus>(terms, 100.0));
  auto treatment = std::make_shared<WorldConfig>(bonus_for_all.world);
  Scenario split = control;
  split.world.split.unit = SplitUnit::kUser;
  split.world.split.treatment = treatment;
  EXPECT_DOUBLE_EQ(estimate_resources(split, 1, 1).accounts,
                   estimate_resources(bonus_for_all, 1, 1).accounts);
  EXPECT_GT(estimate_resources(split, 1, 1).accounts, estimate_resources(control, 1, 1).accounts);
}

}  // namespace
}  // namespace p2psim
