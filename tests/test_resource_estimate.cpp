// Tests of the resource estimate made before any world is built (experiment/resource_estimate):
// what it counts and how it scales. Its agreement with a measured peak is checked end to end by
// tests/memory_estimate.py (CTest memory_estimate).
#include "experiment/resource_estimate.hpp"

#include <gtest/gtest.h>

#include "small_market.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

Scenario scenario_of(std::uint32_t initial_users, std::uint32_t replications) {
  Scenario scenario;
  scenario.world.simulation.days = 10;
  scenario.world.simulation.replications = replications;
  scenario.world.markets.push_back(small_market("NG", "NGN"));
  scenario.world.markets[0].users.initial_users = initial_users;
  return scenario;
}

TEST(ResourceEstimate, EachInitialUserAddsOneAccountsRecords) {
  const ResourceEstimate small = estimate_resources(scenario_of(1000, 1), 1, 1);
  const ResourceEstimate large = estimate_resources(scenario_of(101000, 1), 1, 1);
  EXPECT_DOUBLE_EQ(large.accounts - small.accounts, 100000.0);
  EXPECT_EQ(large.bytes_per_world - small.bytes_per_world, 100000 * World::bytes_per_account());
  EXPECT_EQ(large.peak_bytes - small.peak_bytes, 100000 * World::bytes_per_account());
}

TEST(ResourceEstimate, WorldsAtOnceAreTheThreadsOrTheWorldsOfThisRank) {
  EXPECT_EQ(estimate_resources(scenario_of(1000, 8), 2, 1).worlds_at_once, 2u);
  EXPECT_EQ(estimate_resources(scenario_of(1000, 8), 16, 1).worlds_at_once, 8u);
  EXPECT_EQ(estimate_resources(scenario_of(1000, 8), 16, 4).worlds_at_once, 2u);
  const ResourceEstimate one = estimate_resources(scenario_of(100000, 8), 1, 1);
  const ResourceEstimate four = estimate_resources(scenario_of(100000, 8), 4, 1);
  EXPECT_EQ(one.worlds, 8u);
  EXPECT_EQ(four.peak_bytes - one.peak_bytes, 3 * one.bytes_per_world);
}

// Far past any machine: the figure stays finite and says so, rather than wrapping.
TEST(ResourceEstimate, ATerabyteRunIsEstimatedNotWrapped) {
  Scenario scenario = scenario_of(4000000000u, 100000);
  scenario.world.simulation.days = 3650;
  const ResourceEstimate estimate = estimate_resources(scenario, 1024, 1);
  EXPECT_GT(estimate.peak_bytes, std::uint64_t{1} << 40);
  EXPECT_NE(resource_estimate_text(estimate).find(" TiB at peak"), std::string::npos)
      << resource_estimate_text(estimate);
}

}  // namespace
}  // namespace p2psim
