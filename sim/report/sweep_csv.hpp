#pragma once
// sweep.csv: one row per grid point, market and KPI:
// point,<one column per swept key>,market,kpi,replications,mean,low,high
// with the KPI's mean across the point's replications and its 95% interval.
#include <ostream>
#include <span>
#include <vector>

#include "experiment/sweep.hpp"
#include "report/kpi_tables.hpp"

namespace p2psim {

void write_sweep_csv_header(std::ostream& out, const std::vector<SweepAxis>& axes);
void write_sweep_csv_rows(std::ostream& out, std::size_t point_index, const SweepPoint& point,
                          std::span<const MarketEstimates> estimates);

}  // namespace p2psim
