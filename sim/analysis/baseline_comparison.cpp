#include "analysis/baseline_comparison.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include "analysis/tolerance_test.hpp"
#include "scenario/scenario_json.hpp"
#include "version.hpp"

namespace p2psim {
namespace {

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

// How often each run produced a KPI, compared: a KPI that one run produced in every replication
// and the other in none appeared or vanished (p = 0, as a missing KPI always failed); else
// Fisher's exact test.
double presence_p(std::size_t produced_before, std::size_t replications_before,
                  std::size_t produced_now, std::size_t replications_now) {
  const bool vanished = produced_before == replications_before && produced_now == 0;
  const bool appeared = produced_now == replications_now && produced_before == 0;
  if (vanished || appeared) return 0.0;
  return presence_p_value(produced_before, replications_before, produced_now, replications_now);
}

bool constant(const std::vector<double>& values) {
  return std::adjacent_find(values.begin(), values.end(), std::not_equal_to<>()) == values.end();
}

// The replications both runs produced the KPI in, as (baseline, current) pairs.
struct Pairs {
  std::vector<double> baseline;
  std::vector<double> current;
};

Pairs pairs_of(const BaselineKpi& baseline, const BaselineKpi& current) {
  Pairs pairs;
  const std::size_t count = std::min(baseline.values.size(), current.values.size());
  for (std::size_t r = 0; r < count; ++r) {
    if (!baseline.values[r] || !current.values[r]) continue;
    pairs.baseline.push_back(*baseline.values[r]);
    pairs.current.push_back(*current.values[r]);
  }
  return pairs;
}

// The tiers for one KPI both runs produced. `paired`: the runs share their random numbers
// replication by replication (same seed and replications), so the test is on the differences
// of the replications both produced the KPI in, when there are at least two.
KpiComparison compare_kpi(const BaselineKpi& current, const BaselineKpi& baseline,
                          const CheckConfig& check, bool paired) {
  KpiComparison comparison{current.market, current.kpi};
  const std::vector<double> now = current.present();
  const std::vector<double> before = baseline.present();
  comparison.current_mean = mean_or_nan(now);
  comparison.baseline_mean = mean_or_nan(before);
  comparison.tolerance = check.tolerance_of(current.kpi);
  if (current.values == baseline.values) return comparison;  // exact tier: identical
  comparison.status = KpiStatus::kChanged;
  // Produced in no replication on one side, in at most one on each side of a run of several
  // replications, or in only some replications with no spread on either side (a ratio whose
  // denominator is rarely positive): too few values to weigh, so only how often it was produced
  // is compared. A KPI produced in every replication without spread is deterministic: the plain
  // comparison of the tolerance test is then right.
  const bool incomplete =
      before.size() < baseline.values.size() || now.size() < current.values.size();
  const bool too_few = (before.size() < 2 && now.size() < 2 &&
                        (baseline.values.size() > 1 || current.values.size() > 1)) ||
                       (incomplete && constant(before) && constant(now));
  if (now.empty() || before.empty() || too_few) {
    comparison.p_value =
        presence_p(before.size(), baseline.values.size(), now.size(), current.values.size());
    return comparison;
  }
  const Pairs pairs = paired ? pairs_of(baseline, current) : Pairs{};
  comparison.paired = pairs.baseline.size() >= 2;
  comparison.p_value =
      comparison.paired
          ? paired_tolerance_test(pairs.baseline, pairs.current, comparison.tolerance).p_value
          : tolerance_test(before, now, comparison.tolerance).p_value;
  return comparison;
}

// Holm over the KPIs that changed or went missing; a changed one whose adjusted p-value falls
// under alpha moved, a missing one whose adjusted p-value does not is only changed (the
// baseline's few replications that produced it were chance).
void apply_statistical_tier(std::vector<KpiComparison>& kpis, double alpha) {
  std::vector<std::size_t> tested;
  std::vector<double> p_values;
  for (std::size_t i = 0; i < kpis.size(); ++i) {
    if (kpis[i].status != KpiStatus::kChanged && kpis[i].status != KpiStatus::kMissing) continue;
    tested.push_back(i);
    p_values.push_back(kpis[i].p_value);
  }
  const std::vector<double> adjusted = holm_adjusted(p_values);
  for (std::size_t j = 0; j < tested.size(); ++j) {
    KpiComparison& kpi = kpis[tested[j]];
    kpi.adjusted_p = adjusted[j];
    if (kpi.status == KpiStatus::kChanged && adjusted[j] < alpha) kpi.status = KpiStatus::kMoved;
    if (kpi.status == KpiStatus::kMissing && adjusted[j] >= alpha) kpi.status = KpiStatus::kChanged;
  }
}

std::string number(double value) {
  return std::isfinite(value) ? fmt::format("{:.6g}", value) : std::string("(absent)");
}

std::string relative_change(const KpiComparison& kpi) {
  if (!std::isfinite(kpi.current_mean)) return "produced before only";
  if (!std::isfinite(kpi.baseline_mean)) return "produced now only";
  if (kpi.baseline_mean == 0.0) return kpi.current_mean == 0.0 ? "+0%" : "from 0";
  return fmt::format("{:+.2f}%",
                     100.0 * (kpi.current_mean - kpi.baseline_mean) / std::fabs(kpi.baseline_mean));
}

}  // namespace

std::vector<double> BaselineKpi::present() const {
  std::vector<double> result;
  for (const std::optional<double>& value : values) {
    if (value) result.push_back(*value);
  }
  return result;
}

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
  // Common random numbers: replication r of both runs drew from the same streams.
  const bool paired = baseline != nullptr && baseline->seed == current.seed &&
                      baseline->replications == current.replications;
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
    comparison.kpis.push_back(compare_kpi(kpi, *found->second, check, paired));
    before.erase(found);
  }
  if (baseline != nullptr) {
    for (const BaselineKpi& kpi : baseline->kpis) {
      if (before.count({kpi.market, kpi.kpi}) == 0) continue;  // compared above
      const std::size_t produced = kpi.present().size();
      comparison.kpis.push_back({kpi.market, kpi.kpi, KpiStatus::kMissing,
                                 mean_or_nan(kpi.present()), kNaN, check.tolerance_of(kpi.kpi),
                                 presence_p(produced, kpi.values.size(), 0, current.replications)});
    }
  }
  apply_statistical_tier(comparison.kpis, check.alpha);
  return comparison;
}

