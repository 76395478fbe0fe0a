#pragma once
// Double-entry ledger of every USDT and fiat movement. Each account holds one currency; amounts
// are integers in minor units (micro-USDT, fiat cents) so that conservation is exact: for each
// currency, the balances of all accounts sum to zero at all times. The `outside` account of a
// currency stands for the world beyond the platform (banks, other exchanges) and goes negative
// by what it has put in.
#include <cassert>
#include <cmath>
#include <cstdint>
#include <vector>

namespace p2psim {

using AccountId = std::uint32_t;
using CurrencyId = std::uint16_t;
using MinorUnits = std::int64_t;

inline constexpr double kMicroUsdtPerUsdt = 1e6;
inline constexpr double kFiatMinorPerUnit = 100.0;

inline MinorUnits to_micro_usdt(double usdt) {
  return std::llround(usdt * kMicroUsdtPerUsdt);
}
inline MinorUnits to_fiat_minor(double fiat) {
  return std::llround(fiat * kFiatMinorPerUnit);
}

class Ledger {
 public:
  AccountId open_account(CurrencyId currency) {
    balances_.push_back(0);
    currencies_.push_back(currency);
    if (currency >= currency_count_) currency_count_ = currency + 1;
    return static_cast<AccountId>(balances_.size() - 1);
  }
  void reserve(std::size_t accounts) {
    balances_.reserve(accounts);
    currencies_.reserve(accounts);
  }

  void transfer(AccountId from, AccountId to, MinorUnits amount) {
    assert(currencies_[from] == currencies_[to] && "a transfer never converts currencies");
    assert(amount >= 0);
    // Checked: bounds on the scenario's amounts keep one amount far from 64 bits, but not every
    // sum over a long run (an `outside` account collects all the money put in). An overflow is
    // remembered, and the run fails when it ends (World::outcome) rather than report wrapped
    // balances; the event loop itself never throws.
    overflowed_ |= __builtin_sub_overflow(balances_[from], amount, &balances_[from]);
    overflowed_ |= __builtin_add_overflow(balances_[to], amount, &balances_[to]);
    ++transfer_count_;
  }
  // Whether any balance has gone past 64 bits: all balances are then meaningless.
  bool overflowed() const { return overflowed_; }

  MinorUnits balance(AccountId account) const { return balances_[account]; }
  // What one account takes: its balance and its currency.
  static constexpr std::size_t bytes_per_account() {
    return sizeof(MinorUnits) + sizeof(CurrencyId);
  }
  // Starts loading an account's balance, so that a transfer soon after does not wait on memory.
  void prefetch(AccountId account) const {
    if (account < balances_.size()) __builtin_prefetch(&balances_[account]);
  }
  CurrencyId currency(AccountId account) const { return currencies_[account]; }
  std::size_t account_count() const { return balances_.size(); }
  std::uint64_t transfer_count() const { return transfer_count_; }

  // The sum of all balances of one currency: zero in a consistent ledger.
  MinorUnits net_balance(CurrencyId currency) const;
  CurrencyId currency_count() const { return currency_count_; }

 private:
  std::vector<MinorUnits> balances_;
  std::vector<CurrencyId> currencies_;
  std::uint64_t transfer_count_ = 0;
  CurrencyId currency_count_ = 0;
  bool overflowed_ = false;
};

}  // namespace p2psim
