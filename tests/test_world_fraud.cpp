// Tests of the fraud typologies in whole worlds: each typology's signature in its orders and
// accounts, whose loss it is, money conservation, the delay before the platform learns of a
// fraud (labels), and fraudsters' adaptation (displacement when a payment method closes).
//
// Worlds are small (2000 users, 15 merchants, 10-20 days) so each runs in milliseconds. Where a
// test compares a rate with its configured value, the tolerance is derived in a comment.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "paired_interval.hpp"
#include "small_market.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

// Ledger accounts the world opens first (sim/world/world.cpp, World::World): white-box.
constexpr AccountId kOutsideUsdt = 0;
constexpr AccountId kPlatformUsdt = 2;

constexpr int kMerchantBears = static_cast<int>(LossBearer::kMerchant);
constexpr int kPlatformBears = static_cast<int>(LossBearer::kPlatform);
constexpr int kUserBears = static_cast<int>(LossBearer::kUser);

int index_of(FraudTypology typology) {
  return static_cast<int>(typology);
}

// Payment methods: bank and wallet are irreversible, card is reversible.
MarketConfig quiet_market(const std::string& code, const std::string& currency) {
  MarketConfig market = small_market(code, currency);
  market.support.agents = 2;
  return market;  // every fraud typology at its default rate: 0
}

// One market where only `typology` attacks, with `accounts` new accounts a day.
WorldConfig only(FraudTypology typology, double accounts, std::uint32_t days = 12) {
  WorldConfig config;
  config.simulation.days = days;
  config.simulation.warmup_days = 2;
  config.simulation.seed = 77;
  config.markets.push_back(quiet_market("ng", "NGN"));
  config.markets[0].fraud.typology(index_of(typology)).accounts_per_day = accounts;
  return config;
}

struct FraudRun {
  ReplicationOutcome outcome;
  Ledger ledger;
  KpiCounters total;  // every simulated day of the first market, warm-up included
};

FraudRun run_world(const WorldConfig& config, void (*prepare)(World&) = nullptr) {
  World world(config, 0);
  if (prepare != nullptr) prepare(world);
  EXPECT_TRUE(world.run());
  FraudRun run{world.outcome(), world.ledger(), {}};
  for (const KpiCounters& day : run.outcome.markets[0].days)
    run.total.merge(day);
  EXPECT_EQ(run.outcome.fraud_labels.size(), world.fraud_labels().size());
  return run;
}

void expect_money_conserved(const Ledger& ledger) {
  for (CurrencyId currency = 0; currency < ledger.currency_count(); ++currency) {
    EXPECT_EQ(ledger.net_balance(currency), 0) << "currency " << currency;
  }
}

