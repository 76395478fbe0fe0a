#pragma once
// KPIs derived from tallies. docs/kpis.md defines each one.
// A KPI whose denominator is zero (no appeals, so no appeal_resolution_hours) is left out of
// the list rather than reported as zero; a KPI the model does not cover is never produced.
#include <string>
#include <vector>

#include "metrics/kpi_counters.hpp"

namespace p2psim {

struct KpiValue {
  std::string name;
  double value;
};

struct KpiDefinition {
  const char* name;
  // "count", "ratio" (a share, 0 to 1), "usd", "bps", "minutes", "hours", "days", "multiple" (a
  // signed ratio, e.g. a return on cost)
  const char* unit;
};

// Every KPI name that derive_kpis can produce, in output order. Names with a per-typology,
// per-bearer or per-payment-method breakdown are listed by their stem ("fraud_loss_usd.typology.")
const std::vector<KpiDefinition>& kpi_catalogue();

// payment_methods names the entries of counters.fraud_loss_by_method_usd.
std::vector<KpiValue> derive_kpis(const KpiCounters& counters,
                                  const std::vector<std::string>& payment_methods);

}  // namespace p2psim
