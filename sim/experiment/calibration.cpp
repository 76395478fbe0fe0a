#include "experiment/calibration.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <nlopt.hpp>
#include <utility>

#include "experiment/run_replications.hpp"

namespace p2psim {
namespace {

// Evaluates parameter positions (0..1 along each one's bounds) and keeps the trace.
class Search {
 public:
  Search(const std::filesystem::path& scenario_file, const CalibrationTargets& calibration,
         const CalibrationOptions& options, CalibrationResult& result)
      : scenario_file_(scenario_file),
        calibration_(calibration),
        options_(options),
        result_(result),
        planned_(planned_evaluations(calibration)) {}

  double evaluate(const std::vector<double>& positions, CalibrationStage stage) {
    if (options_.stop != nullptr && options_.stop->load()) throw RunInterrupted();
    CalibrationEvaluation evaluation;
    evaluation.stage = stage;
    for (std::size_t i = 0; i < positions.size(); ++i)
      evaluation.values.push_back(calibration_.parameters[i].value_at(positions[i]));
    const Scenario scenario = calibrated_scenario(scenario_file_, calibration_, evaluation.values);
    RunOptions run;
    run.threads = options_.threads;
    run.stop = options_.stop;
    const RunResult outcome = run_replications(scenario, run);
    result_.threads = outcome.threads;
    evaluation.simulated = simulated_targets(outcome, calibration_.targets);
    evaluation.objective = calibration_objective(calibration_.targets, evaluation.simulated);
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
      std::vector<double> low = best;
      std::vector<double> high = best;
      low[p] = std::max(0.0, best[p] - step);
      high[p] = std::min(1.0, best[p] + step);
      evaluate(low, CalibrationStage::kCurvature);
      const CalibrationEvaluation below = result_.trace.back();
      evaluate(high, CalibrationStage::kCurvature);
      const CalibrationEvaluation& above = result_.trace.back();
      for (std::size_t t = 0; t < targets; ++t) {
        if (!below.simulated[t].produced || !above.simulated[t].produced) continue;
        slopes[t * parameters + p] =
            (above.simulated[t].estimate.mean - below.simulated[t].estimate.mean) /
            (high[p] - low[p]);
      }
    }
    return slopes;
  }

  std::vector<double> start_positions() const {
    std::vector<double> positions;
    for (const CalibrationParameter& parameter : calibration_.parameters)
      positions.push_back(std::clamp(parameter.position_of(parameter.start), 0.0, 1.0));
    return positions;
  }

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
  std::vector<double> best_positions_;
  CalibrationStage stage_ = CalibrationStage::kStart;
  std::exception_ptr failure_;
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
