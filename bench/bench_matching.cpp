// Question: how does matching (scan the ad book in price order, keep the first eligible ads,
// choose by logit) scale with the number of merchants, and with how many ads a user compares?
// And what does a book cost where most sell ads lack the USDT for the order, as on large_market
// (35 of the 45 sell ads a buyer scans there)?
#include <benchmark/benchmark.h>

#include <vector>

#include "world/ad_book.hpp"

namespace p2psim {
namespace {

struct Book {
  Ledger ledger;
  MerchantRecords merchants;
  std::vector<MerchantId> ids;
  AdBook ads;
};

// `short_share` of the merchants (drawn) hold 50 USDT, less than the benchmark's 100 USD order;
// the others hold 20,000.
Book make_book(std::uint32_t count, double short_share = 0.0) {
  Book book;
  RandomStream stream(3, 0, {0, 0});
  for (std::uint32_t i = 0; i < count; ++i) {
    Merchant merchant{};
    merchant.usdt_account = book.ledger.open_account(0);
    merchant.first_fiat_account = book.ledger.open_account(1);  // one per method
    book.ledger.open_account(1);
    book.ledger.open_account(1);
    merchant.accepted_methods = 1u << (i % 3);
    merchant.capacity_limit = 10;
    merchant.open_orders = i % 4 == 0 ? 10 : 0;  // a quarter are at capacity
    double margin = 0.005 + 0.01 * uniform01(stream);
    merchant.sell_price = 1500.0 * (1.0 + margin);
    merchant.buy_price = 1500.0 * (1.0 - margin);
    const MinorUnits usdt =
        short_share > 0.0 && uniform01(stream) < short_share ? 50'000'000 : 20'000'000'000;
    book.ledger.transfer(book.ledger.open_account(0), merchant.usdt_account, usdt);
    book.merchants.push_back(merchant);
    book.ids.push_back(MerchantId(i));
  }
  book.ads.list(book.merchants, book.ids);
  return book;
}

// Arguments: merchants, ads viewed, and (optional) the percentage of merchants short of USDT.
void BM_Match(benchmark::State& state) {
  const double short_share = state.range(2) / 100.0;
  Book book = make_book(static_cast<std::uint32_t>(state.range(0)), short_share);
  ChoiceModel model{1.0, 5.0, static_cast<std::uint32_t>(state.range(1)), 10.0, 2000.0};
  RandomStream stream(5, 0, {1, 1});
  std::uint8_t method = 0;
  for (auto _ : state) {
    AdRequest request{TradeSide::kUserBuys, 1u << method, method, 100.0, 100'000'000};
    method = static_cast<std::uint8_t>((method + 1) % 3);
    benchmark::DoNotOptimize(book.ads.match(request, model, book.merchants, book.ledger, stream));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Match)
    ->Args({60, 10, 0})
    ->Args({2000, 10, 0})
    ->Args({10000, 10, 0})
    ->Args({10000, 30, 0})
    ->Args({2000, 10, 78});

}  // namespace
}  // namespace p2psim
