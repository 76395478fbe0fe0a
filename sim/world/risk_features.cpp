#include "world/risk_features.hpp"

#include <cmath>

namespace p2psim {

double RiskFeatures::orders_last_24h(UserId id) const {
  // Two day buckets: today's orders plus the share of yesterday's still inside the last 24 h,
  // assuming yesterday's were spread evenly over it.
  const OrderVelocity& velocity = profiles_[id].velocity;
  const std::int32_t today_index = day_of(now_);
  const double elapsed = now_ / kDay - today_index;
  if (velocity.day == today_index) {
    return velocity.orders_that_day + velocity.orders_day_before * (1.0 - elapsed);
  }
  if (velocity.day == today_index - 1) return velocity.orders_that_day * (1.0 - elapsed);
  return 0.0;
}

void RiskFeatures::count_velocity(UserId id, double usd) {
  OrderVelocity& velocity = profiles_[id].velocity;
  const std::int32_t today_index = day_of(now_);
  if (velocity.day != today_index) {
    const bool yesterday = velocity.day == today_index - 1;
    velocity.orders_day_before = yesterday ? velocity.orders_that_day : 0;
    velocity.orders_that_day = 0;
    velocity.usd_that_day = 0.0f;
    velocity.day = today_index;
  }
  if (velocity.orders_that_day < UINT16_MAX) ++velocity.orders_that_day;
  velocity.usd_that_day += static_cast<float>(usd);
}

double RiskFeatures::usd_today(UserId id) const {
  const OrderVelocity& velocity = profiles_[id].velocity;
  return velocity.day == day_of(now_) ? velocity.usd_that_day : 0.0;
}

double RiskFeatures::hour_of_day(Seconds time) {
  return std::floor(std::fmod(time, kDay) / kHour);
}

OrderSegment RiskFeatures::segment(UserId user_id, std::uint8_t method, UserIntent intent) const {
  const double age_days = now_ / kDay - profiles_[user_id].created_day;
  return {.kyc_tier = users_[user_id].kyc_tier,
          .age_band = account_age_band(age_days),
          .payment_method = method,
          .typology = intent.genuine() ? FraudTypology::kNonPayment : intent.typology()};
}

OrderFeatures RiskFeatures::order(UserId user_id, MerchantId merchant_id, std::uint8_t method,
                                  double usd, FeatureSet wanted) const {
  // Only what the policy reads: on a large world each feature is a cache miss or two.
  const User& user = users_[user_id];
  const UserProfile& profile = profiles_[user_id];
  auto wants = [wanted](RiskFeature feature) { return (wanted & feature_bit(feature)) != 0; };
  OrderFeatures features;
  features[RiskFeature::kAmountUsd] = usd;
  features[RiskFeature::kPaymentMethod] = method;
  features[RiskFeature::kKycTier] = user.kyc_tier;
  features[RiskFeature::kSide] = user.side == TradeSide::kUserBuys ? 0.0 : 1.0;
  features[RiskFeature::kCompletedOrders] = user.completed_orders;
  features[RiskFeature::kMarket] = user.market;
  features[RiskFeature::kHourOfDay] = hour_of_day(now_);
  if (wants(RiskFeature::kAccountAgeDays)) {
    features[RiskFeature::kAccountAgeDays] = now_ / kDay - profile.created_day;
  }
  if (wants(RiskFeature::kCancelledOrdersToday)) {
    const CancellationRecord& cancels = profile.cancellations;
    features[RiskFeature::kCancelledOrdersToday] =
        cancels.day == day_of(now_) ? cancels.before_paying + cancels.after_marking_paid : 0;
  }
  if (wants(RiskFeature::kDeviceClusterSize)) {
    features[RiskFeature::kDeviceClusterSize] = links_.cluster_size(user_id.index());
  }
  if (wants(RiskFeature::kDaysSinceDeviceChange)) {
    features[RiskFeature::kDaysSinceDeviceChange] =
        now_ / kDay - links_.device_since(user_id.index());
  }
  if (wants(RiskFeature::kAccountsOnDevice)) {
    features[RiskFeature::kAccountsOnDevice] = links_.accounts_on_device(user_id.index());
  }
  if (wants(RiskFeature::kOrdersLast24h)) {
    features[RiskFeature::kOrdersLast24h] = orders_last_24h(user_id);
  }
  if (wants(RiskFeature::kUsdToday)) features[RiskFeature::kUsdToday] = usd_today(user_id);
  if (wants(RiskFeature::kMerchantCompletionRate)) {
    features[RiskFeature::kMerchantCompletionRate] = merchants_[merchant_id].completion_rate();
  }
  if (wants(RiskFeature::kMerchantTier)) {
    features[RiskFeature::kMerchantTier] = merchants_[merchant_id].tier;
  }
  return features;
}

OrderFeatures RiskFeatures::sign_up(UserId user_id) const {
  const User& user = users_[user_id];
  OrderFeatures features;
  features[RiskFeature::kKycTier] = user.kyc_tier;
  features[RiskFeature::kDeviceClusterSize] = links_.cluster_size(user_id.index());
  features[RiskFeature::kAccountsOnDevice] = links_.accounts_on_device(user_id.index());
  features[RiskFeature::kDaysSinceDeviceChange] =
      now_ / kDay - links_.device_since(user_id.index());
  features[RiskFeature::kHourOfDay] = hour_of_day(now_);
  features[RiskFeature::kMarket] = user.market;
  features[RiskFeature::kSide] = user.side == TradeSide::kUserBuys ? 0.0 : 1.0;
  return features;
}

}  // namespace p2psim
