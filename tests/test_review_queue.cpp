// Tests of the manual review queue (docs/strategies.md, Manual review): the reviewer team
// changing size with shifts, and, in a simulated world with Poisson arrivals into review and
// constant staffing, the mean wait of queueing theory (Erlang C).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "small_market.hpp"
#include "world/event_kind.hpp"
#include "world/review_queue.hpp"
#include "world/support_team.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

auto all_live = [](std::uint32_t) { return true; };

RandomStream team_stream() {
  return RandomStream(4242, 0, StreamId{0, 9});
}

TEST(ReviewShifts, ABusyReviewerFinishesAtShiftEndAndTakesNoNewCase) {
  SupportTeam team(2, 60.0, team_stream());
  ASSERT_TRUE(team.open(1, 0.0).has_value());
  ASSERT_TRUE(team.open(2, 0.0).has_value());
  EXPECT_FALSE(team.open(3, 1.0).has_value());
  team.set_agents(1);  // one reviewer's shift ends while both are busy
  EXPECT_EQ(team.busy_agents(), 2u);
  EXPECT_FALSE(team.finish(10.0, all_live).has_value());  // the leaving one takes nothing
  EXPECT_EQ(team.busy_agents(), 1u);
  EXPECT_EQ(team.waiting(), 1u);
  auto next = team.finish(20.0, all_live);  // the one still on shift takes ticket 3
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->ticket, 3u);
  EXPECT_DOUBLE_EQ(next->waited, 19.0);
}

TEST(ReviewShifts, ANewShiftTakesWaitingCasesAtOnce) {
  SupportTeam team(0, 60.0, team_stream());  // nobody on shift: everything waits
  for (std::uint32_t ticket = 0; ticket < 3; ++ticket)
    EXPECT_FALSE(team.open(ticket, 0.0).has_value());
  EXPECT_FALSE(team.take_waiting(5.0, all_live).has_value());
  team.set_agents(2);
  auto first = team.take_waiting(3600.0, all_live);
  auto second = team.take_waiting(3600.0, all_live);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->ticket, 0u);
  EXPECT_EQ(second->ticket, 1u);
  EXPECT_DOUBLE_EQ(first->waited, 3600.0);
  EXPECT_FALSE(team.take_waiting(3600.0, all_live).has_value());  // both busy now
  EXPECT_EQ(team.waiting(), 1u);
}

// A queue that never drains (one reviewer, always behind) compacts its taken entries in place:
// the order of service stays first come, first served across the compactions.
TEST(ReviewShifts, AQueueThatNeverDrainsStaysFifo) {
  SupportTeam team(1, 60.0, team_stream());
  std::uint32_t next_ticket = 0;
  ASSERT_TRUE(team.open(next_ticket++, 0.0).has_value());
  std::uint32_t expected = 1;
  for (int round = 0; round < 5000; ++round) {
    const double now = round + 1.0;
    team.open(next_ticket++, now);
    team.open(next_ticket++, now);
    auto next = team.finish(now, all_live);
    ASSERT_TRUE(next.has_value());
    ASSERT_EQ(next->ticket, expected++);
  }
  EXPECT_EQ(team.waiting(), next_ticket - expected);
}

// Sends every order to review.
class ReviewEverything final : public RiskPolicy {
 public:
  RiskDecision decide(RiskStage stage, const OrderFeatures& /*features*/) const override {
    return stage == RiskStage::kOrderCreation ? RiskDecision{RiskAction::kReview} : RiskDecision{};
  }
};

double erlang_c(int c, double a) {
  double term = 1.0, sum = 0.0;  // a^k / k!
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  double top = term * c / (c - a);
  return top / (sum + top);
}

