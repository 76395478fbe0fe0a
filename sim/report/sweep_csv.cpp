#include "report/sweep_csv.hpp"

namespace p2psim {

void write_sweep_csv_header(std::ostream& out, std::span<const std::string> keys) {
  out << "point";
  for (const std::string& key : keys)
    out << ',' << csv_field(key);
  out << ",market,kpi,replications,mean,low,high\n";
}

void write_sweep_csv_rows(std::ostream& out, std::size_t point_index,
                          std::span<const std::string> values,
                          std::span<const MarketEstimates> estimates) {
  for (const MarketEstimates& market : estimates) {
    for (const KpiEstimate& kpi : market.kpis) {
      out << point_index;
      for (const std::string& value : values)
        out << ',' << csv_field(value);
      out << ',' << csv_field(market.market) << ',' << csv_field(kpi.name) << ','
          << kpi.estimate.count << ',' << csv_number(kpi.estimate.mean) << ','
          << csv_number(kpi.estimate.low) << ',' << csv_number(kpi.estimate.high) << '\n';
    }
  }
}

}  // namespace p2psim
