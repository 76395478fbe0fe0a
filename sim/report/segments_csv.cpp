#include "report/segments_csv.hpp"

#include <fmt/format.h>

#include "report/kpi_csv.hpp"

namespace p2psim {
namespace {

struct SegmentName {
  std::string kpi;
  std::string dimension;
  std::string value;
};

// "catch_rate.kyc_tier.0" -> {catch_rate, kyc_tier, 0}; false for a KPI that is not a segment's.
bool split_segment_name(const std::string& name, SegmentName& segment) {
  for (const char* dimension : kSegmentDimensions) {
    const std::string infix = std::string(".") + dimension + ".";
    const std::size_t at = name.find(infix);
    if (at == std::string::npos || at == 0) continue;
    segment = {name.substr(0, at), dimension, name.substr(at + infix.size())};
    return !segment.value.empty();
  }
  return false;
}

}  // namespace

std::string segments_csv(std::span<const MarketEstimates> estimates) {
  std::string csv = "market,dimension,value,kpi,replications,mean,low,high\n";
  SegmentName segment;
  for (const MarketEstimates& market : estimates) {
    for (const KpiEstimate& kpi : market.kpis) {
      if (!split_segment_name(kpi.name, segment)) continue;
      csv += fmt::format("{},{},{},{},{},{},{},{}\n", csv_field(market.market), segment.dimension,
                         csv_field(segment.value), segment.kpi, kpi.estimate.count,
                         csv_number(kpi.estimate.mean), csv_number(kpi.estimate.low),
                         csv_number(kpi.estimate.high));
    }
  }
  return csv;
}

}  // namespace p2psim
