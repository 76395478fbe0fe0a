#include "report/kpi_csv.hpp"

#include <fmt/format.h>
#include <cmath>
#include <sstream>

namespace p2psim {
namespace {

void append_row(fmt::memory_buffer& buffer, std::string_view prefix, const MarketKpis& market) {
  std::string market_field = csv_field(market.market);
  for (const KpiValue& kpi : market.kpis) {
    fmt::format_to(std::back_inserter(buffer), "{}{},{},{}\n", prefix, market_field,
                   csv_field(kpi.name), csv_number(kpi.value));
  }
}

void flush(std::ostream& out, fmt::memory_buffer& buffer) {
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  buffer.clear();
}

}  // namespace

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char character : text) {
    if (character == '"') quoted += '"';
    quoted += character;
  }
  quoted += '"';
  return quoted;
}

std::string csv_number(double value) {
  if (std::isnan(value)) return "";
  return fmt::format("{}", value);
}

void write_kpis_csv(std::ostream& out, std::span<const ReplicationKpis> replications) {
  fmt::memory_buffer buffer;
  fmt::format_to(std::back_inserter(buffer), "replication,market,kpi,value\n");
  for (const ReplicationKpis& replication : replications) {
    std::string prefix = fmt::format("{},", replication.replication);
    for (const MarketKpis& market : replication.markets)
      append_row(buffer, prefix, market);
    flush(out, buffer);
  }
  flush(out, buffer);
}

std::string kpis_csv(std::span<const ReplicationKpis> replications) {
  std::ostringstream out;
  write_kpis_csv(out, replications);
  return out.str();
}

void write_daily_csv_header(std::ostream& out) {
  out << "replication,day,market,kpi,value\n";
}

void write_daily_csv_rows(std::ostream& out, const DayKpis& day) {
  fmt::memory_buffer buffer;
  std::string prefix = fmt::format("{},{},", day.replication, day.day);
  for (const MarketKpis& market : day.markets)
    append_row(buffer, prefix, market);
  flush(out, buffer);
}

void write_daily_csv(std::ostream& out, const RunResult& result) {
  write_daily_csv_header(out);
  for_each_measured_day(result, [&out](const DayKpis& day) { write_daily_csv_rows(out, day); });
}

std::string daily_csv(std::span<const DayKpis> days) {
  std::ostringstream out;
  write_daily_csv_header(out);
  for (const DayKpis& day : days)
    write_daily_csv_rows(out, day);
  return out.str();
}

}  // namespace p2psim
