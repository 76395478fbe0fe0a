#include "metrics/kpi_counters.hpp"

#include "metrics/field_sums.hpp"

namespace p2psim {

void KpiCounters::merge(const KpiCounters& other) {
  add_fields<std::uint64_t>(static_cast<KpiCounts&>(*this), static_cast<const KpiCounts&>(other));
  add_fields<double>(static_cast<KpiAmounts&>(*this), static_cast<const KpiAmounts&>(other));
  time_to_complete.merge(other.time_to_complete);
  order_scores.merge(other.order_scores);
  if (fraud_loss_by_method_usd.size() < other.fraud_loss_by_method_usd.size()) {
    fraud_loss_by_method_usd.resize(other.fraud_loss_by_method_usd.size(), 0.0);
  }
  for (std::size_t m = 0; m < other.fraud_loss_by_method_usd.size(); ++m) {
    fraud_loss_by_method_usd[m] += other.fraud_loss_by_method_usd[m];
  }
  if (risk_by_method.size() < other.risk_by_method.size()) {
    risk_by_method.resize(other.risk_by_method.size(), 0);
  }
  for (std::size_t slot = 0; slot < other.risk_by_method.size(); ++slot) {
    risk_by_method[slot] += other.risk_by_method[slot];
  }
}

}  // namespace p2psim
