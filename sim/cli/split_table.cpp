#include "cli/split_table.hpp"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "cli/terminal_table.hpp"
#include "report/kpi_format.hpp"

namespace p2psim {
namespace {

std::string number_text(double value, const std::string& kpi) {
  const KpiDefinition* definition = find_kpi(kpi);
  std::string_view unit = definition != nullptr ? definition->unit : "";
  // Differences of ratios are ratios too: formatted in percentage points by the ratio unit.
  return format_kpi_number(value, unit);
}

std::string share_text(double value) {
  return std::isnan(value) ? "n/a" : fmt::format("{:.0f}%", 100.0 * value);
}

std::vector<std::string> cells(const SplitRow& row) {
  return {row.market + "." + row.kpi,
          kKpiRoleNames[static_cast<int>(row.role)],
          number_text(row.estimate.mean, row.kpi),
          fmt::format("[{}, {}]", number_text(row.estimate.low, row.kpi),
                      number_text(row.estimate.high, row.kpi)),
          std::isnan(row.relative) ? "n/a" : fmt::format("{:+.2f}%", 100.0 * row.relative),
          number_text(row.true_effect, row.kpi),
          number_text(row.bias, row.kpi),
          number_text(row.standard_error, row.kpi),
          number_text(row.unit_standard_error, row.kpi),
          number_text(row.rmse, row.kpi),
          share_text(row.coverage)};
}

}  // namespace

std::string split_table(const ExperimentResult& result, const SplitAnalysis& analysis) {
  const ExperimentConfig& experiment = *result.scenario.experiment;
  std::string text = fmt::format(
      "Experiment {}: {} design, arms {} and {}, {} replications, allocation {:.2f} to {}, seed "
      "{}\nestimate: {}; interval across replications{}\n\n",
      result.scenario.name, analysis.design, experiment.arms[0].name, experiment.arms[1].name,
      experiment.replications, experiment.allocation, experiment.arms[1].name,
      result.scenario.world.simulation.seed, analysis.method,
      analysis.with_worlds ? "; true effect from the worlds design on the same streams" : "");
  std::vector<std::vector<std::string>> rows = {{"kpi", "role", "estimate", "95% interval", "lift",
                                                 "true effect", "bias", "se", "unit se", "rmse",
                                                 "coverage"}};
  std::size_t others = 0;
  for (const SplitRow& row : analysis.rows) {
    if (row.role == KpiRole::kOther) {
      ++others;
      continue;
    }
    rows.push_back(cells(row));
  }
  text += left_aligned_columns(rows);
  text += fmt::format("({} other KPI rows in comparison.csv)\n", others);
  text += fmt::format(
      "Sample ratio: {} control and {} treated {}-replications, chi-square p = {:.4g}{}\n",
      analysis.control_units, analysis.treated_units, analysis.unit, analysis.sample_ratio_p_value,
      analysis.sample_ratio_mismatch ? " < 0.001: SAMPLE RATIO MISMATCH" : "");
  if (analysis.unit != "market") {
    text +=
        "se: the estimate's spread over replications; unit se: what the units of one "
        "replication claim, as an online platform would report it.\n";
  }
  text +=
      "No ship decision: a split design's estimate is reported against the true effect; "
      "decide on the worlds design (docs/experiments.md).\n";
  return text;
}

}  // namespace p2psim
