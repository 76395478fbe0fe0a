// Tests of the risk strategies (strategies/, docs/strategies.md): the rule condition language,
// the rules and score strategies and how they combine, their effects on a simulated market
// (blocks at creation, release holds at mark-paid) and the KPIs that measure them.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "metrics/kpis.hpp"
#include "small_market.hpp"
#include "strategies/registry.hpp"
#include "strategies/rule_expression.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

const std::vector<std::string> kMethods = {"bank", "wallet", "card"};

OrderFeatures features_with(double age_days, double amount_usd, double method = 0.0) {
  OrderFeatures features;
  features[RiskFeature::kAccountAgeDays] = age_days;
  features[RiskFeature::kAmountUsd] = amount_usd;
  features[RiskFeature::kPaymentMethod] = method;
  return features;
}

bool matches(const std::string& text, const OrderFeatures& features) {
  return RuleExpression::parse(text, kMethods).matches(features);
}

TEST(RuleExpression, ComparesFeaturesWithNumbers) {
  const OrderFeatures young_large = features_with(3.0, 600.0);
  EXPECT_TRUE(matches("account_age_days < 7", young_large));
  EXPECT_FALSE(matches("account_age_days >= 7", young_large));
  EXPECT_TRUE(matches("amount_usd <= 600", young_large));
  EXPECT_FALSE(matches("amount_usd < 600", young_large));
  EXPECT_TRUE(matches("amount_usd == 600.0", young_large));
  EXPECT_TRUE(matches("amount_usd != 5e2", young_large));
  EXPECT_TRUE(matches("amount_usd>500", young_large));
}

TEST(RuleExpression, AndBindsTighterThanOrAndParenthesesGroup) {
  const OrderFeatures old_small = features_with(30.0, 50.0);
  // Read as (age < 7 and amount > 500) or amount < 100: true by the second term.
  EXPECT_TRUE(matches("account_age_days < 7 and amount_usd > 500 or amount_usd < 100", old_small));
  EXPECT_FALSE(
      matches("account_age_days < 7 and (amount_usd > 500 or amount_usd < 100)", old_small));
}

TEST(RuleExpression, ComparesPaymentMethodByName) {
  EXPECT_TRUE(matches("payment_method == \"card\"", features_with(1.0, 1.0, 2.0)));
  EXPECT_FALSE(matches("payment_method == \"card\"", features_with(1.0, 1.0, 1.0)));
  EXPECT_TRUE(matches("payment_method != \"bank\"", features_with(1.0, 1.0, 1.0)));
}

TEST(RuleExpression, ReportsWhereAProblemStarts) {
  try {
    RuleExpression::parse("amount_usd > 5 and acount_age_days < 7", kMethods);
    FAIL() << "parsed";
  } catch (const RuleSyntaxError& error) {
    EXPECT_EQ(error.offset(), 19u);
    EXPECT_EQ(error.unknown_name(), "acount_age_days");
    EXPECT_STREQ(error.what(), "unknown feature \"acount_age_days\"");
  }
  EXPECT_THROW(RuleExpression::parse("amount_usd > ", kMethods), RuleSyntaxError);
  EXPECT_THROW(RuleExpression::parse("(amount_usd > 1", kMethods), RuleSyntaxError);
  EXPECT_THROW(RuleExpression::parse("amount_usd = 1", kMethods), RuleSyntaxError);
  EXPECT_THROW(RuleExpression::parse("amount_usd > 1 nor kyc_tier < 1", kMethods), RuleSyntaxError);
  EXPECT_THROW(RuleExpression::parse("payment_method == \"cash\"", kMethods), RuleSyntaxError);
  EXPECT_THROW(RuleExpression::parse("amount_usd == \"card\"", kMethods), RuleSyntaxError);
}

