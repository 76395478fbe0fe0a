#pragma once
// An experiment's files, written all or nothing into one directory: comparison.csv (every arm,
// market and KPI) and summary.json (the scenario, the experiment's settings, the decisions with
// their rule and the same comparisons as comparison.csv, then how the run executed),
// and report.html (the arms, the decisions and the same comparisons drawn). Everything
// outside "execution" depends only on the scenario and seed, never on the thread count.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/experiment_analysis.hpp"
#include "report/output_directory.hpp"

namespace p2psim {

inline constexpr const char* kComparisonFile = "comparison.csv";

nlohmann::ordered_json experiment_summary_json(const ExperimentResult& result,
                                               const ExperimentAnalysis& analysis);

// Throws std::runtime_error if a file cannot be written; then none of them is replaced.
void write_experiment_outputs(const ExperimentResult& result, const ExperimentAnalysis& analysis,
                              const std::filesystem::path& directory);
// Into an output directory opened (and locked) before the run, then committed.
void write_experiment_outputs(const ExperimentResult& result, const ExperimentAnalysis& analysis,
                              OutputDirectory& output);

}  // namespace p2psim
