#include "analysis/experiment_analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "analysis/run_summary.hpp"
#include "metrics/kpis.hpp"

namespace p2psim {

const char* const kDecisionRule =
    "ship when the primary KPI moves in its goal direction with p < 0.05 and every guardrail is "
    "safe; do not ship when a guardrail shows harm or the primary KPI moves against its goal with "
    "p < 0.05; inconclusive otherwise (a guardrail whose safety is not shown holds back a ship)";
const char* const kGuardrailRule =
    "a guardrail is safe when the whole 95% interval of the relative change lies on the allowed "
    "side of worst_change (a non-inferiority test), shows harm when the whole interval lies "
    "beyond it, and its safety is not shown otherwise (the interval straddles worst_change, or no "
    "relative change was measured)";

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One KPI of one market, replication by replication; NaN where a replication did not produce
// it (derive_kpis leaves out a ratio whose denominator is 0).
using KpiSeries = std::map<std::pair<std::string, std::string>, std::vector<double>>;

struct ArmSeries {
  KpiSeries series;
  std::vector<std::pair<std::string, std::string>> order;
};

// The value a replication of a market is worth: sum of weight x KPI, a KPI the world does not
// model counting 0 (a world without a campaign pays no incentive).
double value_of(const MarketKpis& market, const std::vector<ValueTerm>& value) {
  double sum = 0.0;
  for (const ValueTerm& term : value) {
    for (const KpiValue& kpi : market.kpis)
      if (kpi.name == term.kpi) sum += term.usd_per_unit * kpi.value;
  }
  return sum;
}

ArmSeries arm_series(const RunResult& run, const std::vector<ValueTerm>& value,
                     std::vector<std::string>& markets,
                     std::map<std::string, std::vector<std::string>>& kpi_order) {
  ArmSeries result;
  std::vector<ReplicationKpis> replications = period_kpis(run);
  const std::size_t count = replications.size();
  for (std::size_t r = 0; r < count; ++r) {
    std::vector<std::string> market_names;
    for (const MarketKpis& market : replications[r].markets) {
      market_names.push_back(market.market);
      std::vector<std::string> names;
      auto book = [&](const std::string& name, double kpi_value) {
        names.push_back(name);
        auto& values = result.series[{market.market, name}];
        values.resize(count, kNaN);
        values[r] = kpi_value;
      };
      for (const KpiValue& kpi : market.kpis)
        book(kpi.name, kpi.value);
      if (!value.empty()) book(kValueKpi, value_of(market, value));
      merge_name_order(kpi_order[market.market], names);
    }
    merge_name_order(markets, market_names);
  }
  return result;
}

std::vector<double> present(const std::vector<double>& values) {
  std::vector<double> kept;
  for (double value : values)
    if (!std::isnan(value)) kept.push_back(value);
  return kept;
}

std::optional<Comparison> compare_series(const std::vector<double>& control,
                                         const std::vector<double>& treatment, bool paired) {
  if (paired) {
    std::vector<double> left;
    std::vector<double> right;
    for (std::size_t r = 0; r < control.size() && r < treatment.size(); ++r) {
      if (std::isnan(control[r]) || std::isnan(treatment[r])) continue;
      left.push_back(control[r]);
      right.push_back(treatment[r]);
    }
    if (left.size() < 2) return std::nullopt;
    return compare_paired(left, right);
  }
  std::vector<double> left = present(control);
  std::vector<double> right = present(treatment);
  if (left.size() < 2 || right.size() < 2) return std::nullopt;
  return compare_welch(left, right);
}

GuardrailVerdict verdict_of(const Guardrail& guardrail, const Comparison& comparison) {
  // Oriented so that a larger value is worse: a rise beyond +worst, or a fall beyond -|worst|.
  const double sign = guardrail.worst_change > 0.0 ? 1.0 : -1.0;
  const double best = sign > 0.0 ? comparison.relative_low : -comparison.relative_high;
  const double worst = sign > 0.0 ? comparison.relative_high : -comparison.relative_low;
  const double limit = sign * guardrail.worst_change;
  if (worst <= limit) return GuardrailVerdict::kSafe;
  if (best > limit) return GuardrailVerdict::kHarmShown;
  return GuardrailVerdict::kSafetyNotShown;
}

std::optional<GuardrailCheck> check_guardrail(const ExperimentConfig& experiment,
                                              const ComparisonRow& row) {
  for (const Guardrail& guardrail : experiment.guardrails) {
    if (guardrail.kpi.market != row.market || guardrail.kpi.kpi != row.kpi) continue;
    if (!row.comparison || std::isnan(row.comparison->relative))
      return GuardrailCheck{guardrail.worst_change, GuardrailVerdict::kSafetyNotShown};
    return GuardrailCheck{guardrail.worst_change, verdict_of(guardrail, *row.comparison)};
  }
  return std::nullopt;
}

void fill_power(ComparisonRow& row, const ExperimentConfig& experiment, double control_mean) {
  row.minimum_detectable_difference = kNaN;
  row.minimum_detectable_relative = kNaN;
  row.replications_needed = std::nullopt;
  if (!row.comparison) return;
  row.minimum_detectable_difference = minimum_detectable_difference(*row.comparison);
  if (!(control_mean > 0.0)) return;
  row.minimum_detectable_relative = row.minimum_detectable_difference / control_mean;
  row.replications_needed =
      replications_needed(*row.comparison, experiment.minimum_effect * control_mean);
}

void correct_secondary(std::vector<ComparisonRow>& rows, std::size_t first,
                       MultipleTestingCorrection correction) {
  std::vector<std::size_t> family;
  std::vector<double> p_values;
  for (std::size_t i = first; i < rows.size(); ++i) {
    if (rows[i].role != KpiRole::kSecondary || !rows[i].comparison) continue;
    family.push_back(i);
    p_values.push_back(rows[i].comparison->p_value);
  }
  std::vector<double> adjusted = correction == MultipleTestingCorrection::kHolm
                                     ? holm_adjusted(p_values)
                                     : benjamini_hochberg_adjusted(p_values);
  for (std::size_t k = 0; k < family.size(); ++k)
    rows[family[k]].adjusted_p_value = adjusted[k];
}

// The first guardrail with `verdict`, if any.
const ComparisonRow* guardrail_with(std::span<const ComparisonRow> rows, GuardrailVerdict verdict) {
  for (const ComparisonRow& row : rows)
    if (row.guardrail && row.guardrail->verdict == verdict) return &row;
  return nullptr;
}

ArmDecision decide_on_primary(const ExperimentConfig& experiment, const std::string& arm,
                              std::span<const ComparisonRow> rows, const ComparisonRow& primary) {
  if (!primary.comparison)
    return {arm, Decision::kInconclusive, "the primary KPI was not measured"};
  const Comparison& comparison = *primary.comparison;
  if (comparison.p_value >= kSignificanceLevel) {
    return {arm, Decision::kInconclusive,
            fmt::format("primary KPI p = {:.3g} >= 0.05", comparison.p_value)};
  }
  const bool up = comparison.difference > 0.0;
  if (up != experiment.primary_increase_is_better) {
    return {arm, Decision::kDoNotShip,
            fmt::format("primary KPI moved against its goal, p = {:.3g}", comparison.p_value)};
  }
  if (const ComparisonRow* open = guardrail_with(rows, GuardrailVerdict::kSafetyNotShown)) {
    return {arm, Decision::kInconclusive,
            fmt::format("primary KPI moved in its goal direction, p = {:.3g}, but guardrail {}.{} "
                        "is not shown safe",
                        comparison.p_value, open->market, open->kpi)};
  }
  return {arm, Decision::kShip,
          fmt::format("primary KPI moved in its goal direction, p = {:.3g}, guardrails safe",
                      comparison.p_value)};
}

ArmDecision decide(const ExperimentConfig& experiment, const std::string& arm,
                   std::span<const ComparisonRow> rows) {
  if (const ComparisonRow* harmed = guardrail_with(rows, GuardrailVerdict::kHarmShown)) {
    return {arm, Decision::kDoNotShip,
            fmt::format("guardrail {}.{} shows harm", harmed->market, harmed->kpi)};
  }
  for (const ComparisonRow& row : rows)
    if (row.role == KpiRole::kPrimary) return decide_on_primary(experiment, arm, rows, row);
  return {arm, Decision::kInconclusive, "the primary KPI was not measured"};
}

}  // namespace