std::vector<FraudLabel> labels_of(const FraudRun& run, FraudTypology typology) {
  std::vector<FraudLabel> found;
  for (const FraudLabel& label : run.outcome.fraud_labels) {
    if (label.typology == index_of(typology)) found.push_back(label);
  }
  return found;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// ---- signatures and losses ----------------------------------------------------------------

// Triangulation pays with real (stolen) fiat, so merchants release; the victim's complaint then
// claws the fiat back from the merchant, who bears the loss by default.
TEST(WorldFraud, TriangulationIsPaidThenClawedBackFromTheMerchant) {
  WorldConfig config = only(FraudTypology::kTriangulation, 10.0);
  config.markets[0].fraud[FraudTypology::kTriangulation].reveal_delay_days = 2.0;
  FraudRun run = run_world(config);
  const int t = index_of(FraudTypology::kTriangulation);
  EXPECT_GT(run.total.fraud_attempts[t], 50u);
  EXPECT_GT(run.total.fraud_successes[t], 0u);
  EXPECT_GT(run.total.fraud_loss_usd[t], 0.0);
  EXPECT_DOUBLE_EQ(run.total.fraud_loss_by_bearer_usd[kMerchantBears], run.total.fraud_loss_usd[t]);
  EXPECT_EQ(run.total.fraud_loss_by_bearer_usd[kUserBears], 0.0);
  std::size_t complaints = 0;
  for (const FraudLabel& label : labels_of(run, FraudTypology::kTriangulation)) {
    EXPECT_FALSE(label.user_sells);
    if (label.revealed_by == RevealedBy::kNever) continue;
    EXPECT_EQ(label.revealed_by, RevealedBy::kComplaint);
    EXPECT_GT(label.revealed_at, label.created_at);
    ++complaints;
  }
  EXPECT_GT(complaints, 0u);
  expect_money_conserved(run.ledger);
}

// Sybil rings: many accounts per ring, tiny orders (near the merchants' 10 USD minimum) repeated
// fast, and no loss while no incentive exists.
TEST(WorldFraud, PromotionAbuseRingsHaveManyAccountsAndTinyFastOrders) {
  WorldConfig config = only(FraudTypology::kPromotionAbuse, 3.0);
  config.markets[0].fraud[FraudTypology::kPromotionAbuse].ring_size_mean = 6.0;
  FraudRun run = run_world(config);
  const std::vector<FraudLabel> labels = labels_of(run, FraudTypology::kPromotionAbuse);
  ASSERT_GT(labels.size(), 100u);
  std::map<std::uint32_t, std::set<std::uint32_t>> accounts_of_ring;
  std::vector<double> sizes;
  for (const FraudLabel& label : labels) {
    ASSERT_NE(label.ring, kNoRing);
    accounts_of_ring[label.ring].insert(label.user);
    sizes.push_back(label.usd);
    EXPECT_LT(label.account_age_days, 12.0);  // fresh accounts
    EXPECT_EQ(label.revealed_by, RevealedBy::kNever);
  }
  double accounts = 0.0;
  for (const auto& [ring, users] : accounts_of_ring)
    accounts += users.size();
  // Ring sizes are geometric with mean 6; an account with no order yet is missed, so the mean
  // seen is a little lower, but far above the 1 account of any other user.
  EXPECT_GT(accounts / accounts_of_ring.size(), 3.5);
  EXPECT_LT(median(sizes), 25.0);  // genuine users' median order is 100 USD
  const int t = index_of(FraudTypology::kPromotionAbuse);
  EXPECT_GT(run.total.fraud_successes[t], 0u);
  EXPECT_EQ(run.total.fraud_loss_usd[t], 0.0);  // no incentive configured: no bonus invented
  expect_money_conserved(run.ledger);
}

// A sybil ring's accounts sign up on one device, so the link graph puts each ring in one
// cluster at least as large as the ring; accounts of different rings are not linked.
TEST(WorldFraud, SybilRingsShareOneDeviceInTheLinkGraph) {
  WorldConfig config = only(FraudTypology::kPromotionAbuse, 3.0);
  config.markets[0].fraud[FraudTypology::kPromotionAbuse].ring_size_mean = 6.0;
  World world(config, 0);
  ASSERT_TRUE(world.run());
  std::map<std::uint32_t, std::set<UserId>> members;
  for (UserId id : every_id<UserId>(world.user_count())) {
    if (world.user_profile(id).ring != kNoRing) members[world.user_profile(id).ring].insert(id);
  }
  ASSERT_GT(members.size(), 20u);
  const AccountLinks& links = world.account_links();
  DeviceId previous_device = 0;
  bool first = true;
  for (const auto& [ring, users] : members) {
    const DeviceId device = links.device_of(users.begin()->index());
    for (UserId id : users) {
      EXPECT_EQ(links.device_of(id.index()), device);
      EXPECT_GE(links.cluster_size(id.index()), users.size());
    }
    EXPECT_EQ(links.accounts_on_device(users.begin()->index()), users.size());
    if (!first) {
      EXPECT_NE(device, previous_device);
    }
    previous_device = device;
    first = false;
  }
}

// Account takeover: old accounts selling USDT, mostly at night, the loss the owner's.
TEST(WorldFraud, AccountTakeoverSellsFromOldAccountsAtNight) {
  WorldConfig config = only(FraudTypology::kAccountTakeover, 10.0);
  FraudRun run = run_world(config);
  const std::vector<FraudLabel> labels = labels_of(run, FraudTypology::kAccountTakeover);
  ASSERT_GT(labels.size(), 50u);
  std::vector<double> ages;
  std::size_t night = 0;
  for (const FraudLabel& label : labels) {
    EXPECT_TRUE(label.user_sells);
    ages.push_back(label.account_age_days);
    if (std::fmod(label.created_at, kDay) < 6.0 * kHour) ++night;
  }
  // The victims are the market's genuine accounts, uniform: about half were there at day 0
  // (ages exponential, mean 365 days: median 253), the rest signed up in these 12 days.
  EXPECT_GT(median(ages), 30.0);
  // With night_probability 0.7 at least 70% of attempts move to 00:00-06:00 (and a quarter of
  // the rest fall there anyway); genuine users place about 4% of their orders then.
  const double night_share = static_cast<double>(night) / labels.size();
  EXPECT_GT(night_share, 0.6);
  const int t = index_of(FraudTypology::kAccountTakeover);
  EXPECT_GT(run.total.fraud_loss_usd[t], 0.0);
  EXPECT_DOUBLE_EQ(run.total.fraud_loss_by_bearer_usd[kUserBears], run.total.fraud_loss_usd[t]);
  EXPECT_EQ(run.total.fraud_loss_by_bearer_usd[kMerchantBears], 0.0);
  EXPECT_EQ(run.ledger.balance(kPlatformUsdt), 0);
  expect_money_conserved(run.ledger);
}

// If the platform bears takeovers, it pays the owners back outside the platform.
TEST(WorldFraud, PlatformPaysTakeoverVictimsWhenItBearsTheLoss) {
  WorldConfig config = only(FraudTypology::kAccountTakeover, 10.0);
  config.markets[0].fraud[FraudTypology::kAccountTakeover].bearer = LossBearer::kPlatform;
  FraudRun run = run_world(config);
  const int t = index_of(FraudTypology::kAccountTakeover);
  ASSERT_GT(run.total.fraud_loss_usd[t], 0.0);
  EXPECT_DOUBLE_EQ(run.total.fraud_loss_by_bearer_usd[kPlatformBears], run.total.fraud_loss_usd[t]);
  const double paid = -static_cast<double>(run.ledger.balance(kPlatformUsdt)) / 1e6;
  EXPECT_NEAR(paid, run.total.fraud_loss_usd[t], 1e-6);  // whole cents: exact up to float noise
  expect_money_conserved(run.ledger);
}

// Mules: every order just under the threshold, placed fast, across many accounts; a share of
// them is frozen by a bank later, which is the merchant's loss.
TEST(WorldFraud, MuleOrdersStayUnderTheThresholdWithHighVelocity) {
  WorldConfig config = only(FraudTypology::kMuleStructuring, 6.0);
  FraudTypologyConfig& mule = config.markets[0].fraud[FraudTypology::kMuleStructuring];
  mule.threshold_usd = 500.0;
  mule.reveal_probability = 0.3;
  mule.reveal_delay_days = 1.0;
  FraudRun run = run_world(config);
  const std::vector<FraudLabel> labels = labels_of(run, FraudTypology::kMuleStructuring);
  ASSERT_GT(labels.size(), 200u);
  std::map<std::uint32_t, std::vector<double>> times_of_user;
  std::size_t frozen = 0;
  for (const FraudLabel& label : labels) {
    EXPECT_LT(label.usd, 500.0);
    EXPECT_GE(label.usd, 0.85 * 500.0 - 0.01);
    times_of_user[label.user].push_back(label.created_at);
    if (label.revealed_by == RevealedBy::kFreeze) ++frozen;
    EXPECT_TRUE(label.revealed_by == RevealedBy::kFreeze ||
                label.revealed_by == RevealedBy::kNever);
  }
  EXPECT_GT(labels.size() / static_cast<double>(times_of_user.size()), 3.0);  // many per account
  double gaps = 0.0;
  std::size_t gap_count = 0;
  for (const auto& [user, times] : times_of_user) {
    for (std::size_t i = 1; i < times.size(); ++i, ++gap_count)
      gaps += times[i] - times[i - 1];
  }
  // Attempts are 1 hour apart on average; a genuine user's are 7 days apart.
  EXPECT_LT(gaps / gap_count, 3.0 * kHour);
  // Completed mule orders are frozen with probability 0.3; with ~n completions the share has a
  // standard deviation of sqrt(0.21 / n) < 0.04 for n > 130, so 0.3 +/- 0.12 is > 3 sigma.
  const int t = index_of(FraudTypology::kMuleStructuring);
  const double successes = static_cast<double>(run.total.fraud_successes[t]);
  ASSERT_GT(successes, 130.0);
  std::size_t booked = 0;
  for (const FraudLabel& label : labels)
    booked += label.revealed_by == RevealedBy::kFreeze;
  EXPECT_NEAR(static_cast<double>(frozen) / successes, 0.3, 0.12);
  EXPECT_EQ(booked, frozen);
  EXPECT_GT(run.total.fraud_loss_usd[t], 0.0);
  EXPECT_DOUBLE_EQ(run.total.fraud_loss_by_bearer_usd[kMerchantBears], run.total.fraud_loss_usd[t]);
  expect_money_conserved(run.ledger);
}

// A merchant with a record turns: buyers who paid are made whole from escrow after appealing;
// sellers who trusted its fake 'paid' mark lose their USDT. It then vanishes.
TEST(WorldFraud, ExitScamTakesSellersUsdtThenTheMerchantVanishes) {
  WorldConfig config = only(FraudTypology::kMerchantExitScam, 0.5, 16);
  MarketConfig& market = config.markets[0];
  market.users.buy_share = 0.5;
  market.fraud[FraudTypology::kMerchantExitScam].reputation_orders = 10.0;
  market.fraud[FraudTypology::kMerchantExitScam].victim_release_probability = 0.5;
  FraudRun run = run_world(config);
  const int t = index_of(FraudTypology::kMerchantExitScam);
  const std::vector<FraudLabel> labels = labels_of(run, FraudTypology::kMerchantExitScam);
  ASSERT_GT(labels.size(), 20u);
  EXPECT_GT(run.total.fraud_successes[t], 0u);
  EXPECT_LT(run.total.fraud_successes[t], run.total.fraud_attempts[t]);
  std::size_t appeals = 0;
  for (const FraudLabel& label : labels) {
    EXPECT_GT(label.account_age_days, -1e-9);  // genuine users are the victims
    if (label.revealed_by == RevealedBy::kAppeal) ++appeals;
    if (!label.user_sells) {
      EXPECT_NE(label.revealed_by, RevealedBy::kComplaint);  // made whole from escrow
    }
  }
  EXPECT_GT(appeals, 0u);
  EXPECT_GT(run.total.fraud_loss_usd[t], 0.0);
  // No deposits on this branch: the whole loss is the victims'.
  EXPECT_DOUBLE_EQ(run.total.fraud_loss_by_bearer_usd[kUserBears], run.total.fraud_loss_usd[t]);
  // Each scam lasts exit_hours (12), then the merchant vanishes: all of one scammer's orders
  // fall within 12 hours of its first.
  std::map<std::uint32_t, std::pair<double, double>> span_of;  // merchant -> first, last
  for (const FraudLabel& label : labels) {
    auto [it, inserted] =
        span_of.emplace(label.merchant, std::make_pair(label.created_at, label.created_at));
    it->second.second = std::max(it->second.second, label.created_at);
  }
  EXPECT_GT(span_of.size(), 2u);
  for (const auto& [merchant, span] : span_of) {
    EXPECT_LE(span.second - span.first, 12.0 * kHour) << "merchant " << merchant;
  }
  expect_money_conserved(run.ledger);
}

// Every typology at once, platform bearing what it may: money is conserved and the typology,
// bearer and method breakdowns each add up to the total loss.
TEST(WorldFraud, AllTypologiesConserveMoneyAndBreakdownsAddUp) {
  WorldConfig config = only(FraudTypology::kNonPayment, 4.0);
  MarketConfig& market = config.markets[0];
  for (int t = 0; t < kFraudTypologyCount; ++t) {
    market.fraud.typology(t).accounts_per_day =
        t == index_of(FraudTypology::kMerchantExitScam) ? 0.5 : 4.0;
    market.fraud.typology(t).reveal_delay_days = 2.0;
    market.fraud.typology(t).bearer = LossBearer::kPlatform;
  }
  market.fraud[FraudTypology::kPaymentReversal].reversal_delay_days = 2.0;
  market.fraud[FraudTypology::kMerchantExitScam].reputation_orders = 10.0;
  market.merchants.careless_release_probability = 0.3;
  FraudRun run = run_world(config);
  double by_typology = 0.0;
  for (int t = 0; t < kFraudTypologyCount; ++t) {
    if (t != index_of(FraudTypology::kPromotionAbuse)) {
      EXPECT_GT(run.total.fraud_attempts[t], 0u) << kFraudTypologyNames[t];
    }
    by_typology += run.total.fraud_loss_usd[t];
  }
  double by_bearer = 0.0;
  for (double loss : run.total.fraud_loss_by_bearer_usd)
    by_bearer += loss;
  double by_method = 0.0;
  for (double loss : run.total.fraud_loss_by_method_usd)
    by_method += loss;
  EXPECT_GT(by_typology, 0.0);
  EXPECT_NEAR(by_bearer, by_typology, 1e-6);
  EXPECT_NEAR(by_method, by_typology, 1e-6);
  EXPECT_LT(run.ledger.balance(kOutsideUsdt), 0);
  expect_money_conserved(run.ledger);
}

// ---- the withdrawal lock -----------------------------------------------------------------------

// Locks the withdrawal of the USDT bought on an order, from mark-paid, for `hours`, when the
// buyer's account is younger than `max_age_days`.
class LockYoungAccounts final : public RiskPolicy {
 public:
  LockYoungAccounts(double hours, double max_age_days)
      : hours_(hours), max_age_days_(max_age_days) {}
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    if (stage != RiskStage::kMarkPaid || features[RiskFeature::kAccountAgeDays] >= max_age_days_)
      return {};
    return {.action = RiskAction::kLockWithdrawal, .lock_hours = hours_, .reason = 1};
  }

 private:
  double hours_;
  double max_age_days_;
};

