#pragma once
// Two markets (NG and KE), two payment methods each, five days with two of warm-up, seed 42 and
// three replications; everything else at its default.
#include <string>

#include "scenario/scenario.hpp"

namespace p2psim {

inline Scenario two_market_scenario() {
  Scenario scenario;
  scenario.name = "baseline";
  scenario.description = "two markets";
  scenario.world.simulation.days = 5;
  scenario.world.simulation.warmup_days = 2;
  scenario.world.simulation.seed = 42;
  scenario.world.simulation.replications = 3;
  for (const char* code : {"NG", "KE"}) {
    MarketConfig market;
    market.code = code;
    market.currency = code == std::string("NG") ? "NGN" : "KES";
    market.payment_methods = {{"bank_transfer"}, {"mobile_money"}};
    market.fraud[FraudTypology::kPaymentReversal].bearer = LossBearer::kPlatform;
    scenario.world.markets.push_back(market);
  }
  return scenario;
}

}  // namespace p2psim
