#include "experiment/resource_estimate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "metrics/kpi_counters.hpp"
#include "world/fraudsters.hpp"
#include "world/incentives.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

// The process itself (binary, libraries, allocator, a scenario): a one-day run of a small
// market peaks at 8 MiB.
constexpr std::uint64_t kProcessBytes = 8ull << 20;

struct WorldSize {
  double accounts = 0.0;
  double merchants = 0.0;
  double merchant_bytes = 0.0;
  double fraud_orders = 0.0;
  double market_days = 0.0;
};

// One market's share of a world, day by day as its shocks set visitors, registration and fraud
// rates and as campaigns draw promotion-abuse rings (at their most: friction and budgets spent
// are not followed).
void add_market(const WorldConfig& world, std::uint16_t index, WorldSize& size) {
  MarketConfig market = world.markets[index];
  std::vector<const ShockConfig*> shocks;
  for (const ShockConfig& shock : world.shocks)
    if (shock.market == index) shocks.push_back(&shock);
  std::stable_sort(shocks.begin(), shocks.end(),
                   [](const ShockConfig* a, const ShockConfig* b) { return a->day < b->day; });
  const bool targeted = targeted_by_campaign(world, index);
  size.accounts += market.users.initial_users;
  auto next_shock = shocks.begin();
  for (std::uint32_t day = 0; day < world.simulation.days; ++day) {
    for (; next_shock != shocks.end() && (*next_shock)->day == day; ++next_shock)
      apply_shock(**next_shock, market);
    const UserConfig& users = market.users;
    size.accounts +=
        users.daily_visitors * users.registration_probability * (1.0 + users.referrals_per_user);
    const FraudTypologyConfig& abuse = market.fraud[FraudTypology::kPromotionAbuse];
    const double rings =
        targeted ? sybil_ring_rate(abuse, most_farmable_usd(world, index, std::int32_t(day)), 0.0)
                 : abuse.accounts_per_day;
    size.accounts += fraud_accounts_per_day(market, rings);
    size.fraud_orders += fraud_orders_per_day(market, rings);
  }
  const double merchants = double(market.merchants.count) + market.merchants.max_entrants;
  size.merchants += merchants;
  size.merchant_bytes += merchants * World::bytes_per_merchant(market.payment_methods.size());
  size.market_days += world.simulation.days;
}

WorldSize size_of(const WorldConfig& world) {
  WorldSize size;
  for (std::uint16_t index = 0; index < world.markets.size(); ++index)
    add_market(world, index, size);
  return size;
}

std::uint64_t bytes_of(double bytes) {
  return static_cast<std::uint64_t>(std::min(bytes, 1.8e19));
}

std::string count_text(double count) {
  if (count >= 1e6) return fmt::format("{:.3g} M", count / 1e6);
  return fmt::format("{:.0f}", count);
}

}  // namespace

ResourceEstimate estimate_resources(const Scenario& scenario, std::uint32_t threads,
                                    std::uint32_t ranks) {
  ResourceEstimate estimate;
  // Arms differ in their overrides: the largest world is the one to plan for.
  WorldSize largest = size_of(scenario.world);
  std::uint32_t arms = 1;
  std::uint32_t replications = scenario.world.simulation.replications;
  if (scenario.experiment) {
    arms = static_cast<std::uint32_t>(scenario.experiment->arms.size());
    replications = scenario.experiment->replications;
    for (const ExperimentArm& arm : scenario.experiment->arms) {
      const WorldSize size = size_of(arm.world);
      if (size.accounts + size.merchants > largest.accounts + largest.merchants) largest = size;
    }
  }
  estimate.accounts = largest.accounts;
  estimate.merchants = largest.merchants;
  estimate.fraud_orders = largest.fraud_orders;
  estimate.worlds = arms * replications;
  const std::uint32_t share = (estimate.worlds + std::max(1u, ranks) - 1) / std::max(1u, ranks);
  estimate.worlds_at_once = std::max(1u, std::min(std::max(1u, threads), share));
  const double kept_per_world =
      largest.market_days * sizeof(KpiCounters) + largest.fraud_orders * sizeof(FraudLabel);
  estimate.bytes_per_world = bytes_of(largest.accounts * World::bytes_per_account() +
                                      largest.merchant_bytes + kept_per_world);
  estimate.bytes_per_outcome = bytes_of(kept_per_world);
  estimate.peak_bytes =
      bytes_of(double(kProcessBytes) + double(estimate.worlds_at_once) * estimate.bytes_per_world +
               double(share) * estimate.bytes_per_outcome);
  return estimate;
}

std::string memory_text(std::uint64_t bytes) {
  const double mib = double(bytes) / (1 << 20);
  if (mib >= 1024.0 * 1024.0) return fmt::format("{:.3g} TiB", mib / (1024.0 * 1024.0));
  if (mib >= 1024.0) return fmt::format("{:.3g} GiB", mib / 1024.0);
  if (mib >= 1.0) return fmt::format("{:.0f} MiB", mib);
  return fmt::format("{:.0f} KiB", double(bytes) / 1024.0);
}

std::string resource_estimate_text(const ResourceEstimate& estimate) {
  return fmt::format(
      "about {} at peak ({} world(s) at a time of {} each: {} accounts, {} merchants, {} "
      "fraudulent orders; {} world(s) in all, {} kept of each)",
      memory_text(estimate.peak_bytes), estimate.worlds_at_once,
      memory_text(estimate.bytes_per_world), count_text(estimate.accounts),
      count_text(estimate.merchants), count_text(estimate.fraud_orders), estimate.worlds,
      memory_text(estimate.bytes_per_outcome));
}

std::uint64_t available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream fields(line.substr(13));
    std::uint64_t kib = 0;
    fields >> kib;
    return kib * 1024;
  }
  return 0;
}

}  // namespace p2psim