// Nesting and length are limits of the format: 50,000 parentheses used to overflow the stack
// while parsing, and a flat chain of 200,000 terms while evaluating.
TEST(RuleExpression, RefusesNestingDeeperThanTheLimitAtTheParenthesis) {
  const std::string deepest = std::string(32, '(') + "amount_usd > 1" + std::string(32, ')');
  EXPECT_TRUE(RuleExpression::parse(deepest, kMethods).matches(features_with(1.0, 2.0, 0.0)));
  try {
    RuleExpression::parse(std::string(50000, '(') + "amount_usd > 1", kMethods);
    FAIL() << "parsed";
  } catch (const RuleSyntaxError& error) {
    EXPECT_EQ(error.offset(), 32u);
    EXPECT_STREQ(error.what(), "more than 32 nested parentheses; a condition may nest at most 32");
  }
}

TEST(RuleExpression, RefusesMoreComparisonsThanTheLimitAtTheFirstOneTooMany) {
  std::string chain = "amount_usd > 1";
  for (int term = 1; term < 256; ++term)
    chain += " and amount_usd > 1";
  EXPECT_TRUE(RuleExpression::parse(chain, kMethods).matches(features_with(1.0, 2.0, 0.0)));
  const std::size_t first_too_many = chain.size() + 5;
  for (int term = 256; term < 200000; ++term)
    chain += " and amount_usd > 1";
  try {
    RuleExpression::parse(chain, kMethods);
    FAIL() << "parsed";
  } catch (const RuleSyntaxError& error) {
    EXPECT_EQ(error.offset(), first_too_many);
    EXPECT_STREQ(error.what(), "more than 256 comparisons; a condition may have at most 256");
  }
}

TEST(RuleExpression, ReportsTheFeaturesItReads) {
  RuleExpression rule = RuleExpression::parse(
      "account_age_days < 7 and (amount_usd > 500 or payment_method == \"card\")", kMethods);
  EXPECT_EQ(rule.features_read(), feature_bit(RiskFeature::kAccountAgeDays) |
                                      feature_bit(RiskFeature::kAmountUsd) |
                                      feature_bit(RiskFeature::kPaymentMethod));
}

// A policy for the world tests: blocks orders above a size at creation, holds every release.
class SizePolicy final : public RiskPolicy {
 public:
  SizePolicy(double block_above_usd, double hold_minutes)
      : block_above_usd_(block_above_usd), hold_minutes_(hold_minutes) {}
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    if (stage == RiskStage::kOrderCreation) {
      ++screened_;
      if (features[RiskFeature::kAmountUsd] > block_above_usd_) {
        ++matching_;
        return {RiskAction::kBlock, 0.0};
      }
      return {};
    }
    if (hold_minutes_ > 0.0) return {RiskAction::kHold, hold_minutes_};
    return {};
  }
  mutable std::uint64_t screened_ = 0;
  mutable std::uint64_t matching_ = 0;

 private:
  double block_above_usd_;
  double hold_minutes_;
};

WorldConfig market_with(std::shared_ptr<const RiskPolicy> policy) {
  WorldConfig config;
  config.simulation.days = 6;
  config.simulation.warmup_days = 0;
  config.simulation.seed = 77;
  config.markets.push_back(small_market("ng", "NGN"));
  config.markets[0].fraud[FraudTypology::kNonPayment].accounts_per_day = 8.0;
  config.markets[0].fraud[FraudTypology::kNonPayment].attempts_per_account = 3.0;
  config.markets[0].risk = std::move(policy);
  return config;
}

KpiCounters run_period(const WorldConfig& config) {
  World world(config, 0);
  world.run();
  return world.outcome().markets[0].period;
}

TEST(RiskPolicyInWorld, BlockStopsExactlyTheMatchingOrders) {
  auto policy = std::make_shared<SizePolicy>(150.0, 0.0);
  KpiCounters period = run_period(market_with(policy));
  const std::uint64_t blocked = period.risk_blocked_genuine + period.risk_blocked_fraud;
  ASSERT_GT(policy->matching_, 0u);
  EXPECT_EQ(blocked, policy->matching_);
  EXPECT_EQ(period.risk_screened_genuine + period.risk_screened_fraud, policy->screened_);
  // Every screened order that was not blocked was created, and no other.
  EXPECT_EQ(period.orders_created, policy->screened_ - policy->matching_);
  EXPECT_LE(period.gmv_usd, 150.0 * period.orders_completed);
}

