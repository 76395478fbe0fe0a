#include "analysis/split_analysis.hpp"

#include <fmt/format.h>

#include <cassert>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include "analysis/run_summary.hpp"
#include "analysis/unit_estimate.hpp"

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
  std::vector<double> unit_errors;  // unit designs: each replication's standard error
  std::vector<double> reductions;   // CUPED: each replication's variance reduction
};

void count_interval(Accumulator& sums, double low, double high, double truth) {
  ++sums.intervals;
  if (low <= truth && truth <= high) ++sums.covered;
}

void check_sample_ratio(SplitAnalysis& analysis, double allocation) {
  std::vector<double> observed = {static_cast<double>(analysis.control_units),
                                  static_cast<double>(analysis.treated_units)};
  std::vector<double> shares = {1.0 - allocation, allocation};
  analysis.sample_ratio_p_value = chi_square_p_value(observed, shares);
  analysis.sample_ratio_mismatch = analysis.sample_ratio_p_value < kSampleRatioThreshold;
}

SplitRow summarise(const std::string& market, const std::string& kpi, KpiRole role,
                   const Accumulator& sums) {
  SplitRow row;
  row.market = market;
  row.kpi = kpi;
  row.unit_standard_error = sums.unit_errors.empty() ? kNaN : mean_of(sums.unit_errors);
  row.variance_reduction = sums.reductions.empty() ? kNaN : mean_of(sums.reductions);
  row.role = role;
  row.replications = static_cast<std::uint32_t>(sums.estimates.size());
  row.estimate = estimate_mean(sums.estimates);
  // No relative change against a control of 0 (or no control at all).
  const double control = sums.control_means.empty() ? 0.0 : mean_of(sums.control_means);
  row.relative = control == 0.0 ? kNaN : row.estimate.mean / control;
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

SplitAnalysis analyze_markets(const ExperimentResult& result) {
  const ExperimentConfig& experiment = *result.scenario.experiment;
  const std::vector<MarketConfig>& markets = experiment.arms[0].world.markets;
  const SplitRun& split = *result.split;
  SplitAnalysis analysis;
  analysis.design = "market_split";
  analysis.unit = "market";
  analysis.method =
      "per replication, the mean of the treated markets minus the mean of the control markets";
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
  check_sample_ratio(analysis, experiment.allocation);
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
      count_interval(sums, comparison.difference_low, comparison.difference_high, truth);
    }
    analysis.rows.push_back(summarise("all", kpi, role_of(experiment, "all", kpi), sums));
  }
  return analysis;
}

// A KPI's value in each replication of a run, by market: NaN where absent.
class PeriodValues {
 public:
  explicit PeriodValues(const RunResult& run) : replications_(period_kpis(run)) {}
  double at(std::size_t replication, const std::string& market, const std::string& kpi) const {
    for (const MarketKpis& values : replications_[replication].markets) {
      if (values.market != market) continue;
      for (const KpiValue& value : values.kpis)
        if (value.name == kpi) return value.value;
    }
    return kNaN;
  }

 private:
  std::vector<ReplicationKpis> replications_;
};

void count_units(SplitAnalysis& analysis, const SplitRun& split) {
  for (const ReplicationOutcome& replication : split.run.replications) {
    const MarketUnits& world = replication.units.back();  // "all", or the only market
    analysis.control_units += world.arms[0].units;
    analysis.treated_units += world.arms[1].units;
  }
}

// What the analysis of a user, merchant or block split reads, replication by replication.
class UnitSplitSources {
 public:
  explicit UnitSplitSources(const ExperimentResult& result)
      : result_(result), modelled_(result.split->run) {
    if (result.arms.size() != 2) return;
    control_.emplace(result.arms[0]);
    treatment_.emplace(result.arms[1]);
  }

