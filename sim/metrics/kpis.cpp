#include "metrics/kpis.hpp"

#include <limits>

#include <cmath>
#include <numeric>

namespace p2psim {
namespace {

class KpiList {
 public:
  void count(const char* name, double value) { values_.push_back({name, value}); }
  // A ratio is only reported when its denominator is positive.
  void ratio(const char* name, double numerator, double denominator, double scale = 1.0) {
    if (denominator > 0.0) values_.push_back({name, scale * numerator / denominator});
  }
  void named(std::string name, double value) { values_.push_back({std::move(name), value}); }
  std::vector<KpiValue> take() { return std::move(values_); }

 private:
  std::vector<KpiValue> values_;
};

double sum(const auto& values) {
  return std::accumulate(values.begin(), values.end(), 0.0);
}

void add_volume(KpiList& kpis, const KpiCounters& c) {
  kpis.count("orders_created", c.orders_created);
  kpis.count("orders_completed", c.orders_completed);
  kpis.ratio("completion_rate", c.orders_completed, c.orders_created);
  kpis.count("gmv_usd", c.gmv_usd);
  kpis.ratio("avg_order_usd", c.gmv_usd, c.orders_completed);
  kpis.ratio("first_trade_gmv_share", c.first_trade_gmv_usd, c.gmv_usd);
}

void add_funnel(KpiList& kpis, const KpiCounters& c) {
  kpis.count("visitors", c.visitors);
  kpis.count("referred_visitors", c.referred_visitors);
  kpis.count("registered", c.registered);
  kpis.count("kyc_verified", c.kyc_verified);
  kpis.count("placed_first_order", c.placed_first_order);
  kpis.count("completed_first_order", c.completed_first_order);
  kpis.count("repeat_within_7d", c.repeat_within_7d);
  kpis.count("repeat_within_30d", c.repeat_within_30d);
  kpis.ratio("conversion_registered", c.registered, c.visitors);
  kpis.ratio("conversion_kyc_verified", c.kyc_verified, c.registered);
  kpis.ratio("conversion_completed_first_order", c.completed_first_order, c.placed_first_order);
  kpis.ratio("conversion_repeat_within_7d", c.repeat_within_7d, c.completed_first_order);
  kpis.ratio("conversion_repeat_within_30d", c.repeat_within_30d, c.completed_first_order);
}

void add_experience(KpiList& kpis, const KpiCounters& c) {
  if (c.time_to_complete.count() > 0) {
    kpis.count("time_to_complete_p50_minutes", c.time_to_complete.quantile(0.5) / 60.0);
    kpis.count("time_to_complete_p90_minutes", c.time_to_complete.quantile(0.9) / 60.0);
  }
  kpis.ratio("cancellation_rate", c.orders_cancelled, c.orders_created);
  kpis.ratio("expiry_rate", c.orders_expired, c.orders_created);
  kpis.ratio("appeal_rate", c.orders_appealed, c.orders_created);
  kpis.ratio("appeal_resolution_hours", c.appeal_resolution_seconds, c.appeals_resolved,
             1.0 / 3600.0);
  kpis.count("appeals_misjudged", c.appeals_misjudged);
  kpis.count("good_payments_refused_by_name", c.payer_name_refusals_genuine);
  kpis.count("fraud_payments_refused_by_name", c.payer_name_refusals_fraud);
  kpis.count("misjudged_appeal_loss_usd", c.misjudged_appeal_loss_usd);
  kpis.count("active_users", c.active_users);
  kpis.ratio("user_churn_rate", c.churned_users, c.active_users);
  kpis.count("orders_blocked_by_rules", c.orders_blocked_by_rules);
  kpis.count("cancellation_bans", c.cancellation_bans);
  kpis.count("cancellations_after_marking_paid", c.cancellations_after_marking_paid);
}

void add_risk(KpiList& kpis, const KpiCounters& c, const std::vector<std::string>& methods) {
  double loss = sum(c.fraud_loss_usd);
  kpis.count("fraud_attempts", sum(c.fraud_attempts));
  kpis.count("fraud_successes", sum(c.fraud_successes));
  kpis.count("fraud_loss_usd", loss);
  kpis.ratio("fraud_loss_bps", loss, c.gmv_usd, 1e4);
  kpis.count("fraud_loss_revealed_usd", c.fraud_loss_revealed_usd);
  kpis.count("fraud_claims_uncovered_usd", c.fraud_claims_uncovered_usd);
  for (int t = 0; t < kFraudTypologyCount; ++t) {
    std::string typology = kFraudTypologyNames[t];
    kpis.named("fraud_arrivals.typology." + typology, c.fraud_arrivals[t]);
    kpis.named("fraud_attempts.typology." + typology, c.fraud_attempts[t]);
    kpis.named("fraud_successes.typology." + typology, c.fraud_successes[t]);
    kpis.named("fraud_loss_usd.typology." + typology, c.fraud_loss_usd[t]);
  }
  for (int b = 0; b < kLossBearerCount; ++b) {
    kpis.named(std::string("fraud_loss_usd.bearer.") + kLossBearerNames[b],
               c.fraud_loss_by_bearer_usd[b]);
  }
  for (std::size_t m = 0; m < methods.size() && m < c.fraud_loss_by_method_usd.size(); ++m) {
    kpis.named("fraud_loss_usd.method." + methods[m], c.fraud_loss_by_method_usd[m]);
  }
  kpis.count("merchant_freeze_days", c.merchant_freeze_days);
}

// Only when a risk policy screened orders: without one these KPIs are not modelled.
void add_risk_policy(KpiList& kpis, const KpiCounters& c) {
  const double screened = c.risk_screened_genuine + c.risk_screened_fraud;
  if (screened == 0.0) return;
  const double blocked = c.risk_blocked_genuine + c.risk_blocked_fraud;
  kpis.count("good_orders_blocked", c.risk_blocked_genuine);
  kpis.count("fraud_orders_blocked", c.risk_blocked_fraud);
  // Caught: stopped by the policy, a reviewer or a failed step-up.
  kpis.ratio("catch_rate", c.risk_blocked_fraud + c.step_up_failed_fraud, c.risk_screened_fraud);
  kpis.ratio("block_precision", c.risk_blocked_fraud, blocked);
  kpis.ratio("false_positive_rate", c.risk_blocked_genuine, c.risk_screened_genuine);
  // Only with a score at creation, and orders of both kinds scored.
  if (const double auc = c.order_scores.roc_auc(); !std::isnan(auc)) {
    kpis.count("score_roc_auc", auc);
  }
  kpis.count("orders_held", c.orders_held);
  kpis.ratio("avg_hold_minutes", c.hold_minutes, c.orders_held);
  kpis.count("good_withdrawals_locked", c.withdrawals_locked_genuine);
  kpis.count("fraud_withdrawals_locked", c.withdrawals_locked_fraud);
  kpis.ratio("avg_withdrawal_wait_hours", c.withdrawal_wait_hours, c.withdrawals_locked_genuine);
  kpis.count("fraud_loss_clawed_back_usd", c.fraud_loss_clawed_back_usd);
  kpis.count("orders_limited", c.orders_limited);
  kpis.count("orders_stepped_up", c.orders_stepped_up);
  kpis.count("good_orders_abandoned_at_step_up", c.step_up_abandoned_genuine);
  kpis.count("fraud_orders_failed_step_up", c.step_up_failed_fraud);
  kpis.count("orders_sent_to_review", c.orders_sent_to_review);
  kpis.count("orders_reviewed", c.orders_reviewed);
  kpis.ratio("review_queue_wait", c.review_wait_seconds / 60.0, c.review_started);
  kpis.count("review_abandoned", c.review_abandoned);
  kpis.count("signups_blocked_genuine", c.signups_blocked_genuine);
  kpis.count("signups_blocked_fraud", c.signups_blocked_fraud);
  kpis.count("accounts_banned_genuine", c.accounts_banned_genuine);
  kpis.count("accounts_banned_fraud", c.accounts_banned_fraud);
}

// One value of a segment dimension: "catch_rate.kyc_tier.0" and the rest.
void add_segment(KpiList& kpis, const std::string& segment, const std::uint64_t* slots,
                 bool has_genuine) {
  const auto count = [&](SegmentCount which) {
    return static_cast<double>(slots[static_cast<int>(which)]);
  };
  const double fraud = count(SegmentCount::kScreenedFraud);
  kpis.named("fraud_orders_screened." + segment, fraud);
  if (fraud > 0.0) kpis.named("catch_rate." + segment, count(SegmentCount::kCaughtFraud) / fraud);
  if (!has_genuine) return;
  const double genuine = count(SegmentCount::kScreenedGenuine);
  kpis.named("good_orders_screened." + segment, genuine);
  if (genuine > 0.0)
    kpis.named("false_positive_rate." + segment, count(SegmentCount::kBlockedGenuine) / genuine);
}

// The policy's catch and false-positive rates by KYC tier, account age, payment method and (for
// fraud) typology; only where a policy screened orders, as the totals.
void add_risk_segments(KpiList& kpis, const KpiCounters& c,
                       const std::vector<std::string>& methods) {
  if (c.risk_screened_genuine + c.risk_screened_fraud == 0) return;
  for (int tier = 0; tier < kKycTierCount; ++tier) {
    add_segment(kpis, "kyc_tier." + std::to_string(tier),
                &c.risk_by_kyc_tier[segment_slot(tier, SegmentCount::kScreenedGenuine)], true);
  }
  for (int band = 0; band < kAccountAgeBandCount; ++band) {
    add_segment(kpis, std::string("account_age.") + kAccountAgeBandNames[band],
                &c.risk_by_account_age[segment_slot(band, SegmentCount::kScreenedGenuine)], true);
  }
  for (std::size_t m = 0; m < methods.size() && m * kSegmentCounts < c.risk_by_method.size(); ++m) {
    add_segment(kpis, "method." + methods[m],
                &c.risk_by_method[segment_slot(m, SegmentCount::kScreenedGenuine)], true);
  }
  for (int t = 0; t < kFraudTypologyCount; ++t) {
    add_segment(kpis, std::string("typology.") + kFraudTypologyNames[t],
                &c.risk_by_typology[segment_slot(t, SegmentCount::kScreenedGenuine)], false);
  }
}

void add_liquidity(KpiList& kpis, const KpiCounters& c) {
  kpis.count("order_attempts", c.order_attempts);
  kpis.count("orders_unmatched", c.orders_unmatched);
  kpis.ratio("fill_rate", c.orders_created, c.order_attempts);
  kpis.count("active_merchants", c.active_merchants);
  kpis.ratio("avg_spread_bps", c.spread_bps_sum, c.spread_samples);
  kpis.count("merchant_pnl", c.merchant_pnl_usd);
  kpis.count("merchants_entered", c.merchants_entered);
  kpis.count("merchants_exited", c.merchants_exited);
  kpis.count("merchants_suspended", c.merchants_suspended);
  kpis.count("payment_methods_dropped", c.payment_methods_dropped);
  kpis.ratio("merchant_completion_rate", c.merchant_completion_rate_sum, c.merchants_rated);
  kpis.ratio("merchants_completing_95_share", c.merchants_rated_at_least_95, c.merchants_rated);
  if (c.merchant_tier_days == 0) return;  // no merchant tiers configured: not modelled
  kpis.ratio("avg_merchant_tier", c.merchant_tier_sum, c.merchant_tier_days);
  kpis.count("merchant_tier_promotions", c.merchant_tier_promotions);
  kpis.count("merchant_tier_demotions", c.merchant_tier_demotions);
}

// Fees are modelled in every market (a market may set them to 0); incentive KPIs only where a
// campaign ran: without one they are not modelled, so absent.
void add_money(KpiList& kpis, const KpiCounters& c) {
  constexpr int kPlatform = 1;  // LossBearer::kPlatform
  constexpr int kPromotionAbuse = static_cast<int>(FraudTypology::kPromotionAbuse);
  // Bonuses farmed by promotion abuse are both incentive payouts and platform fraud losses:
  // counted once, as payouts.
  const double other_platform_losses =
      c.fraud_loss_by_bearer_usd[kPlatform] - c.fraud_loss_usd[kPromotionAbuse];
  kpis.count("fee_revenue_usd", c.fee_revenue_usd);
  kpis.named("net_revenue_usd", c.fee_revenue_usd - c.incentive_paid_usd - other_platform_losses);
  if (c.incentive_campaign_days == 0) return;
  const double cost = c.fees_waived_usd + c.incentive_paid_usd;
  kpis.count("incentive_cost_usd", cost);
  kpis.ratio("incentive_cost_abuser_share", c.incentive_cost_abusers_usd, cost);
  kpis.ratio("incentive_roi", c.incentive_recipient_fee_revenue_usd - cost, cost);
}

}  // namespace

const std::vector<KpiDefinition>& kpi_catalogue() {
  static const std::vector<KpiDefinition> catalogue = {
      {"orders_created", "count"},
      {"orders_completed", "count"},
      {"completion_rate", "ratio"},
      {"gmv_usd", "usd"},
      {"avg_order_usd", "usd"},
      {"first_trade_gmv_share", "ratio"},
      {"visitors", "count"},
      {"referred_visitors", "count"},
      {"registered", "count"},
      {"kyc_verified", "count"},
      {"placed_first_order", "count"},
      {"completed_first_order", "count"},
      {"repeat_within_7d", "count"},
      {"repeat_within_30d", "count"},
      {"conversion_registered", "ratio"},
      {"conversion_kyc_verified", "ratio"},
      {"conversion_completed_first_order", "ratio"},
      {"conversion_repeat_within_7d", "ratio"},
      {"conversion_repeat_within_30d", "ratio"},
      {"time_to_complete_p50_minutes", "minutes"},
      {"time_to_complete_p90_minutes", "minutes"},
      {"cancellation_rate", "ratio"},
      {"expiry_rate", "ratio"},
      {"appeal_rate", "ratio"},
      {"appeal_resolution_hours", "hours"},
      {"appeals_misjudged", "count"},
      {"good_payments_refused_by_name", "count"},
      {"fraud_payments_refused_by_name", "count"},
      {"misjudged_appeal_loss_usd", "usd"},
      {"active_users", "count", true},
      {"user_churn_rate", "ratio", true},
      {"orders_blocked_by_rules", "count"},
      {"cancellation_bans", "count"},
      {"cancellations_after_marking_paid", "count"},
      {"fraud_attempts", "count"},
      {"fraud_successes", "count"},
      {"fraud_loss_usd", "usd"},
      {"fraud_loss_bps", "bps"},
      {"fraud_loss_revealed_usd", "usd"},
      {"fraud_claims_uncovered_usd", "usd"},
      {"fraud_arrivals.typology.", "count"},
      {"fraud_attempts.typology.", "count"},
      {"fraud_successes.typology.", "count"},
      {"fraud_loss_usd.typology.", "usd"},
      {"fraud_loss_usd.bearer.", "usd"},
      {"fraud_loss_usd.method.", "usd"},
      {"merchant_freeze_days", "days"},
      {"good_orders_blocked", "count"},
      {"fraud_orders_blocked", "count"},
      {"catch_rate", "ratio"},
      {"block_precision", "ratio"},
      {"false_positive_rate", "ratio"},
      {"score_roc_auc", "ratio"},
      {"orders_held", "count"},
      {"avg_hold_minutes", "minutes"},
      {"good_withdrawals_locked", "count"},
      {"fraud_withdrawals_locked", "count"},
      {"avg_withdrawal_wait_hours", "hours"},
      {"fraud_loss_clawed_back_usd", "usd"},
      {"orders_limited", "count"},
      {"orders_stepped_up", "count"},
      {"good_orders_abandoned_at_step_up", "count"},
      {"fraud_orders_failed_step_up", "count"},
      {"orders_sent_to_review", "count"},
      {"orders_reviewed", "count"},
      {"review_queue_wait", "minutes"},
      {"review_abandoned", "count"},
      {"signups_blocked_genuine", "count"},
      {"signups_blocked_fraud", "count"},
      {"accounts_banned_genuine", "count"},
      {"accounts_banned_fraud", "count"},
      {"fraud_orders_screened.", "count"},
      {"catch_rate.", "ratio"},
      {"good_orders_screened.", "count"},
      {"false_positive_rate.", "ratio"},
      {"order_attempts", "count"},
      {"orders_unmatched", "count"},
      {"fill_rate", "ratio"},
      {"active_merchants", "count", true},
      {"avg_spread_bps", "bps"},
      {"merchant_pnl", "usd", false, true},
      {"merchants_entered", "count"},
      {"merchants_exited", "count"},
      {"merchants_suspended", "count"},
      {"payment_methods_dropped", "count"},
      {"merchant_completion_rate", "ratio", true},
      {"merchants_completing_95_share", "ratio", true},
      {"avg_merchant_tier", "tier"},
      {"merchant_tier_promotions", "count"},
      {"merchant_tier_demotions", "count"},
      {"fee_revenue_usd", "usd"},
      {"net_revenue_usd", "usd", false, true},
      {"incentive_cost_usd", "usd"},
      {"incentive_cost_abuser_share", "ratio"},
      {"incentive_roi", "multiple"},
  };
  return catalogue;
}

std::vector<KpiValue> derive_kpis(const KpiCounters& counters,
                                  const std::vector<std::string>& payment_methods) {
  KpiList kpis;
  add_volume(kpis, counters);
  add_funnel(kpis, counters);
  add_experience(kpis, counters);
  add_risk(kpis, counters, payment_methods);
  add_risk_policy(kpis, counters);
  add_risk_segments(kpis, counters, payment_methods);
  add_liquidity(kpis, counters);
  add_money(kpis, counters);
  return kpis.take();
}

const KpiDefinition* find_kpi(std::string_view name) {
  const KpiDefinition* best = nullptr;
  for (const KpiDefinition& definition : kpi_catalogue()) {
    const std::string_view entry = definition.name;
    if (entry == name && !entry.ends_with('.')) return &definition;
    // The longest stem: "catch_rate." and a longer one could both start a name.
    const bool stem_of_name =
        entry.ends_with('.') && name.size() > entry.size() && name.starts_with(entry);
    if (stem_of_name && (best == nullptr || entry.size() > std::string_view(best->name).size())) {
      best = &definition;
    }
  }
  return best;
}

std::string_view kpi_unit(std::string_view name) {
  if (name == kValueKpi) return "usd";
  const KpiDefinition* kpi = find_kpi(name);
  return kpi != nullptr ? kpi->unit : "";
}

KpiDomain kpi_domain(std::string_view name) {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  const KpiDefinition* kpi = find_kpi(name);
  if (kpi == nullptr || kpi->can_be_negative) return {-kInfinity, kInfinity};
  const std::string_view unit = kpi->unit;
  if (unit == "ratio") return {0.0, 1.0};
  if (unit == "count" || unit == "usd" || unit == "minutes" || unit == "hours" || unit == "days")
    return {0.0, kInfinity};
  return {-kInfinity, kInfinity};
}

}  // namespace p2psim
