#pragma once
// Per-unit metrics of a split experiment (docs/experiments.md): what an online platform logs for
// each randomised unit (a user, a merchant or a time block) to compare its arms. The world books
// them to the unit an order belongs to, by the order's creation time: orders created before the
// treatment starts (the warm-up) go to the unit's pre-period, the others to the experiment period.
// The world keeps each unit's values while it runs (2 x 12 doubles, 192 bytes a unit); its outcome
// summarises an arm's units by their moments, which is all a difference in means, a delta-method
// ratio or a CUPED adjustment needs, and lists the units themselves where they are few (merchants,
// time blocks) for a ratio's small-sample correction.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/facts.hpp"

namespace p2psim {

enum class UnitMetric : std::uint8_t {
  kOrderAttempts,  // the unit's users looked for an ad (no merchant is known yet: not per merchant)
  kOrdersCreated,
  kOrdersCompleted,
  kGmvUsd,
  kFraudLossUsd,
  kFeeRevenueUsd,
  kIncentiveCostUsd,  // taker fees waived plus bonuses and rebates paid
  // fees - incentive payouts - platform-borne fraud losses other than promotion abuse (whose
  // bonuses are already payouts), as net_revenue_usd in docs/kpis.md
  kNetRevenueUsd,
  kScreenedGenuine,  // orders the risk policy screened at creation, by their true intent
  kScreenedFraud,
  kGoodOrdersBlocked,
  kFraudCaught,  // fraud orders blocked (by the policy or a reviewer) or failing a step-up
};
inline constexpr int kUnitMetricCount = 12;
inline constexpr std::array<const char*, kUnitMetricCount> kUnitMetricNames = {
    "order_attempts",   "orders_created",  "orders_completed",    "gmv_usd",
    "fraud_loss_usd",   "fee_revenue_usd", "incentive_cost_usd",  "net_revenue_usd",
    "screened_genuine", "screened_fraud",  "good_orders_blocked", "fraud_caught"};

// One unit's values: the experiment period in [0, kUnitMetricCount), its pre-period (warm-up)
// in [kUnitMetricCount, 2 kUnitMetricCount).
inline constexpr int kUnitMomentSize = 2 * kUnitMetricCount;
using UnitValues = std::array<double, kUnitMomentSize>;
constexpr int pre_period(UnitMetric metric) {
  return kUnitMetricCount + static_cast<int>(metric);
}
constexpr int experiment_period(UnitMetric metric) {
  return static_cast<int>(metric);
}

// The split units' values while the world runs: the per-unit consumer of the world's facts.
// A fact's `unit` is the slot of its unit and period (SplitAssignment::slot), kNoUnit when it
// belongs to none.
class UnitTally {
 public:
  void reserve(std::size_t units) { values_.reserve(units * kUnitMomentSize); }
  // `units` units, all zero.
  void assign(std::size_t units) { values_.assign(units * kUnitMomentSize, 0.0); }
  void add_unit() { values_.resize(values_.size() + kUnitMomentSize); }
  UnitValues values(std::uint32_t unit) const;

  void record(const OrderAttempted& fact) { book(fact.unit, UnitMetric::kOrderAttempts, 1.0); }
  void record(const OrderCreated& fact) { book(fact.unit, UnitMetric::kOrdersCreated, 1.0); }
  void record(const OrderCompleted& fact) {
    book(fact.unit, UnitMetric::kOrdersCompleted, 1.0);
    book(fact.unit, UnitMetric::kGmvUsd, fact.usd);
  }
  void record(const FraudLossBooked& fact) {
    book(fact.unit, UnitMetric::kFraudLossUsd, fact.usd);
    // Farmed bonuses are already payouts in the unit's net revenue (as in net_revenue_usd).
    if (fact.bearer == LossBearer::kPlatform && !fact.farmed_bonus)
      book(fact.unit, UnitMetric::kNetRevenueUsd, -fact.usd);
  }
  void record(const IncentiveGranted& fact) {
    book(fact.unit, UnitMetric::kIncentiveCostUsd, fact.usd);
    if (!fact.fee_waiver) book(fact.unit, UnitMetric::kNetRevenueUsd, -fact.usd);
  }
  void record(const FeesCollected& fact) {
    book(fact.unit, UnitMetric::kFeeRevenueUsd, fact.usd);
    book(fact.unit, UnitMetric::kNetRevenueUsd, fact.usd);
  }
  void record(const OrderScreened& fact) {
    book(fact.unit, fact.genuine ? UnitMetric::kScreenedGenuine : UnitMetric::kScreenedFraud, 1.0);
  }
  void record(const OrderBlocked& fact) {
    book(fact.unit, fact.genuine ? UnitMetric::kGoodOrdersBlocked : UnitMetric::kFraudCaught, 1.0);
  }
  void record(const StepUpStopped& fact) {
    if (!fact.genuine) book(fact.unit, UnitMetric::kFraudCaught, 1.0);
  }

 private:
  void book(std::uint32_t unit, UnitMetric metric, double value) {
    if (unit != kNoUnit) values_[unit + static_cast<int>(metric)] += value;
  }

  std::vector<double> values_;  // kUnitMomentSize values per unit
};

// Sufficient statistics of a set of units: their count, the sum of their values z and the sum of
// z z^T (row-major). Sums of units merge exactly, so markets add up to "all" in any order that
// is itself fixed.
struct UnitMoments {
  std::uint64_t units = 0;
  std::array<double, kUnitMomentSize> sum{};
  std::array<double, kUnitMomentSize * kUnitMomentSize> cross{};

  void add(const UnitValues& values);
  void merge(const UnitMoments& other);
  double cross_at(int row, int column) const { return cross[row * kUnitMomentSize + column]; }
};

// The split units of one market (or "all") in one replication, by arm: 0 control, 1 treatment.
struct MarketUnits {
  std::string market;
  std::array<UnitMoments, 2> arms;
  // Each unit's values as well, by arm, where units are few (merchants, time blocks): the
  // small-sample correction of a ratio's variance weighs each unit by its leverage, which its
  // moments cannot give. Empty for users.
  std::array<std::vector<UnitValues>, 2> listed;
};

// A KPI a split design can estimate from per-unit metrics: a total (no denominator) or a ratio
// of totals times `scale`, with the same name and meaning as in docs/kpis.md.
struct SplitKpi {
  const char* name;
  UnitMetric numerator;
  bool ratio = false;
  UnitMetric denominator = UnitMetric::kOrderAttempts;  // when ratio
  double scale = 1.0;
  bool per_merchant = true;  // available when merchants are the units
};

// The KPIs split designs estimate, in output order.
const std::array<SplitKpi, 15>& split_kpis();
// Null when `name` is not one of them.
const SplitKpi* find_split_kpi(std::string_view name);

}  // namespace p2psim
