#include "cli/check_text.hpp"

#include <fmt/format.h>
#include <algorithm>

namespace p2psim {

std::string comparison_text(const ScenarioComparison& comparison) {
  std::string text = fmt::format("{} ({}) in {:.1f} s: ", comparison.scenario,
                                 comparison.scenario_file, comparison.seconds);
  if (!comparison.baseline_found) {
    return text + "FAILED: no baseline (write one with `p2psim check --update`)\n";
  }
  text += fmt::format(
      "{}: {} identical, {} changed within tolerance, {} moved, {} missing, {} new\n",
      comparison.failed() ? "FAILED" : "passed", comparison.count(KpiStatus::kIdentical),
      comparison.count(KpiStatus::kChanged), comparison.count(KpiStatus::kMoved),
      comparison.count(KpiStatus::kMissing), comparison.count(KpiStatus::kNew));
  for (const std::string& change : comparison.setup_changes)
    text += "  setup    " + change + "\n";
  std::size_t market_width = 0, kpi_width = 0;
  for (const KpiComparison& kpi : comparison.kpis) {
    if (kpi.status == KpiStatus::kIdentical) continue;
    market_width = std::max(market_width, kpi.market.size());
    kpi_width = std::max(kpi_width, kpi.kpi.size());
  }
  for (const KpiComparison& kpi : comparison.kpis) {
    if (kpi.status == KpiStatus::kIdentical) continue;
    text +=
        fmt::format("  {:<8} {:<{}}  {:<{}}  {}\n", kpi_status_word(kpi.status), kpi.market,
                    market_width, kpi.kpi, kpi_width, kpi_comparison_detail(kpi, comparison.alpha));
  }
  return text;
}

std::string check_summary_text(const std::vector<ScenarioComparison>& comparisons, bool exact) {
  std::size_t failed = 0, changed = 0, moved = 0, missing = 0, without_baseline = 0;
  for (const ScenarioComparison& comparison : comparisons) {
    const bool fails = fails_check(comparison, exact);
    failed += fails ? 1 : 0;
    changed += comparison.changed() ? 1 : 0;
    moved += comparison.count(KpiStatus::kMoved);
    missing += comparison.count(KpiStatus::kMissing);
    without_baseline += comparison.baseline_found ? 0 : 1;
  }
  return fmt::format(
      "check: {} of {} scenario(s) failed ({} KPI(s) moved beyond tolerance, {} missing, {} "
      "scenario(s) without baseline); {} scenario(s) differ from their baseline in any way{}\n",
      failed, comparisons.size(), moved, missing, without_baseline, changed,
      exact ? " (--exact: any difference fails)" : "");
}

}  // namespace p2psim
