#pragma once
// A scenario: a named, described world. This is what `p2psim run` and `validate` load.
#include <optional>
#include <string>

#include "scenario/experiment_config.hpp"
#include "world/world_config.hpp"

namespace p2psim {

struct Scenario {
  std::string name;
  std::string description;
  WorldConfig world;
  std::optional<ExperimentConfig> experiment;  // when the file has an [experiment] section
};

}  // namespace p2psim