TEST(RiskPolicyInWorld, HoldDelaysEveryReleaseByItsMinutes) {
  // With a 120-minute hold no order can complete sooner than 120 minutes after its creation;
  // without it the median order completes within minutes.
  KpiCounters free = run_period(market_with(nullptr));
  KpiCounters held = run_period(market_with(std::make_shared<SizePolicy>(1e9, 120.0)));
  ASSERT_GT(held.orders_completed, 0u);
  EXPECT_LT(free.time_to_complete.quantile(0.5), 60.0 * 60.0);
  // The histogram's bins are 6% wide (duration_histogram.hpp): the 1% quantile is within a bin
  // of the true minimum, which is at least the hold.
  EXPECT_GE(held.time_to_complete.quantile(0.01), 120.0 * 60.0 / 1.06);
  EXPECT_GT(held.orders_held, 0u);
  EXPECT_DOUBLE_EQ(held.hold_minutes, 120.0 * held.orders_held);
}

TEST(RiskPolicyInWorld, NoPolicyLeavesTheRunAsBefore) {
  KpiCounters period = run_period(market_with(nullptr));
  EXPECT_EQ(period.risk_screened_genuine + period.risk_screened_fraud, 0u);
  std::vector<KpiValue> kpis = derive_kpis(period, kMethods);
  for (const KpiValue& kpi : kpis) {
    EXPECT_NE(kpi.name, "catch_rate");
    EXPECT_NE(kpi.name, "good_orders_blocked");
  }
}

// Blocks young accounts' large orders; declares the features it reads only when asked to, and
// records whether it saw a feature it did not declare.
class YoungLargePolicy final : public RiskPolicy {
 public:
  explicit YoungLargePolicy(bool declares) : declares_(declares) {}
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    if (stage == RiskStage::kSignUp) return {};  // account features are always set there
    saw_devices_ = saw_devices_ || features[RiskFeature::kAccountsOnDevice] > 0.0;
    if (stage != RiskStage::kOrderCreation) return {};
    if (features[RiskFeature::kAccountAgeDays] < 30.0 && features[RiskFeature::kAmountUsd] > 100.0)
      return {RiskAction::kBlock, 0.0};
    return {};
  }
  FeatureSet features_read(RiskStage stage) const override {
    if (!declares_) return kAllFeatures;
    if (stage != RiskStage::kOrderCreation) return 0;
    return feature_bit(RiskFeature::kAccountAgeDays) | feature_bit(RiskFeature::kAmountUsd);
  }
  mutable bool saw_devices_ = false;

 private:
  bool declares_;
};

TEST(RiskPolicyInWorld, ComputesOnlyTheFeaturesThePolicyReads) {
  // Every account uses a device, so accounts_on_device is at least 1 when computed; a policy that
  // declares it reads only age and amount gets 0 there, and decides exactly as before.
  auto declared = std::make_shared<YoungLargePolicy>(true);
  auto undeclared = std::make_shared<YoungLargePolicy>(false);
  KpiCounters with_set = run_period(market_with(declared));
  KpiCounters with_all = run_period(market_with(undeclared));
  EXPECT_FALSE(declared->saw_devices_);
  EXPECT_TRUE(undeclared->saw_devices_);
  ASSERT_GT(with_all.risk_blocked_genuine, 0u);
  EXPECT_EQ(with_set.risk_blocked_genuine, with_all.risk_blocked_genuine);
  EXPECT_EQ(with_set.orders_completed, with_all.orders_completed);
  EXPECT_DOUBLE_EQ(with_set.gmv_usd, with_all.gmv_usd);
}

// Records the largest usd_today it sees at creation.
class DailyVolumeProbe final : public RiskPolicy {
 public:
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    if (stage == RiskStage::kOrderCreation) {
      largest_ = std::max(largest_, features[RiskFeature::kUsdToday]);
      largest_order_ = std::max(largest_order_, features[RiskFeature::kAmountUsd]);
    }
    return {};
  }
  mutable double largest_ = 0.0;
  mutable double largest_order_ = 0.0;
};

