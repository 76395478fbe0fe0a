// Users: arrival through the funnel and by referral, accounts and their links, order attempts
// and matching, platform rules on cancellations, coming back or churning.
#include "world/world.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>

#include "world/stream_purpose.hpp"

namespace p2psim {

UserId World::create_user(std::uint16_t market_index, UserIntent intent, bool referred,
                          std::uint32_t ring) {
  Market& market = markets_[market_index];
  const UserConfig& settings = market.config->users;
  User user{};
  if (intent == UserIntent::kGenuine) {
    // Referred users are numbered apart, so that referrals never shift other users' streams.
    std::uint32_t purpose = referred ? kReferredUserStream : kUserStream;
    std::uint32_t& number = referred ? market.next_referred_user_number : market.next_user_number;
    user.stream = RandomStream(config_.simulation.seed, replication_,
                               stream_id(purpose, market_index, number++));
  } else {
    user.stream = fraudsters_.next_account_stream(market_index, typology_of(intent));
  }
  user.usdt_account = ledger_.open_account(0);
  split_.add_user();
  user.market = market_index;
  user.intent = intent;
  user.ring = ring;
  double created_day = now_ / kDay;
  if (intent == UserIntent::kGenuine) {
    user.side =
        bernoulli(user.stream, settings.buy_share) ? TradeSide::kUserBuys : TradeSide::kUserSells;
    draw_payment_methods(market, user);
  } else {
    user.payment_method = fraudsters_.draw_method(market_index, typology_of(intent), user.stream,
                                                  market.method_shares);
    fraudsters_.shape_account(user, created_day);
    user.payment_methods = 1u << user.payment_method;
  }
  user.patience_s = static_cast<float>(
      kMinute * lognormal_from_median(user.stream, settings.patience_minutes_median,
                                      settings.patience_minutes_sigma));
  users_.push_back(user);
  profiles_.emplace_back();
  incentives_.add_user();
  reviews_.add_user();
  const auto id = static_cast<UserId>(users_.size() - 1);
  draw_account(id, created_day);
  return id;
}

void World::draw_payment_methods(const Market& market, User& user) {
  // The preferred method by share; then, with probability extra_payment_method_probability each
  // time, one more method by share among those not yet held.
  const UserConfig& settings = market.config->users;
  const auto method_count = static_cast<int>(market.config->payment_methods.size());
  user.payment_method = market.method_shares.draw(user.stream);
  user.payment_methods = 1u << user.payment_method;
  while (std::popcount(user.payment_methods) < method_count &&
         bernoulli(user.stream, settings.extra_payment_method_probability)) {
    user.payment_methods |= 1u << market.method_shares.draw(user.stream, user.payment_methods);
  }
}

void World::draw_account(UserId id, double created_day) {
  User& user = users_[id];
  Market& market = markets_[user.market];
  const UserConfig& settings = market.config->users;
  profiles_[id].created_day = static_cast<float>(created_day);
  const auto& shares = settings.kyc_tier_shares;
  double pick = uniform01(user.stream) * (shares[0] + shares[1] + shares[2]);
  user.kyc_tier = pick < shares[0] ? 0 : (pick < shares[0] + shares[1] ? 1 : 2);

  // A household: a few genuine users sign up on the device, or pay from the bank account, of
  // the user who signed up before them. Fraud accounts get their own; rings reuse them.
  DeviceId device;
  BankAccountId bank_account;
  const UserId previous = market.last_genuine_user;
  const bool genuine = user.intent == UserIntent::kGenuine;
  if (genuine && previous != kNobody && bernoulli(user.stream, settings.shared_device_share)) {
    device = account_links_.device_of(previous);
  } else if (user.ring != kNoRing && user.ring < ring_devices_.size()) {
    device = ring_devices_[user.ring];  // a sybil ring shares its devices
  } else {
    device = account_links_.new_device();
  }
  if (genuine && previous != kNobody &&
      bernoulli(user.stream, settings.shared_bank_account_share)) {
    bank_account = account_links_.bank_account_of(previous);
  } else {
    bank_account = account_links_.new_bank_account();
  }
  if (user.ring != kNoRing && user.ring == ring_devices_.size()) ring_devices_.push_back(device);
  [[maybe_unused]] LinkedAccountId linked = account_links_.add_account(device, bank_account);
  assert(linked == id && "linked accounts are numbered like users");
  if (genuine) market.last_genuine_user = id;
}

void World::on_visitor(std::uint16_t market_index) {
  Market& market = markets_[market_index];
  if (!market.visitors.surge_keeps(market.demand_multiplier)) {
    return schedule_visitor(market_index);  // thinned out: demand is below its surge bound
  }
  const UserConfig& settings = market.config->users;
  KpiCounters& counters = today(market_index);
  ++counters.visitors;
  if (bernoulli(market.funnel, settings.registration_probability)) {
    ++counters.registered;
    if (bernoulli(market.funnel, settings.kyc_pass_probability)) {
      ++counters.kyc_verified;
      UserId user = create_user(market_index, UserIntent::kGenuine);
      if (admit_sign_up(user) && incentives_.places_first_order(user)) {
        queue_.schedule(now_ + exponential(users_[user].stream, settings.first_order_hours * kHour),
                        kOrderAttempt, user);
      }
    }
  }
  schedule_visitor(market_index);
}

void World::on_referred_visitor(UserId referrer) {
  // A referred visitor goes through the same funnel as any other, with its own stream.
  const std::uint16_t market_index = users_[referrer].market;
  Market& market = markets_[market_index];
  const UserConfig& settings = market.config->users;
  KpiCounters& counters = today(market_index);
  ++counters.visitors;
  ++counters.referred_visitors;
  if (!bernoulli(market.referral_funnel, settings.registration_probability)) return;
  ++counters.registered;
  if (!bernoulli(market.referral_funnel, settings.kyc_pass_probability)) return;
  ++counters.kyc_verified;
  UserId user = create_user(market_index, UserIntent::kGenuine, true);
  profiles_[user].referred_by = referrer;
  if (!admit_sign_up(user) || !incentives_.places_first_order(user)) return;
  queue_.schedule(now_ + exponential(users_[user].stream, settings.first_order_hours * kHour),
                  kOrderAttempt, user);
}

double World::order_size_cap(const User& user) const {
  const UserConfig& settings = config_.markets[user.market].users;
  if (user.kyc_tier == 0) return settings.kyc_tier0_max_order_usd;
  if (user.kyc_tier == 1) return settings.kyc_tier1_max_order_usd;
  return std::numeric_limits<double>::infinity();
}

void World::on_order_attempt(UserId user_id) {
  User& user = users_[user_id];
  Market& market = markets_[user.market];
  const std::int32_t today_index = day_of(now_);
  KpiCounters& counters = tallies_.day(user.market, today_index);
  ++counters.order_attempts;
  split_.book(split_.slot(user_id, kNobody, user.market), UnitMetric::kOrderAttempts, 1.0);
  if (user.last_active_day != today_index) {
    user.last_active_day = today_index;
    ++counters.active_users;
  }
  if (today_index >= static_cast<std::int32_t>(config_.simulation.warmup_days)) {
    user.active_in_period = true;
  }
  if (user.may_be_banned && blocked_by_rules(user_id)) {
    ++counters.orders_blocked_by_rules;
    user_moves_on(user_id, kExperienceBlocked);
    return;
  }
  // A risk policy reads the account's records after matching: start loading them now, so that
  // the memory latency overlaps the search for an ad (docs/performance.md).
  if (risk_.screened(user.market)) features_.prefetch_account(user_id);
  double usd;
  if (user.intent == UserIntent::kGenuine) {
    const UserConfig& settings = market.config->users;
    usd = lognormal_from_median(user.stream, settings.order_usd_median, settings.order_usd_sigma);
  } else {
    usd = fraudsters_.order_usd(user);
  }
  // A user who wants more than the KYC tier allows places the largest order allowed.
  usd = std::min(usd, order_size_cap(user));
  usd = std::round(usd * 100.0) / 100.0;  // orders are placed in whole cents
  AdRequest request{user.side, user.payment_methods, user.payment_method, usd, to_micro_usdt(usd)};
  if (risk_.screened(user.market)) account_links_.prefetch_links(user_id);  // overlaps the matching
  AdMatch match = merchant_books_.match(user.market, request, user.stream);
  if (match.merchant == kNobody) {
    ++counters.orders_unmatched;
    if (user.intent != UserIntent::kGenuine) fraudsters_.note_outcome(user, true);
    user_moves_on(user_id, kExperienceFailed);
    return;
  }
  OrderFeatures features;
  if (risk_.screened(user.market) && !screen_order(user_id, match, usd, features))
    return;  // may lower usd
  OrderId order = order_book_.create(user_id, match, usd);
  if (risk_.screened(user.market)) risk_.keep_context(order, features);
  order_book_.plan_buyer(order);
}

bool World::blocked_by_rules(UserId id) {
  User& user = users_[id];
  if (user.banned_for_good) return true;  // a post-trade ban never ends
  // A ban only starts at a cancellation, which sets the flag again: once over, forget it.
  user.may_be_banned =
      order_book_.cancellation_rules(user.market).is_banned(profiles_[id].cancellations, now_);
  return user.may_be_banned;
}

void World::user_moves_on(UserId id, Experience experience) {
  User& user = users_[id];
  const Market& market = markets_[user.market];
  if (user.intent != UserIntent::kGenuine) {
    // Fraudsters do not churn: they try again until their account is spent.
    if (--user.attempts_left == 0) return;
    queue_.schedule(fraudsters_.next_attempt(user, now_), kOrderAttempt, id);
    return;
  }
  const UserConfig& settings = market.config->users;
  double churn = market.churn.churn_probability(user.experience, experience, now_);
  if (bernoulli(user.stream, churn)) {
    user.churned = true;
    ++today(user.market).churned_users;
    return;
  }
  schedule_next_attempt(id, settings.days_between_orders * kDay);
}

}  // namespace p2psim
