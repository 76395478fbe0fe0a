#include "report/experiment_outputs.hpp"

#include <cmath>

#include "report/comparison_csv.hpp"
#include "report/output_directory.hpp"
#include "report/report_html.hpp"
#include "report/run_outputs.hpp"
#include "scenario/scenario_json.hpp"
#include "version.hpp"

namespace p2psim {
namespace {

using Json = nlohmann::ordered_json;

Json number_or_null(double value) {
  return std::isfinite(value) ? Json(value) : Json(nullptr);
}

Json kpi_json(const KpiReference& reference) {
  return reference.text();
}

Json settings_json(const ExperimentResult& result, const ExperimentAnalysis& analysis) {
  const ExperimentConfig& experiment = *result.scenario.experiment;
  Json arms = Json::array();
  for (std::size_t arm = 0; arm < result.arms.size(); ++arm) {
    arms.push_back({{"name", experiment.arms[arm].name},
                    {"seed", result.arms[arm].scenario.world.simulation.seed},
                    {"scenario_hash", scenario_hash(result.arms[arm].scenario)}});
  }
  Json secondary = Json::array();
  for (const KpiReference& reference : experiment.secondary)
    secondary.push_back(kpi_json(reference));
  Json guardrails = Json::array();
  for (const Guardrail& guardrail : experiment.guardrails)
    guardrails.push_back(
        {{"kpi", kpi_json(guardrail.kpi)}, {"worst_change", guardrail.worst_change}});
  return {{"design", "worlds"},
          {"control", experiment.arms.front().name},
          {"arms", arms},
          {"replications", experiment.replications},
          {"common_random_numbers", experiment.common_random_numbers},
          {"test", analysis.paired ? "paired t" : "Welch t"},
          {"confidence_level", kConfidenceLevel},
          {"primary_kpi", experiment.primary ? kpi_json(*experiment.primary) : Json(nullptr)},
          {"primary_goal", experiment.primary_increase_is_better ? "increase" : "decrease"},
          {"secondary_kpis", secondary},
          {"correction", kCorrectionNames[static_cast<int>(experiment.correction)]},
          {"guardrails", guardrails},
          {"guardrail_rule", kGuardrailRule},
          {"minimum_effect", experiment.minimum_effect},
          {"decision_rule", kDecisionRule}};
}

Json row_json(const ComparisonRow& row) {
  Json json = {{"arm", row.arm},
               {"market", row.market},
               {"kpi", row.kpi},
               {"role", kKpiRoleNames[static_cast<int>(row.role)]},
               {"replications", row.value.count},
               {"mean", number_or_null(row.value.mean)},
               {"low", number_or_null(row.value.low)},
               {"high", number_or_null(row.value.high)}};
  if (row.comparison) {
    const Comparison& c = *row.comparison;
    json["difference"] = number_or_null(c.difference);
    json["difference_low"] = number_or_null(c.difference_low);
    json["difference_high"] = number_or_null(c.difference_high);
    json["relative"] = number_or_null(c.relative);
    json["relative_low"] = number_or_null(c.relative_low);
    json["relative_high"] = number_or_null(c.relative_high);
    json["p_value"] = number_or_null(c.p_value);
    json["adjusted_p_value"] = number_or_null(row.adjusted_p_value);
    json["test"] = c.paired ? "paired_t" : "welch_t";
    json["degrees_of_freedom"] = number_or_null(c.degrees_of_freedom);
    json["minimum_detectable_difference"] = number_or_null(row.minimum_detectable_difference);
    json["minimum_detectable_relative"] = number_or_null(row.minimum_detectable_relative);
    json["replications_needed"] =
        row.replications_needed ? Json(*row.replications_needed) : Json(nullptr);
  }
  if (row.guardrail) {
    json["guardrail"] = {
        {"worst_change", row.guardrail->worst_change},
        {"verdict", kGuardrailVerdictNames[static_cast<int>(row.guardrail->verdict)]}};
  }
  return json;
}

Json execution_json(const ExperimentResult& result) {
  std::uint64_t orders = 0;
  for (const RunResult& arm : result.arms)
    for (const ReplicationOutcome& outcome : arm.replications)
      orders += outcome.orders_simulated;
  return {{"ranks", result.ranks},
          {"threads", result.threads},
          {"wall_seconds", result.wall_seconds},
          {"peak_memory_bytes", result.peak_memory_bytes},
          {"orders_simulated", orders}};
}

}  // namespace

nlohmann::ordered_json experiment_summary_json(const ExperimentResult& result,
                                               const ExperimentAnalysis& analysis) {
  Json json = Json::object();
  json["p2psim_version"] = kVersion;
  json["scenario"] = scenario_json(result.scenario);
  json["scenario_hash"] = scenario_hash(result.scenario);
  json["seed"] = result.scenario.world.simulation.seed;
  json["experiment"] = settings_json(result, analysis);
  Json decisions = Json::array();
  for (const ArmDecision& decision : analysis.decisions) {
    decisions.push_back({{"arm", decision.arm},
                         {"decision", kDecisionNames[static_cast<int>(decision.decision)]},
                         {"reason", decision.reason}});
  }
  json["decisions"] = decisions;
  Json rows = Json::array();
  for (const ComparisonRow& row : analysis.rows)
    rows.push_back(row_json(row));
  json["comparisons"] = rows;
  json["execution"] = execution_json(result);
  return json;
}

void write_experiment_outputs(const ExperimentResult& result, const ExperimentAnalysis& analysis,
                              const std::filesystem::path& directory) {
  OutputDirectory output(directory);
  write_experiment_outputs(result, analysis, output);
}

void write_experiment_outputs(const ExperimentResult& result, const ExperimentAnalysis& analysis,
                              OutputDirectory& output) {
  write_comparison_csv(output.open(kComparisonFile), analysis);
  output.write(kSummaryFile, experiment_summary_json(result, analysis).dump(2) + "\n");
  output.write(kReportFile, report_html(result, analysis));
  output.commit();
}

}  // namespace p2psim
