#pragma once
// Writes a run's files into a directory, all or nothing: kpis.csv, daily.csv, fraud_labels.csv,
// segments.csv, summary.json and report.html.
#include <filesystem>

#include "analysis/replication.hpp"
#include "report/fraud_labels_csv.hpp"
#include "report/kpi_csv.hpp"
#include "report/output_directory.hpp"
#include "report/report_html.hpp"

namespace p2psim {

inline constexpr const char* kKpisFile = "kpis.csv";
inline constexpr const char* kDailyFile = "daily.csv";
inline constexpr const char* kSegmentsFile = "segments.csv";
inline constexpr const char* kSummaryFile = "summary.json";

// Throws std::runtime_error (with the path and the system's reason) if a file cannot be
// written; then none of them is replaced.
void write_run_outputs(const RunResult& result, const RunSummary& summary,
                       const std::filesystem::path& directory);
// Summarises the run first; returns the summary so the caller can print it.
RunSummary write_run_outputs(const RunResult& result, const std::filesystem::path& directory);
// Into an output directory opened (and locked) before the run, then committed.
void write_run_outputs(const RunResult& result, const RunSummary& summary, OutputDirectory& output);

}  // namespace p2psim