// The same lock decided at another stage: at order creation or after the release.
class LockYoungAccountsAt final : public RiskPolicy {
 public:
  LockYoungAccountsAt(RiskStage stage, double hours, double max_age_days)
      : stage_(stage), hours_(hours), max_age_days_(max_age_days) {}
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    if (stage != stage_ || features[RiskFeature::kAccountAgeDays] >= max_age_days_) return {};
    return {.action = RiskAction::kLockWithdrawal, .lock_hours = hours_, .reason = 1};
  }
  bool decides_post_trade() const override { return stage_ == RiskStage::kPostTrade; }

 private:
  RiskStage stage_;
  double hours_;
  double max_age_days_;
};

// Reversal and triangulation fraudsters (fresh accounts) against a market of old and new users;
// both frauds surface after an exponential time of mean 2 days, so a 24-hour lock holds the
// USDT of 1 - e^{-1/2} = 39% of them when they do.
WorldConfig reversal_and_triangulation(std::uint32_t days = 14) {
  WorldConfig config = only(FraudTypology::kPaymentReversal, 6.0, days);
  MarketConfig& market = config.markets[0];
  market.fraud[FraudTypology::kTriangulation].accounts_per_day = 6.0;
  market.fraud[FraudTypology::kPaymentReversal].reversal_delay_days = 2.0;
  market.fraud[FraudTypology::kTriangulation].reveal_delay_days = 2.0;
  return config;
}

