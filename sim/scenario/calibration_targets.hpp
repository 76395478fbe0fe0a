#pragma once
// The targets file of `p2psim calibrate` (docs/calibration.md): the KPIs a team observed in its
// market, the scenario keys left free to fit them, and how to search. Read and checked against
// the scenario before any run, with the same file:line:column errors as a scenario.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace p2psim {

// One observed KPI. The objective adds weight * (simulated mean - value)^2; with a standard
// error the weight is 1 / standard_error^2, so each term is a squared standardised error.
struct CalibrationTarget {
  std::string market;  // a market code of the scenario, or "all" when it has 2+ markets
  std::string kpi;     // a name from docs/kpis.md
  double value = 0.0;
  std::optional<double> standard_error;  // absent when the target gives a weight
  double weight = 1.0;
  // The days of the run the KPI covers, first and last included (0 is the first day of the
  // run); absent: the measured period.
  std::optional<std::uint32_t> first_day;
  std::optional<std::uint32_t> last_day;

  std::string label() const;  // "ng.completion_rate", with " days 3-9" or " day 3" for a period
};

enum class ParameterScale : std::uint8_t { kLinear, kLog };

// A scenario key the calibration may move between its bounds. The optimiser works on a position
// from 0 to 1 along the bounds, linear or logarithmic.
struct CalibrationParameter {
  std::string key;  // dotted, as `sweep --set` takes it: "markets.ng.users.cancel_probability"
  double lower = 0.0;
  double upper = 1.0;
  ParameterScale scale = ParameterScale::kLinear;
  bool integer = false;  // an integer key: values are rounded before they are set
  double start = 0.0;    // the scenario's own value unless the targets file gives one

  double value_at(double position) const;  // position 0..1 -> the key's value (rounded if integer)
  double position_of(double value) const;  // the inverse, unrounded
  // d value / d position at `position`: turns a standard error of the position into one of the
  // value.
  double slope_at(double position) const;
  std::string value_text(double value) const;  // in TOML syntax: an integer key's without decimals
  std::string setting(double value) const;     // "key=value"
};

// How the search runs. Every evaluation runs the same replications from the same seed (common
// random numbers), so two evaluations differ only by the parameters.
struct CalibrationSearch {
  std::uint64_t seed = 0;          // default: the scenario's simulation.seed
  std::uint32_t replications = 0;  // default: the scenario's simulation.replications
  // Default: 20 x (parameters + 1), twice the first population of CRS2, which only then evolves.
  std::uint32_t global_evaluations = 0;
  std::uint32_t local_evaluations = 60;
  std::string global_method = "crs2";  // "crs2" or "direct_l"
  std::string local_method = "sbplx";  // "sbplx" or "bobyqa"
  // The step of the finite differences that measure the local curvature, as a share of each
  // parameter's range: large enough to rise above the simulation's noise.
  double curvature_step = 0.05;
};

struct CalibrationTargets {
  std::string file;  // the targets file, as given
  std::vector<CalibrationTarget> targets;
  std::vector<CalibrationParameter> parameters;
  CalibrationSearch search;
};

// Reads `targets_file` and checks it against `scenario`, loaded from `scenario_file` (each
// parameter's key and bounds are tried on the scenario). Throws ScenarioError on the first
// problem: an unknown KPI, market or key, a key that is not a number, bounds reversed or refused
// by the key, a value outside the KPI's domain, an unknown key of the targets file.
CalibrationTargets read_calibration_targets(const std::filesystem::path& targets_file,
                                            const std::filesystem::path& scenario_file,
                                            const Scenario& scenario);

// The scenario with every parameter set to `values` (in parameter order).
Scenario calibrated_scenario(const std::filesystem::path& scenario_file,
                             const CalibrationTargets& calibration,
                             const std::vector<double>& values);

}  // namespace p2psim
