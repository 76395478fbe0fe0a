// Tests of what a merchant's margins come from (docs/model.md, Prices, Competition and capital):
// its own margin alone, the loss premium judged against at least its capital, and the competing
// book of the ads that can take an order.
#include "world/merchant_pricing.hpp"

#include <gtest/gtest.h>

namespace p2psim {
namespace {

// Two merchants holding 1,000 USDT each, no fiat, with own margins of 80 and 60 bps.
struct TwoMerchants {
  Ledger ledger;
  MerchantRecords merchants;
  MerchantConfig settings;
  MerchantPricing pricing{ledger, merchants};

  TwoMerchants() {
    const AccountId outside = ledger.open_account(0);
    for (double margin : {80.0, 60.0}) {
      Merchant merchant{};
      merchant.usdt_account = ledger.open_account(0);
      merchant.first_fiat_account = ledger.open_account(1);
      merchant.accepted_methods = 1;
      merchant.margin_bps = margin;
      merchant.sell_margin_bps = margin;
      merchant.buy_margin_bps = margin;
      merchant.buy_price = 1000.0;
      ledger.transfer(outside, merchant.usdt_account, to_micro_usdt(1000.0));
      pricing.add_merchant(merchant, settings);
      merchants.push_back(merchant);
    }
  }
};

TEST(MerchantPricing, WithoutLossesOrCompetitionAMerchantAsksItsOwnMargin) {
  TwoMerchants market;
  const AdMargins margins = market.pricing.margins(MerchantId(0), {}, 0.0, market.settings);
  EXPECT_EQ(margins.sell_bps, 80.0);
  EXPECT_EQ(margins.buy_bps, 80.0);
}

// p = k x 10,000 x L / max(V, capital): with the default capital of 40,000 USD, a 20 USD loss
// on 10,000 USD traded is judged against 40,000 (5 bps); on 100,000 traded, against that (2 bps).
TEST(MerchantPricing, TheLossPremiumIsJudgedAgainstAtLeastTheCapital) {
  TwoMerchants market;
  market.settings.loss_pricing_weight = 1.0;
  market.pricing.record_trade(MerchantId(0), 10000.0);
  market.pricing.record_loss(MerchantId(0), 20.0);
  EXPECT_NEAR(market.pricing.margins(MerchantId(0), {}, 0.0, market.settings).sell_bps, 85.0, 1e-9);
  market.pricing.record_trade(MerchantId(0), 90000.0);
  EXPECT_NEAR(market.pricing.margins(MerchantId(0), {}, 0.0, market.settings).sell_bps, 82.0, 1e-9);
  // A claw-back of the whole loss takes the premium away.
  market.pricing.record_loss(MerchantId(0), -20.0);
  EXPECT_EQ(market.pricing.margins(MerchantId(0), {}, 0.0, market.settings).sell_bps, 80.0);
}

TEST(MerchantPricing, OnlyAdsThatCanTakeTheSmallestOrderCompete) {
  TwoMerchants market;
  const std::vector<MerchantId> ids = {MerchantId(0), MerchantId(1)};
  // Both hold 1,000 USDT: both sell ads compete; with no fiat, no buy ad does.
  std::array<BestMargins, 2> book = market.pricing.competing_book(ids, 10.0);
  EXPECT_EQ(book[0].other_than(0), 60.0);
  EXPECT_EQ(book[0].other_than(1), 80.0);
  EXPECT_EQ(book[1].lowest, BestMargins::kNone);
  // An order of 2,000 USD is beyond both: nothing competes.
  book = market.pricing.competing_book(ids, 2000.0);
  EXPECT_EQ(book[0].lowest, BestMargins::kNone);
  // A merchant offline does not compete.
  market.merchants[MerchantId(1)].online = false;
  book = market.pricing.competing_book(ids, 10.0);
  EXPECT_EQ(book[0].other_than(0), BestMargins::kNone);
}

}  // namespace
}  // namespace p2psim
