// The shipped six-market example, run as a whole world: every currency's money is conserved
// across markets, each market trades in its own currency, and the presets' characters show
// (fraud of several typologies, freezes where bank accounts are frozen, rates that move).
#include <gtest/gtest.h>

#include <set>

#include "scenario/scenario_loader.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

const Scenario& six_markets() {
  static const Scenario scenario =
      load_scenario(P2PSIM_SOURCE_DIR "/scenarios/examples/six_markets.toml");
  return scenario;
}

TEST(Marketplace, SixMarketsConserveMoneyInEveryCurrency) {
  World world(six_markets().world, 0);
  ASSERT_TRUE(world.run());
  const Ledger& ledger = world.ledger();
  // USDT plus one fiat currency per market.
  ASSERT_EQ(ledger.currency_count(), six_markets().world.markets.size() + 1);
  for (CurrencyId currency = 0; currency < ledger.currency_count(); ++currency) {
    EXPECT_EQ(ledger.net_balance(currency), 0) << "currency " << currency;
  }
}

TEST(Marketplace, EveryMarketTradesAndShowsItsCharacter) {
  World world(six_markets().world, 0);
  ASSERT_TRUE(world.run());
  const ReplicationOutcome outcome = world.outcome();
  std::set<std::string> markets;
  std::set<std::uint8_t> typologies;
  for (const FraudLabel& label : outcome.fraud_labels)
    typologies.insert(label.typology);
  // Each preset has its own fraud mix; together they cover most typologies.
  EXPECT_GE(typologies.size(), 5u);
  double freeze_days = 0.0;
  for (const MarketTally& tally : outcome.markets) {
    if (tally.market == "all") continue;
    markets.insert(tally.market);
    EXPECT_GT(tally.period.orders_completed, 0u) << tally.market;
    if (tally.market == "in") freeze_days = tally.period.merchant_freeze_days;
  }
  EXPECT_EQ(markets, (std::set<std::string>{"ar", "br", "in", "ke", "ng", "tr"}));
  // The India-like preset freezes merchant accounts that receive stolen money.
  EXPECT_GT(freeze_days, 0.0);
}

}  // namespace
}  // namespace p2psim
