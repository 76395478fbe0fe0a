#pragma once
// The tidy CSV files of a run's KPIs (kpis.csv, daily.csv) and the CSV spelling of fields and
// numbers every CSV file shares.
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "analysis/run_summary.hpp"

namespace p2psim {

// CSV: a field is quoted only when it holds a comma, a quote or a line break.
std::string csv_field(std::string_view text);
// The shortest text that reads back as the same double ("3", "0.1", "1e-07"); NaN is written
// as an empty field, the usual CSV spelling of a missing value.
std::string csv_number(double value);

// kpis.csv: replication,market,kpi,value
void write_kpis_csv(std::ostream& out, std::span<const ReplicationKpis> replications);
std::string kpis_csv(std::span<const ReplicationKpis> replications);

// daily.csv: replication,day,market,kpi,value (measured days only)
void write_daily_csv_header(std::ostream& out);
void write_daily_csv_rows(std::ostream& out, const DayKpis& day);
void write_daily_csv(std::ostream& out, const RunResult& result);
std::string daily_csv(std::span<const DayKpis> days);

}  // namespace p2psim
