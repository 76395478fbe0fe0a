#include "experiment/calibration.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <nlopt.hpp>
#include <optional>
#include <tuple>
#include <utility>

#include "experiment/run_replications.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {
namespace {

// The positions either side of `position` for the finite differences, one-sided at a bound; an
// integer key's at least one unit apart, so that its rounded values differ.
std::pair<double, double> curvature_positions(const CalibrationParameter& parameter,
                                              double position, double step) {
  double low = std::max(0.0, position - step);
  double high = std::min(1.0, position + step);
  if (!parameter.integer) return {low, high};
  const double value = parameter.value_at(position);
  if (parameter.value_at(low) >= value && value > parameter.lower)
    low = parameter.position_of(value - 1.0);
  if (parameter.value_at(high) <= value && value < parameter.upper)
    high = parameter.position_of(value + 1.0);
  return {low, high};
}

// Each parameter's start value as a position 0..1 along its bounds.
std::vector<double> positions_of_start(const CalibrationTargets& calibration) {
  std::vector<double> positions;
  for (const CalibrationParameter& parameter : calibration.parameters)
    positions.push_back(std::clamp(parameter.position_of(parameter.start), 0.0, 1.0));
  return positions;
}

// Evaluates parameter positions (0..1 along each one's bounds) and keeps the trace.
class Search {
 public:
  Search(const std::filesystem::path& scenario_file, const CalibrationTargets& calibration,
         const CalibrationOptions& options, CalibrationResult& result)
      : scenario_file_(scenario_file),
        calibration_(calibration),
        options_(options),
        result_(result),
        planned_(planned_evaluations(calibration)),
        start_positions_(positions_of_start(calibration)) {}

  double evaluate(const std::vector<double>& positions, CalibrationStage stage) {
    if (options_.stop != nullptr && options_.stop->load()) throw RunInterrupted();
    CalibrationEvaluation evaluation;
    evaluation.stage = stage;
    for (std::size_t i = 0; i < positions.size(); ++i) {
      const CalibrationParameter& parameter = calibration_.parameters[i];
      // The start exactly as written: a round trip through its position could move its last
      // digit (7 -> 7.000000000000001).
      const bool at_start = positions[i] == start_positions_[i];
      evaluation.values.push_back(
          at_start && !parameter.integer ? parameter.start : parameter.value_at(positions[i]));
    }
    // The same values give the same result (same seed, same replications): run them once.
    if (auto seen = seen_.find(evaluation.values); seen != seen_.end()) {
      CalibrationEvaluation repeat = result_.trace[seen->second];
      repeat.stage = stage;
      evaluation = std::move(repeat);
    } else {
      run(evaluation);
      seen_.emplace(evaluation.values, result_.trace.size());
    }
    result_.trace.push_back(std::move(evaluation));
    const std::size_t index = result_.trace.size() - 1;
    // Strictly lower: of equal points the first found stays. A curvature point is never the fit:
    // the curvature is measured around the fit.
    if (index == 0 || (stage != CalibrationStage::kCurvature &&
                       result_.trace[index].objective < result_.trace[result_.best].objective)) {
      result_.best = index;
      best_positions_ = positions;
    }
    if (options_.on_evaluation) options_.on_evaluation(result_, planned_);
    return result_.trace[index].objective;
  }

  // Runs the replications at the evaluation's values; values the scenario refuses together (a
  // cross-key rule) score as infeasible instead of ending the search.
  void run(CalibrationEvaluation& evaluation) {
    std::optional<Scenario> scenario;
    try {
      scenario = calibrated_scenario(scenario_file_, calibration_, evaluation.values);
    } catch (const ScenarioError& error) {
      evaluation.refused =
          error.key().empty() ? error.message() : error.key() + ": " + error.message();
      evaluation.simulated.assign(calibration_.targets.size(), SimulatedTarget{});
      evaluation.objective = calibration_objective(calibration_.targets, evaluation.simulated);
      return;
    }
    RunOptions run;
    run.threads = options_.threads;
    run.stop = options_.stop;
    const RunResult outcome = run_replications(*scenario, run);
    result_.threads = outcome.threads;
    result_.ranks = outcome.ranks;
    evaluation.simulated = simulated_targets(outcome, calibration_.targets);
    evaluation.objective = calibration_objective(calibration_.targets, evaluation.simulated);
  }

  // Runs one NLopt stage from the best point so far.
  void optimise(nlopt::algorithm algorithm, std::uint32_t budget, CalibrationStage stage) {
    if (budget == 0) return;
    const unsigned dimensions = static_cast<unsigned>(calibration_.parameters.size());
    nlopt::opt optimiser(algorithm, dimensions);
    optimiser.set_lower_bounds(std::vector<double>(dimensions, 0.0));
    optimiser.set_upper_bounds(std::vector<double>(dimensions, 1.0));
    optimiser.set_maxeval(static_cast<int>(budget));
    // Positions closer than a thousandth of the range are the same fit within the noise.
    optimiser.set_xtol_abs(1e-3);
    // A tenth of the range: NLopt's default, three quarters of the distance to the nearest
    // bound, crawls when the search starts next to one.
    optimiser.set_initial_step(std::vector<double>(dimensions, 0.1));
    stage_ = stage;
    optimiser.set_min_objective(&Search::objective, this);
    std::vector<double> positions = best_positions_;
    double value = 0.0;
    try {
      optimiser.optimize(positions, value);
    } catch (const nlopt::forced_stop&) {
    } catch (const nlopt::roundoff_limited&) {
      // The search cannot improve within rounding: its best point stands.
    }
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  }

