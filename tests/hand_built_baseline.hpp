#pragma once
// Baselines written by hand for the tests of `p2psim check`: one market ("ng"), seed 7, four
// replications, each KPI with the values given.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/baseline_comparison.hpp"

namespace p2psim {

// A baseline of one market with the given KPIs, each with its per-replication values.
inline Baseline baseline_with(std::vector<BaselineKpi> kpis) {
  Baseline baseline;
  baseline.scenario = "regression_test";
  baseline.scenario_file = "scenarios/regression/test.toml";
  baseline.scenario_hash = "0123456789abcdef";
  baseline.seed = 7;
  baseline.replications = 4;
  baseline.p2psim_version = "0.1.0";
  baseline.kpis = std::move(kpis);
  return baseline;
}

inline BaselineKpi kpi(const std::string& name, std::vector<std::optional<double>> values) {
  return {"ng", name, std::move(values)};
}

// The comparison of the KPI named `name`.
inline const KpiComparison& find(const ScenarioComparison& comparison, const std::string& name) {
  for (const KpiComparison& kpi : comparison.kpis) {
    if (kpi.kpi == name) return kpi;
  }
  throw std::logic_error("no KPI " + name);
}

}  // namespace p2psim
