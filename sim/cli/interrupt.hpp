#pragma once
// Ctrl-C and SIGTERM handling for a run: the first signal only raises a flag, so the simulation
// can stop at a safe point and no half-written output is left behind. The handler is one-shot:
// a second signal gets the default action, so a run that does not stop can still be killed.
#include <atomic>

namespace p2psim {

// Installs the SIGINT and SIGTERM handler. Safe to call more than once.
void install_interrupt_handler();

// True once SIGINT or SIGTERM has arrived after install_interrupt_handler().
bool interrupted();

// The flag itself, for code below the command line to poll without depending on it.
const std::atomic<bool>* interrupt_flag();

}  // namespace p2psim
