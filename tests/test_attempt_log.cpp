// Tests of the labelled export of a world (world/attempt_log.hpp): one row per order attempt and
// per account, decisions that follow from the exported features, outcomes and losses that add up
// to the KPIs, and a run that is the same with the export as without it.
#include "world/attempt_log.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "scenario/scenario_loader.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

// Keeps every row in memory.
class CollectedRows final : public AttemptSink {
 public:
  void write(const AttemptRow& row) override { attempts.push_back(row); }
  void write(const AccountRow& row) override { accounts.push_back(row); }
  void close() override { closed = true; }

  bool wants_attempts() const override { return wants_attempt_rows; }

  std::vector<AttemptRow> attempts;
  std::vector<AccountRow> accounts;
  bool closed = false;
  bool wants_attempt_rows = true;
};

Scenario example(const std::string& name) {
  return load_scenario(P2PSIM_SOURCE_DIR "/scenarios/" + name);
}

// The whole run's tallies of one market, warm-up days included.
KpiCounters whole_run(const ReplicationOutcome& outcome, std::size_t market) {
  KpiCounters total;
  for (const KpiCounters& day : outcome.markets[market].days)
    total.merge(day);
  return total;
}

struct ExportedRun {
  CollectedRows rows;
  ReplicationOutcome outcome;
  std::size_t users = 0;
};

ExportedRun run_exported(const WorldConfig& config) {
  ExportedRun run;
  World world(config, 0, &run.rows);
  world.run();
  run.outcome = world.outcome();
  run.users = world.user_count();
  return run;
}

std::size_t count_outcome(const std::vector<AttemptRow>& rows, AttemptOutcome outcome) {
  std::size_t count = 0;
  for (const AttemptRow& row : rows)
    count += row.outcome == outcome;
  return count;
}

TEST(AttemptLog, EveryOrderAttemptIsOneRowAndEveryAccountOne) {
  const Scenario scenario = example("examples/manual_review.toml");
  const ExportedRun run = run_exported(scenario.world);
  std::uint64_t attempts = 0;
  for (std::size_t market = 0; market < scenario.world.markets.size(); ++market)
    attempts += whole_run(run.outcome, market).order_attempts;
  ASSERT_GT(attempts, 1000u);
  EXPECT_EQ(run.rows.attempts.size(), attempts);
  EXPECT_EQ(run.rows.accounts.size(), run.users);
  // Serial numbers from 1, each once.
  std::vector<bool> seen(attempts + 1, false);
  for (const AttemptRow& row : run.rows.attempts) {
    ASSERT_GE(row.attempt, 1u);
    ASSERT_LE(row.attempt, attempts);
    EXPECT_FALSE(seen[row.attempt]) << row.attempt;
    seen[row.attempt] = true;
  }
}

// Bans every account after its first completed order: its later attempts are refused.
class BanAfterATrade final : public RiskPolicy {
 public:
  RiskDecision decide(RiskStage stage, const OrderFeatures& /*features*/) const override {
    return stage == RiskStage::kPostTrade ? RiskDecision{.action = RiskAction::kBlock}
                                          : RiskDecision{};
  }
  bool decides_post_trade() const override { return true; }
};

TEST(AttemptLog, RefusedAttemptsOfBannedAccountsAreRowsToo) {
  Scenario scenario = example("examples/new_user_bonus.toml");
  scenario.world.markets[0].risk = std::make_shared<BanAfterATrade>();
  const ExportedRun run = run_exported(scenario.world);
  const KpiCounters total = whole_run(run.outcome, 0);
  ASSERT_GT(total.orders_blocked_by_rules, 100u);
  EXPECT_EQ(count_outcome(run.rows.attempts, AttemptOutcome::kRefusedByRules),
            total.orders_blocked_by_rules);
  std::uint64_t banned = 0;
  for (const AccountRow& account : run.rows.accounts)
    banned += account.banned_day >= 0;
  EXPECT_EQ(banned, total.accounts_banned_genuine + total.accounts_banned_fraud);
}

TEST(AttemptLog, OutcomesAndLossesAddUpToTheKpis) {
  const Scenario scenario = example("examples/manual_review.toml");
  const ExportedRun run = run_exported(scenario.world);
  const KpiCounters total = whole_run(run.outcome, 0);
  const std::vector<AttemptRow>& rows = run.rows.attempts;
  // A reversed order was completed first.
  EXPECT_EQ(count_outcome(rows, AttemptOutcome::kCompleted) +
                count_outcome(rows, AttemptOutcome::kReversed),
            total.orders_completed);
  EXPECT_EQ(count_outcome(rows, AttemptOutcome::kUnmatched), total.orders_unmatched);
  EXPECT_EQ(count_outcome(rows, AttemptOutcome::kRefusedByRules), total.orders_blocked_by_rules);
  EXPECT_EQ(count_outcome(rows, AttemptOutcome::kBlocked),
            total.risk_blocked_genuine + total.risk_blocked_fraud);
  EXPECT_EQ(count_outcome(rows, AttemptOutcome::kReviewAbandoned), total.review_abandoned);
  ASSERT_GT(total.orders_sent_to_review, 0u);
  std::uint64_t created = 0;
  std::uint64_t fraud_created = 0;
  double loss = 0.0;
  for (const AttemptRow& row : rows) {
    created += row.order != 0;
    fraud_created += row.order != 0 && !row.intent.genuine();
    for (double part : row.loss_usd)
      loss += part;
  }
  EXPECT_EQ(created, total.orders_created);
  std::uint64_t fraud_attempts = 0;
  double fraud_loss = 0.0;
  for (int typology = 0; typology < kFraudTypologyCount; ++typology) {
    fraud_attempts += total.fraud_attempts[typology];
    fraud_loss += total.fraud_loss_usd[typology];
  }
  EXPECT_EQ(fraud_created, fraud_attempts);
  ASSERT_GT(fraud_loss, 0.0);
  EXPECT_NEAR(loss, fraud_loss, 1e-9 * fraud_loss);  // the same amounts, summed in another order
}

