#include "report/comparison_csv.hpp"

#include <limits>
#include <sstream>

#include "report/kpi_csv.hpp"

namespace p2psim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void write_row(std::ostream& out, const ComparisonRow& row) {
  out << csv_field(row.arm) << ',' << csv_field(row.market) << ',' << csv_field(row.kpi) << ','
      << kKpiRoleNames[static_cast<int>(row.role)] << ',' << row.value.count << ','
      << csv_number(row.value.mean) << ',' << csv_number(row.value.low) << ','
      << csv_number(row.value.high);
  const Comparison* c = row.comparison ? &*row.comparison : nullptr;
  for (double value :
       {c ? c->difference : kNaN, c ? c->difference_low : kNaN, c ? c->difference_high : kNaN,
        c ? c->relative : kNaN, c ? c->relative_low : kNaN, c ? c->relative_high : kNaN,
        c ? c->p_value : kNaN, row.adjusted_p_value}) {
    out << ',' << csv_number(value);
  }
  out << ',' << (c == nullptr ? "" : c->paired ? "paired_t" : "welch_t");
  out << ',' << (row.guardrail ? csv_number(row.guardrail->worst_change) : "");
  out << ','
      << (row.guardrail ? kGuardrailVerdictNames[static_cast<int>(row.guardrail->verdict)] : "");
  out << ',' << csv_number(row.minimum_detectable_difference) << ','
      << csv_number(row.minimum_detectable_relative) << ',';
  if (row.replications_needed) out << *row.replications_needed;
  out << '\n';
}

}  // namespace

void write_comparison_csv(std::ostream& out, const ExperimentAnalysis& analysis) {
  out << "arm,market,kpi,role,replications,mean,low,high,difference,difference_low,"
         "difference_high,relative,relative_low,relative_high,p_value,adjusted_p_value,test,"
         "guardrail_worst_change,guardrail,minimum_detectable_difference,"
         "minimum_detectable_relative,replications_needed\n";
  for (const ComparisonRow& row : analysis.rows)
    write_row(out, row);
}

std::string comparison_csv(const ExperimentAnalysis& analysis) {
  std::ostringstream out;
  write_comparison_csv(out, analysis);
  return out.str();
}

}  // namespace p2psim
