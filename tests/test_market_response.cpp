// Tests of how merchants' margins and users' demand respond to the reference rate: the
// equations of docs/model.md, "Reference rate, prices and demand", term by term.
#include "world/market_response.hpp"

#include <gtest/gtest.h>

namespace p2psim {
namespace {

MerchantConfig merchants(double volatility_factor, double inventory_bps) {
  MerchantConfig settings;
  settings.min_margin_bps = 5.0;
  settings.usdt_inventory = 20000.0;
  settings.volatility_margin_factor = volatility_factor;
  settings.inventory_margin_bps = inventory_bps;
  return settings;
}

TEST(MarketResponse, DefaultsKeepTheMerchantsOwnMargin) {
  const MerchantConfig settings;  // no volatility factor, no inventory response
  for (double held : {0.0, 20000.0, 90000.0}) {
    AdMargins margins = ad_margins(80.0, 0.3, held, settings);
    EXPECT_EQ(margins.sell_bps, 80.0);
    EXPECT_EQ(margins.buy_bps, 80.0);
  }
}

// w = 0.05 x |D| x 10,000: a 30% move, up or down, widens both ads by 150 bps.
TEST(MarketResponse, RateMovesWidenBothAds) {
  const MerchantConfig settings = merchants(0.05, 0.0);
  for (double change : {0.3, -0.3}) {
    AdMargins margins = ad_margins(80.0, change, 20000.0, settings);
    EXPECT_NEAR(margins.sell_bps, 230.0, 1e-9);
    EXPECT_NEAR(margins.buy_bps, 230.0, 1e-9);
  }
}

// s = 20 x clamp(held / 20,000 - 1, -1, 1): long USDT undercuts the sell ad and lowers the buy
// ad's price (a wider buy margin); short does the opposite; the shift is capped at 20 bps.
TEST(MarketResponse, InventoryLeansPricesAgainstThePosition) {
  const MerchantConfig settings = merchants(0.0, 20.0);
  AdMargins on_target = ad_margins(80.0, 0.0, 20000.0, settings);
  EXPECT_EQ(on_target.sell_bps, 80.0);
  EXPECT_EQ(on_target.buy_bps, 80.0);
  AdMargins long_half = ad_margins(80.0, 0.0, 30000.0, settings);  // 50% above target
  EXPECT_NEAR(long_half.sell_bps, 70.0, 1e-9);
  EXPECT_NEAR(long_half.buy_bps, 90.0, 1e-9);
  AdMargins very_long = ad_margins(80.0, 0.0, 100000.0, settings);  // capped at +1
  EXPECT_NEAR(very_long.sell_bps, 60.0, 1e-9);
  EXPECT_NEAR(very_long.buy_bps, 100.0, 1e-9);
  AdMargins empty = ad_margins(80.0, 0.0, 0.0, settings);  // short: -1
  EXPECT_NEAR(empty.sell_bps, 100.0, 1e-9);
  EXPECT_NEAR(empty.buy_bps, 60.0, 1e-9);
}

TEST(MarketResponse, MarginsStayWithinTheFloorAndFiveThousandBps) {
  const MerchantConfig settings = merchants(1.0, 20.0);
  AdMargins undercut = ad_margins(10.0, 0.0, 100000.0, settings);  // 10 - 20 below the floor
  EXPECT_EQ(undercut.sell_bps, 5.0);
  AdMargins crisis = ad_margins(80.0, 0.9, 20000.0, settings);  // 80 + 9000 bps
  EXPECT_EQ(crisis.sell_bps, kMaxMarginBps);
  EXPECT_EQ(crisis.buy_bps, kMaxMarginBps);
}

// g = min(cap, 1 + k x max(0, S)): depreciation only, capped.
TEST(MarketResponse, DemandGrowsWithDepreciationUpToTheCap) {
  UserConfig users;
  users.devaluation_demand_factor = 4.0;
  users.max_demand_multiplier = 3.0;
  EXPECT_EQ(demand_multiplier(0.0, users), 1.0);
  EXPECT_EQ(demand_multiplier(-0.2, users), 1.0);  // the currency gaining value: no surge
  EXPECT_NEAR(demand_multiplier(0.3, users), 2.2, 1e-12);
  EXPECT_EQ(demand_multiplier(0.8, users), 3.0);
  EXPECT_EQ(demand_multiplier(0.5, UserConfig{}), 1.0);  // factor 0 by default
}

// competing = max(min(floor, ask), min(ask, best other - undercut)), side by side.
TEST(MarketResponse, ACompetingMerchantUndercutsTheBestOtherAdWithinItsFloorAndAsk) {
  const AdMargins ask{80.0, 80.0};
  const AdMargins floor{30.0, 30.0};
  // Sell side: the best other ad at 50 is undercut to 48. Buy side: the best other ad at 31 would
  // take it to 29, below its floor: it stays at 30.
  AdMargins quoted = competing_margins(ask, floor, {50.0, 31.0}, 2.0);
  EXPECT_EQ(quoted.sell_bps, 48.0);
  EXPECT_EQ(quoted.buy_bps, 30.0);
  // Nobody else quotes (infinity) or the best other is above its ask: it keeps its ask.
  quoted = competing_margins(ask, floor, {BestMargins::kNone, 200.0}, 2.0);
  EXPECT_EQ(quoted.sell_bps, 80.0);
  EXPECT_EQ(quoted.buy_bps, 80.0);
  // An ask below the floor is kept: competition never raises an ad.
  quoted = competing_margins({20.0, 20.0}, floor, {10.0, 100.0}, 2.0);
  EXPECT_EQ(quoted.sell_bps, 20.0);
  EXPECT_EQ(quoted.buy_bps, 20.0);
}

TEST(MarketResponse, TheBestOtherMarginIsTheSecondLowestForTheLowestOwner) {
  BestMargins book;
  EXPECT_EQ(book.other_than(0), BestMargins::kNone);
  book.offer(3, 40.0);
  EXPECT_EQ(book.other_than(3), BestMargins::kNone);  // alone on its side
  book.offer(5, 25.0);
  book.offer(7, 30.0);
  book.offer(9, 60.0);
  EXPECT_EQ(book.other_than(5), 30.0);
  EXPECT_EQ(book.other_than(7), 25.0);
  EXPECT_EQ(book.other_than(3), 25.0);
}

}  // namespace
}  // namespace p2psim
