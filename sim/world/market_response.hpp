#pragma once
// How merchants and users respond to the reference rate, as pure functions of the market state
// (docs/model.md, "Reference rate, prices and demand"):
//
//   margins:  sell = clamp(m + w - s, min_margin_bps, 5000), buy = clamp(m + w + s, ...)
//             w = volatility_margin_factor x |D| x 10,000,
//             s = inventory_margin_bps x clamp(USDT held / usdt_inventory - 1, -1, 1)
//   demand:   g = min(max_demand_multiplier, 1 + devaluation_demand_factor x max(0, D))
//
// where m is the merchant's own margin in bps and D the rate's change over the last 24 hours.
#include "world/world_config.hpp"

namespace p2psim {

// Beyond 5000 bps a buy ad's price would approach zero.
inline constexpr double kMaxMarginBps = 5000.0;

struct AdMargins {
  double sell_bps;  // the sell ad's distance above the reference rate
  double buy_bps;   // the buy ad's distance below it
};

AdMargins ad_margins(double own_margin_bps, double rate_change_over_day, double usdt_held,
                     const MerchantConfig& settings);

double demand_multiplier(double rate_change_over_day, const UserConfig& settings);

}  // namespace p2psim
