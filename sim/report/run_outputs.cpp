#include "report/run_outputs.hpp"

#include "report/fraud_labels_csv.hpp"
#include "report/output_directory.hpp"
#include "report/report_html.hpp"
#include "report/segments_csv.hpp"
#include "report/summary_json.hpp"

namespace p2psim {

void write_run_outputs(const RunResult& result, const RunSummary& summary,
                       const std::filesystem::path& directory) {
  OutputDirectory output(directory);
  write_run_outputs(result, summary, output);
}

void write_run_outputs(const RunResult& result, const RunSummary& summary,
                       OutputDirectory& output) {
  write_kpis_csv(output.open(kKpisFile), summary.replications);
  write_daily_csv(output.open(kDailyFile), result);
  write_fraud_labels_csv(output.open(kFraudLabelsFile), result);
  output.write(kSegmentsFile, segments_csv(summary.estimates));
  output.write(kSummaryFile, summary_json_text(result, summary));
  output.write(kReportFile, report_html(result, summary));
  output.commit();
}

RunSummary write_run_outputs(const RunResult& result, const std::filesystem::path& directory) {
  RunSummary summary = summarize_run(result);
  write_run_outputs(result, summary, directory);
  return summary;
}

}  // namespace p2psim
