#include "world/market_response.hpp"

#include <algorithm>
#include <cmath>

namespace p2psim {
namespace {

double bounded_margin(double margin_bps, const MerchantConfig& settings) {
  return std::clamp(margin_bps, std::min(settings.min_margin_bps, kMaxMarginBps), kMaxMarginBps);
}

}  // namespace

AdMargins ad_margins(double own_margin_bps, double rate_change_over_day, double usdt_held,
                     const MerchantConfig& settings) {
  const double widening_bps =
      settings.volatility_margin_factor * std::abs(rate_change_over_day) * 1e4;
  double skew_bps = 0.0;
  if (settings.inventory_margin_bps > 0.0 && settings.usdt_inventory > 0.0) {
    const double position = usdt_held / settings.usdt_inventory - 1.0;
    skew_bps = settings.inventory_margin_bps * std::clamp(position, -1.0, 1.0);
  }
  const double margin_bps = own_margin_bps + widening_bps;
  return {bounded_margin(margin_bps - skew_bps, settings),
          bounded_margin(margin_bps + skew_bps, settings)};
}

AdMargins competing_margins(AdMargins ask, AdMargins floor, AdMargins best_other,
                            double undercut_bps) {
  // A merchant asking less than its floor has lower costs than the floor says: it keeps its ask.
  auto side = [&](double own_ask, double own_floor, double other) {
    return std::max(std::min(own_floor, own_ask), std::min(own_ask, other - undercut_bps));
  };
  return {side(ask.sell_bps, floor.sell_bps, best_other.sell_bps),
          side(ask.buy_bps, floor.buy_bps, best_other.buy_bps)};
}

void BestMargins::offer(std::uint32_t owner, double margin_bps) {
  if (margin_bps < lowest) {
    second = lowest;
    lowest = margin_bps;
    lowest_owner = owner;
  } else if (margin_bps < second) {
    second = margin_bps;
  }
}

double demand_multiplier(double depreciation, const UserConfig& settings) {
  return std::min(settings.max_demand_multiplier,
                  1.0 + settings.devaluation_demand_factor * std::max(0.0, depreciation));
}

}  // namespace p2psim