TEST(RiskPolicyInWorld, UsdTodaySumsTheDaysEarlierOrders) {
  // Users coming back every 0.05 days place about 20 orders a day: some user's earlier orders
  // that day add up to more than any single order.
  auto probe = std::make_shared<DailyVolumeProbe>();
  WorldConfig config = market_with(probe);
  config.markets[0].users.days_between_orders = 0.05;
  run_period(config);
  EXPECT_GT(probe->largest_, probe->largest_order_);
}

// Records, per merchant tier, the largest order it sees at creation, and the highest tier.
class MerchantTierProbe final : public RiskPolicy {
 public:
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    if (stage == RiskStage::kOrderCreation) {
      const auto tier = static_cast<std::size_t>(features[RiskFeature::kMerchantTier]);
      largest_by_tier_[std::min<std::size_t>(tier, 2)] = std::max(
          largest_by_tier_[std::min<std::size_t>(tier, 2)], features[RiskFeature::kAmountUsd]);
      highest_tier_ = std::max(highest_tier_, features[RiskFeature::kMerchantTier]);
    }
    return {};
  }
  FeatureSet features_read(RiskStage /*stage*/) const override {
    return feature_bit(RiskFeature::kMerchantTier) | feature_bit(RiskFeature::kAmountUsd);
  }
  mutable std::array<double, 3> largest_by_tier_{};
  mutable double highest_tier_ = 0.0;
};

// Tier 0 ("new") caps orders at 60 USD; tier 1 ("trusted") needs 5 completed orders and lifts
// the cap. Every merchant starts in tier 0, so the first day's orders are all capped; once the
// day closes, the busy merchants are trusted and take the larger orders (the median is 100 USD).
TEST(RiskPolicyInWorld, MerchantTierIsTheCounterpartysTierAndCapsItsOrders) {
  auto probe = std::make_shared<MerchantTierProbe>();
  WorldConfig config = market_with(probe);
  config.markets[0].rules.merchant_tiers = {
      {.name = "new", .max_order_usd = 60.0},
      {.name = "trusted", .min_completed_orders = 5},
  };
  run_period(config);
  EXPECT_EQ(probe->highest_tier_, 1.0);
  EXPECT_GT(probe->largest_by_tier_[0], 0.0);
  EXPECT_LE(probe->largest_by_tier_[0], 60.0);
  EXPECT_GT(probe->largest_by_tier_[1], 60.0);

  // Without tiers every merchant is in tier 0, uncapped.
  auto untiered = std::make_shared<MerchantTierProbe>();
  run_period(market_with(untiered));
  EXPECT_EQ(untiered->highest_tier_, 0.0);
  EXPECT_GT(untiered->largest_by_tier_[0], 60.0);
}

// Records the largest orders_last_24h it sees at creation.
class VelocityProbe final : public RiskPolicy {
 public:
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    if (stage == RiskStage::kOrderCreation) {
      largest_ = std::max(largest_, features[RiskFeature::kOrdersLast24h]);
    }
    return {};
  }
  mutable double largest_ = 0.0;
};

TEST(RiskPolicyInWorld, VelocityCountsRecentOrders) {
  // Users coming back every 0.05 days on average place about 20 orders a day when nothing stops
  // them, so some user reaches 5 within 24 hours; users coming back every 30 days see fewer.
  auto frequent = std::make_shared<VelocityProbe>();
  WorldConfig config = market_with(frequent);
  config.markets[0].users.days_between_orders = 0.05;
  run_period(config);
  EXPECT_GE(frequent->largest_, 5.0);
  auto rare = std::make_shared<VelocityProbe>();
  WorldConfig rare_config = market_with(rare);
  rare_config.markets[0].users.days_between_orders = 30.0;
  run_period(rare_config);
  EXPECT_LT(rare->largest_, frequent->largest_);
}

double kpi(const std::vector<KpiValue>& kpis, const std::string& name) {
  for (const KpiValue& value : kpis) {
    if (value.name == name) return value.value;
  }
  return std::nan("");
}

