#include "cli/interrupt.hpp"

#include <csignal>

namespace p2psim {
namespace {

// A signal handler may only touch lock-free atomics (or volatile sig_atomic_t).
static_assert(std::atomic<bool>::is_always_lock_free);
std::atomic<bool> interrupt_received{false};

void on_interrupt(int /*signal*/) {
  interrupt_received.store(true, std::memory_order_relaxed);
}

void handle(int signal) {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND restores the default action after the first signal: the second Ctrl-C kills.
  action.sa_flags = SA_RESETHAND;
  sigaction(signal, &action, nullptr);
}

}  // namespace

void install_interrupt_handler() {
  handle(SIGINT);
  handle(SIGTERM);
}

bool interrupted() {
  return interrupt_received.load(std::memory_order_relaxed);
}

const std::atomic<bool>* interrupt_flag() {
  return &interrupt_received;
}

}  // namespace p2psim
