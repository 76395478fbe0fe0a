#include "cli/exit_codes.hpp"

#include <fmt/format.h>

#include <exception>

#include "experiment/run_replications.hpp"
#include "experiment/sweep.hpp"
#include "lab/exported_orders.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {

int guarded(const std::function<int()>& command) {
  try {
    return command();
  } catch (const ScenarioError& error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return kExitInputError;
  } catch (const ExportInputError& error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return kExitInputError;
  } catch (const SweepError& error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return kExitUsageError;
  } catch (const RunInterrupted& error) {
    fmt::print(stderr, "\ninterrupted: no results were written\n");
    return kExitInterrupted;
  } catch (const std::exception& error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return kExitOutputError;
  }
}

}  // namespace p2psim
