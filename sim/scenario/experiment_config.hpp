#pragma once
// An experiment: two or more arms of one scenario, each a set of overrides of its keys, compared
// on KPIs across replications. Read from a scenario's [experiment] section (docs/experiments.md).
// The defaults of its keys are the initialisers below; the arms' worlds are full WorldConfigs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/kpis.hpp"
#include "world/world_config.hpp"

namespace p2psim {

// How units reach arms (docs/experiments.md). kWorlds: each arm is its own full world. The
// split designs run one world per replication whose units are randomised to the two arms:
// markets, users or merchants; kSwitchback alternates the whole world between the arms in
// randomised time blocks.
enum class ExperimentDesign : std::uint8_t {
  kWorlds,
  kMarketSplit,
  kUserSplit,
  kMerchantSplit,
  kSwitchback
};
inline constexpr const char* kDesignNames[] = {"worlds", "market_split", "user_split",
                                               "merchant_split", "switchback"};

// What a split design randomises, in the singular: "market", "user", "merchant" or "block".
constexpr const char* split_unit_name(ExperimentDesign design) {
  switch (design) {
    case ExperimentDesign::kUserSplit:
      return "user";
    case ExperimentDesign::kMerchantSplit:
      return "merchant";
    case ExperimentDesign::kSwitchback:
      return "block";
    case ExperimentDesign::kWorlds:
    case ExperimentDesign::kMarketSplit:
      break;
  }
  return "market";
}

// The correction of the secondary KPIs' p-values for testing many of them at once.
enum class MultipleTestingCorrection : std::uint8_t { kHolm, kBenjaminiHochberg };
inline constexpr const char* kCorrectionNames[] = {"holm", "benjamini_hochberg"};

// A KPI of one market, written "market.kpi" ("ng.gmv_usd", "all.orders_completed").
struct KpiReference {
  std::string market;
  std::string kpi;
  std::string text() const { return market + "." + kpi; }
};

// A KPI that must not get worse than worst_change, a relative change: +0.10 allows a rise of
// at most 10%, -0.02 a fall of at most 2%.
struct Guardrail {
  KpiReference kpi;
  double worst_change = 0.0;
};

// One term of the value: USD per unit of a total KPI (a count or a USD amount).
struct ValueTerm {
  std::string kpi;
  double usd_per_unit;
};

struct ExperimentArm {
  std::string name;
  WorldConfig world;  // the base scenario with the arm's overrides applied
};

struct ExperimentConfig {
  ExperimentDesign design = ExperimentDesign::kWorlds;
  std::vector<ExperimentArm> arms;  // the control first, then the others in file order
  std::uint32_t replications = 0;   // per arm; the scenario's simulation.replications by default
  // Arms share (seed, replication) and so every random stream: paired comparisons. When false
  // each arm gets its own seed and comparisons are Welch tests between independent samples.
  bool common_random_numbers = true;
  // The KPI decisions are made on; none in a what-if (effects only, no ship / do not ship).
  std::optional<KpiReference> primary;
  bool primary_increase_is_better = true;  // primary_goal = "increase" or "decrease"
  std::vector<KpiReference> secondary;
  std::vector<Guardrail> guardrails;
  MultipleTestingCorrection correction = MultipleTestingCorrection::kHolm;
  // Split designs: the share of units (markets, users, merchants, time blocks) randomised to the
  // treatment arm, and whether `run` also runs the worlds design to report the split estimate's
  // bias against the true effect.
  double allocation = 0.5;
  bool compare_with_worlds = false;
  // switchback: the length of a time block, and the hours after each block starts that are not
  // measured (carry-over from the previous block's arm).
  double block_hours = 4.0;
  double burn_in_hours = 1.0;
  // user_split and merchant_split: adjust each unit's metric by its warm-up behaviour (CUPED).
  bool cuped = false;
  // The relative change of the primary KPI the team wants to detect, for "replications
  // needed" (80% power, two-sided 5% level).
  double minimum_effect = 0.05;
  // [experiment.value]: what one replication of a market is worth to the team, in USD, as the
  // KPI value_usd; empty when not declared (then value_usd is not modelled, so absent).
  std::vector<ValueTerm> value;

  bool decides() const { return primary.has_value(); }
};

}  // namespace p2psim
