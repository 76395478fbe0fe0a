#include "cli/run_options.hpp"

#include <unistd.h>

#include <cstdio>

#include "cli/interrupt.hpp"

namespace p2psim {

RunOptions run_options(const RunArguments& arguments, std::optional<ProgressLine>& progress) {
  install_interrupt_handler();
  RunOptions options;
  options.threads = arguments.threads;
  options.stop = interrupt_flag();
  if (!arguments.quiet && isatty(STDERR_FILENO)) {
    progress.emplace(stderr);
    options.on_progress = [&progress](const RunProgress& done) { progress->update(done); };
  }
  return options;
}

}  // namespace p2psim
