#pragma once
// The files of a split experiment, written all or nothing: comparison.csv (every KPI:
// market,kpi,role,replications,estimate,low,high,relative,true_effect,bias,standard_error,
// unit_standard_error,rmse,coverage,variance_reduction), summary.json and report.html.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/split_analysis.hpp"
#include "report/output_directory.hpp"

namespace p2psim {

std::string split_comparison_csv(const SplitAnalysis& analysis);
nlohmann::ordered_json split_summary_json(const ExperimentResult& result,
                                          const SplitAnalysis& analysis);
void write_split_outputs(const ExperimentResult& result, const SplitAnalysis& analysis,
                         const std::filesystem::path& directory);
// Into an output directory opened (and locked) before the run, then committed.
void write_split_outputs(const ExperimentResult& result, const SplitAnalysis& analysis,
                         OutputDirectory& output);

}  // namespace p2psim