TEST(RiskKpis, PrecisionRecallAndFalsePositiveRateOnAHandCheckedCase) {
  // 200 genuine and 40 fraud orders screened; 30 fraud and 10 genuine blocked.
  KpiCounters counters;
  counters.risk_screened_genuine = 200;
  counters.risk_screened_fraud = 40;
  counters.risk_blocked_genuine = 10;
  counters.risk_blocked_fraud = 30;
  counters.orders_held = 4;
  counters.hold_minutes = 4 * 45.0;
  std::vector<KpiValue> kpis = derive_kpis(counters, {});
  EXPECT_DOUBLE_EQ(kpi(kpis, "good_orders_blocked"), 10.0);
  EXPECT_DOUBLE_EQ(kpi(kpis, "fraud_orders_blocked"), 30.0);
  EXPECT_DOUBLE_EQ(kpi(kpis, "catch_rate"), 30.0 / 40.0);
  EXPECT_DOUBLE_EQ(kpi(kpis, "block_precision"), 30.0 / 40.0);
  EXPECT_DOUBLE_EQ(kpi(kpis, "false_positive_rate"), 10.0 / 200.0);
  EXPECT_DOUBLE_EQ(kpi(kpis, "avg_hold_minutes"), 45.0);
}

TEST(RiskKpis, StepUpFailuresCountAsCaughtAndReviewWaitIsInMinutes) {
  KpiCounters counters;
  counters.risk_screened_genuine = 100;
  counters.risk_screened_fraud = 20;
  counters.risk_blocked_fraud = 5;
  counters.step_up_failed_fraud = 7;
  counters.step_up_abandoned_genuine = 3;
  counters.orders_stepped_up = 40;
  counters.review_started = 4;
  counters.review_wait_seconds = 4 * 90.0;
  std::vector<KpiValue> kpis = derive_kpis(counters, {});
  EXPECT_DOUBLE_EQ(kpi(kpis, "catch_rate"), (5.0 + 7.0) / 20.0);
  EXPECT_DOUBLE_EQ(kpi(kpis, "block_precision"), 1.0);  // step-up stops are not blocks
  EXPECT_DOUBLE_EQ(kpi(kpis, "good_orders_abandoned_at_step_up"), 3.0);
  EXPECT_DOUBLE_EQ(kpi(kpis, "fraud_orders_failed_step_up"), 7.0);
  EXPECT_DOUBLE_EQ(kpi(kpis, "orders_stepped_up"), 40.0);
  EXPECT_DOUBLE_EQ(kpi(kpis, "review_queue_wait"), 1.5);
}

// ---- step-up, review and limit actions ------------------------------------------------------

// Decides the same for every order at creation.
class EveryOrderPolicy final : public RiskPolicy {
 public:
  explicit EveryOrderPolicy(RiskDecision decision) : decision_(decision) {}
  RiskDecision decide(RiskStage stage, const OrderFeatures& /*features*/) const override {
    return stage == RiskStage::kOrderCreation ? decision_ : RiskDecision{};
  }

 private:
  RiskDecision decision_;
};

WorldConfig every_order(RiskAction action, double limit_usd = 0.0) {
  return market_with(std::make_shared<EveryOrderPolicy>(RiskDecision{action, 0.0, limit_usd}));
}

std::uint64_t fraud_created(const KpiCounters& period) {
  std::uint64_t created = 0;
  for (std::uint64_t attempts : period.fraud_attempts)
    created += attempts;
  return created;
}

TEST(RiskActionsInWorld, StepUpEveryGenuineUserAbandonsLetsOnlyFraudThrough) {
  WorldConfig config = every_order(RiskAction::kStepUp);
  config.markets[0].step_up.abandon_probability = 1.0;
  config.markets[0].step_up.fraud_fail_probability.fill(0.0);
  KpiCounters period = run_period(config);
  ASSERT_GT(period.risk_screened_genuine, 100u);
  ASSERT_GT(period.risk_screened_fraud, 0u);
  EXPECT_EQ(period.orders_stepped_up, period.risk_screened_genuine + period.risk_screened_fraud);
  EXPECT_EQ(period.step_up_abandoned_genuine, period.risk_screened_genuine);
  EXPECT_EQ(period.step_up_failed_fraud, 0u);
  EXPECT_EQ(period.orders_created, fraud_created(period));
  EXPECT_EQ(period.orders_created, period.risk_screened_fraud);
}

