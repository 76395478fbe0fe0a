#pragma once
// The analysis of a worlds-design experiment: for every arm and every KPI of every market, the
// mean across replications with its 95% interval; for every arm but the control, the absolute
// and relative difference to the control with 95% intervals and a p-value (paired t test with
// common random numbers, Welch's t test otherwise), the secondary KPIs' p-values corrected for
// multiplicity, guardrails, a decision, the minimum detectable effect and the replications
// needed. docs/experiments.md states each rule.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/experiment_result.hpp"
#include "analysis/statistics.hpp"

namespace p2psim {

// What an analyst declared a KPI to be in the experiment; kOther: every other KPI
// (exploratory: raw p-values only).
enum class KpiRole : std::uint8_t { kPrimary, kSecondary, kGuardrail, kOther };
inline constexpr const char* kKpiRoleNames[] = {"primary", "secondary", "guardrail", "other"};

// What the 95% interval of a guardrail's relative change shows against its worst_change: all of
// it on the allowed side (kSafe), all of it beyond (kHarmShown), or straddling it, or no relative
// change measured (kSafetyNotShown: more replications may tell).
enum class GuardrailVerdict : std::uint8_t { kSafe, kSafetyNotShown, kHarmShown };
inline constexpr const char* kGuardrailVerdictNames[] = {"safe", "safety not shown", "harm shown"};

struct GuardrailCheck {
  double worst_change;
  GuardrailVerdict verdict;
};

struct ComparisonRow {
  std::string arm;
  std::string market;
  std::string kpi;
  KpiRole role = KpiRole::kOther;
  Estimate value{};                      // the arm's mean and interval
  std::optional<Comparison> comparison;  // none for the control, or with under 2 replications
  double adjusted_p_value;               // NaN outside the corrected family (secondary KPIs)
  std::optional<GuardrailCheck> guardrail;
  // At the replications present, exact power; NaN without comparison or when the arms never
  // differed (zero standard error).
  double minimum_detectable_difference;
  double minimum_detectable_relative;  // NaN unless the control's mean is positive too
  // For a relative change of experiment.minimum_effect; none without comparison, or where the
  // arms never differed or the control's mean is not positive.
  std::optional<std::uint32_t> replications_needed;
};

enum class Decision : std::uint8_t { kShip, kDoNotShip, kInconclusive };
inline constexpr const char* kDecisionNames[] = {"ship", "do not ship", "inconclusive"};
// An experiment without a primary KPI is a what-if (a devaluation, a fraud wave): it reports
// effects and guardrail verdicts, and no arm gets a decision.

struct ArmDecision {
  std::string arm;
  Decision decision;
  std::string reason;  // which part of the rule decided it
};

struct ExperimentAnalysis {
  std::vector<ComparisonRow> rows;     // arm by arm (control first), markets and KPIs in run order
  std::vector<ArmDecision> decisions;  // one per arm but the control; none in a what-if
  bool paired = true;
};

inline constexpr double kSignificanceLevel = 1.0 - kConfidenceLevel;
extern const char* const kDecisionRule;
extern const char* const kGuardrailRule;

ExperimentAnalysis analyze_experiment(const ExperimentResult& result);

// The role the experiment gives the KPI `kpi` of `market` (kOther when it names it nowhere).
KpiRole role_of(const ExperimentConfig& experiment, const std::string& market,
                const std::string& kpi);

}  // namespace p2psim
