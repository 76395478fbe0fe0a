#include "report/split_analysis.hpp"

#include <cmath>
#include <limits>
#include <map>

#include "report/kpi_tables.hpp"

namespace p2psim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// values[kpi][replication][market]: NaN where absent. Markets in scenario order ("all" left out).
using MarketValues = std::map<std::string, std::vector<std::vector<double>>>;

MarketValues unit_values(const RunResult& run, const std::vector<MarketConfig>& markets,
                         std::vector<std::string>& order) {
  MarketValues values;
  std::vector<ReplicationKpis> replications = period_kpis(run);
  for (std::size_t r = 0; r < replications.size(); ++r) {
    for (const MarketKpis& kpis : replications[r].markets) {
      std::size_t m = 0;
      while (m < markets.size() && markets[m].code != kpis.market)
        ++m;
      if (m == markets.size()) continue;  // the "all" total
      std::vector<std::string> names;
      for (const KpiValue& kpi : kpis.kpis) {
        names.push_back(kpi.name);
        auto& table = values[kpi.name];
        table.resize(replications.size(), std::vector<double>(markets.size(), kNaN));
        table[r][m] = kpi.value;
      }
      merge_name_order(order, names);
    }
  }
  return values;
}

double mean_of(const std::vector<double>& values) {
  double sum = 0.0;
  for (double value : values)
    sum += value;
  return sum / static_cast<double>(values.size());
}

// The true effect of replication r: the mean over markets of treatment world - control world.
double true_effect(const MarketValues& control, const MarketValues& treatment,
                   const std::string& kpi, std::size_t r) {
  auto a = control.find(kpi);
  auto b = treatment.find(kpi);
  if (a == control.end() || b == treatment.end()) return kNaN;
  std::vector<double> differences;
  for (std::size_t m = 0; m < a->second[r].size(); ++m) {
    double difference = b->second[r][m] - a->second[r][m];
    if (!std::isnan(difference)) differences.push_back(difference);
  }
  return differences.empty() ? kNaN : mean_of(differences);
}

struct Accumulator {
  std::vector<double> estimates;
  std::vector<double> control_means;
  std::vector<double> errors;  // estimate - true effect
  std::uint32_t intervals = 0;
  std::uint32_t covered = 0;
};

SplitRow summarise(const std::string& kpi, KpiRole role, const Accumulator& sums) {
  SplitRow row;
  row.kpi = kpi;
  row.role = role;
  row.replications = static_cast<std::uint32_t>(sums.estimates.size());
  row.estimate = estimate_mean(sums.estimates);
  row.relative =
      sums.control_means.empty() ? kNaN : row.estimate.mean / mean_of(sums.control_means);
  row.standard_error = kNaN;
  if (sums.estimates.size() >= 2) {
    double squares = 0.0;
    for (double estimate : sums.estimates)
      squares += (estimate - row.estimate.mean) * (estimate - row.estimate.mean);
    row.standard_error = std::sqrt(squares / static_cast<double>(sums.estimates.size() - 1));
  }
  row.true_effect = row.bias = row.rmse = row.coverage = kNaN;
  if (!sums.errors.empty()) {
    double squares = 0.0;
    for (double error : sums.errors)
      squares += error * error;
    row.bias = mean_of(sums.errors);
    row.rmse = std::sqrt(squares / static_cast<double>(sums.errors.size()));
    row.true_effect = row.estimate.mean - row.bias;
    if (sums.intervals > 0) row.coverage = static_cast<double>(sums.covered) / sums.intervals;
  }
  return row;
}

}  // namespace

SplitAnalysis analyze_market_split(const ExperimentResult& result) {
  const ExperimentConfig& experiment = *result.scenario.experiment;
  const std::vector<MarketConfig>& markets = experiment.arms[0].world.markets;
  const SplitRun& split = *result.split;
  SplitAnalysis analysis;
  analysis.with_worlds = result.arms.size() == 2;
  std::vector<std::string> order;
  MarketValues units = unit_values(split.run, markets, order);
  MarketValues control;
  MarketValues treatment;
  if (analysis.with_worlds) {
    std::vector<std::string> ignored;
    control = unit_values(result.arms[0], markets, ignored);
    treatment = unit_values(result.arms[1], markets, ignored);
  }
  for (const std::vector<bool>& treated : split.treated) {
    for (bool unit : treated)
      ++(unit ? analysis.treated_units : analysis.control_units);
  }
  std::vector<double> observed = {static_cast<double>(analysis.control_units),
                                  static_cast<double>(analysis.treated_units)};
  std::vector<double> shares = {1.0 - experiment.allocation, experiment.allocation};
  analysis.sample_ratio_p_value = chi_square_p_value(observed, shares);
  analysis.sample_ratio_mismatch = analysis.sample_ratio_p_value < kSampleRatioThreshold;

  for (const std::string& kpi : order) {
    Accumulator sums;
    const auto& table = units.at(kpi);
    for (std::size_t r = 0; r < table.size(); ++r) {
      std::vector<double> in_control;
      std::vector<double> in_treatment;
      for (std::size_t m = 0; m < markets.size(); ++m) {
        if (std::isnan(table[r][m])) continue;
        (split.treated[r][m] ? in_treatment : in_control).push_back(table[r][m]);
      }
      if (in_control.empty() || in_treatment.empty()) continue;
      double estimate = mean_of(in_treatment) - mean_of(in_control);
      sums.estimates.push_back(estimate);
      sums.control_means.push_back(mean_of(in_control));
      if (!analysis.with_worlds) continue;
      double truth = true_effect(control, treatment, kpi, r);
      if (std::isnan(truth)) continue;
      sums.errors.push_back(estimate - truth);
      if (in_control.size() < 2 || in_treatment.size() < 2) continue;
      Comparison comparison = compare_welch(in_control, in_treatment);
      ++sums.intervals;
      if (comparison.difference_low <= truth && truth <= comparison.difference_high) ++sums.covered;
    }
    KpiRole role = KpiRole::kOther;
    if (experiment.primary.kpi == kpi) role = KpiRole::kPrimary;
    for (const KpiReference& reference : experiment.secondary)
      if (reference.kpi == kpi && role == KpiRole::kOther) role = KpiRole::kSecondary;
    for (const Guardrail& guardrail : experiment.guardrails)
      if (guardrail.kpi.kpi == kpi && role == KpiRole::kOther) role = KpiRole::kGuardrail;
    analysis.rows.push_back(summarise(kpi, role, sums));
  }
  return analysis;
}

}  // namespace p2psim