double reversal_and_triangulation_loss(const KpiCounters& total) {
  return total.fraud_loss_usd[index_of(FraudTypology::kPaymentReversal)] +
         total.fraud_loss_usd[index_of(FraudTypology::kTriangulation)];
}

TEST(WithdrawalLock, ALockOnYoungAccountsCutsLossesWithoutRaisingAppeals) {
  // Direction: the same seeds without a policy and with a 24-hour lock on accounts under 30
  // days old; 8 replications, the 95% interval of the paired difference (t with 7 degrees of
  // freedom: 2.365) excluding 0 for the loss, and not above 0 for appeals.
  constexpr int kReplications = 8;
  std::vector<double> loss_cut, appeals_added;
  double clawed_back = 0.0, genuine_locked = 0.0, genuine_wait = 0.0;
  for (int r = 0; r < kReplications; ++r) {
    WorldConfig config = reversal_and_triangulation();
    config.simulation.seed = 300 + r;
    const FraudRun open = run_world(config);
    config.markets[0].risk = std::make_shared<LockYoungAccounts>(24.0, 30.0);
    const FraudRun locked = run_world(config);
    expect_money_conserved(locked.ledger);
    loss_cut.push_back(reversal_and_triangulation_loss(open.total) -
                       reversal_and_triangulation_loss(locked.total));
    appeals_added.push_back(double(locked.total.orders_appealed) -
                            double(open.total.orders_appealed));
    clawed_back += locked.total.fraud_loss_clawed_back_usd;
    genuine_locked += double(locked.total.withdrawals_locked_genuine);
    genuine_wait += locked.total.withdrawal_wait_hours;
  }
  EXPECT_GT(mean_interval(loss_cut, kStudent95With7Df).low, 0.0);
  EXPECT_LE(mean_interval(appeals_added, kStudent95With7Df).low, 0.0);
  EXPECT_GT(clawed_back, 0.0);
  // The friction: young genuine buyers wait, on average some hours (closed form below).
  ASSERT_GT(genuine_locked, 100.0);
  EXPECT_GT(genuine_wait / genuine_locked, 1.0);
}

TEST(WithdrawalLock, ALockDecidedAtCreationOrAfterTheReleaseCutsLossesToo) {
  // Direction, as for the lock at mark-paid: the same seeds without a policy and with a 24-hour
  // lock on accounts under 30 days old decided at order creation, then after the release; 8
  // replications, the 95% interval of the paired loss cut (t, 7 degrees of freedom) above 0.
  for (RiskStage stage : {RiskStage::kOrderCreation, RiskStage::kPostTrade}) {
    std::vector<double> loss_cut;
    std::uint64_t fraud_locked = 0;
    for (int r = 0; r < 8; ++r) {
      WorldConfig config = reversal_and_triangulation();
      config.simulation.seed = 300 + r;
      const FraudRun open = run_world(config);
      config.markets[0].risk = std::make_shared<LockYoungAccountsAt>(stage, 24.0, 30.0);
      const FraudRun locked = run_world(config);
      expect_money_conserved(locked.ledger);
      loss_cut.push_back(reversal_and_triangulation_loss(open.total) -
                         reversal_and_triangulation_loss(locked.total));
      fraud_locked += locked.total.withdrawals_locked_fraud;
    }
    EXPECT_GT(mean_interval(loss_cut, kStudent95With7Df).low, 0.0) << int(stage);
    EXPECT_GT(fraud_locked, 0u) << int(stage);
  }
}

// The security lock platforms put on an account whose device just changed: no selling for a
// day (its USDT may not leave), on accounts old enough that a new phone is news.
class LockSellsAfterADeviceChange final : public RiskPolicy {
 public:
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    const bool locked = stage == RiskStage::kOrderCreation && features[RiskFeature::kSide] == 1.0 &&
                        features[RiskFeature::kDaysSinceDeviceChange] < 1.0 &&
                        features[RiskFeature::kAccountAgeDays] > 30.0;
    return locked ? RiskDecision{.action = RiskAction::kBlock, .reason = 1} : RiskDecision{};
  }
};

TEST(WithdrawalLock, ASecurityLockAfterADeviceChangeCutsTakeoverLosses) {
  // Direction: takeovers sell the owner's USDT, from a phone of their own with
  // device_change_probability 0.8; a day's lock on selling after a device change stops their
  // attempts within that day (a later one passes). The same seeds without and with it, 8
  // replications, the 95% interval of the paired cut in takeover losses above 0. Genuine users
  // change no phone within a run, so the lock's cost to them is only for accounts whose last change
  // fell in the day before day 0.
  const int kTakeover = index_of(FraudTypology::kAccountTakeover);
  std::vector<double> loss_cut;
  std::uint64_t genuine_blocked = 0, genuine_orders = 0;
  for (int r = 0; r < 8; ++r) {
    WorldConfig config = only(FraudTypology::kAccountTakeover, 10.0);
    config.simulation.seed = 400 + r;
    const FraudRun open = run_world(config);
    config.markets[0].risk = std::make_shared<LockSellsAfterADeviceChange>();
    const FraudRun locked = run_world(config);
    expect_money_conserved(locked.ledger);
    loss_cut.push_back(open.total.fraud_loss_usd[kTakeover] -
                       locked.total.fraud_loss_usd[kTakeover]);
    genuine_blocked += locked.total.risk_blocked_genuine;
    genuine_orders += locked.total.orders_created;
  }
  EXPECT_GT(mean_interval(loss_cut, kStudent95With7Df).low, 0.0);
  // 1/365 of the accounts present at day 0 changed phone in its last day, and they sell for
  // only the first day of 12: well under 0.1% of orders.
  EXPECT_LT(double(genuine_blocked), 0.001 * double(genuine_orders));
}

