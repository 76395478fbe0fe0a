#pragma once
// How merchants and users respond to the reference rate, as pure functions of the market state
// (docs/model.md, "Reference rate, prices and demand"):
//
//   margins:  sell = clamp(m + w - s, min_margin_bps, 5000), buy = clamp(m + w + s, ...)
//             w = volatility_margin_factor x |D| x 10,000,
//             s = inventory_margin_bps x clamp(USDT held / usdt_inventory - 1, -1, 1)
//   demand:   g = min(max_demand_multiplier, 1 + devaluation_demand_factor x max(0, S))
//             S(h) = S(h - 1) x exp(-1 / surge_decay_hours) + R(h) / R(h - 1) - 1
//
// where m is the merchant's own margin in bps and D the rate's change over the last 24 hours.
// With competitive pricing, each side's margin then follows the book:
//
//   competing = max(min(floor, ask), min(ask, best other - undercut_bps))
//
// where ask is the margin above, floor the same with the merchant's cost floor in place of m,
// and best other the lowest margin among the other merchants' ads on that side (an hour old).
#include <cstdint>
#include <limits>

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

AdMargins competing_margins(AdMargins ask, AdMargins floor, AdMargins best_other,
                            double undercut_bps);

// The two lowest margins on one side of the book and whose the lowest is, so that each
// merchant's best competitor is found in constant time.
struct BestMargins {
  static constexpr double kNone = std::numeric_limits<double>::infinity();
  double lowest = kNone;
  double second = kNone;
  std::uint32_t lowest_owner = 0xFFFFFFFF;

  void offer(std::uint32_t owner, double margin_bps);
  // The best margin among the others' ads (kNone when nobody else quotes).
  double other_than(std::uint32_t owner) const { return owner == lowest_owner ? second : lowest; }
};

// `depreciation` is S above.
double demand_multiplier(double depreciation, const UserConfig& settings);

}  // namespace p2psim
