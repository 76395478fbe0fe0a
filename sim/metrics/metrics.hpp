#pragma once
// The one interface through which the world reports what happens (metrics/facts.hpp). Each fact
// goes to every consumer that has a record() for it: the KPI tallies (metrics/kpi_counters.hpp)
// and the split experiments' per-unit values (metrics/unit_metrics.hpp). Dispatch is static:
// a fact is a plain struct on the stack, and recording it is inlined at the call site.
#include <type_traits>

#include "core/time.hpp"
#include "metrics/facts.hpp"
#include "metrics/kpi_counters.hpp"
#include "metrics/unit_metrics.hpp"

namespace p2psim {

class Metrics {
 public:
  // `now` is the world's clock, read as it moves.
  explicit Metrics(const Seconds& now) : kpis_(now) {}
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  template <typename Fact>
  void record(const Fact& fact) {
    static_assert(std::is_trivially_copyable_v<Fact>, "facts are small plain records");
    kpis_.record(fact);  // every fact feeds some KPI
    // A fact that names a split unit is there to feed the unit tally: forgetting its handler
    // would silently leave the unit's metric at zero.
    constexpr bool names_a_unit = requires {
      fact.unit;
    };
    constexpr bool feeds_units = requires {
      units_.record(fact);
    };
    static_assert(names_a_unit == feeds_units, "a fact feeds the unit tally iff it names a unit");
    if constexpr (feeds_units) units_.record(fact);
  }

  KpiTallies& kpis() { return kpis_; }
  const KpiTallies& kpis() const { return kpis_; }
  UnitTally& units() { return units_; }
  const UnitTally& units() const { return units_; }

 private:
  KpiTallies kpis_;
  UnitTally units_;
};

}  // namespace p2psim