TEST(WithdrawalLock, GenuineBuyersWaitOnlyForTheLockBeyondTheirOwnWithdrawal) {
  // Every account locked for L = 24 h; a genuine buyer would withdraw after W ~ Exp(m = 48 h).
  // Wait = max(0, R - W) with R the lock left at completion: E = R - m (1 - e^{-R/m}) = 5.113 h
  // for R = L, sd 7.68 h. R is L less the minutes from mark-paid to release (settlement and the
  // merchant's check: under a quarter of an hour on average), which lowers E by
  // (1 - e^{-L/m}) = 0.39 h per hour of it: under 0.1 h. Held to 4 standard errors + 0.1 h.
  WorldConfig config = reversal_and_triangulation(6);
  config.markets[0].users.withdraw_hours_mean = 48.0;
  config.markets[0].risk = std::make_shared<LockYoungAccounts>(24.0, 1e9);
  const FraudRun run = run_world(config);
  const double locked = double(run.total.withdrawals_locked_genuine);
  ASSERT_GT(locked, 1000.0);
  EXPECT_NEAR(run.total.withdrawal_wait_hours / locked, 5.113 - 0.05,
              4.0 * 7.68 / std::sqrt(locked) + 0.05);
  // Every fraudster's purchase was locked too; a claw-back undoes its booked loss.
  EXPECT_GT(run.total.withdrawals_locked_fraud, 50u);
  expect_money_conserved(run.ledger);
}

TEST(WithdrawalLock, AFraudSurfacingWhileLockedIsClawedBackToTheMerchant) {
  // Reversals surface after 2 days on average; a 30-day lock holds every fraudster's USDT until
  // then, so each granted chargeback inside the run is clawed back: the net loss is what
  // surfaces after the run ends (booked at completion, not yet undone), and merchants bear it.
  WorldConfig config = reversal_and_triangulation(14);
  config.markets[0].risk = std::make_shared<LockYoungAccounts>(720.0, 1e9);
  const FraudRun run = run_world(config);
  const double booked = run.total.fraud_loss_usd[index_of(FraudTypology::kPaymentReversal)] +
                        run.total.fraud_loss_usd[index_of(FraudTypology::kTriangulation)] +
                        run.total.fraud_loss_clawed_back_usd;
  ASSERT_GT(booked, 0.0);
  // With mean 2 days and 14 days of orders, most surface inside the run: over 70% clawed back
  // (the share surfacing by the end is 1 - (2 / 14)(1 - e^{-7}) = 86%).
  EXPECT_GT(run.total.fraud_loss_clawed_back_usd / booked, 0.7);
  expect_money_conserved(run.ledger);
}

// ---- recovery limited to the receiving balance (Pix MED) -----------------------------------

// Triangulation on every method, surfacing after 2 days on average, against merchants who hold
// little fiat (100 USD of fiat inventory, and users who mostly sell, so merchants pay out most
// of the fiat they receive): a recall often finds less than it claims.
WorldConfig recalls_against_thin_balances(bool limited) {
  WorldConfig config = only(FraudTypology::kTriangulation, 8.0, 14);
  MarketConfig& market = config.markets[0];
  market.fraud[FraudTypology::kTriangulation].reveal_delay_days = 2.0;
  market.merchants.fiat_inventory_usd = 100.0;
  market.users.buy_share = 0.3;
  for (PaymentMethodConfig& method : market.payment_methods)
    method.recovery_limited_to_balance = limited;
  return config;
}

TEST(RecallLimitedToBalance, ARecallTakesOnlyWhatTheReceivingAccountHolds) {
  // Direction: the same seeds with full recalls and with recalls limited to the receiving
  // balance; 8 replications, the 95% interval of the paired difference in the triangulation
  // loss (t with 7 degrees of freedom) below 0. Money stays conserved in both arms.
  const int t = index_of(FraudTypology::kTriangulation);
  std::vector<double> loss_change;
  double uncovered = 0.0;
  for (std::uint32_t r = 0; r < 8; ++r) {
    WorldConfig full = recalls_against_thin_balances(false);
    WorldConfig limited = recalls_against_thin_balances(true);
    full.simulation.seed = limited.simulation.seed = 500 + r;
    const FraudRun full_run = run_world(full);
    const FraudRun limited_run = run_world(limited);
    expect_money_conserved(limited_run.ledger);
    EXPECT_EQ(full_run.total.fraud_claims_uncovered_usd, 0.0);
    uncovered += limited_run.total.fraud_claims_uncovered_usd;
    loss_change.push_back(limited_run.total.fraud_loss_usd[t] - full_run.total.fraud_loss_usd[t]);
  }
  EXPECT_GT(uncovered, 0.0);
  EXPECT_LT(mean_interval(loss_change, kStudent95With7Df).high, 0.0);
}

TEST(RecallLimitedToBalance, AnUncoveredClaimIsTheLossThatNeverHappened) {
  // With a 30-day lock on every account, each recall that lands in the run finds the USDT still
  // locked: the share the receiving account covered is clawed back, the rest was never lost. So
  // for the frauds revealed in the run (their gross loss, fraud_loss_revealed_usd), claw-backs
  // and uncovered claims add up to it exactly, and the net loss left is that of later recalls.
  WorldConfig config = recalls_against_thin_balances(true);
  config.markets[0].risk = std::make_shared<LockYoungAccounts>(720.0, 1e9);
  const FraudRun run = run_world(config);
  const double revealed = run.total.fraud_loss_revealed_usd;
  ASSERT_GT(run.total.fraud_claims_uncovered_usd, 0.0);
  ASSERT_GT(run.total.fraud_loss_clawed_back_usd, 0.0);
  EXPECT_NEAR(run.total.fraud_loss_clawed_back_usd + run.total.fraud_claims_uncovered_usd, revealed,
              1e-9 * revealed);
  double unrevealed = 0.0;
  for (const FraudLabel& label : labels_of(run, FraudTypology::kTriangulation)) {
    if (label.revealed_by == RevealedBy::kNever) unrevealed += label.usd;
  }
  EXPECT_LE(run.total.fraud_loss_usd[index_of(FraudTypology::kTriangulation)], unrevealed + 1e-6);
  expect_money_conserved(run.ledger);
}

// ---- delayed truth --------------------------------------------------------------------------

