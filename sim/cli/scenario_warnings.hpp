#pragma once
// The scenario loader's warnings on the terminal: what a command loaded but will not run as
// written (a campaign's day past the run's last, docs/scenarios.md#warnings), printed before it
// runs, on standard error so that no output of the run changes.
#include <cstdio>
#include <string>
#include <vector>

namespace p2psim {

// Writes each warning once, in order, as "warning: <text>"; only the lead rank writes, so that
// mpirun shows each once.
void print_scenario_warnings(const std::vector<std::string>& warnings, std::FILE* stream = stderr);

}  // namespace p2psim
