#pragma once
// KPIs derived from tallies. docs/kpis.md defines each one.
// A KPI whose denominator is zero (no appeals, so no appeal_resolution_hours) is left out of
// the list rather than reported as zero; a KPI the model does not cover is never produced.
#include <string>
#include <string_view>
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
  // A count of distinct accounts over the whole measured period (or a ratio over one): the
  // period's value is not the sum of its days', so it has no value over a range of days.
  bool distinct_over_period = false;
  // An amount that can fall below 0 (a profit and loss, a net revenue); other USD amounts cannot.
  bool can_be_negative = false;
};

// Every KPI name that derive_kpis can produce, in output order. Names with a per-typology,
// per-bearer or per-payment-method breakdown are listed by their stem ("fraud_loss_usd.typology.")
const std::vector<KpiDefinition>& kpi_catalogue();

// The catalogue entry for a KPI name: the entry of that exact name, or else the longest stem
// (an entry ending in '.') that starts the name, so "fraud_loss_usd.typology.non_payment" finds
// "fraud_loss_usd.typology.". nullptr when nothing matches.
const KpiDefinition* find_kpi(std::string_view name);

// The KPI an experiment's [experiment.value] adds up to per market (sum of weight x KPI): not
// derived by a world, so not in the catalogue, but a USD amount that can be negative.
inline constexpr const char* kValueKpi = "value_usd";

// find_kpi(name)'s unit ("usd" for kValueKpi), or "" when the name is not a KPI.
std::string_view kpi_unit(std::string_view name);

// The values a KPI can take, from its unit: a count, a duration or a USD amount is at least 0
// (unless can_be_negative), a share lies in [0, 1]; bps and multiples are unbounded (a spread or a
// return on cost can be negative), as is a name that is not a KPI.
struct KpiDomain {
  double low;
  double high;
};
KpiDomain kpi_domain(std::string_view name);

// payment_methods names the entries of counters.fraud_loss_by_method_usd.
std::vector<KpiValue> derive_kpis(const KpiCounters& counters,
                                  const std::vector<std::string>& payment_methods);

}  // namespace p2psim
