#include "report/kpi_format.hpp"

#include <fmt/format.h>
#include <cmath>

namespace p2psim {
namespace {

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

}  // namespace

std::string format_kpi_number(double value, std::string_view unit) {
  return format_number(value, unit, count_decimals({value}));
}

std::string format_estimate(const Estimate& estimate, std::string_view unit,
                            std::uint32_t replications) {
  EstimateText text = estimate_text(estimate, unit, replications);
  return text.mean + " " + text.interval;
}

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

}  // namespace p2psim
