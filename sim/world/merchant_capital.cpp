#include "world/merchant_capital.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>

#include "world/event_kind.hpp"

namespace p2psim {
namespace {

// Conversions smaller than this are not worth a bank transfer.
constexpr double kSmallestConversionUsd = 1.0;

}  // namespace

MerchantCapital::MerchantCapital(const Wiring& wiring)
    : config_(wiring.config),
      now_(wiring.now),
      queue_(wiring.queue),
      ledger_(wiring.ledger),
      merchants_(wiring.merchants),
      outside_usdt_(wiring.outside_usdt) {}

bool MerchantCapital::puts_capital_in(MerchantId id) {
  Account& account = accounts_[id.index()];
  if (account.capitalized) return false;
  account.capitalized = true;
  return true;
}

bool MerchantCapital::convert_if_short(MerchantId id, double rate, AccountId outside_fiat) {
  Account& account = accounts_[id.index()];
  const Merchant& merchant = merchants_[id];
  if (account.pending || merchant.status != MerchantStatus::kListed) return false;
  const MerchantConfig& settings = config_.markets[merchant.market].merchants;
  const double capital_usd = settings.usdt_inventory + settings.fiat_inventory_usd;
  if (capital_usd <= 0.0) return false;
  const std::uint32_t usable = merchant.accepted_methods & ~merchant.frozen_methods;
  // With every account frozen there is nowhere to put fiat nor any to take: it waits.
  if (usable == 0) return false;
  MinorUnits fiat = 0;
  for (std::uint32_t bits = usable; bits != 0; bits &= bits - 1) {
    const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
    fiat += std::max<MinorUnits>(0, uncommitted_fiat(merchant, ledger_, method));
  }
  const double usdt_usd =
      static_cast<double>(ledger_.balance(merchant.usdt_account)) / kMicroUsdtPerUsdt;
  const double fiat_usd = static_cast<double>(fiat) / kFiatMinorPerUnit / rate;
  const double usdt_wanted = (usdt_usd + fiat_usd) * settings.usdt_inventory / capital_usd;
  const double share = settings.restock_below_share;
  if (usdt_usd < share * settings.usdt_inventory &&
      usdt_wanted - usdt_usd >= kSmallestConversionUsd) {
    buy_usdt(merchant, account, usable, to_fiat_minor((usdt_wanted - usdt_usd) * rate), fiat, rate,
             outside_fiat);
  } else if (fiat_usd < share * settings.fiat_inventory_usd &&
             usdt_usd - usdt_wanted >= kSmallestConversionUsd) {
    sell_usdt(merchant, account, usable, to_micro_usdt(usdt_usd - usdt_wanted), rate);
  } else {
    return false;
  }
  account.pending = true;
  queue_.schedule(now_ + settings.restock_delay_hours * kHour, kConversionLands, id.index());
  return true;
}

void MerchantCapital::buy_usdt(const Merchant& merchant, Account& account, std::uint32_t usable,
                               MinorUnits fiat, MinorUnits fiat_owned, double rate,
                               AccountId outside_fiat) {
  // Each usable account gives the same share of what it could give, so none is emptied first.
  const double share = std::min(1.0, static_cast<double>(fiat) / static_cast<double>(fiat_owned));
  MinorUnits paid = 0;
  for (std::uint32_t bits = usable; bits != 0; bits &= bits - 1) {
    const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
    const MinorUnits free = std::max<MinorUnits>(0, uncommitted_fiat(merchant, ledger_, method));
    const auto taken = std::min(free, static_cast<MinorUnits>(std::floor(share * free)));
    if (taken <= 0) continue;
    ledger_.transfer(merchant.fiat_account(method), outside_fiat, taken);
    paid += taken;
  }
  account.usdt_due = to_micro_usdt(static_cast<double>(paid) / kFiatMinorPerUnit / rate);
}

void MerchantCapital::sell_usdt(const Merchant& merchant, Account& account, std::uint32_t usable,
                                MinorUnits usdt, double rate) {
  ledger_.transfer(merchant.usdt_account, outside_usdt_, usdt);
  account.fiat_due = to_fiat_minor(static_cast<double>(usdt) / kMicroUsdtPerUsdt * rate);
  account.fiat_methods = usable;  // the accounts usable when the conversion was ordered
}

void MerchantCapital::on_conversion_lands(MerchantId id, AccountId outside_fiat) {
  Account& account = accounts_[id.index()];
  const Merchant& merchant = merchants_[id];
  assert(account.pending && "a conversion lands only once");
  // A merchant that has left took its money elsewhere: nothing lands on its accounts.
  if (merchant.status != MerchantStatus::kGone) {
    if (account.usdt_due > 0)
      ledger_.transfer(outside_usdt_, merchant.usdt_account, account.usdt_due);
    const int methods = std::popcount(account.fiat_methods);
    MinorUnits left = account.fiat_due;
    for (std::uint32_t bits = account.fiat_methods; bits != 0 && left > 0; bits &= bits - 1) {
      const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
      // Even shares; the last account takes the rounding.
      const MinorUnits piece = (bits & (bits - 1)) == 0 ? left : account.fiat_due / methods;
      ledger_.transfer(outside_fiat, merchant.fiat_account(method), piece);
      left -= piece;
    }
  }
  account = Account{.capitalized = account.capitalized};
}

}  // namespace p2psim
