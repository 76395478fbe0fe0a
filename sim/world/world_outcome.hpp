#pragma once
// What one replication of a world produced: the tallies of each market.
#include <cstdint>
#include <string>
#include <vector>

#include "metrics/kpi_counters.hpp"

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

// Adds a market named "all" that sums the others; payment methods are matched by name.
void add_total_market(ReplicationOutcome& outcome);

}  // namespace p2psim
