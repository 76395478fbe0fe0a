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

double demand_multiplier(double rate_change_over_day, const UserConfig& settings) {
  const double depreciation = std::max(0.0, rate_change_over_day);
  return std::min(settings.max_demand_multiplier,
                  1.0 + settings.devaluation_demand_factor * depreciation);
}

}  // namespace p2psim
