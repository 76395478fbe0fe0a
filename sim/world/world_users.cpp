// Users: arrival through the funnel, order attempts and matching, coming back or churning.
#include "world/world.hpp"

#include <cmath>

#include "world/stream_purpose.hpp"

namespace p2psim {

UserId World::create_user(std::uint16_t market_index, UserIntent intent) {
  Market& market = markets_[market_index];
  const UserConfig& settings = market.config->users;
  User user{};
  if (intent == UserIntent::kGenuine) {
    user.stream = RandomStream(config_.simulation.seed, replication_,
                               stream_id(kUserStream, market_index, market.next_user_number++));
  } else {
    int typology = typology_of(intent);
    user.stream = RandomStream(config_.simulation.seed, replication_,
                               stream_id(kFraudsterStream + typology, market_index,
                                         market.next_fraudster_number[typology]++));
  }
  user.usdt_account = ledger_.open_account(0);
  user.market = market_index;
  user.intent = intent;
  user.registered_at = static_cast<float>(now_);
  if (intent == UserIntent::kGenuine) {
    user.side =
        bernoulli(user.stream, settings.buy_share) ? TradeSide::kUserBuys : TradeSide::kUserSells;
    user.payment_method = draw_payment_method(market, user.stream);
  } else {
    user.side = TradeSide::kUserBuys;
    user.payment_method = draw_fraud_method(market_index, typology_of(intent), user.stream);
    if (intent == UserIntent::kAccountTakeover) {
      // A genuine, aged account whose owner lost control of it: its USDT is sold off. Ages
      // spread by a factor of about 1.6 (sigma 0.5) around the median.
      user.side = TradeSide::kUserSells;
      const FraudTypologyConfig& fraud = market.config->fraud.account_takeover;
      user.registered_at = static_cast<float>(
          now_ - kDay * lognormal_from_median(user.stream, fraud.account_age_days_median, 0.5));
    }
  }
  users_.push_back(user);
  return static_cast<UserId>(users_.size() - 1);
}

void World::on_visitor(std::uint16_t market_index) {
  Market& market = markets_[market_index];
  const UserConfig& settings = market.config->users;
  KpiCounters& counters = today(market_index);
  ++counters.visitors;
  if (bernoulli(market.funnel, settings.registration_probability)) {
    ++counters.registered;
    if (bernoulli(market.funnel, settings.kyc_pass_probability)) {
      ++counters.kyc_verified;
      UserId user = create_user(market_index, UserIntent::kGenuine);
      queue_.schedule(now_ + exponential(users_[user].stream, settings.first_order_hours * kHour),
                      kOrderAttempt, user);
    }
  }
  queue_.schedule(market.visitors.next_after(now_), kVisitorArrives, market_index);
}

void World::on_order_attempt(UserId user_id) {
  User& user = users_[user_id];
  Market& market = markets_[user.market];
  const std::int32_t today_index = day_of(now_);
  KpiCounters& counters = market.days[today_index];
  ++counters.order_attempts;
  if (user.last_active_day != today_index) {
    user.last_active_day = today_index;
    ++counters.active_users;
  }
  if (today_index >= static_cast<std::int32_t>(config_.simulation.warmup_days)) {
    user.active_in_period = true;
  }
  double usd;
  if (user.intent == UserIntent::kGenuine) {
    const UserConfig& settings = market.config->users;
    usd = lognormal_from_median(user.stream, settings.order_usd_median, settings.order_usd_sigma);
  } else {
    usd = fraud_order_usd(user);
  }
  usd = std::round(usd * 100.0) / 100.0;  // orders are placed in whole cents
  AdRequest request{user.side, user.payment_method, usd, to_micro_usdt(usd)};
  MerchantId merchant = market.ads.match(request, market.choice, merchants_, ledger_, user.stream);
  if (merchant == kNobody) {
    ++counters.orders_unmatched;
    if (user.intent != UserIntent::kGenuine) note_fraud_outcome(user, true);
    user_moves_on(user_id, true);
    return;
  }
  OrderId order = create_order(user_id, merchant, usd);
  plan_buyer(order);
}

void World::user_moves_on(UserId id, bool bad_experience) {
  User& user = users_[id];
  const Market& market = markets_[user.market];
  if (user.intent != UserIntent::kGenuine) {
    // Fraudsters do not churn: they try again until their account is spent.
    if (--user.attempts_left == 0) return;
    queue_.schedule(next_fraud_attempt(user, now_), kOrderAttempt, id);
    return;
  }
  const UserConfig& settings = market.config->users;
  double churn =
      bad_experience ? settings.bad_experience_churn_probability : settings.churn_probability;
  if (bernoulli(user.stream, churn)) {
    user.churned = true;
    ++today(user.market).churned_users;
    return;
  }
  queue_.schedule(now_ + exponential(user.stream, settings.days_between_orders * kDay),
                  kOrderAttempt, id);
}

}  // namespace p2psim
