// The resolved scenario as JSON and its hash: every default written, shocks as the scenario
// writes them, and a hash that moves with any one value.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "scenario/scenario_json.hpp"
#include "two_market_scenario.hpp"

namespace p2psim {
namespace {

TEST(ScenarioHash, MatchesFnv1aTestVectors) {
  EXPECT_EQ(fnv1a_64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a_64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a_64("foobar"), 0x85944171f73967e8ULL);
}

TEST(ScenarioHash, IsStableForTheSameScenario) {
  std::string hash = scenario_hash(two_market_scenario());
  EXPECT_EQ(hash.size(), 16u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(scenario_hash(two_market_scenario()), hash);
}

TEST(ScenarioHash, ChangesWhenAnyOneValueChanges) {
  const std::string original = scenario_hash(two_market_scenario());
  auto changed = [&](auto change) {
    Scenario scenario = two_market_scenario();
    change(scenario);
    return scenario_hash(scenario);
  };
  EXPECT_NE(changed([](Scenario& s) { s.description += "."; }), original);
  EXPECT_NE(changed([](Scenario& s) { s.world.simulation.seed = 43; }), original);
  EXPECT_NE(changed([](Scenario& s) { s.world.markets[1].users.daily_visitors += 0.5; }), original);
  EXPECT_NE(changed([](Scenario& s) { s.world.markets[0].users.profile.hourly[23] = 0.61; }),
            original);
  EXPECT_NE(changed([](Scenario& s) {
              s.world.markets[0].fraud[FraudTypology::kNonPayment].bearer = LossBearer::kPlatform;
            }),
            original);
  EXPECT_NE(changed([](Scenario& s) { s.world.markets[0].payment_methods[1].reversible = true; }),
            original);
  EXPECT_NE(changed([](Scenario& s) { s.world.markets[1].support.agents = 6; }), original);
  // Keys of the merchants' economics and of the payment methods' limits and freezes.
  EXPECT_NE(changed([](Scenario& s) { s.world.markets[0].merchants.daily_cost_usd = 5.0; }),
            original);
  EXPECT_NE(changed([](Scenario& s) { s.world.markets[0].merchants.online_hours = 12; }), original);
  EXPECT_NE(
      changed([](Scenario& s) { s.world.markets[0].rules.merchant_eligibility.enabled = true; }),
      original);
  EXPECT_NE(
      changed([](Scenario& s) { s.world.markets[0].payment_methods[0].freeze_probability = 0.5; }),
      original);
  EXPECT_NE(changed([](Scenario& s) { s.world.markets[0].payment_methods[0].max_order_usd = 9.0; }),
            original);
}

TEST(ScenarioJson, IncludesDefaultsProfilesAndBearerNames) {
  nlohmann::ordered_json json = scenario_json(two_market_scenario());
  EXPECT_EQ(json["name"], "baseline");
  EXPECT_EQ(json["simulation"]["seed"], 42);
  const auto& market = json["markets"][0];
  EXPECT_EQ(market["code"], "NG");
  EXPECT_EQ(market["users"]["initial_users"], 10000);
  EXPECT_EQ(market["users"]["profile"]["hourly"].size(), 24u);
  EXPECT_EQ(market["users"]["profile"]["weekly"].size(), 7u);
  EXPECT_EQ(market["merchants"]["capacity"], 10);
  EXPECT_EQ(market["fraud"]["non_payment"]["bearer"], "merchant");
  EXPECT_EQ(market["fraud"]["payment_reversal"]["bearer"], "platform");
  EXPECT_EQ(market["payment_methods"][1]["name"], "mobile_money");
  EXPECT_EQ(market["payment_methods"][1]["enabled"], true);
  EXPECT_TRUE(market["payment_methods"][1]["max_order_usd"].is_null());  // no limit
  EXPECT_EQ(market["rate"]["volatility_per_year"], 0.0);
  EXPECT_EQ(json["shocks"].size(), 0u);
}

TEST(ScenarioJson, WritesShocksAsTheScenarioDoes) {
  Scenario scenario = two_market_scenario();
  scenario.world.shocks = {
      {.day = 3, .market = 0, .key = ShockKey::kPaymentMethodEnabled, .payment_method = 1},
      {.day = 4, .market = 1, .key = ShockKey::kRateJump, .value = 0.25}};
  nlohmann::ordered_json json = scenario_json(scenario);
  ASSERT_EQ(json["shocks"].size(), 2u);
  EXPECT_EQ(json["shocks"][0]["day"], 3);
  EXPECT_EQ(json["shocks"][0]["market"], "NG");
  EXPECT_EQ(json["shocks"][0]["key"], "payment_methods.mobile_money.enabled");
  EXPECT_EQ(json["shocks"][0]["value"], false);
  EXPECT_EQ(json["shocks"][1]["key"], "rate.jump");
  EXPECT_EQ(json["shocks"][1]["value"], 0.25);
  EXPECT_NE(scenario_hash(scenario), scenario_hash(two_market_scenario()));
}

}  // namespace
}  // namespace p2psim