// Re-asks the scenario's own policy with the exported features: every logged decision follows.
void expect_decisions_follow(const Scenario& scenario) {
  const ExportedRun run = run_exported(scenario.world);
  std::array<std::uint64_t, kRiskActionCount> actions{};
  std::uint64_t holds = 0;
  for (const AttemptRow& row : run.rows.attempts) {
    const RiskPolicy& policy = *scenario.world.markets[row.market].risk;
    if (row.screened) {
      const RiskDecision decision = policy.decide(RiskStage::kOrderCreation, row.features);
      ASSERT_EQ(decision.action, row.creation_action) << "attempt " << row.attempt;
      ASSERT_EQ(decision.reason, row.creation_reason) << "attempt " << row.attempt;
      ++actions[static_cast<int>(row.creation_action)];
    }
    if (row.asked_at_mark_paid) {
      const RiskDecision decision = policy.decide(RiskStage::kMarkPaid, row.paid_features);
      const double hold = decision.action == RiskAction::kHold ? decision.hold_minutes : 0.0;
      ASSERT_EQ(hold, row.hold_minutes) << "attempt " << row.attempt;
      holds += hold > 0.0;
    }
  }
  // The policy acted, so the comparison above was not only of allows.
  std::uint64_t acted = holds;
  for (int action = 1; action < kRiskActionCount; ++action)
    acted += actions[action];
  EXPECT_GT(acted, 100u);
  EXPECT_GT(actions[static_cast<int>(RiskAction::kAllow)], 100u);
}

TEST(AttemptLog, LoggedDecisionsFollowFromTheExportedFeatures) {
  expect_decisions_follow(example("examples/manual_review.toml"));
  expect_decisions_follow(example("regression/risk_policy.toml"));
}

// Every tally of every day, and the labels: the export must not change the run.
void expect_same_run(const ReplicationOutcome& a, const ReplicationOutcome& b) {
  EXPECT_EQ(a.events_processed, b.events_processed);
  EXPECT_EQ(a.orders_simulated, b.orders_simulated);
  ASSERT_EQ(a.markets.size(), b.markets.size());
  for (std::size_t m = 0; m < a.markets.size(); ++m) {
    ASSERT_EQ(a.markets[m].days.size(), b.markets[m].days.size());
    for (std::size_t d = 0; d < a.markets[m].days.size(); ++d) {
      const KpiCounters& x = a.markets[m].days[d];
      const KpiCounters& y = b.markets[m].days[d];
      EXPECT_EQ(std::memcmp(static_cast<const KpiCounts*>(&x), static_cast<const KpiCounts*>(&y),
                            sizeof(KpiCounts)),
                0)
          << "market " << m << " day " << d;
      EXPECT_EQ(std::memcmp(static_cast<const KpiAmounts*>(&x), static_cast<const KpiAmounts*>(&y),
                            sizeof(KpiAmounts)),
                0)
          << "market " << m << " day " << d;
    }
  }
  ASSERT_EQ(a.fraud_labels.size(), b.fraud_labels.size());
  for (std::size_t i = 0; i < a.fraud_labels.size(); ++i) {
    EXPECT_EQ(a.fraud_labels[i].revealed_at, b.fraud_labels[i].revealed_at);
  }
}

TEST(AttemptLog, ExportingChangesNothingElse) {
  for (const char* name : {"examples/manual_review.toml", "examples/new_user_bonus.toml",
                           "examples/fraud_typologies.toml"}) {
    SCOPED_TRACE(name);
    const Scenario scenario = example(name);
    World plain(scenario.world, 1);
    plain.run();
    const ExportedRun exported = [&] {
      ExportedRun run;
      World world(scenario.world, 1, &run.rows);
      world.run();
      run.outcome = world.outcome();
      return run;
    }();
    expect_same_run(plain.outcome(), exported.outcome);
    // Accounts only: the world computes no features for the log.
    CollectedRows accounts_only;
    accounts_only.wants_attempt_rows = false;
    World world(scenario.world, 1, &accounts_only);
    world.run();
    expect_same_run(plain.outcome(), world.outcome());
    EXPECT_EQ(accounts_only.accounts.size(), world.user_count());
  }
}

TEST(AttemptLog, AccountRowsCarryTheTruthAndWhatThePlatformLearnt) {
  const Scenario scenario = example("examples/fraud_typologies.toml");
  const ExportedRun run = run_exported(scenario.world);
  std::uint64_t fraud_accounts = 0;
  std::uint64_t revealed = 0;
  for (const AccountRow& account : run.rows.accounts) {
    fraud_accounts += !account.intent.genuine();
    if (account.first_revealed_day >= 0.0) {
      ++revealed;
      // Only a fraud account's orders reveal it (an exit-scamming merchant's victims are genuine).
      EXPECT_FALSE(account.intent.genuine() && account.orders == 0) << account.user;
    }
    EXPECT_GE(account.cluster_size, 1u);
  }
  EXPECT_GT(fraud_accounts, 0u);
  EXPECT_GT(revealed, 0u);
  // An attempt's revealed day is never before its attempt.
  for (const AttemptRow& row : run.rows.attempts) {
    if (row.revealed_by != RevealedBy::kNever) EXPECT_GE(row.revealed_at, row.attempted_at);
  }
}

}  // namespace
}  // namespace p2psim
