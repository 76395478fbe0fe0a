// Ctrl-C's flag, which the runs poll to stop between replications.
#include <gtest/gtest.h>

#include <csignal>

#include "cli/interrupt.hpp"

namespace p2psim {
namespace {

TEST(Interrupt, SignalRaisesTheFlag) {
  install_interrupt_handler();
  EXPECT_FALSE(interrupted());
  std::raise(SIGINT);
  EXPECT_TRUE(interrupted());
  EXPECT_TRUE(interrupt_flag()->load());
}

}  // namespace
}  // namespace p2psim
