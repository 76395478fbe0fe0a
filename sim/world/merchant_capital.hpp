#pragma once
// Merchants' own capital (docs/model.md, Competition and capital). With
// merchants.bounded_capital a merchant puts its capital in once, when it lists (its USDT and fiat
// targets), and trades on it alone: selling USDT turns it into fiat and buying USDT the other way
// round. When one side runs short (below restock_below_share of its target; fiat counts only on
// unfrozen accounts and beyond what open orders owe), the merchant converts the other side
// off-platform at the reference rate, back to its capital's target mix
//
//   USDT share of the capital = usdt_inventory / (usdt_inventory + fiat_inventory_usd),
//
// and the converted amount lands restock_delay_hours later. Nothing is topped up from outside:
// profit stays in the business, and fraud losses and frozen fiat shrink what it can trade.
#include <cstdint>
#include <vector>

#include "core/event_queue.hpp"
#include "world/agents.hpp"
#include "world/ledger.hpp"

namespace p2psim {

class MerchantCapital {
 public:
  struct Wiring {
    const WorldConfig& config;
    const Seconds& now;
    EventQueue& queue;
    Ledger& ledger;
    const MerchantRecords& merchants;
    AccountId outside_usdt;
  };

  explicit MerchantCapital(const Wiring& wiring);

  // Room for every merchant created so far.
  void grow_to(std::size_t merchants) { accounts_.resize(merchants); }
  // True the first time it is asked for a merchant: its capital goes in now.
  bool puts_capital_in(MerchantId id);
  // Orders a conversion when one side of a listed merchant is short; true when it did.
  bool convert_if_short(MerchantId id, double rate, AccountId outside_fiat);
  // The conversion ordered for the merchant lands on its accounts.
  void on_conversion_lands(MerchantId id, AccountId outside_fiat);

 private:
  struct Account {
    MinorUnits usdt_due = 0;         // micro-USDT on its way
    MinorUnits fiat_due = 0;         // fiat minor units on their way, split over fiat_methods
    std::uint32_t fiat_methods = 0;  // the accounts the fiat lands on
    bool pending = false;
    bool capitalized = false;
  };

  void buy_usdt(const Merchant& merchant, Account& account, std::uint32_t usable, MinorUnits fiat,
                MinorUnits fiat_owned, double rate, AccountId outside_fiat);
  void sell_usdt(const Merchant& merchant, Account& account, std::uint32_t usable, MinorUnits usdt,
                 double rate);

  const WorldConfig& config_;
  const Seconds& now_;
  EventQueue& queue_;
  Ledger& ledger_;
  const MerchantRecords& merchants_;
  AccountId outside_usdt_;
  std::vector<Account> accounts_;  // by merchant
};

}  // namespace p2psim
