#pragma once
// sweep.csv: one row per grid point, market and KPI:
// point,<one column per swept key>,market,kpi,replications,mean,low,high
// with the KPI's mean across the point's replications and its 95% interval. The grid comes as
// plain text (the swept keys, then each point's values in key order), so that writing the file
// needs nothing of the sweep that runs it.
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "report/kpi_csv.hpp"

namespace p2psim {

void write_sweep_csv_header(std::ostream& out, std::span<const std::string> keys);
void write_sweep_csv_rows(std::ostream& out, std::size_t point_index,
                          std::span<const std::string> values,
                          std::span<const MarketEstimates> estimates);

}  // namespace p2psim
