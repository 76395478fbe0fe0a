// Tests of matching: the listing order of ads, the eligibility of the chosen ad, and the logit
// choice among the eligible ads a user looks at. Merchants and the ledger are built by hand.
#include "world/ad_book.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace p2psim {
namespace {

constexpr CurrencyId kUsdt = 0;
constexpr CurrencyId kFiat = 1;
constexpr double kRate = 100.0;  // fiat per USDT

// A hand-built market: merchants with ledger accounts, funded from outside accounts. Each
// merchant's margin is its sell ad's distance from the reference rate, and its logit utility is
// computed for `choice`, as the world does (World keeps Merchant::choice_utility current).
struct Market {
  ChoiceModel choice{1.0, 5.0, 10, 10.0, 2000.0};
  Ledger ledger;
  AccountId outside_usdt = ledger.open_account(kUsdt);
  AccountId outside_fiat = ledger.open_account(kFiat);
  MerchantRecords merchants;
  std::vector<MerchantId> ids;

  MerchantId add(double sell_price, double buy_price, std::uint32_t methods = 0b111,
                 double usdt = 10000.0, double fiat = 10000.0 * kRate) {
    Merchant merchant{};
    merchant.usdt_account = ledger.open_account(kUsdt);
    // One fiat account per payment method (the test market has three), each holding `fiat`.
    merchant.first_fiat_account = ledger.open_account(kFiat);
    ledger.open_account(kFiat);
    ledger.open_account(kFiat);
    merchant.accepted_methods = methods;
    merchant.sell_price = sell_price;
    merchant.buy_price = buy_price;
    merchant.sell_margin_bps = (sell_price - kRate) / kRate * 1e4;
    merchant.buy_margin_bps = (kRate - buy_price) / kRate * 1e4;
    merchant.margin_bps = merchant.sell_margin_bps;
    merchant.capacity_limit = 5;
    set_utilities(merchant);
    ledger.transfer(outside_usdt, merchant.usdt_account,
                    static_cast<MinorUnits>(std::llround(usdt * kMicroUsdtPerUsdt)));
    for (std::uint8_t method = 0; method < 3; ++method) {
      ledger.transfer(outside_fiat, merchant.fiat_account(method),
                      static_cast<MinorUnits>(std::llround(fiat * kFiatMinorPerUnit)));
    }
    MerchantId id = static_cast<MerchantId>(merchants.size());
    merchants.push_back(merchant);
    ids.push_back(id);
    return id;
  }

  void set_utilities(Merchant& merchant) const {
    merchant.choice_utility = {choice_utility(merchant, choice, TradeSide::kUserBuys),
                               choice_utility(merchant, choice, TradeSide::kUserSells)};
  }

  // Recomputes the utilities after a change of completion counts or of the choice model.
  void reweigh() {
    for (Merchant& merchant : merchants)
      set_utilities(merchant);
  }