bool fails_check(const ScenarioComparison& comparison, bool exact) {
  return comparison.failed() || (exact && comparison.changed());
}

std::string_view kpi_status_word(KpiStatus status) {
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

// "412 -> 830 (+101.45%; tolerance 5%; paired p 1.2e-06, after Holm 3.4e-05 < 0.01)".
std::string kpi_comparison_detail(const KpiComparison& kpi, double alpha) {
  std::string text = fmt::format("{} -> {}", number(kpi.baseline_mean), number(kpi.current_mean));
  if (kpi.status == KpiStatus::kChanged || kpi.status == KpiStatus::kMoved ||
      kpi.status == KpiStatus::kMissing) {
    text += fmt::format(" ({}; tolerance {:g}%; {}p {:.2g}, after Holm {:.2g} {} {:g})",
                        relative_change(kpi), 100.0 * kpi.tolerance, kpi.paired ? "paired " : "",
                        kpi.p_value, kpi.adjusted_p, kpi.adjusted_p < alpha ? "<" : ">=", alpha);
  }
  return text;
}

Baseline baseline_of(const RunResult& result, const RunSummary& summary,
                     const std::string& scenario_file) {
  Baseline baseline;
  baseline.scenario = result.scenario.name;
  baseline.scenario_file = scenario_file;
  baseline.scenario_hash = scenario_hash(result.scenario);
  baseline.seed = result.scenario.world.simulation.seed;
  baseline.replications = static_cast<std::uint32_t>(summary.replications.size());
  baseline.p2psim_version = kVersion;
  // The estimates fix the order of markets and KPIs; the replications fill in the values.
  for (const MarketEstimates& market : summary.estimates) {
    for (const KpiEstimate& estimate : market.kpis) {
      BaselineKpi kpi{market.market, estimate.name, {}};
      for (const ReplicationKpis& replication : summary.replications) {
        std::optional<double> value;
        for (const MarketKpis& values : replication.markets) {
          if (values.market != market.market) continue;
          for (const KpiValue& candidate : values.kpis) {
            if (candidate.name == estimate.name) value = candidate.value;
          }
        }
        kpi.values.push_back(value);
      }
      baseline.kpis.push_back(std::move(kpi));
    }
  }
  return baseline;
}

}  // namespace p2psim
