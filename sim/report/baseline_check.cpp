#include "report/baseline_check.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "experiment/tolerance_test.hpp"
#include "report/output_directory.hpp"
#include "report/svg_chart.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using KpiKey = std::pair<std::string, std::string>;

double mean_or_nan(const std::vector<double>& values) {
  if (values.empty()) return kNaN;
  double sum = 0.0;
  for (double value : values)
    sum += value;
  return sum / static_cast<double>(values.size());
}

void compare_setup(const Baseline& current, const Baseline& baseline,
                   std::vector<std::string>& changes) {
  if (current.scenario_hash != baseline.scenario_hash) {
    changes.push_back(fmt::format("scenario hash {} -> {} (the resolved scenario changed)",
                                  baseline.scenario_hash, current.scenario_hash));
  }
  if (current.seed != baseline.seed) {
    changes.push_back(fmt::format("seed {} -> {}", baseline.seed, current.seed));
  }
  if (current.replications != baseline.replications) {
    changes.push_back(
        fmt::format("replications {} -> {}", baseline.replications, current.replications));
  }
}

// The tiers for one KPI both runs produced; `tested` collects the ones that need Holm.
KpiComparison compare_kpi(const BaselineKpi& current, const BaselineKpi& baseline,
                          const CheckConfig& check) {
  KpiComparison comparison{current.market, current.kpi};
  const std::vector<double> now = current.present();
  const std::vector<double> before = baseline.present();
  comparison.current_mean = mean_or_nan(now);
  comparison.baseline_mean = mean_or_nan(before);
  comparison.tolerance = check.tolerance_of(current.kpi);
  if (current.values == baseline.values) return comparison;  // exact tier: identical
  comparison.status = KpiStatus::kChanged;
  if (now.empty() || before.empty()) {
    comparison.p_value = 0.0;  // produced in no replication on one side: no test needed
  } else {
    comparison.p_value = tolerance_test(before, now, comparison.tolerance).p_value;
  }
  return comparison;
}

// Holm over the KPIs that changed; those whose adjusted p-value falls under alpha moved.
void apply_statistical_tier(std::vector<KpiComparison>& kpis, double alpha) {
  std::vector<std::size_t> changed;
  std::vector<double> p_values;
  for (std::size_t i = 0; i < kpis.size(); ++i) {
    if (kpis[i].status != KpiStatus::kChanged) continue;
    changed.push_back(i);
    p_values.push_back(kpis[i].p_value);
  }
  const std::vector<double> adjusted = holm_adjusted(p_values);
  for (std::size_t j = 0; j < changed.size(); ++j) {
    KpiComparison& kpi = kpis[changed[j]];
    kpi.adjusted_p = adjusted[j];
    if (adjusted[j] < alpha) kpi.status = KpiStatus::kMoved;
  }
}

std::string number(double value) {
  return std::isfinite(value) ? fmt::format("{:.6g}", value) : std::string("(absent)");
}

std::string_view status_word(KpiStatus status) {
  switch (status) {
    case KpiStatus::kIdentical:
      return "identical";
    case KpiStatus::kChanged:
      return "changed";
    case KpiStatus::kMoved:
      return "MOVED";
    case KpiStatus::kMissing:
      return "MISSING";
    case KpiStatus::kNew:
      return "new";
  }
  return "";
}

std::string relative_change(const KpiComparison& kpi) {
  if (!std::isfinite(kpi.baseline_mean) || !std::isfinite(kpi.current_mean)) return "";
  if (kpi.baseline_mean == 0.0) return kpi.current_mean == 0.0 ? "+0%" : "from 0";
  return fmt::format("{:+.2f}%",
                     100.0 * (kpi.current_mean - kpi.baseline_mean) / std::fabs(kpi.baseline_mean));
}

// "412 -> 830 (+101.45%; tolerance 5%; p 1.2e-06, after Holm 3.4e-05)".
std::string kpi_detail(const KpiComparison& kpi, double alpha) {
  std::string text = fmt::format("{} -> {}", number(kpi.baseline_mean), number(kpi.current_mean));
  if (kpi.status == KpiStatus::kChanged || kpi.status == KpiStatus::kMoved) {
    text += fmt::format(" ({}; tolerance {:g}%; p {:.2g}, after Holm {:.2g} {} {:g})",
                        relative_change(kpi), 100.0 * kpi.tolerance, kpi.p_value, kpi.adjusted_p,
                        kpi.status == KpiStatus::kMoved ? "<" : ">=", alpha);
  }
  return text;
}

std::string xml_escape(std::string_view text) {
  return html_escape(text);  // the same five entities
}

bool fails(const KpiComparison& kpi, bool exact, bool baseline_found) {
  if (!baseline_found) return true;
  if (kpi.status == KpiStatus::kMoved || kpi.status == KpiStatus::kMissing) return true;
  return exact && kpi.status != KpiStatus::kIdentical;
}

}  // namespace

std::size_t ScenarioComparison::count(KpiStatus status) const {
  return static_cast<std::size_t>(
      std::count_if(kpis.begin(), kpis.end(),
                    [status](const KpiComparison& kpi) { return kpi.status == status; }));
}

bool ScenarioComparison::failed() const {
  return !baseline_found || count(KpiStatus::kMoved) > 0 || count(KpiStatus::kMissing) > 0;
}

bool ScenarioComparison::changed() const {
  return !baseline_found || !setup_changes.empty() || count(KpiStatus::kIdentical) != kpis.size();
}