  // Each replication's estimate of `kpi` in units entry `entry`, and its error against the
  // true effect when the worlds design ran.
  Accumulator accumulate(std::size_t entry, const SplitKpi& kpi) const {
    const ExperimentConfig& experiment = *result_.scenario.experiment;
    const std::vector<ReplicationOutcome>& replications = result_.split->run.replications;
    Accumulator sums;
    for (std::size_t r = 0; r < replications.size(); ++r) {
      const MarketUnits& units = replications[r].units[entry];
      // A KPI the split world does not model (risk KPIs without a policy, incentive costs
      // without a campaign) is absent, not an estimate of 0.
      if (std::isnan(modelled_.at(r, units.market, kpi.name))) continue;
      std::optional<UnitEstimate> estimate =
          estimate_split_kpi(kpi, units, split_population(result_, units), experiment.cuped);
      if (!estimate) continue;
      sums.estimates.push_back(estimate->difference);
      sums.control_means.push_back(estimate->control);
      sums.unit_errors.push_back(estimate->standard_error);
      if (estimate->adjusted) sums.reductions.push_back(estimate->variance_reduction);
      const double truth = true_effect(r, units.market, kpi);
      if (std::isnan(truth)) continue;
      sums.errors.push_back(estimate->difference - truth);
      count_interval(sums, estimate->low, estimate->high, truth);
    }
    return sums;
  }

 private:
  // The treatment world's KPI minus the control world's. A total one world does not model is 0
  // there (a world without campaigns pays no incentives); a ratio without a denominator has no
  // true effect.
  double true_effect(std::size_t r, const std::string& market, const SplitKpi& kpi) const {
    if (!control_) return kNaN;
    double control = control_->at(r, market, kpi.name);
    double treatment = treatment_->at(r, market, kpi.name);
    if (!kpi.ratio && std::isnan(control) != std::isnan(treatment)) {
      control = std::isnan(control) ? 0.0 : control;
      treatment = std::isnan(treatment) ? 0.0 : treatment;
    }
    return treatment - control;
  }

  const ExperimentResult& result_;
  PeriodValues modelled_;
  std::optional<PeriodValues> control_;
  std::optional<PeriodValues> treatment_;
};

SplitAnalysis analyze_units(const ExperimentResult& result) {
  const ExperimentConfig& experiment = *result.scenario.experiment;
  SplitAnalysis analysis;
  analysis.design = kDesignNames[static_cast<int>(experiment.design)];
  analysis.unit = split_unit_name(experiment.design);
  analysis.method = fmt::format(
      "per replication, metrics per {} compared the way an online platform does: totals as the "
      "difference in means times the population, ratios as the difference of ratios of sums "
      "(delta-method interval){}",
      analysis.unit, experiment.cuped ? ", CUPED-adjusted by each unit's warm-up" : "");
  analysis.with_worlds = result.arms.size() == 2;
  count_units(analysis, *result.split);
  check_sample_ratio(analysis, experiment.allocation);
  const UnitSplitSources sources(result);
  const std::vector<MarketUnits>& layout = result.split->run.replications.front().units;
  for (std::size_t entry = 0; entry < layout.size(); ++entry) {
    const std::string& market = layout[entry].market;
    for (const SplitKpi& kpi : split_kpis()) {
      if (experiment.design == ExperimentDesign::kMerchantSplit && !kpi.per_merchant) continue;
      const Accumulator sums = sources.accumulate(entry, kpi);
      if (sums.estimates.empty()) continue;
      analysis.rows.push_back(
          summarise(market, kpi.name, role_of(experiment, market, kpi.name), sums));
    }
  }
  return analysis;
}

}  // namespace

// What a total KPI's per-unit mean is multiplied by: the units in both arms, or for a switchback
// the number of burn-in-free blocks the measured period would hold.
double split_population(const ExperimentResult& result, const MarketUnits& units) {
  const ExperimentConfig& experiment = *result.scenario.experiment;
  if (experiment.design != ExperimentDesign::kSwitchback)
    return static_cast<double>(units.arms[0].units + units.arms[1].units);
  const SimulationConfig& simulation = experiment.arms[0].world.simulation;
  const double measured_hours = 24.0 * (simulation.days - simulation.warmup_days);
  return measured_hours / (experiment.block_hours - experiment.burn_in_hours);
}

SplitAnalysis analyze_split(const ExperimentResult& result) {
  assert(result.split.has_value());
  if (result.scenario.experiment->design == ExperimentDesign::kMarketSplit)
    return analyze_markets(result);
  return analyze_units(result);
}

}  // namespace p2psim
