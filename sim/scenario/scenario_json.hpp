#pragma once
// The resolved scenario as JSON, every field included (defaults too), and a hash of it that
// names the exact configuration a result came from.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "scenario/scenario.hpp"

namespace p2psim {

// The world's fields sit at the top level next to name and description: {"name",
// "description", "simulation": {...}, "markets": [...], "shocks": [...], "incentives": [...]}.
// Each section writes its key list (scenario/scenario_keys.hpp) under the keys' names; a
// market's risk policy and each campaign add the settings their strategies and kind read.
nlohmann::ordered_json scenario_json(const Scenario& scenario);

std::uint64_t fnv1a_64(std::string_view bytes);

// FNV-1a 64 of scenario_json(scenario).dump() (compact), as 16 lower-case hex digits.
std::string scenario_hash(const Scenario& scenario);

}  // namespace p2psim
