#include "metrics/unit_metrics.hpp"

#include <algorithm>

namespace p2psim {

UnitValues UnitTally::values(std::uint32_t unit) const {
  UnitValues values;
  std::copy_n(&values_[static_cast<std::size_t>(unit) * kUnitMomentSize], kUnitMomentSize,
              values.begin());
  return values;
}

void UnitMoments::add(const UnitValues& values) {
  ++units;
  for (int row = 0; row < kUnitMomentSize; ++row) {
    sum[row] += values[row];
    if (values[row] == 0.0) continue;  // most units trade little: skip their empty rows
    for (int column = 0; column < kUnitMomentSize; ++column)
      cross[row * kUnitMomentSize + column] += values[row] * values[column];
  }
}

void UnitMoments::merge(const UnitMoments& other) {
  units += other.units;
  for (int i = 0; i < kUnitMomentSize; ++i)
    sum[i] += other.sum[i];
  for (std::size_t i = 0; i < cross.size(); ++i)
    cross[i] += other.cross[i];
}

const std::array<SplitKpi, 15>& split_kpis() {
  using M = UnitMetric;
  static const std::array<SplitKpi, 15> kpis = {{
      {.name = "order_attempts", .numerator = M::kOrderAttempts, .per_merchant = false},
      {.name = "orders_created", .numerator = M::kOrdersCreated},
      {.name = "orders_completed", .numerator = M::kOrdersCompleted},
      {.name = "gmv_usd", .numerator = M::kGmvUsd},
      {.name = "fraud_loss_usd", .numerator = M::kFraudLossUsd},
      {.name = "fee_revenue_usd", .numerator = M::kFeeRevenueUsd},
      {.name = "incentive_cost_usd", .numerator = M::kIncentiveCostUsd},
      {.name = "net_revenue_usd", .numerator = M::kNetRevenueUsd},
      {.name = "good_orders_blocked", .numerator = M::kGoodOrdersBlocked},
      {.name = "completion_rate",
       .numerator = M::kOrdersCompleted,
       .ratio = true,
       .denominator = M::kOrdersCreated},
      {.name = "fill_rate",
       .numerator = M::kOrdersCreated,
       .ratio = true,
       .denominator = M::kOrderAttempts,
       .per_merchant = false},
      {.name = "avg_order_usd",
       .numerator = M::kGmvUsd,
       .ratio = true,
       .denominator = M::kOrdersCompleted},
      {.name = "fraud_loss_bps",
       .numerator = M::kFraudLossUsd,
       .ratio = true,
       .denominator = M::kGmvUsd,
       .scale = 1e4},
      {.name = "catch_rate",
       .numerator = M::kFraudCaught,
       .ratio = true,
       .denominator = M::kScreenedFraud},
      {.name = "false_positive_rate",
       .numerator = M::kGoodOrdersBlocked,
       .ratio = true,
       .denominator = M::kScreenedGenuine},
  }};
  return kpis;
}

const SplitKpi* find_split_kpi(std::string_view name) {
  for (const SplitKpi& kpi : split_kpis())
    if (name == kpi.name) return &kpi;
  return nullptr;
}

}  // namespace p2psim
