#pragma once
// Whole-world runs for the direction tests: a mechanism off and on, on the same seeds and
// replications (common random numbers), and the 95% interval of the mean paired difference of
// a KPI, which the tests require to exclude 0 on the stated side.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "paired_interval.hpp"
#include "world/world.hpp"

namespace p2psim {

// The first market's tallies over the whole run (days merged), replication `replication`, with
// the period's merchant figures.
inline KpiCounters run_total(const WorldConfig& config, std::uint32_t replication = 0) {
  World world(config, replication);
  EXPECT_TRUE(world.run());
  const ReplicationOutcome outcome = world.outcome();
  KpiCounters total;
  for (const KpiCounters& day : outcome.markets[0].days)
    total.merge(day);
  total.merchants_rated = outcome.markets[0].period.merchants_rated;
  total.merchant_completion_rate_sum = outcome.markets[0].period.merchant_completion_rate_sum;
  total.active_merchants = outcome.markets[0].period.active_merchants;
  return total;
}

// The replications the direction tests pair: kStudent95With7Df's n.
inline constexpr std::uint32_t kDirectionReplications = 8;

// The 95% interval of the mean paired difference (on - off) of a KPI over
// kDirectionReplications replications, each run with the same seed and replication in both arms.
inline Interval paired_difference(const WorldConfig& off, const WorldConfig& on,
                                  const std::function<double(const KpiCounters&)>& kpi) {
  std::vector<double> differences;
  for (std::uint32_t r = 0; r < kDirectionReplications; ++r)
    differences.push_back(kpi(run_total(on, r)) - kpi(run_total(off, r)));
  return mean_interval(differences, kStudent95With7Df);
}

}  // namespace p2psim
