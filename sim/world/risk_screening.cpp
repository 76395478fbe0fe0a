#include "world/risk_screening.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "world/stream_purpose.hpp"

namespace p2psim {

RiskScreening::RiskScreening(const Wiring& wiring)
    : config_(wiring.config),
      replication_(wiring.replication),
      now_(wiring.now),
      metrics_(wiring.metrics),
      split_(wiring.split),
      features_(wiring.features),
      fraudsters_(wiring.fraudsters),
      reviews_(wiring.reviews),
      users_(wiring.users),
      merchants_(wiring.merchants),
      orders_(wiring.orders),
      log_(wiring.log) {
  markets_.reserve(config_.markets.size());
}

void RiskScreening::add_market(std::uint16_t index) {
  MarketScreening& market = markets_.emplace_back(MarketScreening{
      .features = {},
      .screened = false,
      .step_up =
          RandomStream(config_.simulation.seed, replication_, stream_id(kStepUpStream, index, 0)),
  });
  // What any arm's policy reads is computed for every order (a split world has two).
  for (const MarketConfig* arm :
       {&config_.markets[index],
        split_.active() ? &config_.split.treatment->markets[index] : nullptr}) {
    if (arm == nullptr || arm->risk == nullptr) continue;
    market.screened = true;
    any_screened_ = true;
    for (int stage = 0; stage < kRiskStageCount; ++stage) {
      market.features[stage] |= arm->risk->features_read(static_cast<RiskStage>(stage));
    }
  }
}

UserIntent RiskScreening::intent_of_order(const User& user, const Merchant& merchant) {
  // A scamming merchant's orders with genuine users are its fraud attempts.
  if (merchant.exit_scamming && user.intent == UserIntent::kGenuine) {
    return UserIntent(FraudTypology::kMerchantExitScam);
  }
  return user.intent;
}

bool RiskScreening::admit_sign_up(UserId user_id) {
  const User& user = users_[user_id];
  const RiskPolicy* policy =
      split_.arm_market(user.market, split_.user_facing_arm(user_id)).risk.get();
  if (policy == nullptr) return true;
  // Only account features exist at sign-up; the order features read 0.
  const OrderFeatures features = features_.sign_up(user_id);
  const bool genuine = user.intent == UserIntent::kGenuine;
  const bool blocked = policy->decide(RiskStage::kSignUp, features).action == RiskAction::kBlock;
  metrics_.record(SignUpScreened{.market = user.market, .genuine = genuine, .blocked = blocked});
  if (!blocked) return true;
  if (log_) log_->sign_up_blocked(user_id);
  if (!genuine) fraudsters_.note_outcome(user, true);
  return false;
}

OrderFeatures RiskScreening::creation_features(UserId user_id, const AdMatch& match,
                                               double usd) const {
  // What mark-paid reads too, while the account's records are in cache; everything when the
  // attempt is exported (a policy's decision does not depend on features it does not read).
  const std::uint16_t market = users_[user_id].market;
  const FeatureSet read = exports_features() ? kAllFeatures
                                             : wanted(market, RiskStage::kOrderCreation) |
                                                   wanted(market, RiskStage::kMarkPaid);
  return features_.order(user_id, match.merchant, match.payment_method, usd, read);
}

RiskScreening::Screening RiskScreening::screen(UserId user_id, const AdMatch& match, double& usd,
                                               OrderFeatures& features) {
  creation_lock_hours_ = 0.0;
  const User& user = users_[user_id];
  const MarketConfig& config = split_.arm_market(user.market, split_.arm(user_id, match.merchant));
  if (config.risk == nullptr) {            // a split world's arm without a policy
    pass_unscreened(user_id, match, usd);  // the other arm's policy reads this user's velocity
    return Screening::kPass;
  }
  features = creation_features(user_id, match, usd);
  RiskDecision decision = config.risk->decide(RiskStage::kOrderCreation, features);
  const UserIntent intent = intent_of_order(user, merchants_[match.merchant]);
  const bool genuine = intent == UserIntent::kGenuine;
  if (log_) log_->screened(features, decision, intent);
  const std::uint32_t slot = split_.slot(user_id, match.merchant, user.market);
  const OrderSegment segment = features_.segment(user_id, match.payment_method, intent);
  metrics_.record(
      OrderScreened{.market = user.market, .unit = slot, .genuine = genuine, .segment = segment});
  if (const std::optional<double> log_odds = config.risk->creation_log_odds(features)) {
    metrics_.record(OrderScored{.market = user.market, .genuine = genuine, .log_odds = *log_odds});
  }
  switch (decision.action) {
    case RiskAction::kBlock:
      return stop(user_id, genuine, day_of(now_), slot, segment);
    case RiskAction::kReview:
      reviews_.send(user_id, user.market, usd, genuine, user.intent != UserIntent::kGenuine, slot,
                    segment);
      if (log_) log_->wait_for_review(user_id);
      return Screening::kInReview;
    case RiskAction::kStepUp: {
      const Screening verified = step_up(user_id, genuine, config.step_up, slot, segment);
      if (verified != Screening::kPass) return verified;
      break;
    }
    case RiskAction::kLimit:
      if (!apply_limit(match, decision.limit_usd, usd))
        return stop(user_id, genuine, day_of(now_), slot, segment);
      break;
    case RiskAction::kAllow:
    case RiskAction::kLockWithdrawal:
    case RiskAction::kHold:
      break;
  }
  creation_lock_hours_ = decision.lock_hours;  // for the order about to be created
  features_.count_velocity(user_id, usd);
  return Screening::kPass;
}

void RiskScreening::pass_unscreened(UserId user_id, const AdMatch& match, double usd) {
  if (exports_features()) log_->saw(creation_features(user_id, match, usd));
  features_.count_velocity(user_id, usd);
}

RiskScreening::Screening RiskScreening::stop(UserId user_id, bool genuine,
                                             std::int32_t screened_day, std::uint32_t unit_slot,
                                             const OrderSegment& segment) {
  const User& user = users_[user_id];
  metrics_.record(OrderBlocked{.market = user.market,
                               .screened_day = screened_day,
                               .unit = unit_slot,
                               .genuine = genuine,
                               .segment = segment});
  if (log_) log_->end(AttemptOutcome::kBlocked);
  if (user.intent != UserIntent::kGenuine) fraudsters_.note_outcome(user, true);
  return Screening::kBlocked;
}

RiskScreening::Screening RiskScreening::step_up(UserId user_id, bool genuine,
                                                const StepUpConfig& step_up,
                                                std::uint32_t unit_slot,
                                                const OrderSegment& segment) {
  const User& user = users_[user_id];
  MarketScreening& market = markets_[user.market];
  metrics_.record(StepUpAsked{user.market});
  // A scamming merchant's victim is a genuine user: they give up as genuine users do.
  const bool fraudster = user.intent != UserIntent::kGenuine;
  const double stop = fraudster ? step_up.fraud_fail_probability[typology_of(user.intent)]
                                : step_up.abandon_probability;
  if (!bernoulli(market.step_up, stop)) return Screening::kPass;
  metrics_.record(StepUpStopped{
      .market = user.market, .unit = unit_slot, .genuine = genuine, .segment = segment});
  if (log_) {
    log_->end(fraudster ? AttemptOutcome::kStepUpFailed : AttemptOutcome::kStepUpAbandoned);
  }
  if (fraudster) {
    fraudsters_.note_outcome(user, true);
    return Screening::kBlocked;
  }
  // Giving up is the user's choice, but the friction was the platform's: a failed attempt.
  return Screening::kFailed;
}

bool RiskScreening::apply_limit(const AdMatch& match, double limit_usd, double& usd) {
  if (usd <= limit_usd) return true;
  const MarketConfig& config = config_.markets[merchants_[match.merchant].market];
  usd = std::floor(limit_usd * 100.0) / 100.0;  // whole cents, not above the limit
  metrics_.record(OrderLimited{merchants_[match.merchant].market});
  // The ad the user picked does not take orders this small: the limit stops the order.
  const double minimum = std::max(config.merchants.min_order_usd,
                                  config.payment_methods[match.payment_method].min_order_usd);
  return usd >= minimum;
}

void RiskScreening::keep_context(OrderId order, OrderFeatures features) {
  features[RiskFeature::kAmountUsd] = orders_[order].usd;  // after a limit
  if (context_.size() < orders_.size()) context_.resize(orders_.size());
  context_[order] = features;
  if (creation_lock_hours_ > 0.0) lock_withdrawal(order, creation_lock_hours_);
  creation_lock_hours_ = 0.0;
}

void RiskScreening::lock_withdrawal(OrderId id, double hours) {
  // Only bought USDT lands in a balance to withdraw; of two locks the later end holds.
  if (orders_[id].side != TradeSide::kUserBuys) return;
  if (locked_until_.size() < orders_.size()) locked_until_.resize(orders_.size());
  float& until = locked_until_[id.index()];
  until = std::max(until, static_cast<float>(now_ + hours * kHour));
}

Seconds RiskScreening::decide_at_mark_paid(OrderId id) {
  Order& order = orders_[id];
  const RiskPolicy* policy = split_.arm_market(order.market, split_.order_arm(order)).risk.get();
  if (policy == nullptr) return 0.0;
  // The features the order was created with, with the clock-driven ones brought up to now: the
  // account's links and counts change too rarely to be worth reading again minutes later.
  OrderFeatures features = context_[id];
  features[RiskFeature::kAccountAgeDays] += (now_ - order.created_at) / kDay;
  features[RiskFeature::kHourOfDay] = RiskFeatures::hour_of_day(now_);
  RiskDecision decision = policy->decide(RiskStage::kMarkPaid, features);
  if (log_) log_->asked_at_mark_paid(id, features, decision);
  if (decision.lock_hours > 0.0) lock_withdrawal(id, decision.lock_hours);
  if (decision.action != RiskAction::kHold || decision.hold_minutes <= 0.0) return 0.0;
  order.hold_until = static_cast<float>(now_ + decision.hold_minutes * kMinute);
  metrics_.record(ReleaseHeld{order.market, order.created_day, decision.hold_minutes});
  return decision.hold_minutes * kMinute;
}

void RiskScreening::notify_completion(OrderId id) {
  const Order& order = orders_[id];
  const RiskPolicy* policy = split_.arm_market(order.market, split_.order_arm(order)).risk.get();
  if (policy == nullptr) return;
  const bool post_trade = policy->decides_post_trade();
  if (!post_trade && !policy->observes_completion()) return;
  const OrderFeatures features =
      features_.order(order.user, order.merchant, order.payment_method, order.usd, kAllFeatures);
  if (policy->observes_completion()) policy->on_completed(features);
  if (!post_trade) return;
  const RiskDecision decision = policy->decide(RiskStage::kPostTrade, features);
  if (decision.lock_hours > 0.0) lock_withdrawal(id, decision.lock_hours);
  if (decision.action != RiskAction::kBlock) return;
  // Banned from further orders: every later attempt is refused as by a platform rule.
  User& user = users_[order.user];
  if (user.banned_for_good) return;
  user.banned_for_good = true;
  user.may_be_banned = true;
  if (log_) log_->banned(order.user, day_of(now_));
  // By the account's own intent: a scamming merchant's victim is a genuine account.
  metrics_.record(AccountBanned{order.market, user.intent == UserIntent::kGenuine});
}

}  // namespace p2psim
