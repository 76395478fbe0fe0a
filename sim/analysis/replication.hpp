#pragma once
// What one replication of one world produced, and what a run of many replications produced.
#include <cstdint>
#include <string>
#include <vector>

#include "metrics/kpi_counters.hpp"
#include "metrics/kpis.hpp"
#include "scenario/scenario.hpp"
#include "world/world_outcome.hpp"

namespace p2psim {

// The KPI values of one market in one replication (or one day of it).
struct MarketKpis {
  std::string market;
  std::vector<KpiValue> kpis;
};

struct RunResult {
  Scenario scenario;  // resolved, with the run's seed and replication count
  std::vector<ReplicationOutcome> replications;  // in replication order, whatever the threads
  std::uint32_t threads = 1;                     // per rank
  std::uint32_t ranks = 1;                       // processes of a distributed run (mpirun)
  double wall_seconds = 0.0;
  std::uint64_t peak_memory_bytes = 0;
};

}  // namespace p2psim