TEST(RiskActionsInWorld, StepUpEveryFraudsterFailsLetsOnlyGenuineOrdersThrough) {
  WorldConfig config = every_order(RiskAction::kStepUp);
  config.markets[0].step_up.abandon_probability = 0.0;
  config.markets[0].step_up.fraud_fail_probability.fill(1.0);
  KpiCounters period = run_period(config);
  ASSERT_GT(period.risk_screened_fraud, 0u);
  EXPECT_EQ(fraud_created(period), 0u);
  EXPECT_EQ(period.step_up_failed_fraud, period.risk_screened_fraud);
  EXPECT_EQ(period.step_up_abandoned_genuine, 0u);
  EXPECT_EQ(period.orders_created, period.risk_screened_genuine);
  EXPECT_DOUBLE_EQ(kpi(derive_kpis(period, kMethods), "catch_rate"), 1.0);
}

TEST(RiskActionsInWorld, StepUpStopsAboutItsProbabilityOfGenuineOrders) {
  // Each genuine step-up is a Bernoulli(0.3) trial: 5 binomial standard errors of tolerance.
  WorldConfig config = every_order(RiskAction::kStepUp);
  config.markets[0].step_up.abandon_probability = 0.3;
  KpiCounters period = run_period(config);
  const double n = static_cast<double>(period.risk_screened_genuine);
  ASSERT_GT(n, 1000.0);
  EXPECT_NEAR(period.step_up_abandoned_genuine / n, 0.3, 5.0 * std::sqrt(0.3 * 0.7 / n));
}

ReviewConfig plenty_of_reviewers() {
  ReviewConfig review;
  review.reviewers_by_hour.fill(200);  // nobody waits
  review.review_minutes_mean = 5.0;
  review.detection_probability = 1.0;
  review.false_block_probability = 0.0;
  return review;
}

TEST(RiskActionsInWorld, ReviewThatDetectsEveryFraudLetsNoFraudOrderBeCreated) {
  WorldConfig config = every_order(RiskAction::kReview);
  config.markets[0].review = plenty_of_reviewers();
  KpiCounters period = run_period(config);
  const std::uint64_t screened = period.risk_screened_genuine + period.risk_screened_fraud;
  ASSERT_GT(period.risk_screened_fraud, 0u);
  EXPECT_EQ(period.orders_sent_to_review, screened);
  EXPECT_EQ(fraud_created(period), 0u);
  EXPECT_EQ(period.risk_blocked_genuine, 0u);
  EXPECT_GT(period.risk_blocked_fraud, 0u);
  EXPECT_EQ(period.review_abandoned, 0u);
  EXPECT_DOUBLE_EQ(period.review_wait_seconds, 0.0);
  // Reviews still under way at the end of the run are the only ones not finished.
  EXPECT_LE(period.orders_reviewed, screened);
  EXPECT_GE(period.orders_reviewed + 50, screened);
  // Approved orders are created after the review (a few find no ad any more).
  EXPECT_GT(period.orders_created, 0.9 * period.risk_screened_genuine);
}

TEST(RiskActionsInWorld, ReviewThatStopsEveryGenuineOrderCreatesNone) {
  WorldConfig config = every_order(RiskAction::kReview);
  config.markets[0].review = plenty_of_reviewers();
  config.markets[0].review.false_block_probability = 1.0;
  config.markets[0].review.detection_probability = 0.0;
  KpiCounters period = run_period(config);
  ASSERT_GT(period.risk_blocked_genuine, 100u);
  EXPECT_EQ(period.orders_created, fraud_created(period));
  EXPECT_EQ(period.risk_blocked_fraud, 0u);
}