KpiRole role_of(const ExperimentConfig& experiment, const std::string& market,
                const std::string& kpi) {
  auto is = [&](const KpiReference& reference) {
    return reference.market == market && reference.kpi == kpi;
  };
  if (experiment.primary && is(*experiment.primary)) return KpiRole::kPrimary;
  for (const KpiReference& reference : experiment.secondary)
    if (is(reference)) return KpiRole::kSecondary;
  for (const Guardrail& guardrail : experiment.guardrails)
    if (is(guardrail.kpi)) return KpiRole::kGuardrail;
  return KpiRole::kOther;
}

ExperimentAnalysis analyze_experiment(const ExperimentResult& result) {
  const ExperimentConfig& experiment = *result.scenario.experiment;
  ExperimentAnalysis analysis;
  analysis.paired = experiment.common_random_numbers;
  std::vector<std::string> markets;
  std::map<std::string, std::vector<std::string>> kpi_order;
  std::vector<ArmSeries> arms;
  for (const RunResult& run : result.arms)
    arms.push_back(arm_series(run, experiment.value, markets, kpi_order));

  for (std::size_t arm = 0; arm < arms.size(); ++arm) {
    std::size_t first = analysis.rows.size();
    for (const std::string& market : markets) {
      for (const std::string& kpi : kpi_order[market]) {
        auto key = std::make_pair(market, kpi);
        auto found = arms[arm].series.find(key);
        if (found == arms[arm].series.end()) continue;
        ComparisonRow row;
        row.arm = experiment.arms[arm].name;
        row.market = market;
        row.kpi = kpi;
        row.role = role_of(experiment, market, kpi);
        row.value = estimate_kpi(present(found->second), kpi);
        row.adjusted_p_value = kNaN;
        auto control = arms[0].series.find(key);
        double control_mean = kNaN;
        if (arm > 0 && control != arms[0].series.end()) {
          row.comparison = compare_series(control->second, found->second, analysis.paired);
          // A KPI that cannot go below 0 cannot fall by more than 100%.
          if (row.comparison && kpi_domain(kpi).low >= 0.0)
            row.comparison->relative_low = std::max(-1.0, row.comparison->relative_low);
          control_mean = estimate_mean(present(control->second)).mean;
        }
        if (arm > 0) row.guardrail = check_guardrail(experiment, row);
        fill_power(row, experiment, control_mean);
        analysis.rows.push_back(std::move(row));
      }
    }
    correct_secondary(analysis.rows, first, experiment.correction);
    if (arm > 0 && experiment.decides()) {
      std::span<const ComparisonRow> rows(analysis.rows.data() + first,
                                          analysis.rows.size() - first);
      analysis.decisions.push_back(decide(experiment, experiment.arms[arm].name, rows));
    }
  }
  return analysis;
}

}  // namespace p2psim
