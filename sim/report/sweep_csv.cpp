#include "report/sweep_csv.hpp"

namespace p2psim {

void write_sweep_csv_header(std::ostream& out, const std::vector<SweepAxis>& axes) {
  out << "point";
  for (const SweepAxis& axis : axes)
    out << ',' << csv_field(axis.key);
  out << ",market,kpi,replications,mean,low,high\n";
}

void write_sweep_csv_rows(std::ostream& out, std::size_t point_index, const SweepPoint& point,
                          std::span<const MarketEstimates> estimates) {
  for (const MarketEstimates& market : estimates) {
    for (const KpiEstimate& kpi : market.kpis) {
      out << point_index;
      for (const std::string& value : point)
        out << ',' << csv_field(value);
      out << ',' << csv_field(market.market) << ',' << csv_field(kpi.name) << ','
          << kpi.estimate.count << ',' << csv_number(kpi.estimate.mean) << ','
          << csv_number(kpi.estimate.low) << ',' << csv_number(kpi.estimate.high) << '\n';
    }
  }
}

}  // namespace p2psim
