#include "report/split_outputs.hpp"

#include <fmt/format.h>

#include <cmath>
#include <sstream>
#include <vector>

#include "report/experiment_outputs.hpp"
#include "report/kpi_csv.hpp"
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

}  // namespace

std::string split_comparison_csv(const SplitAnalysis& analysis) {
  std::ostringstream out;
  out << "market,kpi,role,replications,estimate,low,high,relative,true_effect,bias,standard_error,"
         "unit_standard_error,rmse,coverage,variance_reduction\n";
  for (const SplitRow& row : analysis.rows) {
    out << csv_field(row.market) << ',' << csv_field(row.kpi) << ','
        << kKpiRoleNames[static_cast<int>(row.role)] << ',' << row.replications;
    for (double value : {row.estimate.mean, row.estimate.low, row.estimate.high, row.relative,
                         row.true_effect, row.bias, row.standard_error, row.unit_standard_error,
                         row.rmse, row.coverage, row.variance_reduction})
      out << ',' << csv_number(value);
    out << '\n';
  }
  return out.str();
}

nlohmann::ordered_json split_summary_json(const ExperimentResult& result,
                                          const SplitAnalysis& analysis) {
  const ExperimentConfig& experiment = *result.scenario.experiment;
  Json json = Json::object();
  json["p2psim_version"] = kVersion;
  json["scenario"] = scenario_json(result.scenario);
  json["scenario_hash"] = scenario_hash(result.scenario);
  json["seed"] = result.scenario.world.simulation.seed;
  json["experiment"] = {
      {"design", analysis.design},
      {"unit", analysis.unit},
      {"estimate", analysis.method},
      {"control", experiment.arms[0].name},
      {"treatment", experiment.arms[1].name},
      {"allocation", experiment.allocation},
      {"replications", experiment.replications},
      {"compare_with_worlds", experiment.compare_with_worlds},
      {"primary_kpi", experiment.primary ? Json(experiment.primary->text()) : Json(nullptr)}};
  if (experiment.design == ExperimentDesign::kSwitchback) {
    json["experiment"]["block_hours"] = experiment.block_hours;
    json["experiment"]["burn_in_hours"] = experiment.burn_in_hours;
  }
  if (analysis.unit == "user" || analysis.unit == "merchant")
    json["experiment"]["cuped"] = experiment.cuped;
  json["sample_ratio"] = {{"control_units", analysis.control_units},
                          {"treated_units", analysis.treated_units},
                          {"p_value", number_or_null(analysis.sample_ratio_p_value)},
                          {"mismatch", analysis.sample_ratio_mismatch}};
  Json rows = Json::array();
  for (const SplitRow& row : analysis.rows) {
    rows.push_back({{"market", row.market},
                    {"kpi", row.kpi},
                    {"role", kKpiRoleNames[static_cast<int>(row.role)]},
                    {"replications", row.replications},
                    {"estimate", number_or_null(row.estimate.mean)},
                    {"low", number_or_null(row.estimate.low)},
                    {"high", number_or_null(row.estimate.high)},
                    {"relative", number_or_null(row.relative)},
                    {"true_effect", number_or_null(row.true_effect)},
                    {"bias", number_or_null(row.bias)},
                    {"standard_error", number_or_null(row.standard_error)},
                    {"unit_standard_error", number_or_null(row.unit_standard_error)},
                    {"rmse", number_or_null(row.rmse)},
                    {"coverage", number_or_null(row.coverage)},
                    {"variance_reduction", number_or_null(row.variance_reduction)}});
  }
  json["estimates"] = rows;
  json["execution"] = {{"ranks", result.ranks},
                       {"threads", result.threads},
                       {"wall_seconds", result.wall_seconds},
                       {"peak_memory_bytes", result.peak_memory_bytes}};
  return json;
}

void write_split_outputs(const ExperimentResult& result, const SplitAnalysis& analysis,
                         const std::filesystem::path& directory) {
  OutputDirectory output(directory);
  write_split_outputs(result, analysis, output);
}

void write_split_outputs(const ExperimentResult& result, const SplitAnalysis& analysis,
                         OutputDirectory& output) {
  output.write(kComparisonFile, split_comparison_csv(analysis));
  output.write(kSummaryFile, split_summary_json(result, analysis).dump(2) + "\n");
  output.write(kReportFile, report_html(result, analysis));
  output.commit();
}

}  // namespace p2psim