ScenarioComparison compare_with_baseline(const Baseline& current, const Baseline* baseline,
                                         const CheckConfig& check) {
  ScenarioComparison comparison;
  comparison.scenario = current.scenario;
  comparison.scenario_file = current.scenario_file;
  comparison.alpha = check.alpha;
  comparison.baseline_found = baseline != nullptr;
  std::map<KpiKey, const BaselineKpi*> before;
  if (baseline != nullptr) {
    compare_setup(current, *baseline, comparison.setup_changes);
    for (const BaselineKpi& kpi : baseline->kpis)
      before.emplace(KpiKey{kpi.market, kpi.kpi}, &kpi);
  }
  for (const BaselineKpi& kpi : current.kpis) {
    auto found = before.find({kpi.market, kpi.kpi});
    if (found == before.end()) {
      comparison.kpis.push_back({kpi.market, kpi.kpi, KpiStatus::kNew, kNaN,
                                 mean_or_nan(kpi.present()), check.tolerance_of(kpi.kpi)});
      continue;
    }
    comparison.kpis.push_back(compare_kpi(kpi, *found->second, check));
    before.erase(found);
  }
  if (baseline != nullptr) {
    for (const BaselineKpi& kpi : baseline->kpis) {
      if (before.count({kpi.market, kpi.kpi}) == 0) continue;  // compared above
      comparison.kpis.push_back({kpi.market, kpi.kpi, KpiStatus::kMissing,
                                 mean_or_nan(kpi.present()), kNaN, check.tolerance_of(kpi.kpi)});
    }
  }
  apply_statistical_tier(comparison.kpis, check.alpha);
  return comparison;
}

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
    text += fmt::format("  {:<8} {:<{}}  {:<{}}  {}\n", status_word(kpi.status), kpi.market,
                        market_width, kpi.kpi, kpi_width, kpi_detail(kpi, comparison.alpha));
  }
  return text;
}

std::string check_summary_text(const std::vector<ScenarioComparison>& comparisons, bool exact) {
  std::size_t failed = 0, changed = 0, moved = 0, missing = 0, without_baseline = 0;
  for (const ScenarioComparison& comparison : comparisons) {
    const bool fails = comparison.failed() || (exact && comparison.changed());
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

std::string junit_xml(const std::vector<ScenarioComparison>& comparisons, bool exact) {
  std::size_t tests = 0, failures = 0;
  double seconds = 0.0;
  std::string suites;
  for (const ScenarioComparison& comparison : comparisons) {
    std::size_t suite_failures = 0;
    std::string cases;
    for (const KpiComparison& kpi : comparison.kpis) {
      const std::string detail = kpi_detail(kpi, comparison.alpha);
      cases +=
          fmt::format("    <testcase name=\"{}.{}\" classname=\"p2psim.check.{}\" time=\"0\">",
                      xml_escape(kpi.market), xml_escape(kpi.kpi), xml_escape(comparison.scenario));
      if (fails(kpi, exact, comparison.baseline_found)) {
        ++suite_failures;
        const std::string message = comparison.baseline_found
                                        ? fmt::format("{}: {}", status_word(kpi.status), detail)
                                        : std::string("no baseline");
        cases += fmt::format("\n      <failure message=\"{0}\" type=\"{1}\">{0}</failure>\n    ",
                             xml_escape(message),
                             comparison.baseline_found ? "regression" : "no-baseline");
      } else if (kpi.status != KpiStatus::kIdentical) {
        cases += fmt::format("\n      <system-out>{}: {}</system-out>\n    ",
                             status_word(kpi.status), xml_escape(detail));
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

std::vector<fs::path> regression_scenario_files(const std::vector<std::string>& arguments) {
  std::vector<fs::path> files;
  for (const std::string& argument : arguments) {
    if (!fs::is_directory(argument)) {
      files.emplace_back(argument);
      continue;
    }
    std::vector<fs::path> found;
    for (const fs::directory_entry& entry : fs::directory_iterator(argument)) {
      if (entry.is_regular_file() && entry.path().extension() == ".toml") {
        found.push_back(entry.path());
      }
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

namespace {

std::optional<Baseline> read_baseline(const fs::path& path) {
  if (!fs::exists(path)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw std::runtime_error(fmt::format("cannot read '{}'", path.string()));
  return parse_baseline(text.str(), path.string());
}

std::string baseline_file_name(const std::string& scenario) {
  return scenario + ".json";
}

}  // namespace

CheckedScenario check_scenario(const fs::path& file, const fs::path& baselines,
                               const RunOptions& options) {
  const Scenario scenario = load_scenario(file);
  const RunResult result = run_replications(scenario, options);
  const RunSummary summary = summarize_run(result);
  CheckedScenario checked{baseline_of(result, summary, file.string()), {}};
  const std::optional<Baseline> stored =
      read_baseline(baselines / baseline_file_name(scenario.name));
  checked.comparison =
      compare_with_baseline(checked.current, stored ? &*stored : nullptr, scenario.check);
  checked.comparison.seconds = result.wall_seconds;
  return checked;
}

void write_baselines(const fs::path& directory, const std::vector<CheckedScenario>& checked) {
  std::set<std::string> names;
  for (const CheckedScenario& scenario : checked) {
    if (!names.insert(scenario.current.scenario).second) {
      throw std::runtime_error(fmt::format(
          "two regression scenarios are named '{}': their baselines would share one file",
          scenario.current.scenario));
    }
  }
  OutputDirectory output(directory);
  for (const CheckedScenario& scenario : checked) {
    output.write(baseline_file_name(scenario.current.scenario),
                 baseline_json_text(scenario.current));
  }
  output.commit();
}

void write_file_atomically(const fs::path& path, const std::string& contents) {
  const fs::path directory = path.has_parent_path() ? path.parent_path() : fs::path(".");
  OutputDirectory output(directory);
  output.write(path.filename().string(), contents);
  output.commit();
}

}  // namespace p2psim
