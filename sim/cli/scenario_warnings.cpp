#include "cli/scenario_warnings.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "experiment/ranks.hpp"

namespace p2psim {

void print_scenario_warnings(const std::vector<std::string>& warnings, std::FILE* stream) {
  if (!is_lead_rank()) return;
  for (auto warning = warnings.begin(); warning != warnings.end(); ++warning) {
    // A sweep's points repeat the warnings they share.
    if (std::find(warnings.begin(), warning, *warning) != warning) continue;
    fmt::print(stream, "warning: {}\n", *warning);
  }
  std::fflush(stream);
}

}  // namespace p2psim
