#pragma once
// A run built by hand rather than simulated, so that what is written or printed from it can be
// checked exactly: the two markets of two_market_scenario() and "all", busy in every KPI.
#include <cstdint>
#include <string>

#include "analysis/replication.hpp"
#include "two_market_scenario.hpp"

namespace p2psim {

// Counters with something in every KPI's numerator and denominator.
inline KpiCounters busy_counters(double scale) {
  KpiCounters counters;
  counters.order_attempts = static_cast<std::uint64_t>(1200 * scale);
  counters.orders_unmatched = static_cast<std::uint64_t>(100 * scale);
  counters.orders_created = static_cast<std::uint64_t>(1100 * scale);
  counters.orders_completed = static_cast<std::uint64_t>(1000 * scale);
  counters.orders_cancelled = static_cast<std::uint64_t>(60 * scale);
  counters.orders_expired = static_cast<std::uint64_t>(30 * scale);
  counters.orders_appealed = static_cast<std::uint64_t>(10 * scale);
  counters.appeals_resolved = static_cast<std::uint64_t>(8 * scale);
  counters.appeal_resolution_seconds = 8 * scale * 1800.0;
  counters.gmv_usd = 123456.75 * scale;
  counters.time_to_complete.add(300.0);
  counters.time_to_complete.add(600.0);
  counters.visitors = static_cast<std::uint64_t>(500 * scale);
  counters.registered = static_cast<std::uint64_t>(250 * scale);
  counters.kyc_verified = static_cast<std::uint64_t>(170 * scale);
  counters.placed_first_order = static_cast<std::uint64_t>(150 * scale);
  counters.completed_first_order = static_cast<std::uint64_t>(140 * scale);
  counters.repeat_within_7d = static_cast<std::uint64_t>(70 * scale);
  counters.active_users = static_cast<std::uint64_t>(900 * scale);
  counters.churned_users = static_cast<std::uint64_t>(20 * scale);
  counters.active_merchants = 40;
  counters.fraud_attempts = {5, 2};
  counters.fraud_successes = {1, 1};
  counters.fraud_loss_usd = {300.0 * scale, 150.0};
  counters.fraud_loss_by_bearer_usd = {300.0 * scale, 150.0};
  counters.fraud_loss_by_method_usd = {450.0, 0.0};
  counters.spread_bps_sum = 24 * 95.5;
  counters.spread_samples = 24;
  return counters;
}

inline MarketTally market_tally(const std::string& code, double scale, std::size_t days) {
  MarketTally tally;
  tally.market = code;
  tally.payment_methods = {"bank_transfer", "mobile_money"};
  tally.period = busy_counters(scale);
  for (std::size_t day = 0; day < days; ++day) {
    tally.days.push_back(busy_counters(scale * (1.0 + 0.1 * static_cast<double>(day))));
  }
  return tally;
}

inline RunResult hand_built_run(std::uint32_t replications) {
  RunResult result;
  result.scenario = two_market_scenario();
  result.scenario.world.simulation.replications = replications;
  for (std::uint32_t index = 0; index < replications; ++index) {
    ReplicationOutcome outcome;
    outcome.replication = index;
    outcome.first_measured_day = 2;
    double scale = 1.0 + 0.05 * index;
    outcome.markets = {market_tally("NG", scale, 5), market_tally("KE", 0.5 * scale, 5)};
    MarketTally all = market_tally("all", scale, 5);
    outcome.markets.push_back(all);
    outcome.events_processed = 10000 + index;
    outcome.orders_simulated = 1000 + index;
    result.replications.push_back(outcome);
  }
  result.threads = 4;
  result.wall_seconds = 2.0;
  result.peak_memory_bytes = 123456789;
  return result;
}

}  // namespace p2psim
