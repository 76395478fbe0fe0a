#pragma once
// The small market the world tests build on: 2,000 users at day 0, 300 visitors a day, 15
// merchants, and three payment methods: bank (index 0) and wallet (1), final, and card (2),
// reversible for 20 days. Each test adds what it is about; nothing attacks by default.
#include <string>

#include "world/world_config.hpp"

namespace p2psim {

inline MarketConfig small_market(const std::string& code, const std::string& currency,
                                 double reference_rate = 1500.0) {
  MarketConfig market;
  market.code = code;
  market.currency = currency;
  market.reference_rate = reference_rate;
  market.payment_methods = {
      {.name = "bank", .share = 0.5, .settlement_minutes = 2.0},
      {.name = "wallet", .share = 0.3, .settlement_minutes = 1.0},
      {.name = "card",
       .share = 0.2,
       .settlement_minutes = 3.0,
       .reversible = true,
       .reversal_window_days = 20.0},
  };
  market.users.initial_users = 2000;
  market.users.daily_visitors = 300.0;
  market.merchants.count = 15;
  return market;
}

}  // namespace p2psim
