#include "report/kpi_chart_parts.hpp"

#include <fmt/format.h>

#include "metrics/kpis.hpp"

namespace p2psim {
namespace {

constexpr std::string_view kAllMarkets = "all";

}  // namespace

const Estimate* find_estimate(std::span<const MarketEstimates> estimates, const std::string& market,
                              const std::string& kpi) {
  for (const MarketEstimates& market_estimates : estimates) {
    if (market_estimates.market != market) continue;
    for (const KpiEstimate& estimate : market_estimates.kpis) {
      if (estimate.name == kpi) return &estimate.estimate;
    }
  }
  return nullptr;
}

std::vector<std::string> drawn_markets(std::span<const MarketEstimates> estimates) {
  std::vector<std::string> markets;
  for (const MarketEstimates& market : estimates) {
    if (market.market != kAllMarkets) markets.push_back(market.market);
  }
  if (markets.empty() && !estimates.empty()) markets.push_back(estimates[0].market);
  return markets;
}

AxisFormat kpi_axis_format(const std::string& kpi) {
  return kpi_unit(kpi) == "ratio" ? AxisFormat::kPercent : AxisFormat::kNumber;
}

std::string kpi_axis_label(const std::string& kpi, bool daily) {
  const std::string_view unit = kpi_unit(kpi);
  const std::string_view per = daily ? " per day" : " over the measured period";
  if (unit == "ratio") return kpi + " (%)";
  if (unit == "usd") return fmt::format("{} (USD{})", kpi, per);
  if (unit == "count") return fmt::format("{} (count{})", kpi, per);
  if (unit.empty()) return kpi;
  return fmt::format("{} ({})", kpi, unit);
}

}  // namespace p2psim
