// A replication's outcome sent between ranks: what is read back is what was written, bit for
// bit, and damaged bytes are refused rather than read past their end.
#include "world/outcome_archive.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>

#include "metrics/kpis.hpp"
#include "small_market.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

// A world with fraud (labels), two markets (an "all" total) and a risk of card reversals.
ReplicationOutcome outcome_of_a_world() {
  WorldConfig config;
  config.simulation.days = 6;
  config.simulation.warmup_days = 1;
  config.simulation.seed = 7;
  for (const char* code : {"NG", "KE"}) {
    MarketConfig market = small_market(code, "XXX");
    market.fraud[FraudTypology::kNonPayment].accounts_per_day = 5.0;
    market.fraud[FraudTypology::kNonPayment].attempts_per_account = 3.0;
    config.markets.push_back(market);
  }
  World world(config, 3);
  EXPECT_TRUE(world.run());
  return world.outcome();
}

TEST(OutcomeArchive, ReadsBackTheOutcomeItWrote) {
  const ReplicationOutcome outcome = outcome_of_a_world();
  ASSERT_EQ(outcome.markets.size(), 3u);  // NG, KE and "all"
  ASSERT_FALSE(outcome.fraud_labels.empty());
  const std::string bytes = pack_outcome(outcome);
  const ReplicationOutcome read = unpack_outcome(bytes);

  EXPECT_EQ(read.replication, 3u);
  EXPECT_EQ(read.first_measured_day, outcome.first_measured_day);
  EXPECT_EQ(read.events_processed, outcome.events_processed);
  EXPECT_EQ(read.orders_simulated, outcome.orders_simulated);
  ASSERT_EQ(read.fraud_labels.size(), outcome.fraud_labels.size());
  EXPECT_EQ(std::memcmp(read.fraud_labels.data(), outcome.fraud_labels.data(),
                        outcome.fraud_labels.size() * sizeof(FraudLabel)),
            0);
  ASSERT_EQ(read.markets.size(), outcome.markets.size());
  for (std::size_t market = 0; market < outcome.markets.size(); ++market) {
    const MarketTally& before = outcome.markets[market];
    const MarketTally& after = read.markets[market];
    EXPECT_EQ(after.market, before.market);
    EXPECT_EQ(after.payment_methods, before.payment_methods);
    ASSERT_EQ(after.days.size(), before.days.size());
    // Every KPI of the period, derived from the tallies read back, is the same number.
    const std::vector<KpiValue> kpis_before = derive_kpis(before.period, before.payment_methods);
    const std::vector<KpiValue> kpis_after = derive_kpis(after.period, after.payment_methods);
    ASSERT_EQ(kpis_after.size(), kpis_before.size());
    for (std::size_t kpi = 0; kpi < kpis_before.size(); ++kpi) {
      EXPECT_EQ(std::memcmp(&kpis_after[kpi].value, &kpis_before[kpi].value, sizeof(double)), 0)
          << kpis_before[kpi].name;
    }
    EXPECT_EQ(after.period.fraud_loss_by_method_usd, before.period.fraud_loss_by_method_usd);
    EXPECT_EQ(after.days.back().orders_created, before.days.back().orders_created);
  }
  // Written again, the outcome read back gives the same bytes: nothing was lost or added.
  EXPECT_EQ(pack_outcome(read), bytes);
}

TEST(OutcomeArchive, RefusesBytesThatEndEarly) {
  const std::string bytes = pack_outcome(outcome_of_a_world());
  for (std::size_t cut : {std::size_t{0}, std::size_t{5}, bytes.size() / 2, bytes.size() - 1}) {
    try {
      unpack_outcome(std::string_view(bytes).substr(0, cut));
      ADD_FAILURE() << "read " << cut << " of " << bytes.size() << " bytes";
    } catch (const std::runtime_error& error) {
      EXPECT_STREQ(error.what(), "bytes end early: damaged in transit");
    }
  }
}

TEST(OutcomeArchive, RefusesTrailingBytes) {
  const std::string bytes = pack_outcome(outcome_of_a_world()) + "x";
  try {
    unpack_outcome(bytes);
    ADD_FAILURE() << "read an outcome with a trailing byte";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "a replication's outcome has trailing bytes");
  }
}

}  // namespace
}  // namespace p2psim
