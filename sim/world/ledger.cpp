#include "world/ledger.hpp"

namespace p2psim {

MinorUnits Ledger::net_balance(CurrencyId currency) const {
  MinorUnits total = 0;
  for (std::size_t account = 0; account < balances_.size(); ++account) {
    if (currencies_[account] == currency) total += balances_[account];
  }
  return total;
}

}  // namespace p2psim
