#pragma once
// The resolved scenario as JSON, every field included (defaults too), and a hash of it that
// names the exact configuration a result came from.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "scenario/scenario.hpp"

namespace p2psim {

// Keys follow the C++ field names; the world's fields sit at the top level next to name and
// description: {"name", "description", "simulation": {...}, "markets": [...]}.
nlohmann::ordered_json scenario_json(const Scenario& scenario);

std::uint64_t fnv1a_64(std::string_view bytes);

// FNV-1a 64 of scenario_json(scenario).dump() (compact), as 16 lower-case hex digits.
std::string scenario_hash(const Scenario& scenario);

}  // namespace p2psim
