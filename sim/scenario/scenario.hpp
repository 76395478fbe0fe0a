#pragma once
// A scenario: a named, described world. This is what `p2psim run` and `validate` load.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenario/experiment_config.hpp"
#include "world/world_config.hpp"

namespace p2psim {

// How `p2psim check` judges this scenario's KPIs against their baseline (the [check] table,
// docs/scenarios.md). It changes nothing in the world, so it is neither in the resolved scenario
// of summary.json nor in the scenario hash; it lives here rather than in world_config.hpp for
// that reason.
struct CheckConfig {
  double default_tolerance = 0.05;  // relative move of a KPI's mean allowed before it fails
  double alpha = 0.01;              // chance of any false alarm over the scenario's KPIs (Holm)
  // Per KPI name, or per stem ("fraud_loss_usd.typology" covers every typology), in file order.
  std::vector<std::pair<std::string, double>> tolerances;

  // The tolerance of the longest entry that names the KPI or a stem of it, else the default.
  double tolerance_of(std::string_view kpi) const {
    double tolerance = default_tolerance;
    std::size_t matched = 0;
    for (const auto& [name, value] : tolerances) {
      const bool covers = kpi == name || (kpi.size() > name.size() && kpi.starts_with(name) &&
                                          kpi[name.size()] == '.');
      if (covers && name.size() > matched) {
        tolerance = value;
        matched = name.size();
      }
    }
    return tolerance;
  }
};

// Which tables of labelled data `p2psim run` writes besides its results (the [export] table,
// docs/risk-models.md), as --export does. Like [check], it changes nothing in the world, so it is
// neither in the resolved scenario nor in the hash.
struct ExportConfig {
  bool orders = false;
  bool accounts = false;
};

struct Scenario {
  std::string name;
  std::string description;
  WorldConfig world;
  CheckConfig check;
  ExportConfig exports;
  std::optional<ExperimentConfig> experiment;  // when the file has an [experiment] section
  // What was loaded but will not run as written (a campaign's day past the run's last), each
  // "<file>:<line>:<column>: <key>: <what was written and what is done>", for the commands to
  // print before they run. Not part of the world: neither resolved nor hashed.
  std::vector<std::string> warnings;
};

// The markets KPIs are reported for, as a KPI reference names them: each market's code, then
// "all" (their total) when there are several.
inline std::vector<std::string> reported_markets(const Scenario& scenario) {
  std::vector<std::string> codes;
  for (const MarketConfig& market : scenario.world.markets)
    codes.push_back(market.code);
  if (codes.size() > 1) codes.emplace_back("all");
  return codes;
}

}  // namespace p2psim