  AdBook book() const {
    AdBook ads;
    ads.list(merchants, ids);
    return ads;
  }
};

AdRequest buy(double usd, std::uint8_t method = 0) {
  return {TradeSide::kUserBuys, 1u << method, method, usd,
          static_cast<MinorUnits>(std::llround(usd * kMicroUsdtPerUsdt))};
}
AdRequest sell(double usd, std::uint8_t method = 0) {
  return {TradeSide::kUserSells, 1u << method, method, usd,
          static_cast<MinorUnits>(std::llround(usd * kMicroUsdtPerUsdt))};
}

ChoiceModel model(double price_sensitivity, double quality_sensitivity, std::uint32_t viewed) {
  return {price_sensitivity, quality_sensitivity, viewed, 10.0, 2000.0};
}

RandomStream choice_stream(std::uint32_t entity = 0) {
  return RandomStream(8080, 0, StreamId{entity, 6});
}

// The eligibility rule of sim/world/ad_book.hpp, written out independently.
bool eligible(const Merchant& m, const AdRequest& request, const Ledger& ledger) {
  if (m.open_orders >= m.capacity_limit) return false;
  if ((m.accepted_methods & request.payment_methods) == 0) return false;
  if (request.side == TradeSide::kUserBuys) {
    return ledger.balance(m.usdt_account) >= request.usdt;
  }
  double fiat_needed = request.usd * m.buy_price * kFiatMinorPerUnit;
  return static_cast<double>(ledger.balance(m.fiat_account(request.preferred_method))) >=
         fiat_needed * (1 - 1e-12);
}

// With ads_viewed = 1 the user takes the first eligible ad, which reveals the listing order.
TEST(AdBook, BuyersSeeCheapestAdsFirst) {
  Market market;
  market.add(101.0, 99.0);  // 0
  market.add(100.5, 99.5);  // 1
  market.add(102.0, 98.0);  // 2
  market.add(100.5, 97.0);  // 3: ties with 1 on price, listed after it (higher id)
  market.add(100.2, 99.1);  // 4
  // Expected listing for buyers (sell ads): 4 (100.2), 1 (100.5), 3 (100.5), 0 (101), 2 (102).
  const std::vector<MerchantId> expected = {MerchantId(4), MerchantId(1), MerchantId(3),
                                            MerchantId(0), MerchantId(2)};
  RandomStream stream = choice_stream();
  for (MerchantId want : expected) {
    AdBook ads = market.book();
    MerchantId got =
        ads.match(buy(100.0), model(1.0, 5.0, 1), market.merchants, market.ledger, stream).merchant;
    EXPECT_EQ(got, want);
    market.merchants[got].open_orders = market.merchants[got].capacity_limit;  // now full
  }
  AdBook ads = market.book();
  EXPECT_EQ(
      ads.match(buy(100.0), model(1.0, 5.0, 1), market.merchants, market.ledger, stream).merchant,
      kNobody);
}

TEST(AdBook, SellersSeeBestPayingAdsFirst) {
  Market market;
  market.add(101.0, 99.0);  // 0
  market.add(100.5, 99.5);  // 1
  market.add(102.0, 98.0);  // 2
  market.add(100.7, 99.5);  // 3: ties with 1 on buy price, listed after it
  market.add(100.2, 99.1);  // 4
  // Expected listing for sellers (buy ads): 1 (99.5), 3 (99.5), 4 (99.1), 0 (99), 2 (98).
  const std::vector<MerchantId> expected = {MerchantId(1), MerchantId(3), MerchantId(4),
                                            MerchantId(0), MerchantId(2)};
  RandomStream stream = choice_stream();
  for (MerchantId want : expected) {
    AdBook ads = market.book();
    MerchantId got =
        ads.match(sell(100.0), model(1.0, 5.0, 1), market.merchants, market.ledger, stream)
            .merchant;
    EXPECT_EQ(got, want);
    market.merchants[got].open_orders = market.merchants[got].capacity_limit;
  }
}

// A hidden ad is skipped on its side only, and shown again it is matched again.
TEST(AdBook, HiddenAdsAreSkippedUntilShownAgain) {
  Market market;
  MerchantId best = market.add(100.2, 99.8);  // best for both sides
  MerchantId next = market.add(100.5, 99.5);
  AdBook ads = market.book();
  RandomStream stream = choice_stream();
  const ChoiceModel first_eligible = model(1.0, 5.0, 1);
  auto buyer_gets = [&] {
    return ads.match(buy(100.0), first_eligible, market.merchants, market.ledger, stream).merchant;
  };
  auto seller_gets = [&] {
    return ads.match(sell(100.0), first_eligible, market.merchants, market.ledger, stream).merchant;
  };
  EXPECT_EQ(buyer_gets(), best);
  ads.set_visible(best, TradeSide::kUserBuys, false);
  EXPECT_EQ(buyer_gets(), next);
  EXPECT_EQ(seller_gets(), best);  // its buy ad is still shown
  ads.set_visible(best, TradeSide::kUserSells, false);
  EXPECT_EQ(seller_gets(), next);
  ads.set_visible(next, TradeSide::kUserBuys, false);
  EXPECT_EQ(buyer_gets(), kNobody);
  ads.set_visible(best, TradeSide::kUserBuys, true);
  EXPECT_EQ(buyer_gets(), best);
  ads.set_visible(best, TradeSide::kUserSells, true);
  EXPECT_EQ(seller_gets(), best);
}

// The listing order after repricing, read as above with ads_viewed = 1: a full walk down the
// book, each merchant taken off (at capacity) once matched.
std::vector<MerchantId> buyer_listing(Market& market, const AdBook& ads) {
  std::vector<MerchantId> order;
  std::vector<std::uint32_t> open;
  for (const Merchant& merchant : market.merchants)
    open.push_back(merchant.open_orders);
  RandomStream stream = choice_stream();
  while (true) {
    MerchantId got =
        ads.match(buy(100.0), model(1.0, 5.0, 1), market.merchants, market.ledger, stream).merchant;
    if (got == kNobody) break;
    order.push_back(got);
    market.merchants[got].open_orders = market.merchants[got].capacity_limit;
  }
  for (std::size_t i = 0; i < open.size(); ++i)
    market.merchants[MerchantId(i)].open_orders = open[i];
  return order;
}

// Prices move (as after an hourly repricing): rerank() restores price order, and a hidden ad
// stays hidden at its new rank while shown ads stay shown.
TEST(AdBook, RerankFollowsNewPricesAndKeepsVisibility) {
  Market market;
  for (int i = 0; i < 70; ++i)
    market.add(100.0 + 0.01 * i, 99.0);  // listed 0, 1, ..., 69
  AdBook ads = market.book();
  ads.set_visible(MerchantId(5), TradeSide::kUserBuys, false);
  // The first 66 merchants get dearer than the rest, in reverse order: merchant 5 moves from
  // rank 5 to rank 64, across a word of visibility flags.
  for (int i = 0; i < 66; ++i)
    market.merchants[MerchantId(i)].sell_price = 102.0 - 0.01 * i;
  ads.rerank(market.merchants);
  std::vector<MerchantId> expected;
  for (int i = 66; i < 70; ++i)
    expected.push_back(static_cast<MerchantId>(i));  // 100.66 ... 100.69
  for (int i = 65; i >= 0; --i) {
    if (i != 5) expected.push_back(static_cast<MerchantId>(i));  // 101.35 ... 102.0
  }
  EXPECT_EQ(buyer_listing(market, ads), expected);
  ads.set_visible(MerchantId(5), TradeSide::kUserBuys, true);  // rank_of follows the merchant too
  expected.insert(expected.begin() + 4 + (65 - 5), MerchantId(5));
  EXPECT_EQ(buyer_listing(market, ads), expected);
}

// A buyer's scan turns away sell ads short of USDT a word of 64 ranks at a time, reading each
// ad's USDT account by rank: after a rerank the accounts must follow their merchants.
TEST(AdBook, BuyersSkipSellAdsShortOfUsdtInEveryWordAndAfterARerank) {
  Market market;
  for (int i = 0; i < 130; ++i)
    market.add(100.0 + 0.01 * i, 99.0, 0b111, i == 3 || i == 70 || i == 129 ? 150.0 : 99.0);
  AdBook ads = market.book();
  RandomStream stream = choice_stream();
  auto first_for = [&](double usd) {
    return ads.match(buy(usd), model(1.0, 5.0, 1), market.merchants, market.ledger, stream)
        .merchant;
  };
  EXPECT_EQ(first_for(99.0), MerchantId(0));  // every ad holds 99 USDT
  EXPECT_EQ(first_for(120.0), MerchantId(3));
  market.ledger.transfer(market.merchants[MerchantId(3)].usdt_account, market.outside_usdt, 31);
  EXPECT_EQ(first_for(150.0), MerchantId(70));  // 3 is one micro-USDT short; the next word's
  market.ledger.transfer(market.merchants[MerchantId(70)].usdt_account, market.outside_usdt, 1);
  EXPECT_EQ(first_for(150.0), MerchantId(129));  // and the third word's
  // Merchant 129 becomes the dearest but one and 0 the dearest: 129 is found at rank 128.
  market.merchants[MerchantId(129)].sell_price = 200.0;
  market.merchants[MerchantId(0)].sell_price = 201.0;
  ads.rerank(market.merchants);
  EXPECT_EQ(first_for(150.0), MerchantId(129));
  EXPECT_EQ(first_for(99.0), MerchantId(1));
  EXPECT_EQ(first_for(149.0), MerchantId(3));  // 3 holds 150 USDT less 31 micro-USDT
}

// Platform rule: a disabled payment method's users find no ad; other methods are unaffected,
// and enabling it again restores matching.
TEST(AdBook, DisabledPaymentMethodFindsNoAd) {
  Market market;
  market.add(100.2, 99.8, 0b011);
  market.add(100.5, 99.5, 0b001);
  AdBook ads = market.book();
  RandomStream stream = choice_stream();
  const ChoiceModel first_eligible = model(1.0, 5.0, 1);
  auto buyer_gets = [&](std::uint8_t method) {
    return ads.match(buy(100.0, method), first_eligible, market.merchants, market.ledger, stream)
        .merchant;
  };
  EXPECT_EQ(buyer_gets(1), MerchantId(0));
  ads.set_method_enabled(1, false, market.merchants);
  EXPECT_EQ(buyer_gets(1), kNobody);
  EXPECT_EQ(buyer_gets(0), MerchantId(0));
  ads.set_method_enabled(0, false, market.merchants);
  EXPECT_EQ(buyer_gets(0), kNobody);
  EXPECT_LT(ads.best_spread_bps(market.merchants, market.ledger), 0.0);  // no ad is shown
  ads.set_method_enabled(1, true, market.merchants);
  EXPECT_EQ(buyer_gets(1), MerchantId(0));
}

// An ad shown for some payment methods only: users paying with a hidden method skip it, the
// others still get it; offers() reports exactly the mask set (cut to the accepted methods).
TEST(AdBook, AdsCanBeHiddenForOnePaymentMethod) {
  Market market;
  MerchantId best = market.add(100.2, 99.8, 0b011);
  MerchantId next = market.add(100.5, 99.5, 0b111);
  AdBook ads = market.book();
  RandomStream stream = choice_stream();
  const ChoiceModel first_eligible = model(1.0, 5.0, 1);
  ads.set_offered_methods(best, TradeSide::kUserBuys, 0b110);  // method 2 is not accepted
  EXPECT_FALSE(ads.offers(best, TradeSide::kUserBuys, 0));
  EXPECT_TRUE(ads.offers(best, TradeSide::kUserBuys, 1));
  EXPECT_FALSE(ads.offers(best, TradeSide::kUserBuys, 2));
  EXPECT_TRUE(ads.offers(best, TradeSide::kUserSells, 0));  // the other side is untouched
  EXPECT_EQ(
      ads.match(buy(100.0, 0), first_eligible, market.merchants, market.ledger, stream).merchant,
      next);
  EXPECT_EQ(
      ads.match(buy(100.0, 1), first_eligible, market.merchants, market.ledger, stream).merchant,
      best);
  ads.set_offered_methods(best, TradeSide::kUserBuys, 0);
  EXPECT_EQ(
      ads.match(buy(100.0, 1), first_eligible, market.merchants, market.ledger, stream).merchant,
      next);
}

// match() checks the merchant itself, so a stale visibility flag never yields a merchant that
// is offline, suspended, leaving, or whose account for the method is frozen.
TEST(AdBook, MatchSkipsMerchantsThatCannotTakeOrders) {
  Market market;
  MerchantId best = market.add(100.2, 99.8);
  MerchantId next = market.add(100.5, 99.5);
  RandomStream stream = choice_stream();
  const ChoiceModel first_eligible = model(1.0, 5.0, 1);
  auto buyer_gets = [&](std::uint8_t method = 0) {
    return market.book()
        .match(buy(100.0, method), first_eligible, market.merchants, market.ledger, stream)
        .merchant;
  };
  market.merchants[best].online = false;
  EXPECT_EQ(buyer_gets(), next);
  market.merchants[best].online = true;
  market.merchants[best].suspended = true;
  EXPECT_EQ(buyer_gets(), next);
  market.merchants[best].suspended = false;
  market.merchants[best].status = MerchantStatus::kLeaving;
  EXPECT_EQ(buyer_gets(), next);
  market.merchants[best].status = MerchantStatus::kListed;
  market.merchants[best].frozen_methods = 0b1;
  EXPECT_EQ(buyer_gets(0), next);
  EXPECT_EQ(buyer_gets(1), best);
}

// Per-method order limits: an amount outside its method's limits finds no ad at all.
TEST(AdBook, PaymentMethodLimitsBoundTheAmount) {
  Market market;
  MerchantId only = market.add(100.2, 99.8);
  RandomStream stream = choice_stream();
  ChoiceModel limited = model(1.0, 5.0, 10);
  limited.method_min_usd[1] = 50.0;
  limited.method_max_usd[1] = 100.0;
  AdBook ads = market.book();
  auto buyer_gets = [&](double usd, std::uint8_t method) {
    return ads.match(buy(usd, method), limited, market.merchants, market.ledger, stream).merchant;
  };
  EXPECT_EQ(buyer_gets(49.99, 1), kNobody);
  EXPECT_EQ(buyer_gets(50.0, 1), only);
  EXPECT_EQ(buyer_gets(100.0, 1), only);
  EXPECT_EQ(buyer_gets(100.01, 1), kNobody);
  EXPECT_EQ(buyer_gets(500.0, 0), only);  // method 0 has no limit of its own
}

// Merchant tiers: the cheap ad's merchant is in tier 0, capped at 100 USD; the dearer one is in
// tier 1, uncapped. A user taking the first eligible ad gets the cheap one up to its cap (the cap
// is inclusive) and the tier-1 merchant above it.
TEST(AdBook, TierCapsBoundWhatEachMerchantTakes) {
  Market market;
  MerchantId low_tier = market.add(100.1, 99.9);
  MerchantId high_tier = market.add(100.5, 99.5);
  market.merchants[high_tier].tier = 1;
  ChoiceModel tiered = model(1.0, 5.0, 1);
  tiered.tier_max_usd[0] = 100.0;
  AdBook ads = market.book();
  RandomStream stream = choice_stream();
  auto buyer_gets = [&](double usd) {
    return ads.match(buy(usd), tiered, market.merchants, market.ledger, stream).merchant;
  };
  auto seller_gets = [&](double usd) {
    return ads.match(sell(usd), tiered, market.merchants, market.ledger, stream).merchant;
  };
  EXPECT_EQ(buyer_gets(50.0), low_tier);
  EXPECT_EQ(buyer_gets(100.0), low_tier);
  EXPECT_EQ(buyer_gets(100.01), high_tier);
  EXPECT_EQ(seller_gets(100.0), low_tier);
  EXPECT_EQ(seller_gets(500.0), high_tier);
  market.merchants[high_tier].tier = 0;  // demoted: nobody takes the large order
  EXPECT_EQ(buyer_gets(500.0), kNobody);
}

// More ads than one 64-bit word of visibility flags: hiding the 64 best leaves the 65th.
TEST(AdBook, VisibilityWorksBeyondSixtyFourAds) {
  Market market;
  for (int i = 0; i < 70; ++i)
    market.add(100.1 + 0.01 * i, 99.9 - 0.01 * i);
  AdBook ads = market.book();
  for (MerchantId id : every_id<MerchantId>(64))
    ads.set_visible(id, TradeSide::kUserBuys, false);
  RandomStream stream = choice_stream();
  EXPECT_EQ(
      ads.match(buy(100.0), model(1.0, 5.0, 1), market.merchants, market.ledger, stream).merchant,
      MerchantId(64));
  ads.set_visible(MerchantId(3), TradeSide::kUserBuys, true);
  EXPECT_EQ(
      ads.match(buy(100.0), model(1.0, 5.0, 1), market.merchants, market.ledger, stream).merchant,
      MerchantId(3));
  EXPECT_EQ(
      ads.match(sell(100.0), model(1.0, 5.0, 1), market.merchants, market.ledger, stream).merchant,
      MerchantId(0));  // the sell side was never touched
}

TEST(AdBook, OnlyTheListedMarketsMerchantsAreMatched) {
  Market market;
  market.add(100.1, 99.9);  // 0: the best, but listed in another market
  market.add(101.0, 99.0);  // 1
  market.add(101.5, 98.5);  // 2
  AdBook ads;
  const std::vector<MerchantId> this_market = {MerchantId(1), MerchantId(2)};
  ads.list(market.merchants, this_market);
  RandomStream stream = choice_stream();
  for (int i = 0; i < 200; ++i) {
    MerchantId got =
        ads.match(buy(50.0), model(1.0, 5.0, 10), market.merchants, market.ledger, stream).merchant;
    EXPECT_TRUE(got == MerchantId(1) || got == MerchantId(2)) << got;
  }
}

TEST(AdBook, NothingEligibleGivesNobody) {
  RandomStream stream = choice_stream();
  {
    Market empty;
    EXPECT_EQ(empty.book()
                  .match(buy(100.0), model(1, 5, 10), empty.merchants, empty.ledger, stream)
                  .merchant,
              kNobody);
  }
  Market market;
  market.add(101.0, 99.0, 0b010);                      // accepts method 1 only
  market.add(101.0, 99.0, 0b001, 50.0, 50.0 * kRate);  // too little inventory for 100 USD
  MerchantId full = market.add(101.0, 99.0, 0b001);
  market.merchants[full].open_orders = market.merchants[full].capacity_limit;  // no capacity
  AdBook ads = market.book();
  EXPECT_EQ(
      ads.match(buy(100.0, 0), model(1, 5, 10), market.merchants, market.ledger, stream).merchant,
      kNobody);
  EXPECT_EQ(
      ads.match(sell(100.0, 0), model(1, 5, 10), market.merchants, market.ledger, stream).merchant,
      kNobody);
  // Each obstacle alone is what blocks it: method 1 finds merchant 0, a small order merchant 1.
  EXPECT_EQ(
      ads.match(buy(100.0, 1), model(1, 5, 10), market.merchants, market.ledger, stream).merchant,
      MerchantId(0));
  EXPECT_EQ(
      ads.match(buy(40.0, 0), model(1, 5, 10), market.merchants, market.ledger, stream).merchant,
      MerchantId(1));
  EXPECT_EQ(
      ads.match(sell(40.0, 0), model(1, 5, 10), market.merchants, market.ledger, stream).merchant,
      MerchantId(1));
}

// A user holding several methods sees every ad accepting any of them, and only those.
TEST(AdBook, UsersHoldingSeveralMethodsSeeAdsAcceptingAnyOfThem) {
  RandomStream stream = choice_stream();
  Market market;
  market.add(100.1, 99.9, 0b001);  // 0: cheapest, method 0 only
  market.add(100.2, 99.8, 0b010);  // 1: method 1 only
  market.add(100.3, 99.7, 0b100);  // 2: method 2 only
  AdBook ads = market.book();
  auto first_ad = [&](std::uint32_t methods) {
    AdRequest request = buy(100.0);
    request.payment_methods = methods;
    return ads.match(request, model(1, 5, 1), market.merchants, market.ledger, stream).merchant;
  };
  EXPECT_EQ(first_ad(0b001), MerchantId(0));
  EXPECT_EQ(first_ad(0b010), MerchantId(1));
  EXPECT_EQ(first_ad(0b110), MerchantId(1));  // method 0's cheaper ad is not for this user
  EXPECT_EQ(first_ad(0b100), MerchantId(2));
  EXPECT_EQ(first_ad(0b111), MerchantId(0));
  EXPECT_EQ(first_ad(0b1000), kNobody);  // a method no ad accepts
}

TEST(AdBook, OrderLimitsAreInclusive) {
  Market market;
  market.add(101.0, 99.0);
  AdBook ads = market.book();
  RandomStream stream = choice_stream();
  const ChoiceModel limits = model(1, 5, 10);  // 10 to 2000 USD
  EXPECT_EQ(ads.match(buy(9.99), limits, market.merchants, market.ledger, stream).merchant,
            kNobody);
  EXPECT_EQ(ads.match(buy(10.0), limits, market.merchants, market.ledger, stream).merchant,
            MerchantId(0));
  EXPECT_EQ(ads.match(buy(2000.0), limits, market.merchants, market.ledger, stream).merchant,
            MerchantId(0));
  EXPECT_EQ(ads.match(buy(2000.01), limits, market.merchants, market.ledger, stream).merchant,
            kNobody);
  EXPECT_EQ(ads.match(sell(2000.01), limits, market.merchants, market.ledger, stream).merchant,
            kNobody);
}

// Inventory is exact at the boundary: a merchant holding exactly the order's USDT (or exactly
// the fiat a selling user is owed) is eligible, one minor unit less is not.
TEST(AdBook, InventoryBoundaryIsExact) {
  Market market;
  MerchantId m = market.add(101.0, 99.0, 0b1, 100.0, 99.0 * 100.0);
  RandomStream stream = choice_stream();
  const ChoiceModel any = model(1, 5, 10);
  EXPECT_EQ(market.book().match(buy(100.0), any, market.merchants, market.ledger, stream).merchant,
            m);
  EXPECT_EQ(market.book().match(sell(100.0), any, market.merchants, market.ledger, stream).merchant,
            m);
  market.ledger.transfer(market.merchants[m].usdt_account, market.outside_usdt, 1);
  market.ledger.transfer(market.merchants[m].fiat_account(0), market.outside_fiat, 1);
  EXPECT_EQ(market.book().match(buy(100.0), any, market.merchants, market.ledger, stream).merchant,
            kNobody);
  EXPECT_EQ(market.book().match(sell(100.0), any, market.merchants, market.ledger, stream).merchant,
            kNobody);
}

// Randomised: many merchants with random prices, methods, inventories and loads, and random
// requests. The chosen ad is always eligible and among the first `ads_viewed` eligible ads in
// price order; kNobody is returned exactly when no ad is eligible.
TEST(AdBook, ChosenAdIsAlwaysEligible) {
  RandomStream setup(4242, 0, StreamId{0, 0});
  RandomStream stream = choice_stream();
  int matched = 0, unmatched = 0;
  for (int round = 0; round < 200; ++round) {
    Market market;
    const int count = 1 + static_cast<int>(setup() % 30);
    for (int i = 0; i < count; ++i) {
      double margin = 0.001 + 0.02 * uniform01(setup);
      MerchantId id = market.add(kRate * (1 + margin), kRate * (1 - margin), 1 + setup() % 7,
                                 2000.0 * uniform01(setup), 2000.0 * kRate * uniform01(setup));
      market.merchants[id].open_orders = setup() % 7;  // capacity 5: some are full
      market.merchants[id].orders_counted = setup() % 50;
      market.merchants[id].orders_completed = market.merchants[id].orders_counted * 3 / 4;
    }
    market.reweigh();
    AdBook ads = market.book();
    for (int r = 0; r < 50; ++r) {
      AdRequest request = (setup() % 2 == 0) ? buy(std::round(5 + 2100 * uniform01(setup)))
                                             : sell(std::round(5 + 2100 * uniform01(setup)));
      request.payment_methods = 1 + static_cast<std::uint32_t>(setup() % 7);  // any subset of 3
      const ChoiceModel choice = model(1.0, 5.0, 1 + setup() % 5);

      // Brute force: eligible ads in price order (best first, ties by id).
      std::vector<MerchantId> listed = market.ids;
      const bool buying = request.side == TradeSide::kUserBuys;
      std::stable_sort(listed.begin(), listed.end(), [&](MerchantId a, MerchantId b) {
        const Merchant& x = market.merchants[a];
        const Merchant& y = market.merchants[b];
        return buying ? x.sell_price < y.sell_price : x.buy_price > y.buy_price;
      });
      std::vector<MerchantId> viewable;
      const bool in_limits =
          request.usd >= choice.min_order_usd && request.usd <= choice.max_order_usd;
      for (MerchantId id : listed) {
        if (in_limits && eligible(market.merchants[id], request, market.ledger) &&
            viewable.size() < choice.ads_viewed) {
          viewable.push_back(id);
        }
      }

      MerchantId got = ads.match(request, choice, market.merchants, market.ledger, stream).merchant;
      if (viewable.empty()) {
        EXPECT_EQ(got, kNobody);
        ++unmatched;
      } else {
        ASSERT_NE(got, kNobody);
        EXPECT_TRUE(eligible(market.merchants[got], request, market.ledger));
        EXPECT_NE(std::find(viewable.begin(), viewable.end(), got), viewable.end());
        ++matched;
      }
    }
  }
  // Both outcomes were exercised.
  EXPECT_GT(matched, 1000);
  EXPECT_GT(unmatched, 500);
}

TEST(AdBook, ChoiceUtilityWeighsMarginAgainstCompletionRate) {
  Merchant merchant{};
  merchant.sell_margin_bps = 80.0;
  merchant.buy_margin_bps = 40.0;
  merchant.orders_counted = 30;
  merchant.orders_completed = 21;  // completion rate (21 + 19) / (30 + 20) = 0.8
  EXPECT_DOUBLE_EQ(merchant.completion_rate(), 0.8);
  const ChoiceModel choice{1.5, 4.0, 10, 10.0, 2000.0};
  // A buyer sees the sell ad: utility = -1.5 x 80 / 100 + 4 x 0.8 = 2.0
  EXPECT_NEAR(choice_utility(merchant, choice, TradeSide::kUserBuys), 2.0, 1e-12);
  // A seller sees the buy ad: utility = -1.5 x 40 / 100 + 4 x 0.8 = 2.6
  EXPECT_NEAR(choice_utility(merchant, choice, TradeSide::kUserSells), 2.6, 1e-12);
}

// Margins of 30 to 90 bps with price sensitivity 200: each extra 5 bps costs 10 in utility, a
// weight ratio of e^-10 = 4.5e-5 or less against the cheapest, so over 1,000 choices the cheapest
// eligible ad is always the one taken (expected number of exceptions < 0.05 per side).
TEST(AdBook, VeryPriceSensitiveUsersPickTheCheapestEligibleAd) {
  Market market;
  market.choice.price_sensitivity = 200.0;
  MerchantId cheapest_without_method = market.add(100.25, 99.75, 0b010);  // 25 bps, method 1
  market.add(100.9, 99.1);
  MerchantId cheapest = market.add(100.3, 99.7);
  market.add(100.4, 99.6);
  market.add(100.35, 99.65);
  AdBook ads = market.book();
  RandomStream stream = choice_stream();
  // No merchant has history, so all completion rates are equal: only price differs.
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(
        ads.match(buy(100.0, 0), market.choice, market.merchants, market.ledger, stream).merchant,
        cheapest);
    EXPECT_EQ(
        ads.match(sell(100.0, 0), market.choice, market.merchants, market.ledger, stream).merchant,
        cheapest);
  }
  EXPECT_EQ(
      ads.match(buy(100.0, 1), market.choice, market.merchants, market.ledger, stream).merchant,
      cheapest_without_method);
}