  // Central differences of the simulated means around the best point, one-sided at a bound.
  std::vector<double> jacobian() {
    const std::vector<double> best = best_positions_;
    const std::size_t parameters = best.size();
    const std::size_t targets = calibration_.targets.size();
    std::vector<double> slopes(targets * parameters, 0.0);
    const double step = calibration_.search.curvature_step;
    for (std::size_t p = 0; p < parameters; ++p) {
      const CalibrationParameter& parameter = calibration_.parameters[p];
      std::vector<double> low = best;
      std::vector<double> high = best;
      std::tie(low[p], high[p]) = curvature_positions(parameter, best[p], step);
      evaluate(low, CalibrationStage::kCurvature);
      const CalibrationEvaluation below = result_.trace.back();
      evaluate(high, CalibrationStage::kCurvature);
      const CalibrationEvaluation& above = result_.trace.back();
      // The positions of the values run: an integer key's are rounded.
      const double apart =
          parameter.position_of(above.values[p]) - parameter.position_of(below.values[p]);
      if (apart <= 0.0) continue;
      for (std::size_t t = 0; t < targets; ++t) {
        if (!below.simulated[t].produced || !above.simulated[t].produced) continue;
        slopes[t * parameters + p] =
            (above.simulated[t].estimate.mean - below.simulated[t].estimate.mean) / apart;
      }
    }
    return slopes;
  }

  const std::vector<double>& start_positions() const { return start_positions_; }

  const std::vector<double>& best_positions() const { return best_positions_; }

 private:
  static double objective(unsigned count, const double* x, double* gradient, void* data) {
    (void)gradient;  // derivative-free algorithms only
    auto* search = static_cast<Search*>(data);
    try {
      return search->evaluate(std::vector<double>(x, x + count), search->stage_);
    } catch (...) {
      // NLopt would swallow the exception's type: keep it, stop, and rethrow after optimize.
      search->failure_ = std::current_exception();
      throw nlopt::forced_stop();
    }
  }

  const std::filesystem::path& scenario_file_;
  const CalibrationTargets& calibration_;
  const CalibrationOptions& options_;
  CalibrationResult& result_;
  std::uint32_t planned_;
  std::vector<double> start_positions_;  // of the parameters' start values, computed once
  std::vector<double> best_positions_;
  CalibrationStage stage_ = CalibrationStage::kStart;
  std::exception_ptr failure_;
  std::map<std::vector<double>, std::size_t> seen_;  // values -> their first evaluation
};

nlopt::algorithm global_algorithm(const std::string& name) {
  return name == "direct_l" ? nlopt::GN_DIRECT_L : nlopt::GN_CRS2_LM;
}

nlopt::algorithm local_algorithm(const std::string& name, std::size_t dimensions) {
  // NLopt's BOBYQA needs at least two dimensions; Sbplx takes one.
  return name == "bobyqa" && dimensions >= 2 ? nlopt::LN_BOBYQA : nlopt::LN_SBPLX;
}

}  // namespace

std::uint32_t planned_evaluations(const CalibrationTargets& calibration) {
  return 1 + calibration.search.global_evaluations + calibration.search.local_evaluations +
         2 * static_cast<std::uint32_t>(calibration.parameters.size());
}

CalibrationResult calibrate(const std::filesystem::path& scenario_file,
                            const CalibrationTargets& calibration,
                            const CalibrationOptions& options) {
  const auto began = std::chrono::steady_clock::now();
  CalibrationResult result;
  Search search(scenario_file, calibration, options, result);
  // CRS2 draws its population from NLopt's generator: seeded, the search repeats exactly.
  nlopt::srand(calibration.search.seed);
  const std::size_t dimensions = calibration.parameters.size();
  try {
    search.evaluate(search.start_positions(), CalibrationStage::kStart);
    result.start = 0;
    search.optimise(global_algorithm(calibration.search.global_method),
                    calibration.search.global_evaluations, CalibrationStage::kGlobal);
    search.optimise(local_algorithm(calibration.search.local_method, dimensions),
                    calibration.search.local_evaluations, CalibrationStage::kLocal);
    const std::vector<double> slopes = search.jacobian();
    result.curvature = curvature_report(calibration.targets, result.trace[result.best].simulated,
                                        slopes, calibration.parameters, search.best_positions());
  } catch (const RunInterrupted&) {
    result.interrupted = true;
  }
  result.best_positions = search.best_positions();
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return result;
}

}  // namespace p2psim
