#include "report/summary_json.hpp"

#include <algorithm>
#include <cmath>

#include "scenario/scenario_json.hpp"
#include "version.hpp"

namespace p2psim {
namespace {

using Json = nlohmann::ordered_json;

// nlohmann writes non-finite numbers as null already; spelling it out keeps the file valid
// JSON even if that default ever changes.
Json number_or_null(double value) {
  return std::isfinite(value) ? Json(value) : Json(nullptr);
}

Json estimates_json(const std::vector<MarketEstimates>& estimates) {
  Json markets = Json::object();
  for (const MarketEstimates& market : estimates) {
    Json kpis = Json::object();
    for (const KpiEstimate& kpi : market.kpis) {
      kpis[kpi.name] = {{"mean", number_or_null(kpi.estimate.mean)},
                        {"low", number_or_null(kpi.estimate.low)},
                        {"high", number_or_null(kpi.estimate.high)},
                        {"replications", kpi.estimate.count}};
    }
    markets[market.market] = std::move(kpis);
  }
  return markets;
}

Json execution_json(const RunResult& result) {
  std::uint64_t orders = 0;
  std::uint64_t events = 0;
  for (const ReplicationOutcome& outcome : result.replications) {
    orders += outcome.orders_simulated;
    events += outcome.events_processed;
  }
  // Threads beyond the replication count sit idle, so they do not count towards per-thread speed.
  std::size_t busy_threads =
      std::max<std::size_t>(1, std::min<std::size_t>(std::size_t{result.threads} * result.ranks,
                                                     result.replications.size()));
  double seconds = result.wall_seconds;
  auto per_second = [seconds](double amount) {
    return seconds > 0.0 ? Json(amount / seconds) : Json(nullptr);
  };
  return {{"ranks", result.ranks},
          {"threads", result.threads},
          {"wall_seconds", result.wall_seconds},
          {"peak_memory_bytes", result.peak_memory_bytes},
          {"orders_simulated", orders},
          {"events_processed", events},
          {"orders_per_second", per_second(static_cast<double>(orders))},
          {"orders_per_second_per_thread",
           per_second(static_cast<double>(orders) / static_cast<double>(busy_threads))}};
}

}  // namespace

nlohmann::ordered_json summary_json(const RunResult& result, const RunSummary& summary) {
  Json json = Json::object();
  json["p2psim_version"] = kVersion;
  json["scenario"] = scenario_json(result.scenario);
  json["scenario_hash"] = scenario_hash(result.scenario);
  json["seed"] = result.scenario.world.simulation.seed;
  json["replications"] = result.replications.size();
  json["kpis"] = estimates_json(summary.estimates);
  json["execution"] = execution_json(result);
  return json;
}

std::string summary_json_text(const RunResult& result, const RunSummary& summary) {
  return summary_json(result, summary).dump(2) + "\n";
}

}  // namespace p2psim
