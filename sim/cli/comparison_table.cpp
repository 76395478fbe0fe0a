#include "cli/comparison_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "cli/terminal_table.hpp"
#include "report/kpi_format.hpp"

namespace p2psim {
namespace {

std::string signed_percentage(double ratio) {
  if (std::isnan(ratio)) return "n/a";
  return fmt::format("{:+.2f}%", 100.0 * ratio);
}

std::string p_text(double p) {
  if (std::isnan(p)) return "";
  return p < 0.0001 ? "<0.0001" : fmt::format("{:.4f}", p);
}

std::string_view unit_of(const ComparisonRow& row) {
  return kpi_unit(row.kpi);
}

std::string value_text(const ComparisonRow& row) {
  return format_kpi_number(row.value.mean, unit_of(row));
}

// An absolute change in the KPI's unit, signed: where no relative change exists (a control
// mean of 0 or below).
std::string signed_change(double difference, std::string_view unit) {
  const std::string text = format_kpi_number(difference, unit);
  return difference > 0.0 ? "+" + text : text;
}

std::string guardrail_text(const ComparisonRow& row) {
  if (!row.guardrail) return "";
  const GuardrailVerdict verdict = row.guardrail->verdict;
  return fmt::format("{} ({} {})",
                     verdict == GuardrailVerdict::kSafe        ? "safe"
                     : verdict == GuardrailVerdict::kHarmShown ? "HARM SHOWN"
                                                               : "safety not shown",
                     row.guardrail->worst_change > 0 ? "<=" : ">=",
                     signed_percentage(row.guardrail->worst_change));
}

std::vector<std::string> cells(const ComparisonRow& row) {
  std::vector<std::string> line = {row.arm, row.market + "." + row.kpi,
                                   kKpiRoleNames[static_cast<int>(row.role)], value_text(row)};
  if (!row.comparison) {
    line.insert(line.end(), {"", "", "", "", guardrail_text(row)});
    return line;
  }
  const Comparison& comparison = *row.comparison;
  if (std::isnan(comparison.relative)) {
    const std::string_view unit = unit_of(row);
    line.push_back(signed_change(comparison.difference, unit));
    line.push_back(fmt::format("[{}, {}]", signed_change(comparison.difference_low, unit),
                               signed_change(comparison.difference_high, unit)));
  } else {
    line.push_back(signed_percentage(comparison.relative));
    line.push_back(fmt::format("[{}, {}]", signed_percentage(comparison.relative_low),
                               signed_percentage(comparison.relative_high)));
  }
  line.push_back(p_text(comparison.p_value));
  line.push_back(p_text(row.adjusted_p_value));
  line.push_back(guardrail_text(row));
  return line;
}

std::string replications_text(const ComparisonRow& row) {
  if (!row.replications_needed) return "not defined";
  if (*row.replications_needed >= kTooManyReplications)
    return fmt::format(">= {}", kTooManyReplications);
  return fmt::format("{}", *row.replications_needed);
}

std::string power_lines(const ExperimentConfig& experiment, const ExperimentAnalysis& analysis) {
  std::string text;
  for (const ComparisonRow& row : analysis.rows) {
    if (row.role != KpiRole::kPrimary || !row.comparison) continue;
    if (std::isnan(row.minimum_detectable_difference)) {
      text += fmt::format(
          "{}: {}.{} power: not defined (the arms did not differ in any "
          "replication)\n",
          row.arm, row.market, row.kpi);
      continue;
    }
    if (std::isnan(row.minimum_detectable_relative)) {
      text += fmt::format(
          "{}: {}.{} detectable change at {} replications (exact 80% power, 5% level): {}; "
          "replications needed for {}: not defined (the control's mean is not positive)\n",
          row.arm, row.market, row.kpi, row.value.count,
          format_kpi_number(row.minimum_detectable_difference, unit_of(row)),
          fmt::format("{:.2f}%", 100.0 * experiment.minimum_effect));
      continue;
    }
    text += fmt::format(
        "{}: {}.{} detectable change at {} replications (exact 80% power, 5% level): {}; "
        "replications needed for {}: {}\n",
        row.arm, row.market, row.kpi, row.value.count,
        fmt::format("{:.2f}%", 100.0 * row.minimum_detectable_relative),
        fmt::format("{:.2f}%", 100.0 * experiment.minimum_effect), replications_text(row));
  }
  return text;
}

}  // namespace

std::string comparison_table(const ExperimentResult& result, const ExperimentAnalysis& analysis) {
  const ExperimentConfig& experiment = *result.scenario.experiment;
  std::string text = fmt::format(
      "Experiment {}: {}worlds design, {} arms x {} replications, seed {}; {}\n"
      "p: {}; adj p: secondary KPIs, {} correction; lift: relative change, or the change "
      "itself where the control's mean is not positive\n\n",
      result.scenario.name, experiment.decides() ? "" : "what-if (effects only), ",
      experiment.arms.size(), experiment.replications, result.scenario.world.simulation.seed,
      analysis.paired ? "common random numbers" : "independent random numbers",
      analysis.paired ? "paired t test" : "Welch t test",
      experiment.correction == MultipleTestingCorrection::kHolm ? "Holm" : "Benjamini-Hochberg");
  std::vector<std::vector<std::string>> rows = {
      {"arm", "kpi", "role", "value", "lift", "95% interval", "p", "adj p", "guardrail"}};
  // A what-if that declares no KPI at all shows every one.
  const bool declared =
      std::any_of(analysis.rows.begin(), analysis.rows.end(),
                  [](const ComparisonRow& row) { return row.role != KpiRole::kOther; });
  std::size_t others = 0;
  for (const ComparisonRow& row : analysis.rows) {
    if (declared && row.role == KpiRole::kOther) {
      ++others;
      continue;
    }
    rows.push_back(cells(row));
  }
  text += left_aligned_columns(rows);
  if (declared) text += fmt::format("({} other KPI rows in comparison.csv)\n", others);
  text += "\n";
  if (!experiment.decides()) {
    text += fmt::format(
        "What-if: no primary KPI, so no arm gets a ship / do not ship decision. Guardrails: {}.\n",
        kGuardrailRule);
    return text;
  }
  for (const ArmDecision& decision : analysis.decisions) {
    text += fmt::format("Decision for {}: {} ({})\n", decision.arm,
                        kDecisionNames[static_cast<int>(decision.decision)], decision.reason);
  }
  text += fmt::format("Rule: {}; {}.\n", kDecisionRule, kGuardrailRule);
  text += power_lines(experiment, analysis);
  return text;
}

}  // namespace p2psim