// A chargeback is revealed when it happens, never before: the label's day is the reversal's,
// after the order, within the method's window; chargebacks due after the run stay unrevealed.
TEST(WorldFraud, ReversalIsRevealedAfterItsDelayAndNeverBefore) {
  WorldConfig config = only(FraudTypology::kPaymentReversal, 10.0, 20);
  config.markets[0].fraud[FraudTypology::kPaymentReversal].reversal_delay_days = 4.0;
  FraudRun run = run_world(config);
  const std::vector<FraudLabel> labels = labels_of(run, FraudTypology::kPaymentReversal);
  ASSERT_GT(labels.size(), 100u);
  std::size_t revealed = 0;
  std::size_t late_unrevealed = 0;
  double delays = 0.0;
  for (const FraudLabel& label : labels) {
    EXPECT_EQ(label.payment_method, 2);  // card: the only reversible method
    if (label.revealed_by == RevealedBy::kNever) {
      if (label.created_at > 16.0 * kDay) ++late_unrevealed;
      continue;
    }
    EXPECT_EQ(label.revealed_by, RevealedBy::kReversal);
    EXPECT_GT(label.revealed_at, label.created_at);
    EXPECT_LE(label.revealed_at - label.created_at, 20.0 * kDay + kHour);  // window + the trade
    EXPECT_LT(label.revealed_at, 20.0 * kDay);
    delays += label.revealed_at - label.created_at;
    ++revealed;
  }
  ASSERT_GT(revealed, 50u);
  // Revealed delays are exponential(4 days) cut at the horizon: their mean is below 4 days but
  // far above a same-day reveal.
  EXPECT_GT(delays / revealed, 1.0 * kDay);
  EXPECT_LT(delays / revealed, 4.5 * kDay);
  EXPECT_GT(late_unrevealed, 0u);  // orders near the end are not known yet
  // The platform's label on day d: the number of orders known as fraud never falls as d grows.
  std::size_t known_before = 0;
  for (int day = 0; day < 20; ++day) {
    std::size_t known = static_cast<std::size_t>(
        std::count_if(labels.begin(), labels.end(), [day](const FraudLabel& label) {
          return label.revealed_by != RevealedBy::kNever && label.revealed_at < (day + 1) * kDay;
        }));
    EXPECT_GE(known, known_before);
    known_before = known;
  }
  EXPECT_EQ(known_before, revealed);
}

// fraud_loss_revealed_usd books each loss to the day the platform learns of it: day by day it is
// the amount of the orders whose labels are revealed that day.
TEST(WorldFraud, RevealedLossIsBookedOnTheDayOfTheReveal) {
  WorldConfig config = only(FraudTypology::kTriangulation, 10.0);
  config.markets[0].fraud[FraudTypology::kTriangulation].reveal_delay_days = 3.0;
  FraudRun run = run_world(config);
  const std::vector<KpiCounters>& days = run.outcome.markets[0].days;
  std::vector<double> expected(days.size(), 0.0);
  for (const FraudLabel& label : labels_of(run, FraudTypology::kTriangulation)) {
    if (label.revealed_by != RevealedBy::kNever) expected[day_of(label.revealed_at)] += label.usd;
  }
  double revealed = 0.0;
  for (std::size_t d = 0; d < days.size(); ++d) {
    EXPECT_NEAR(days[d].fraud_loss_revealed_usd, expected[d], 1e-6) << "day " << d;
    revealed += days[d].fraud_loss_revealed_usd;
  }
  EXPECT_GT(revealed, 0.0);
  // Losses of the last days are revealed after the run: the platform has seen less than the truth.
  EXPECT_LT(revealed, run.total.fraud_loss_usd[index_of(FraudTypology::kTriangulation)]);
}

// ---- adaptation and displacement ------------------------------------------------------------

// The platform rule of PaymentMethodConfig::enabled: no ad is shown for a disabled method.
void disable_method(WorldConfig& config, std::uint16_t market, std::uint8_t method) {
  config.markets[market].payment_methods[method].enabled = false;
}

std::size_t orders_on(const FraudRun& run, std::uint16_t market, std::uint8_t method) {
  return static_cast<std::size_t>(
      std::count_if(run.outcome.fraud_labels.begin(), run.outcome.fraud_labels.end(),
                    [&](const FraudLabel& label) {
                      return label.market == market && label.payment_method == method;
                    }));
}

// Blocking the wallet method in one market: fraudsters who do not adapt keep failing on it; those
// who adapt move their new accounts to the methods that work, so attacks on bank and card rise
// instead of vanishing.
TEST(WorldFraud, ClosingAMethodMovesAttacksToOtherMethods) {
  WorldConfig config = only(FraudTypology::kTriangulation, 20.0, 16);
  disable_method(config, 0, 1);
  FraudRun fixed = run_world(config);
  config.markets[0].fraud[FraudTypology::kTriangulation].adaptation_speed = 0.2;
  FraudRun adapting = run_world(config);
  EXPECT_EQ(orders_on(fixed, 0, 1), 0u);  // no ad takes the wallet any more
  EXPECT_EQ(orders_on(adapting, 0, 1), 0u);
  const std::size_t elsewhere_fixed = orders_on(fixed, 0, 0) + orders_on(fixed, 0, 2);
  const std::size_t elsewhere_adapting = orders_on(adapting, 0, 0) + orders_on(adapting, 0, 2);
  // Without adaptation 30% of accounts pick the wallet and fail; adapting ones nearly stop
  // picking it, so about 0.3 x 0.95 more of them reach the other methods: a ~35% rise.
  EXPECT_GT(elsewhere_adapting, elsewhere_fixed * 1.2);
  expect_money_conserved(adapting.ledger);
}

// Closing a whole market to a typology: adapting fraudsters' new accounts arrive in the other
// market instead, so attacks there rise.
TEST(WorldFraud, ClosingAMarketMovesAttacksToTheOtherMarket) {
  WorldConfig config = only(FraudTypology::kTriangulation, 20.0, 16);
  config.markets.push_back(quiet_market("ke", "KES"));
  for (std::uint8_t method = 0; method < 3; ++method)
    disable_method(config, 0, method);
  FraudRun fixed = run_world(config);
  config.markets[0].fraud[FraudTypology::kTriangulation].adaptation_speed = 0.2;
  FraudRun adapting = run_world(config);
  auto in_market = [](const FraudRun& run, std::uint16_t market) {
    return std::count_if(run.outcome.fraud_labels.begin(), run.outcome.fraud_labels.end(),
                         [market](const FraudLabel& label) { return label.market == market; });
  };
  EXPECT_EQ(in_market(fixed, 0), 0);
  EXPECT_EQ(in_market(fixed, 1), 0);  // the second market has no triangulation of its own
  // Every attempt in the closed market fails, so F -> 1 within a day of attempts and nearly
  // every new account goes to the other market.
  EXPECT_GT(in_market(adapting, 1), 200);
  expect_money_conserved(adapting.ledger);
}

