#pragma once
// How a command's runs report progress and stop: Ctrl-C raises the stop flag, and on a
// terminal, unless quiet, a progress line follows the replications.
#include <optional>

#include "cli/commands.hpp"
#include "cli/progress_line.hpp"
#include "experiment/run_replications.hpp"

namespace p2psim {

// On a terminal and unless quiet, a progress line (docs/cli.md), drawn into `progress`, which
// must outlive the run.
RunOptions run_options(const RunArguments& arguments, std::optional<ProgressLine>& progress);

}  // namespace p2psim
