#include "report/check_junit.hpp"

#include <fmt/format.h>

#include "report/svg_chart.hpp"

namespace p2psim {
namespace {

std::string xml_escape(std::string_view text) {
  return html_escape(text);  // the same five entities
}

bool fails(const KpiComparison& kpi, bool exact, bool baseline_found) {
  if (!baseline_found) return true;
  if (kpi.status == KpiStatus::kMoved || kpi.status == KpiStatus::kMissing) return true;
  return exact && kpi.status != KpiStatus::kIdentical;
}

}  // namespace

std::string junit_xml(const std::vector<ScenarioComparison>& comparisons, bool exact) {
  std::size_t tests = 0, failures = 0;
  double seconds = 0.0;
  std::string suites;
  for (const ScenarioComparison& comparison : comparisons) {
    std::size_t suite_failures = 0;
    std::string cases;
    for (const KpiComparison& kpi : comparison.kpis) {
      const std::string detail = kpi_comparison_detail(kpi, comparison.alpha);
      cases +=
          fmt::format("    <testcase name=\"{}.{}\" classname=\"p2psim.check.{}\" time=\"0\">",
                      xml_escape(kpi.market), xml_escape(kpi.kpi), xml_escape(comparison.scenario));
      if (fails(kpi, exact, comparison.baseline_found)) {
        ++suite_failures;
        const std::string message = comparison.baseline_found
                                        ? fmt::format("{}: {}", kpi_status_word(kpi.status), detail)
                                        : std::string("no baseline");
        cases += fmt::format("\n      <failure message=\"{0}\" type=\"{1}\">{0}</failure>\n    ",
                             xml_escape(message),
                             comparison.baseline_found ? "regression" : "no-baseline");
      } else if (kpi.status != KpiStatus::kIdentical) {
        cases += fmt::format("\n      <system-out>{}: {}</system-out>\n    ",
                             kpi_status_word(kpi.status), xml_escape(detail));
      }
      cases += "</testcase>\n";
    }
    std::string setup;
    for (const std::string& change : comparison.setup_changes)
      setup += "setup changed: " + change + "\n";
    suites += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" "
        "time=\"{:.3f}\">\n    <properties>\n      <property name=\"scenario_file\" "
        "value=\"{}\"/>\n    </properties>\n{}{}  </testsuite>\n",
        xml_escape(comparison.scenario), comparison.kpis.size(), suite_failures, comparison.seconds,
        xml_escape(comparison.scenario_file), cases,
        setup.empty() ? "" : "    <system-out>" + xml_escape(setup) + "</system-out>\n");
    tests += comparison.kpis.size();
    failures += suite_failures;
    seconds += comparison.seconds;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"p2psim check\" tests=\"{}\" "
      "failures=\"{}\" errors=\"0\" time=\"{:.3f}\">\n{}</testsuites>\n",
      tests, failures, seconds, suites);
}

}  // namespace p2psim
