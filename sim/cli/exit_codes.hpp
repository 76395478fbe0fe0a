#pragma once
// The exit codes of p2psim (docs/cli.md), and how a command's failure maps to one.
#include <functional>

namespace p2psim {

constexpr int kExitOk = 0;
constexpr int kExitInputError = 1;
constexpr int kExitUsageError = 2;
constexpr int kExitOutputError = 3;
constexpr int kExitRegression = 4;
constexpr int kExitInterrupted = 130;

// Runs `command` and returns its exit code; a failure is printed to stderr and mapped: a bad
// scenario 1, a bad --set 2, Ctrl-C 130, anything else (an output that cannot be written) 3.
int guarded(const std::function<int()>& command);

}  // namespace p2psim
