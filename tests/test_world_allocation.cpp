// The event loop allocates nothing per event once the world is warm: every pool (orders, the
// event queue's heap and slot ring, support queues) is near its working size. Counted with
// a replaced global operator new, so this test is a program of its own.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "scenario/scenario_loader.hpp"
#include "world/world.hpp"

namespace {
std::atomic<std::uint64_t> allocations{0};
}  // namespace

// The replacements below pair malloc with free; GCC 12 still warns at inlined call sites that
// free() sees memory from operator new, which is exactly what a replacement allocator does.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept {
  std::free(memory);
}

namespace p2psim {
namespace {

WorldConfig steady_market() {
  WorldConfig config;
  config.simulation.days = 120;
  config.simulation.warmup_days = 1;
  MarketConfig market;
  market.code = "ng";
  market.currency = "NGN";
  market.reference_rate = 1500.0;
  market.payment_methods = {{"bank_transfer", 0.7, 2.0, false, 0.0},
                            {"card_transfer", 0.3, 5.0, true, 30.0}};
  market.users.initial_users = 3000;
  market.users.daily_visitors = 0.0;  // a closed population: no agents are added later
  market.users.churn = {0.0, 0.0, 0.0, 0.0, 0.0, 30.0};  // nobody leaves
  market.merchants.count = 20;
  market.support.agents = 2;
  market.fraud[FraudTypology::kNonPayment].accounts_per_day = 0.0;
  market.fraud[FraudTypology::kPaymentReversal].accounts_per_day = 0.0;
  config.markets.push_back(market);
  return config;
}

// Runs `world` for 90 days, then counts the allocations of the next 30. The event queue's slot
// ring spans about 42 days; after 90 days every slot has been used twice and every pool is near
// its working size. A pool may still meet a new busiest moment (users' habits and the busy hours
// make traffic bursty) and grow its capacity: at most two such growths are allowed,
// where an allocation per event, or per order, would give thousands.
void expect_steady_state_does_not_allocate(World& world) {
  ASSERT_TRUE(world.run_until(90 * kDay));
  const std::uint64_t events_before = world.events_processed();
  const std::uint64_t allocations_before = allocations.load();
  ASSERT_TRUE(world.run_until(120 * kDay));
  const std::uint64_t events = world.events_processed() - events_before;
  EXPECT_GT(events, 20000u);  // the window really ran the market
  EXPECT_LE(allocations.load() - allocations_before, 2u) << "over " << events << " events";
}

TEST(WorldAllocation, SteadyStateEventLoopDoesNotAllocate) {
  World world(steady_market(), 0);
  expect_steady_state_does_not_allocate(world);
}

TEST(WorldAllocation, RiskPolicyDoesNotAllocate) {
  // The rules and score of the example scenario (docs/strategies.md), screening every order.
  Scenario example =
      load_scenario(P2PSIM_SOURCE_DIR "/scenarios/examples/rules_block_large_new_accounts.toml");
  WorldConfig config = steady_market();
  config.markets[0].risk = example.world.markets[0].risk;
  World world(config, 0);
  expect_steady_state_does_not_allocate(world);
}

// A campaign paying on every trade, with a finite per-user cap (spending tracked per recipient)
// and the merchants' 30-day volume: the most bookkeeping a campaign asks of the world.
class EveryTradeCampaign final : public IncentiveCampaign {
 public:
  EveryTradeCampaign()
      : IncentiveCampaign(
            CampaignTerms{.kind = "test", .markets = {true}, .per_user_cap_usd = 1e9}) {}
  double sign_up_offer_usd() const override { return 1.0; }
  double referral_offer_usd() const override { return 1.0; }
  double taker_fee_waived_share() const override { return 0.5; }
  bool needs_merchant_volume() const override { return true; }
  IncentiveOffer on_trade(const TradeFacts& trade) const override {
    return {.taker_fee_waived_usd = trade.taker_fee_usd / 2,
            .user_bonus_usd = 0.01,
            .referrer_bonus_usd = trade.referred ? 0.01 : 0.0,
            .merchant_rebate_usd = trade.merchant_volume_usd > 0.0 ? 0.01 : 0.0};
  }
};

TEST(WorldAllocation, IncentivesAndFeesDoNotAllocate) {
  WorldConfig config = steady_market();
  config.markets[0].fees.taker_bps = 5.0;
  config.incentives.push_back(std::make_shared<EveryTradeCampaign>());
  World world(config, 0);
  expect_steady_state_does_not_allocate(world);
}

// Reviews large orders, steps up middling ones and limits smaller ones.
class ReviewStepUpLimit final : public RiskPolicy {
 public:
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    const double usd = features[RiskFeature::kAmountUsd];
    if (stage != RiskStage::kOrderCreation || usd <= 60.0) return {};
    if (usd > 200.0) return {RiskAction::kReview};
    if (usd > 100.0) return {RiskAction::kStepUp};
    return {RiskAction::kLimit, 0.0, 80.0};
  }
};

TEST(WorldAllocation, ReviewAndStepUpDoNotAllocate) {
  // The example's review shifts (4 reviewers by day, 1 at night: a queue that builds up every
  // night and drains by day).
  Scenario example = load_scenario(P2PSIM_SOURCE_DIR "/scenarios/examples/manual_review.toml");
  WorldConfig config = steady_market();
  config.markets[0].risk = std::make_shared<ReviewStepUpLimit>();
  config.markets[0].review = example.world.markets[0].review;
  World world(config, 0);
  expect_steady_state_does_not_allocate(world);
  EXPECT_GT(world.outcome().markets[0].period.orders_reviewed, 100u);
}

TEST(WorldAllocation, UserSplitDoesNotAllocate) {
  // A split world: the treatment's own fees and campaign apply to half the users, and each
  // user's metrics are booked as it trades.
  WorldConfig config = steady_market();
  auto treatment = std::make_shared<WorldConfig>(config);
  treatment->markets[0].fees.taker_bps = 5.0;
  treatment->incentives.push_back(std::make_shared<EveryTradeCampaign>());
  config.split = {.unit = SplitUnit::kUser, .treatment = treatment, .assignment_seed = 3};
  World world(config, 0);
  expect_steady_state_does_not_allocate(world);
}

}  // namespace
}  // namespace p2psim