// Under pressure, fraudsters split their orders and age their accounts before attacking.
TEST(WorldFraud, BlockedFraudstersSplitOrdersAndAgeAccounts) {
  WorldConfig config = only(FraudTypology::kNonPayment, 20.0, 16);
  config.markets[0].merchants.careless_release_probability = 0.0;  // every attempt fails
  FraudRun fixed = run_world(config);
  config.markets[0].fraud[FraudTypology::kNonPayment].adaptation_speed = 0.2;
  FraudRun adapting = run_world(config);
  auto late = [](const FraudRun& run, auto value) {
    std::vector<double> values;
    for (const FraudLabel& label : run.outcome.fraud_labels) {
      if (label.created_at > 8.0 * kDay) values.push_back(value(label));
    }
    return median(values);
  };
  auto usd = [](const FraudLabel& label) { return label.usd; };
  auto age = [](const FraudLabel& label) { return label.account_age_days; };
  // At full pressure orders are split in 4 (median 300 -> 75) and accounts wait 14 days.
  EXPECT_LT(late(adapting, usd), 0.5 * late(fixed, usd));
  EXPECT_GT(late(adapting, age), 3.0);
  EXPECT_LT(late(fixed, age), 1.0);
}

// ---- signatures --------------------------------------------------------------------------------

// Each order attempt's features at creation and its true intent.
class FeatureRows final : public AttemptSink {
 public:
  void write(const AttemptRow& row) override {
    if (row.has_features) rows.push_back({row.features, row.intent});
  }
  void write(const AccountRow&) override {}
  void close() override {}
  struct Row {
    OrderFeatures features;
    UserIntent intent;
  };
  std::vector<Row> rows;
};

// Precision and recall of the best rule "feature >= v" or "feature <= v" for telling `typology`
// from genuine attempts, the best by F1 over every feature and threshold.
struct BestRule {
  double f1 = 0.0, precision = 0.0, recall = 0.0;
  int feature = -1;
};

BestRule best_single_feature_rule(const std::vector<FeatureRows::Row>& rows,
                                  FraudTypology typology) {
  BestRule best;
  for (int feature = 0; feature < kRiskFeatureCount; ++feature) {
    std::vector<std::pair<double, bool>> values;  // (value, is the typology)
    for (const FeatureRows::Row& row : rows) {
      const bool fraud = row.intent == typology;
      if (!fraud && row.intent != UserIntent::kGenuine) continue;
      const double value = row.features.values[feature];
      if (!std::isnan(value)) values.emplace_back(value, fraud);
    }
    std::sort(values.begin(), values.end());
    double positives = 0.0;
    for (const auto& [value, fraud] : values)
      positives += fraud;
    if (positives == 0.0) continue;
    // Sweep the thresholds from each end: a rule flags a prefix (<= v) or a suffix (>= v).
    for (bool from_low : {true, false}) {
      double flagged = 0.0, caught = 0.0;
      for (std::size_t k = 0; k < values.size(); ++k) {
        const std::size_t i = from_low ? k : values.size() - 1 - k;
        flagged += 1.0;
        caught += values[i].second;
        const std::size_t next = from_low ? i + 1 : i - 1;
        const bool boundary = k + 1 == values.size() || values[next].first != values[i].first;
        if (!boundary || caught == 0.0) continue;
        const double precision = caught / flagged, recall = caught / positives;
        const double f1 = 2.0 * precision * recall / (precision + recall);
        if (f1 > best.f1) best = {f1, precision, recall, feature};
      }
    }
  }
  return best;
}

TEST(FraudSignatures, NoSingleFeatureSeparatesATypology) {
  // Every typology attacks a market of users with their own habits, households and history.
  // Each leaves traces (new accounts, a reversible method, night hours, a shared device, amounts
  // near a threshold), but none is told apart from genuine users by one feature alone: the best
  // threshold rule on any single feature stays below precision and recall of 0.9 together
  // (F1 < 0.9; the strongest here: a promotion-abuse ring's accounts on one device, precision
  // 0.76 and recall 0.90, and a mule's USD today, 0.81 and 0.66).
  WorldConfig config;
  config.simulation.days = 14;
  config.simulation.warmup_days = 2;
  config.simulation.seed = 20261125;
  MarketConfig market = quiet_market("ng", "NGN");
  market.users.initial_users = 10000;
  market.users.daily_visitors = 1000.0;
  market.merchants.count = 40;
  market.fraud[FraudTypology::kNonPayment].accounts_per_day = 5.0;
  market.fraud[FraudTypology::kPaymentReversal].accounts_per_day = 5.0;
  market.fraud[FraudTypology::kTriangulation].accounts_per_day = 5.0;
  market.fraud[FraudTypology::kPromotionAbuse].accounts_per_day = 1.0;
  market.fraud[FraudTypology::kPromotionAbuse].ring_size_mean = 6.0;
  market.fraud[FraudTypology::kAccountTakeover].accounts_per_day = 5.0;
  market.fraud[FraudTypology::kMuleStructuring].accounts_per_day = 4.0;
  market.fraud[FraudTypology::kMuleStructuring].threshold_usd = 1000.0;
  market.fraud[FraudTypology::kMerchantExitScam].accounts_per_day = 0.2;
  config.markets.push_back(market);
  FeatureRows sink;
  World world(config, 0, &sink);
  ASSERT_TRUE(world.run());
  for (int typology = 0; typology < kFraudTypologyCount; ++typology) {
    const auto kind = static_cast<FraudTypology>(typology);
    const BestRule best = best_single_feature_rule(sink.rows, kind);
    EXPECT_GT(best.feature, -1) << kFraudTypologyNames[typology] << " never attacked";
    EXPECT_LT(best.f1, 0.9) << kFraudTypologyNames[typology] << ": "
                            << kRiskFeatureNames[best.feature] << " reaches precision "
                            << best.precision << ", recall " << best.recall;
  }
}

