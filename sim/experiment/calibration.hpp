#pragma once
// `p2psim calibrate`: searches the parameters of a targets file for the scenario whose simulated
// KPIs come closest to the observed ones (docs/calibration.md). NLopt drives the search: a global
// stage over the bounds, then a local one from its best point; then central differences around
// the best point measure the local curvature. Every evaluation runs the same replications from
// the same seed (common random numbers) on the thread pool, so the objective changes only with
// the parameters, and the whole search is the same at any thread count.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/calibration_fit.hpp"
#include "scenario/calibration_targets.hpp"

namespace p2psim {

struct CalibrationOptions {
  std::uint32_t threads = 1;
  const std::atomic<bool>* stop = nullptr;  // raised by Ctrl-C: the search ends at its best so far
  // Called after each evaluation with the evaluations so far and the planned total.
  std::function<void(const CalibrationResult&, std::uint32_t planned)> on_evaluation;
};

// The number of evaluations a search plans: the start, both stages' budgets and the curvature's
// two per parameter.
std::uint32_t planned_evaluations(const CalibrationTargets& calibration);

CalibrationResult calibrate(const std::filesystem::path& scenario_file,
                            const CalibrationTargets& calibration,
                            const CalibrationOptions& options);

}  // namespace p2psim