// Arrivals into review are Poisson: the only users are non-payment fraud accounts, arriving as a
// Poisson stream of lambda a day, each making exactly one attempt (attempts_per_account = 1) an
// exponential delay after it arrives (a Poisson stream displaced by independent delays stays
// Poisson), which always finds an ad (ample merchants, orders within their limits). Fraudsters
// never leave the queue, and reviewers stop every order, so no order ever takes merchant
// capacity. c = 4 reviewers, mean review 1 minute (mu = 1 a minute), lambda = 3 a minute:
// Erlang C gives P(wait) = 13.5 / 26.5 and Wq = P(wait) / (c mu - lambda) = 0.509 minutes.
//
// Tolerance: waits are positively autocorrelated (relaxation time ~40 arrivals, see
// test_support_team.cpp), so the days are used as batches: ~4,300 arrivals a day, far more than
// the correlation time, make the daily means nearly independent; the period mean must lie within
// 4 standard errors of their spread. Theory for that SE: Var(Wq) = 2 C / (c mu - lambda)^2 -
// Wq^2 = 0.76 min^2 with an integrated autocorrelation time of ~100 arrivals gives
// SE ~ sqrt(0.76 x 100 / 130,000) = 0.024 min, about 5% of Wq; the fixed bound of 20% (4 such
// SEs) catches a batch SE inflated by a broken queue.
TEST(ReviewQueueInWorld, MeanWaitMatchesErlangCWithConstantStaffing) {
  const int c = 4;
  const double lambda_per_minute = 3.0, mu_per_minute = 1.0;
  const double probability_wait = erlang_c(c, lambda_per_minute / mu_per_minute);
  const double expected_wait_minutes = probability_wait / (c * mu_per_minute - lambda_per_minute);
  ASSERT_NEAR(probability_wait, 13.5 / 26.5, 1e-12);

  WorldConfig config;
  config.simulation.days = 31;
  config.simulation.warmup_days = 1;
  config.simulation.seed = 5;
  MarketConfig market = small_market("ng", "NGN");
  market.users.initial_users = 0;
  market.users.daily_visitors = 0.0;
  market.merchants.count = 30;
  FraudTypologyConfig& fraud = market.fraud[FraudTypology::kNonPayment];
  fraud.accounts_per_day = lambda_per_minute * 60.0 * 24.0;
  fraud.attempts_per_account = 1.0;
  fraud.hours_between_attempts = 0.05;
  fraud.order_usd_median = 100.0;
  fraud.order_usd_sigma = 0.1;
  market.review.reviewers_by_hour.fill(c);
  market.review.review_minutes_mean = 1.0 / mu_per_minute;
  market.review.detection_probability = 1.0;
  market.risk = std::make_shared<ReviewEverything>();
  config.markets.push_back(market);

  World world(config, 0);
  world.run();
  const MarketTally tally = world.outcome().markets[0];
  EXPECT_EQ(tally.period.orders_created, 0u);
  EXPECT_EQ(tally.period.orders_unmatched, 0u);
  EXPECT_EQ(tally.period.review_abandoned, 0u);
  std::vector<double> daily;
  for (std::size_t d = config.simulation.warmup_days; d + 1 < tally.days.size(); ++d) {
    const KpiCounters& day = tally.days[d];
    ASSERT_GT(day.review_started, 3000u);
    daily.push_back(day.review_wait_seconds / 60.0 / day.review_started);
  }
  double mean = 0.0;
  for (double value : daily)
    mean += value;
  mean /= daily.size();
  double squares = 0.0;
  for (double value : daily)
    squares += (value - mean) * (value - mean);
  const double standard_error = std::sqrt(squares / (daily.size() - 1) / daily.size());
  EXPECT_NEAR(mean, expected_wait_minutes, 4.0 * standard_error);
  EXPECT_NEAR(mean, expected_wait_minutes, 0.2 * expected_wait_minutes);
}

// The queue on its own: one reviewer, a genuine attempt in review, a genuine one waiting with
// patience and a fraudster waiting for good. The one who leaves is skipped when the reviewer is
// free again.
TEST(ReviewQueue, ALeftAttemptIsSkippedWhenTheReviewerIsFree) {
  WorldConfig config;
  config.simulation.days = 2;
  MarketConfig market = small_market("NG", "NGN");
  market.review.reviewers_by_hour.fill(1);
  config.markets = {market};
  Seconds now = 0.0;
  EventQueue queue;
  Metrics metrics(now);
  metrics.kpis().add_market(config.simulation.days, market.payment_methods.size());
  ReviewQueue reviews(config, 0, now, queue, metrics, 3);
  reviews.add_market(0);
  for (int user = 0; user < 3; ++user)
    reviews.add_user();
  reviews.send(UserId(0), 0, 100.0, true, false, SplitAssignment::kNoSlot, {});
  reviews.send(UserId(1), 0, 50.0, true, false, SplitAssignment::kNoSlot, {});
  reviews.send(UserId(2), 0, 70.0, false, true, SplitAssignment::kNoSlot, {});
  EXPECT_EQ(metrics.kpis().day(0, 0).orders_sent_to_review, 3u);
  EXPECT_EQ(metrics.kpis().day(0, 0).review_started, 1u);
  std::vector<Event> events;
  while (!queue.empty())
    events.push_back(queue.pop());
  ASSERT_EQ(events.size(), 2u);  // user 0's review, user 1's patience; the fraudster has none
  for (const Event& event : events) {
    if ((event.kind & 0xFF) != kReviewPatienceEnds) continue;
    EXPECT_EQ(event.subject, 1u);
    EXPECT_TRUE(reviews.patience_ends(UserId(1), 0, event.kind >> 8));
    EXPECT_FALSE(reviews.patience_ends(UserId(1), 0, event.kind >> 8));  // left already
  }
  const ReviewQueue::Verdict verdict = reviews.decide(UserId(0), 0);
  EXPECT_EQ(verdict.usd, 100.0);
  EXPECT_TRUE(verdict.genuine);
  reviews.start_next(0);
  EXPECT_EQ(metrics.kpis().day(0, 0).review_started, 2u);
  EXPECT_EQ(metrics.kpis().day(0, 0).review_abandoned, 1u);
  ASSERT_EQ(queue.size(), 1u);
  const Event next = queue.pop();
  EXPECT_EQ(next.kind & 0xFF, kReviewDone);
  EXPECT_EQ(next.subject, 2u);  // the fraudster, not the user who left
}

}  // namespace
}  // namespace p2psim
