#pragma once
// What one replication of a world produced: the tallies of each market.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "metrics/kpi_counters.hpp"
#include "metrics/unit_metrics.hpp"

namespace p2psim {

// The tallies of one market in one replication.
struct MarketTally {
  std::string market;                        // the market code, or "all" for the total
  std::vector<std::string> payment_methods;  // names for KpiCounters::fraud_loss_by_method_usd
  KpiCounters period;                        // the measured period (after warm-up)
  std::vector<KpiCounters> days;             // one per simulated day, warm-up days included
};

// How the platform learned that an order was fraud. kNever: not within the run.
enum class RevealedBy : std::uint8_t { kNever, kAppeal, kReversal, kFreeze, kComplaint };
inline constexpr std::array<const char*, 5> kRevealedByNames = {"", "appeal", "reversal", "freeze",
                                                                "complaint"};

// The truth about one fraudulent order, and when the platform learns it. Genuine orders have no
// label: their true and known labels are both 'genuine'. Until `revealed_at` the platform would
// label this order genuine too.
struct FraudLabel {
  std::uint64_t order = 0;  // the order's serial number in its replication, from 1
  std::uint32_t user = 0;
  std::uint32_t merchant = 0;  // the counterparty (for an exit scam, the scammer)
  std::uint32_t ring = 0;      // promotion abuse: the sybil ring; otherwise max uint32
  std::uint16_t market = 0;
  std::uint8_t typology = 0;  // index into kFraudTypologyNames
  std::uint8_t payment_method = 0;
  bool user_sells = false;        // the user sells USDT (else buys it)
  double usd = 0.0;               // order size
  double created_at = 0.0;        // seconds since the start of the run
  double account_age_days = 0.0;  // of the user's account when the order was created
  double revealed_at = -1.0;      // seconds since the start; negative: never within the run
  RevealedBy revealed_by = RevealedBy::kNever;
};

struct ReplicationOutcome {
  std::uint32_t replication = 0;
  std::uint32_t first_measured_day = 0;
  std::vector<MarketTally> markets;  // in scenario order, then "all" when there are 2+ markets
  std::uint64_t events_processed = 0;
  std::uint64_t orders_simulated = 0;    // every order created, warm-up included
  std::vector<FraudLabel> fraud_labels;  // every fraudulent order, in creation order
  // Split experiments only: each market's units by arm, in scenario order, then "all" (every
  // market's units; in a switchback, each block's values summed over the markets) when there are
  // 2+ markets.
  std::vector<MarketUnits> units;
};

// Adds a market named "all" that sums the others; payment methods are matched by name.
void add_total_market(ReplicationOutcome& outcome);

}  // namespace p2psim
