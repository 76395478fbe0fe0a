#pragma once
// A scenario: a named, described world. This is what `p2psim run` and `validate` load.
#include <string>

#include "world/world_config.hpp"

namespace p2psim {

struct Scenario {
  std::string name;
  std::string description;
  WorldConfig world;
};

}  // namespace p2psim
