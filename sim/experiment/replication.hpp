#pragma once
// What one replication of one world produced, and what a run of many replications produced.
#include <cstdint>
#include <string>
#include <vector>

#include "metrics/kpi_counters.hpp"
#include "metrics/kpis.hpp"
#include "scenario/scenario.hpp"

namespace p2psim {

// The tallies of one market in one replication.
struct MarketTally {
  std::string market;                        // the market code, or "all" for the total
  std::vector<std::string> payment_methods;  // names for KpiCounters::fraud_loss_by_method_usd
  KpiCounters period;                        // the measured period (after warm-up)
  std::vector<KpiCounters> days;             // one per simulated day, warm-up days included
};

struct ReplicationOutcome {
  std::uint32_t replication = 0;
  std::uint32_t first_measured_day = 0;
  std::vector<MarketTally> markets;  // in scenario order, then "all" when there are 2+ markets
  std::uint64_t events_processed = 0;
  std::uint64_t orders_simulated = 0;  // every order created, warm-up included
};

// The KPI values of one market in one replication (or one day of it).
struct MarketKpis {
  std::string market;
  std::vector<KpiValue> kpis;
};

struct RunResult {
  Scenario scenario;  // resolved, with the run's seed and replication count
  std::vector<ReplicationOutcome> replications;  // in replication order, whatever the threads
  std::uint32_t threads = 1;
  double wall_seconds = 0.0;
  std::uint64_t peak_memory_bytes = 0;
};

}  // namespace p2psim
