// Tests of the double-entry ledger on its own. Conservation over whole simulated worlds is checked
// in tests/test_world.cpp.
#include "world/ledger.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/random_stream.hpp"

namespace p2psim {
namespace {

TEST(Ledger, NewAccountsAreEmptyAndKeepTheirCurrency) {
  Ledger ledger;
  AccountId usdt = ledger.open_account(0);
  AccountId fiat = ledger.open_account(3);
  EXPECT_EQ(usdt, 0u);
  EXPECT_EQ(fiat, 1u);
  EXPECT_EQ(ledger.balance(usdt), 0);
  EXPECT_EQ(ledger.balance(fiat), 0);
  EXPECT_EQ(ledger.currency(usdt), 0);
  EXPECT_EQ(ledger.currency(fiat), 3);
  EXPECT_EQ(ledger.account_count(), 2u);
  EXPECT_EQ(ledger.currency_count(), 4);  // ids 0..3 are possible currencies
  EXPECT_EQ(ledger.transfer_count(), 0u);
}

TEST(Ledger, TransferMovesExactlyTheAmount) {
  Ledger ledger;
  AccountId outside = ledger.open_account(0);
  AccountId wallet = ledger.open_account(0);
  AccountId escrow = ledger.open_account(0);
  ledger.transfer(outside, wallet, 1'000'000);
  ledger.transfer(wallet, escrow, 250'000);
  EXPECT_EQ(ledger.balance(outside), -1'000'000);  // the outside goes negative by what it put in
  EXPECT_EQ(ledger.balance(wallet), 750'000);
  EXPECT_EQ(ledger.balance(escrow), 250'000);
  EXPECT_EQ(ledger.transfer_count(), 2u);
  ledger.transfer(escrow, wallet, 0);  // a zero transfer is legal and counted
  EXPECT_EQ(ledger.balance(escrow), 250'000);
  EXPECT_EQ(ledger.transfer_count(), 3u);
}

// A sum past 64 bits is remembered rather than wrapped silently: the outside account, which
// goes negative by all the money put in, passes -2^63 on the tenth transfer of 1e18.
TEST(Ledger, RemembersABalanceThatOverflowed) {
  Ledger ledger;
  AccountId outside = ledger.open_account(0);
  std::vector<AccountId> wallets;
  for (int i = 0; i < 10; ++i)
    wallets.push_back(ledger.open_account(0));
  for (int i = 0; i < 9; ++i)
    ledger.transfer(outside, wallets[i], 1'000'000'000'000'000'000);
  EXPECT_FALSE(ledger.overflowed());
  EXPECT_EQ(ledger.balance(outside), -9'000'000'000'000'000'000);
  ledger.transfer(outside, wallets[9], 1'000'000'000'000'000'000);
  EXPECT_TRUE(ledger.overflowed());
  ledger.transfer(wallets[9], outside, 1'000'000'000'000'000'000);  // it stays remembered
  EXPECT_TRUE(ledger.overflowed());
}

// Random transfers among accounts of three currencies: each currency's balances always sum to
// zero, and each account's balance equals what it received minus what it sent.
TEST(Ledger, RandomTransfersConserveEveryCurrency) {
  Ledger ledger;
  constexpr int kCurrencies = 3;
  std::vector<std::vector<AccountId>> by_currency(kCurrencies);
  for (int i = 0; i < 30; ++i) {
    CurrencyId currency = static_cast<CurrencyId>(i % kCurrencies);
    by_currency[currency].push_back(ledger.open_account(currency));
  }
  std::vector<MinorUnits> expected(ledger.account_count(), 0);
  RandomStream stream(99, 0, StreamId{0, 0});
  for (int step = 0; step < 20000; ++step) {
    const auto& accounts = by_currency[stream() % kCurrencies];
    AccountId from = accounts[stream() % accounts.size()];
    AccountId to = accounts[stream() % accounts.size()];
    MinorUnits amount = static_cast<MinorUnits>(stream()) * 1000 + stream() % 1000;
    ledger.transfer(from, to, amount);
    expected[from] -= amount;
    expected[to] += amount;
    if (step % 1000 == 0) {
      for (CurrencyId c = 0; c < kCurrencies; ++c)
        ASSERT_EQ(ledger.net_balance(c), 0);
    }
  }
  for (CurrencyId c = 0; c < kCurrencies; ++c)
    EXPECT_EQ(ledger.net_balance(c), 0);
  for (AccountId a = 0; a < ledger.account_count(); ++a)
    EXPECT_EQ(ledger.balance(a), expected[a]);
  EXPECT_EQ(ledger.transfer_count(), 20000u);
}

TEST(Ledger, NetBalanceOfAnUnusedCurrencyIsZero) {
  Ledger ledger;
  AccountId a = ledger.open_account(2);
  AccountId b = ledger.open_account(2);
  ledger.transfer(a, b, 5);
  EXPECT_EQ(ledger.net_balance(0), 0);
  EXPECT_EQ(ledger.net_balance(7), 0);
  EXPECT_EQ(ledger.net_balance(2), 0);
}

// The sanitizer build keeps assertions on (P2PSIM_ASSERTIONS); there an invariant broken inside
// the event loop stops the program at once instead of corrupting the books.
TEST(LedgerDeathTest, TransferAcrossCurrenciesTripsItsAssertion) {
#ifdef NDEBUG
  GTEST_SKIP() << "assertions are compiled out in this build (P2PSIM_ASSERTIONS=OFF)";
#else
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Ledger ledger;
  const AccountId usdt = ledger.open_account(0);
  const AccountId naira = ledger.open_account(1);
  EXPECT_DEATH(ledger.transfer(usdt, naira, 5), "a transfer never converts currencies");
#endif
}

}  // namespace
}  // namespace p2psim
