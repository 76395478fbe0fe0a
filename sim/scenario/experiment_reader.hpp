#pragma once
// Reading a scenario's [experiment] section (docs/experiments.md) into an ExperimentConfig.
#include <functional>
#include <string>

#include "scenario/scenario.hpp"
#include "scenario/toml_section.hpp"

namespace p2psim::scenario_detail {

// Reads the arm named `arm` (already checked to be a table that overrides only allowed keys):
// its overrides written over a fresh copy of the scenario's document, validated like the base.
using ArmReader = std::function<WorldConfig(const std::string& arm)>;

// `section` is the [experiment] table of a scenario whose base is `base`.
ExperimentConfig read_experiment(Section section, const Scenario& base, const ArmReader& read_arm);

}  // namespace p2psim::scenario_detail