// The same with the default market's margins (around 80 bps) and an even higher sensitivity:
// the cheapest ad must win all the more. Every utility is then below -745, where exp() of the raw
// utility underflows to zero for every ad; the choice must not degenerate into picking the last
// (dearest) ad seen.
TEST(AdBook, ExtremePriceSensitivityStillPicksTheCheapest) {
  Market market;
  market.choice.price_sensitivity = 1000.0;
  MerchantId cheapest = market.add(100.8, 99.2);  // 80 bps
  market.add(100.9, 99.1);                        // 90 bps
  market.add(101.1, 98.9);                        // 110 bps
  AdBook ads = market.book();
  RandomStream stream = choice_stream();
  int picked_cheapest = 0;
  for (int i = 0; i < 100; ++i) {
    picked_cheapest +=
        ads.match(buy(100.0, 0), market.choice, market.merchants, market.ledger, stream).merchant ==
        cheapest;
  }
  EXPECT_EQ(picked_cheapest, 100);
}

// Two eligible ads: the choice frequency matches the logit probability
// p = e^u0 / (e^u0 + e^u1), with u = -price_sensitivity x margin_bps / 100 + quality x rate,
// within 4 binomial standard errors sqrt(p (1 - p) / n).
TEST(AdBook, ChoiceFrequenciesFollowTheLogit) {
  Market market;
  market.choice.price_sensitivity = 0.8;
  market.choice.quality_sensitivity = 3.0;
  MerchantId cheap = market.add(100.5, 99.5);   // 50 bps
  MerchantId dear = market.add(101.0, 99.0);    // 100 bps
  market.merchants[cheap].orders_counted = 80;  // completion rate (40 + 19) / (80 + 20) = 0.59
  market.merchants[cheap].orders_completed = 40;
  market.merchants[dear].orders_counted = 10;  // (10 + 19) / (10 + 20) = 0.9667
  market.merchants[dear].orders_completed = 10;
  market.reweigh();
  EXPECT_DOUBLE_EQ(market.merchants[cheap].completion_rate(), 0.59);
  AdBook ads = market.book();
  const double u_cheap = -0.8 * 50.0 / 100.0 + 3.0 * 0.59;
  const double u_dear = -0.8 * 100.0 / 100.0 + 3.0 * (29.0 / 30.0);
  const double p = std::exp(u_cheap) / (std::exp(u_cheap) + std::exp(u_dear));
  ASSERT_GT(p, 0.2);
  ASSERT_LT(p, 0.8);  // a real mix, so the check has power

  RandomStream stream = choice_stream(3);
  constexpr int kDraws = 40000;
  int chose_cheap = 0;
  for (int i = 0; i < kDraws; ++i) {
    MerchantId got =
        ads.match(buy(100.0), market.choice, market.merchants, market.ledger, stream).merchant;
    ASSERT_TRUE(got == cheap || got == dear);
    chose_cheap += got == cheap;
  }
  EXPECT_NEAR(chose_cheap / static_cast<double>(kDraws), p, 4.0 * std::sqrt(p * (1 - p) / kDraws));
}

TEST(AdBook, BestSpreadUsesTheBestAdsWithInventory) {
  Market market;
  MerchantId empty_seller = market.add(100.1, 90.0, 0b1, 0.0, 10000.0 * kRate);  // no USDT
  market.add(100.4, 99.5, 0b1, 1000.0, 0.0);                                     // no fiat
  market.add(100.6, 99.2);
  AdBook ads = market.book();
  // Best sell ad with USDT: 100.4; best buy ad with fiat: 99.2 (99.5 has no fiat, 90 is worse).
  const double mid = 0.5 * (100.4 + 99.2);
  EXPECT_NEAR(ads.best_spread_bps(market.merchants, market.ledger), (100.4 - 99.2) / mid * 1e4,
              1e-9);
  (void)empty_seller;

  Market one_sided;
  one_sided.add(100.5, 99.5, 0b1, 1000.0, 0.0);
  EXPECT_LT(one_sided.book().best_spread_bps(one_sided.merchants, one_sided.ledger), 0.0);
}

}  // namespace
}  // namespace p2psim