TEST(FraudSignatures, ATakenOverAccountHasAHistory) {
  // A takeover hijacks a genuine account with the orders its owner completed, so "an old account
  // that never traded" is not a takeover's signature: genuine users keep their own history too.
  WorldConfig config = only(FraudTypology::kAccountTakeover, 10.0, 14);
  FeatureRows sink;
  World world(config, 0, &sink);
  ASSERT_TRUE(world.run());
  constexpr int kAge = static_cast<int>(RiskFeature::kAccountAgeDays);
  constexpr int kCompleted = static_cast<int>(RiskFeature::kCompletedOrders);
  double takeovers = 0.0, takeovers_without_history = 0.0;
  for (const FeatureRows::Row& row : sink.rows) {
    if (row.intent != FraudTypology::kAccountTakeover) continue;
    takeovers += 1.0;
    takeovers_without_history +=
        row.features.values[kAge] > 30.0 && row.features.values[kCompleted] == 0.0;
  }
  ASSERT_GT(takeovers, 50.0);
  // A victim older than 30 days was there at day 0, ages exponential with mean 365 days: an
  // owner at activity A completed Poisson(A x age / 7) orders, none only for A x age below about
  // 7 x 0.05; with ages of a year that is the 3.5% of the last version of this test, more for
  // young accounts, and the newcomers (under 30 days) are never flagged. Over ~130 attempts
  // (correlated within an account), 3 binomial standard deviations above 3.5% and room for
  // that correlation give 0.09. (Before histories: all of them.)
  EXPECT_LT(takeovers_without_history / takeovers, 0.09);
}

// Each account of the run as the attempt log closes it.
class AccountRows final : public AttemptSink {
 public:
  void write(const AttemptRow&) override {}
  void write(const AccountRow& row) override { rows.push_back(row); }
  void close() override {}
  std::vector<AccountRow> rows;
};

TEST(FraudSignatures, ATakeoverHijacksAGenuineAccountOfTheRun) {
  // With the attacker always on the owner's phone, every taken-over account is one of the
  // market's genuine accounts: the same sign-up day, KYC tier and device. With the attacker
  // always on a phone of its own, no genuine account shares the device, and the account's
  // days_since_device_change starts at the takeover, younger than the account.
  for (double new_device : {0.0, 1.0}) {
    WorldConfig config = only(FraudTypology::kAccountTakeover, 10.0, 8);
    config.markets[0].fraud[FraudTypology::kAccountTakeover].device_change_probability = new_device;
    AccountRows sink;
    World world(config, 0, &sink);
    ASSERT_TRUE(world.run());
    std::map<DeviceId, std::vector<const AccountRow*>> genuine_on;
    for (const AccountRow& row : sink.rows) {
      if (row.intent == UserIntent::kGenuine) genuine_on[row.device].push_back(&row);
    }
    int takeovers = 0;
    for (const AccountRow& row : sink.rows) {
      if (row.intent != FraudTypology::kAccountTakeover) continue;
      ++takeovers;
      const auto owners = genuine_on.find(row.device);
      if (new_device == 1.0) {
        EXPECT_EQ(owners, genuine_on.end()) << "a new device is the attacker's alone";
        continue;
      }
      ASSERT_NE(owners, genuine_on.end()) << "on the owner's phone";
      bool owner_found = false;
      for (const AccountRow* owner : owners->second) {
        owner_found |= owner->created_day == row.created_day && owner->kyc_tier == row.kyc_tier;
      }
      EXPECT_TRUE(owner_found) << "an account signed up on day " << row.created_day;
    }
    EXPECT_GT(takeovers, 40);
  }
}

TEST(FraudSignatures, ATakeoverOnANewDeviceShowsAJustChangedDevice) {
  // Direction: with attackers always on a phone of their own, takeover attempts come from
  // devices used for under two days far more often than genuine attempts on accounts older than
  // 30 days (whose last change of phone lies an exponential time of mean 365 days before day 0).
  WorldConfig config = only(FraudTypology::kAccountTakeover, 10.0, 8);
  config.markets[0].fraud[FraudTypology::kAccountTakeover].device_change_probability = 1.0;
  FeatureRows sink;
  World world(config, 0, &sink);
  ASSERT_TRUE(world.run());
  constexpr int kAge = static_cast<int>(RiskFeature::kAccountAgeDays);
  constexpr int kDevice = static_cast<int>(RiskFeature::kDaysSinceDeviceChange);
  double takeovers = 0.0, takeovers_new = 0.0, genuine = 0.0, genuine_new = 0.0;
  for (const FeatureRows::Row& row : sink.rows) {
    if (row.features.values[kAge] <= 30.0) continue;
    const bool just_changed = row.features.values[kDevice] < 2.0;
    if (row.intent == FraudTypology::kAccountTakeover) {
      takeovers += 1.0;
      takeovers_new += just_changed;
    } else if (row.intent == UserIntent::kGenuine) {
      genuine += 1.0;
      genuine_new += just_changed;
    }
  }
  ASSERT_GT(takeovers, 30.0);
  ASSERT_GT(genuine, 1000.0);
  // An attacker's first attempt comes an exponential gap of mean 6 h after the takeover, moved
  // into the next night with chance 0.7 (at most a day later); the second another gap later.
  // An attempt falls beyond 2 days only when its gaps sum beyond about a day: e^-4 = 1.8% for
  // the first, e^-4 x 5 = 9% for the second, 5.5% on average. Over ~70 attempts (two to an
  // account), 3 binomial standard deviations (8%) below 94.5% give 0.85.
  EXPECT_GT(takeovers_new / takeovers, 0.85);
  // A genuine account older than 30 days was there at day 0: its device is under 2 days old
  // only in the run's first 2 days of 8 and if its last change (exponential, mean 365 days)
  // fell within the 2 days before: about 2/365 x 2/8 = 0.14%; with over 1,000 attempts, 3
  // standard deviations above stay under 0.5%.
  EXPECT_LT(genuine_new / genuine, 0.01);
}

TEST(FraudSignatures, TakenOverAccountsArePastTheFunnel) {
  // A taken-over account traded before the run: its orders are neither first orders nor first
  // or second trades, so each funnel stage stays a subset of the one before (docs/kpis.md).
  const FraudRun with_takeovers = run_world(only(FraudTypology::kAccountTakeover, 20.0, 14));
  WorldConfig quiet = only(FraudTypology::kAccountTakeover, 0.0, 14);
  const FraudRun without = run_world(quiet);
  const std::uint64_t takeover_orders =
      with_takeovers.total.fraud_attempts[index_of(FraudTypology::kAccountTakeover)];
  ASSERT_GT(takeover_orders, 100u);
  // Genuine newcomers share merchants (capacity, ads) with the takeovers, so a handful of their
  // first orders go differently; counted as first orders, the takeovers' would add over 100.
  EXPECT_NEAR(double(with_takeovers.total.placed_first_order),
              double(without.total.placed_first_order), 0.1 * double(takeover_orders));
  EXPECT_LE(with_takeovers.total.repeat_within_30d, with_takeovers.total.completed_first_order);
  EXPECT_LE(with_takeovers.total.completed_first_order, with_takeovers.total.placed_first_order);
}

}  // namespace
}  // namespace p2psim
