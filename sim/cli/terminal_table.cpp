#include "cli/terminal_table.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "report/kpi_format.hpp"

namespace p2psim {
namespace {

constexpr std::string_view kMissing = "-";
constexpr std::string_view kColumnGap = "  ";

std::string_view unit_of(std::string_view name) {
  const KpiDefinition* definition = find_kpi(name);
  return definition != nullptr ? std::string_view(definition->unit) : std::string_view();
}

// Left-aligned columns; the first row is the heading, underlined.
std::string render_row(const std::vector<std::string>& row,
                       const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t column = 0; column < row.size(); ++column) {
    if (column > 0) line += kColumnGap;
    line += fmt::format("{:<{}}", row[column], widths[column]);
  }
  line.erase(line.find_last_not_of(' ') + 1);
  return line + "\n";
}

std::string render_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t column = 0; column < row.size(); ++column) {
      widths[column] = std::max(widths[column], row[column].size());
    }
  }
  std::size_t total = kColumnGap.size() * (widths.empty() ? 0 : widths.size() - 1);
  for (std::size_t width : widths)
    total += width;
  std::string text;
  for (std::size_t index = 0; index < rows.size(); ++index) {
    text += render_row(rows[index], widths);
    if (index == 0) text += std::string(total, '-') + "\n";
  }
  return text;
}

const KpiEstimate* find_estimate(const MarketEstimates& market, const std::string& name) {
  for (const KpiEstimate& kpi : market.kpis) {
    if (kpi.name == name) return &kpi;
  }
  return nullptr;
}

// The heading and one cell per KPI name for one market, means right-aligned.
std::vector<std::string> market_column(const MarketEstimates& market,
                                       const std::vector<std::string>& names,
                                       std::uint32_t replications) {
  std::vector<EstimateText> cells;
  std::size_t mean_width = 0;
  for (const std::string& name : names) {
    const KpiEstimate* kpi = find_estimate(market, name);
    cells.push_back(kpi != nullptr ? estimate_text(kpi->estimate, unit_of(name), replications)
                                   : EstimateText{std::string(kMissing), ""});
    mean_width = std::max(mean_width, cells.back().mean.size());
  }
  std::vector<std::string> column = {market.market};
  for (const EstimateText& cell : cells) {
    column.push_back(fmt::format("{:>{}} {}", cell.mean, mean_width, cell.interval));
  }
  return column;
}

std::string header(const RunResult& result) {
  const SimulationConfig& simulation = result.scenario.world.simulation;
  std::uint32_t measured =
      simulation.days > simulation.warmup_days ? simulation.days - simulation.warmup_days : 0;
  return fmt::format(
      "Scenario {} | seed {} | {} replication{} | {} measured days ({} simulated, {} warm-up)\n"
      "Each cell: mean [95% confidence interval] over replications\n\n",
      result.scenario.name, simulation.seed, result.replications.size(),
      result.replications.size() == 1 ? "" : "s", measured, simulation.days,
      simulation.warmup_days);
}

}  // namespace

std::string terminal_summary(const RunResult& result, const RunSummary& summary) {
  std::vector<std::string> names;
  for (const MarketEstimates& market : summary.estimates) {
    std::vector<std::string> market_names;
    for (const KpiEstimate& kpi : market.kpis)
      market_names.push_back(kpi.name);
    merge_name_order(names, market_names);
  }
  auto replications = static_cast<std::uint32_t>(result.replications.size());
  std::vector<std::vector<std::string>> rows = {{"KPI"}};
  for (const std::string& name : names)
    rows.push_back({name});
  for (const MarketEstimates& market : summary.estimates) {
    std::vector<std::string> column = market_column(market, names, replications);
    for (std::size_t row = 0; row < rows.size(); ++row)
      rows[row].push_back(column[row]);
  }
  return header(result) + render_table(rows);
}

std::string left_aligned_columns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows)
    for (std::size_t column = 0; column < row.size(); ++column)
      widths[column] = std::max(widths[column], row[column].size());
  std::string text;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (std::size_t column = 0; column < rows[r].size(); ++column) {
      if (column > 0) line += "  ";
      line += fmt::format("{:<{}}", rows[r][column], widths[column]);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    text += line + "\n";
    if (r == 0) text += std::string(line.size(), '-') + "\n";
  }
  return text;
}

}  // namespace p2psim
