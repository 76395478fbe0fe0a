#include "report/terminal_table.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace p2psim {
namespace {

constexpr std::string_view kMissing = "-";
constexpr std::string_view kColumnGap = "  ";

bool is_stem(std::string_view name) {
  return !name.empty() && name.back() == '.';
}

// Digits grouped by thousands, by hand: fmt's "{:L}" would depend on the process locale.
std::string grouped(double value, int decimals) {
  std::string digits = fmt::format("{:.{}f}", std::fabs(value), decimals);
  std::size_t integer_end = digits.find('.');
  if (integer_end == std::string::npos) integer_end = digits.size();
  std::string result;
  for (std::size_t i = 0; i < integer_end; ++i) {
    if (i > 0 && (integer_end - i) % 3 == 0) result += ',';
    result += digits[i];
  }
  result += digits.substr(integer_end);
  // No "-0.00": a value that rounds to zero is shown unsigned.
  bool rounds_to_zero = result.find_first_of("123456789") == std::string::npos;
  return (value < 0.0 && !rounds_to_zero) ? "-" + result : result;
}

std::string percentage(double ratio) {
  std::string text = fmt::format("{:.2f}%", 100.0 * ratio);
  return text == "-0.00%" ? "0.00%" : text;
}

std::string_view unit_of(std::string_view name) {
  const KpiDefinition* definition = find_kpi_definition(name);
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

// Counts are whole numbers, but a mean over replications rarely is: one decimal below 100,
// unless every number of the cell is whole anyway.
int count_decimals(std::initializer_list<double> values) {
  bool whole = true;
  for (double value : values) {
    if (std::fabs(value) >= 100.0) return 0;
    if (std::isfinite(value) && value != std::round(value)) whole = false;
  }
  return whole ? 0 : 1;
}

std::string format_number(double value, std::string_view unit, int decimals_for_counts) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (unit == "count") return grouped(value, decimals_for_counts);
  if (unit == "ratio") return percentage(value);
  if (unit == "usd") return grouped(value, 2);
  if (unit == "bps") return fmt::format("{:.1f}", value);
  if (unit == "minutes" || unit == "hours" || unit == "days") return fmt::format("{:.2f}", value);
  return fmt::format("{:.4g}", value);
}

// A cell in two parts, so the means of a column can be right-aligned on their last digit.
struct EstimateText {
  std::string mean;
  std::string interval;
};

EstimateText estimate_text(const Estimate& estimate, std::string_view unit,
                           std::uint32_t replications) {
  int decimals = count_decimals({estimate.mean, estimate.low, estimate.high});
  auto number = [&](double value) { return format_number(value, unit, decimals); };
  EstimateText text{number(estimate.mean), "[n/a]"};
  if (!std::isnan(estimate.low) && !std::isnan(estimate.high)) {
    text.interval = fmt::format("[{}, {}]", number(estimate.low), number(estimate.high));
  }
  if (estimate.count < replications) text.interval += fmt::format(" (n={})", estimate.count);
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

const KpiDefinition* find_kpi_definition(std::string_view name) {
  const KpiDefinition* best = nullptr;
  std::size_t best_length = 0;
  for (const KpiDefinition& definition : kpi_catalogue()) {
    std::string_view entry = definition.name;
    if (entry == name) return &definition;
    if (is_stem(entry) && name.starts_with(entry) && entry.size() > best_length) {
      best = &definition;
      best_length = entry.size();
    }
  }
  return best;
}

std::string format_kpi_number(double value, std::string_view unit) {
  return format_number(value, unit, count_decimals({value}));
}

std::string format_estimate(const Estimate& estimate, std::string_view unit,
                            std::uint32_t replications) {
  EstimateText text = estimate_text(estimate, unit, replications);
  return text.mean + " " + text.interval;
}

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