TEST(RiskActionsInWorld, GenuineUsersLeaveASlowQueueAndFraudstersWait) {
  WorldConfig config = every_order(RiskAction::kReview);
  ReviewConfig& review = config.markets[0].review;
  review.reviewers_by_hour.fill(1);
  review.review_minutes_mean = 60.0;  // far more orders than one reviewer can take
  review.abandon_after_minutes_mean = 10.0;
  KpiCounters period = run_period(config);
  ASSERT_GT(period.review_abandoned, 100u);
  EXPECT_LE(period.review_abandoned, period.risk_screened_genuine);
  EXPECT_GT(period.review_wait_seconds / period.review_started, 10.0 * 60.0);
  // Every review a reviewer took up is one of the reviewed, or still in hand at the end.
  EXPECT_LE(period.orders_reviewed, period.review_started);
  EXPECT_GE(period.orders_reviewed + 1, period.review_started);
}

TEST(RiskActionsInWorld, LimitCapsEveryOrder) {
  KpiCounters free = run_period(market_with(nullptr));
  KpiCounters limited = run_period(every_order(RiskAction::kLimit, 50.0));
  ASSERT_GT(limited.orders_completed, 100u);
  EXPECT_GT(limited.orders_limited, 0u);
  EXPECT_LE(limited.gmv_usd, 50.0 * limited.orders_completed + 1e-6);
  EXPECT_GT(free.gmv_usd, 50.0 * free.orders_completed);
  EXPECT_EQ(limited.risk_blocked_genuine + limited.risk_blocked_fraud, 0u);
}

TEST(RiskActionsInWorld, LimitBelowTheAdsMinimumBlocks) {
  // Merchants take orders from 10 USD (the default): a 5 USD cap leaves no order possible.
  KpiCounters period = run_period(every_order(RiskAction::kLimit, 5.0));
  ASSERT_GT(period.risk_screened_genuine, 100u);
  EXPECT_EQ(period.orders_created, 0u);
  EXPECT_EQ(period.risk_blocked_genuine, period.risk_screened_genuine);
  EXPECT_EQ(period.risk_blocked_fraud, period.risk_screened_fraud);
  EXPECT_EQ(period.orders_limited, period.risk_screened_genuine + period.risk_screened_fraud);
}

// Blocks every account at sign-up, and nothing else.
class BlockEverySignUp final : public RiskPolicy {
 public:
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    if (stage != RiskStage::kSignUp) return {};
    // Order features are not defined at sign-up: they read 0.
    EXPECT_EQ(features[RiskFeature::kAmountUsd], 0.0);
    EXPECT_EQ(features[RiskFeature::kCompletedOrders], 0.0);
    return {RiskAction::kBlock};
  }
};

TEST(RiskActionsInWorld, SignUpBlockStopsEveryNewAccount) {
  WorldConfig config = market_with(std::make_shared<BlockEverySignUp>());
  config.markets[0].users.referrals_per_user = 0.0;
  KpiCounters period = run_period(config);
  // Only the users present at day 0 (not screened) trade; every new account was stopped.
  ASSERT_GT(period.kyc_verified, 100u);
  EXPECT_EQ(period.signups_screened, period.kyc_verified);
  EXPECT_GT(period.signups_blocked_fraud, 0u);
  EXPECT_EQ(period.signups_blocked_genuine + period.signups_blocked_fraud, period.kyc_verified);
  EXPECT_EQ(fraud_created(period), 0u);
  EXPECT_EQ(period.placed_first_order, 0u);
  EXPECT_GT(period.orders_created, 0u);
}

// Bans every account after its first completed order.
class BanAfterEveryTrade final : public RiskPolicy {
 public:
  RiskDecision decide(RiskStage stage, const OrderFeatures& /*features*/) const override {
    return stage == RiskStage::kPostTrade ? RiskDecision{RiskAction::kBlock} : RiskDecision{};
  }
  bool decides_post_trade() const override { return true; }
};

TEST(RiskActionsInWorld, PostTradeBanStopsEveryFurtherOrder) {
  KpiCounters period = run_period(market_with(std::make_shared<BanAfterEveryTrade>()));
  // A user has one order going at a time, so each completed order is its account's last.
  ASSERT_GT(period.orders_completed, 100u);
  EXPECT_EQ(period.accounts_banned_genuine + period.accounts_banned_fraud, period.orders_completed);
  EXPECT_GT(period.orders_blocked_by_rules, 0u);
  EXPECT_EQ(period.repeat_within_30d, 0u);
}

}  // namespace
}  // namespace p2psim
