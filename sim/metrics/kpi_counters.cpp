#include "metrics/kpi_counters.hpp"

namespace p2psim {

void KpiCounters::merge(const KpiCounters& other) {
  order_attempts += other.order_attempts;
  orders_unmatched += other.orders_unmatched;
  orders_created += other.orders_created;
  orders_completed += other.orders_completed;
  orders_cancelled += other.orders_cancelled;
  orders_expired += other.orders_expired;
  orders_appealed += other.orders_appealed;
  appeals_resolved += other.appeals_resolved;
  appeal_resolution_seconds += other.appeal_resolution_seconds;
  gmv_usd += other.gmv_usd;
  time_to_complete.merge(other.time_to_complete);
  visitors += other.visitors;
  referred_visitors += other.referred_visitors;
  registered += other.registered;
  kyc_verified += other.kyc_verified;
  placed_first_order += other.placed_first_order;
  completed_first_order += other.completed_first_order;
  repeat_within_7d += other.repeat_within_7d;
  repeat_within_30d += other.repeat_within_30d;
  active_users += other.active_users;
  churned_users += other.churned_users;
  active_merchants += other.active_merchants;
  orders_blocked_by_rules += other.orders_blocked_by_rules;
  risk_screened_genuine += other.risk_screened_genuine;
  risk_screened_fraud += other.risk_screened_fraud;
  risk_blocked_genuine += other.risk_blocked_genuine;
  risk_blocked_fraud += other.risk_blocked_fraud;
  orders_held += other.orders_held;
  orders_limited += other.orders_limited;
  orders_stepped_up += other.orders_stepped_up;
  step_up_abandoned_genuine += other.step_up_abandoned_genuine;
  step_up_failed_fraud += other.step_up_failed_fraud;
  orders_sent_to_review += other.orders_sent_to_review;
  orders_reviewed += other.orders_reviewed;
  review_started += other.review_started;
  review_wait_seconds += other.review_wait_seconds;
  review_abandoned += other.review_abandoned;
  signups_screened += other.signups_screened;
  signups_blocked_genuine += other.signups_blocked_genuine;
  signups_blocked_fraud += other.signups_blocked_fraud;
  accounts_banned_genuine += other.accounts_banned_genuine;
  accounts_banned_fraud += other.accounts_banned_fraud;
  hold_minutes += other.hold_minutes;
  cancellation_bans += other.cancellation_bans;
  for (int t = 0; t < kFraudTypologyCount; ++t) {
    fraud_attempts[t] += other.fraud_attempts[t];
    fraud_successes[t] += other.fraud_successes[t];
    fraud_loss_usd[t] += other.fraud_loss_usd[t];
  }
  for (int b = 0; b < kLossBearerCount; ++b) {
    fraud_loss_by_bearer_usd[b] += other.fraud_loss_by_bearer_usd[b];
  }
  fraud_loss_revealed_usd += other.fraud_loss_revealed_usd;
  if (fraud_loss_by_method_usd.size() < other.fraud_loss_by_method_usd.size()) {
    fraud_loss_by_method_usd.resize(other.fraud_loss_by_method_usd.size(), 0.0);
  }
  for (std::size_t m = 0; m < other.fraud_loss_by_method_usd.size(); ++m) {
    fraud_loss_by_method_usd[m] += other.fraud_loss_by_method_usd[m];
  }
  spread_bps_sum += other.spread_bps_sum;
  spread_samples += other.spread_samples;
  merchant_pnl_usd += other.merchant_pnl_usd;
  merchant_freeze_days += other.merchant_freeze_days;
  merchants_entered += other.merchants_entered;
  merchants_exited += other.merchants_exited;
  merchants_suspended += other.merchants_suspended;
  merchant_tier_days += other.merchant_tier_days;
  merchant_tier_sum += other.merchant_tier_sum;
  merchant_tier_promotions += other.merchant_tier_promotions;
  merchant_tier_demotions += other.merchant_tier_demotions;
  fee_revenue_usd += other.fee_revenue_usd;
  fees_waived_usd += other.fees_waived_usd;
  incentive_paid_usd += other.incentive_paid_usd;
  incentive_cost_abusers_usd += other.incentive_cost_abusers_usd;
  incentive_recipient_fee_revenue_usd += other.incentive_recipient_fee_revenue_usd;
  incentive_campaign_days += other.incentive_campaign_days;
}

}  // namespace p2psim
