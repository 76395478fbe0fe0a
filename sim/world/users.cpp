#include "world/users.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>

#include "world/event_kind.hpp"
#include "world/market_response.hpp"
#include "world/stream_purpose.hpp"

namespace p2psim {
namespace {

// A user's activity: lognormal with mean 1, exp(sigma Z - sigma^2 / 2); 1, with nothing drawn,
// when sigma is 0, so that a market of users alike keeps its streams as they were.
double draw_activity(RandomStream& stream, double sigma) {
  if (sigma <= 0.0) return 1.0;
  return std::exp(sigma * standard_normal(stream) - 0.5 * sigma * sigma);
}

}  // namespace

Users::Users(const Wiring& wiring, std::size_t expected_users)
    : config_(wiring.config),
      replication_(wiring.replication),
      now_(wiring.now),
      queue_(wiring.queue),
      ledger_(wiring.ledger),
      metrics_(wiring.metrics),
      split_(wiring.split),
      reviews_(wiring.reviews),
      features_(wiring.features),
      fraudsters_(wiring.fraudsters),
      incentives_(wiring.incentives),
      risk_(wiring.risk),
      merchant_books_(wiring.merchants),
      order_book_(wiring.orders),
      users_(wiring.users),
      profiles_(wiring.profiles),
      account_links_(wiring.links),
      log_(wiring.log) {
  users_.reserve(expected_users);
  profiles_.reserve(expected_users);
  account_links_.reserve(expected_users);
  markets_.reserve(config_.markets.size());
}

void Users::add_market(std::uint16_t index) {
  const MarketConfig& config = config_.markets[index];
  auto stream = [&](std::uint32_t purpose) {
    return RandomStream(config_.simulation.seed, replication_, stream_id(purpose, index, 0));
  };
  // Devaluations move demand only when a factor is set; the thinning bound is then the cap.
  const double demand_bound =
      config.users.devaluation_demand_factor > 0.0 ? config.users.max_demand_multiplier : 1.0;
  markets_.push_back(MarketUsers{
      .visitors = ArrivalProcess(config.users.daily_visitors, config.users.profile,
                                 stream(kVisitorArrivalStream), demand_bound),
      .attempt_clock = ProfileClock(config.users.profile),
      .funnel = stream(kFunnelStream),
      .referral_funnel = stream(kReferralFunnelStream),
      .device_changes = stream(kDeviceChangeStream),
      .churn = ChurnHazard(config.users.churn),
      .method_shares = PaymentMethodShares(config.payment_methods),
      .demand_multiplier = 1.0,
      .demand_bound = demand_bound,
      // As for the 24-hour change, the time before the run counts as flat at the start rate.
      .remembered_depreciation = 0.0,
      .rate_an_hour_ago = config.reference_rate,
      .order_usd_sigma_between =
          config.users.order_usd_sigma * std::sqrt(config.users.order_usd_persistence),
      .order_usd_sigma_within =
          config.users.order_usd_sigma * std::sqrt(1.0 - config.users.order_usd_persistence),
  });
}

void Users::populate(std::uint16_t index, const std::atomic<bool>* stop) {
  const UserConfig& settings = config_.markets[index].users;
  for (std::uint32_t i = 0; i < settings.initial_users; ++i) {
    if (stop != nullptr && (i & 65535) == 0 && stop->load(std::memory_order_relaxed)) return;
    UserId user = create(index, UserIntent::kGenuine);
    users_[user].first_order_day = kBeforeDayZero;  // existing users are past the funnel
    // Their accounts were opened at exponential times before day 0.
    const double age_days = exponential(users_[user].stream, settings.initial_account_age_days);
    profiles_[user].created_day = static_cast<float>(-age_days);
    // The last change of phone: an exponential time back from day 0, no earlier than sign-up.
    const double changed_ago =
        exponential(markets_[index].device_changes, settings.device_change_days_mean);
    account_links_.set_device_since(user.index(),
                                    static_cast<float>(-std::min(age_days, changed_ago)));
    draw_history(users_[user], age_days, users_[user].activity);
    schedule_next_attempt(user, settings.days_between_orders * kDay);
  }
  schedule_visitor(index);
}

void Users::set_visitor_rate(std::uint16_t index, double per_day) {
  MarketUsers& market = markets_[index];
  market.visitors.set_daily_mean(per_day);
  ++market.visitor_generation;  // the pending candidate was drawn at the old rate
  schedule_visitor(index);
}

UserId Users::create(std::uint16_t market_index, UserIntent intent, bool referred,
                     std::uint32_t ring) {
  MarketUsers& market = markets_[market_index];
  const UserConfig& settings = config_.markets[market_index].users;
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
  double created_day = now_ / kDay;
  UserId hijacked = kNobody;
  if (intent == UserIntent::kGenuine) {
    user.side =
        bernoulli(user.stream, settings.buy_share) ? TradeSide::kUserBuys : TradeSide::kUserSells;
    draw_payment_methods(market, user);
  } else {
    user.payment_method = fraudsters_.draw_method(market_index, typology_of(intent), user.stream,
                                                  market.method_shares);
    fraudsters_.shape_account(user, created_day);
    user.payment_methods = 1u << user.payment_method;
    if (FraudScheme::of(intent).takes_over_genuine_account()) {
      hijacked = account_to_take_over(market_index, user.stream);
      if (hijacked != kNobody) {
        // The owner's account as it stands: its age and the orders its owner completed.
        created_day = profiles_[hijacked].created_day;
        user.completed_orders = users_[hijacked].completed_orders;
      } else {
        // No genuine account to take: a history drawn as an owner's would be.
        const double owner_activity = draw_activity(user.stream, settings.activity_sigma);
        draw_history(user, now_ / kDay - created_day, owner_activity);
      }
      // Like an account present at day 0, it is past the funnel: its trades in the run are
      // neither first orders nor first trades.
      user.first_order_day = kBeforeDayZero;
    }
  }
  user.patience_s = static_cast<float>(
      kMinute * lognormal_from_median(user.stream, settings.patience_minutes_median,
                                      settings.patience_minutes_sigma));
  if (intent == UserIntent::kGenuine) draw_habits(market, settings, user);
  users_.push_back(user);
  profiles_.emplace_back().ring = ring;
  incentives_.add_user();
  reviews_.add_user();
  const auto id = static_cast<UserId>(users_.size() - 1);
  if (intent == UserIntent::kGenuine) market.genuine_accounts.push_back(id);
  draw_account(id, created_day, hijacked);
  return id;
}

UserId Users::account_to_take_over(std::uint16_t market, RandomStream& stream) const {
  const std::vector<UserId>& accounts = markets_[market].genuine_accounts;
  if (accounts.empty()) return kNobody;
  const double count = static_cast<double>(accounts.size());
  return accounts[static_cast<std::size_t>(
      std::min(count - 1.0, std::floor(uniform01(stream) * count)))];
}

void Users::draw_payment_methods(const MarketUsers& market, User& user) {
  // The preferred method by share; then, with probability extra_payment_method_probability each
  // time, one more method by share among those not yet held.
  const UserConfig& settings = config_.markets[user.market].users;
  const auto method_count = static_cast<int>(config_.markets[user.market].payment_methods.size());
  user.payment_method = market.method_shares.draw(user.stream);
  user.payment_methods = 1u << user.payment_method;
  while (std::popcount(user.payment_methods) < method_count &&
         bernoulli(user.stream, settings.extra_payment_method_probability)) {
    user.payment_methods |= 1u << market.method_shares.draw(user.stream, user.payment_methods);
  }
}

// Own median: the market's median times exp(sqrt(persistence) x order_usd_sigma x Z'), so that
// with the spread of one user's orders (MarketUsers::order_usd_sigma_within) all orders keep the
// market's lognormal. No draw when a spread is 0: the homogeneous model's streams stay as they
// were.
void Users::draw_habits(const MarketUsers& market, const UserConfig& settings, User& user) {
  user.activity = static_cast<float>(draw_activity(user.stream, settings.activity_sigma));
  user.order_usd_median = static_cast<float>(settings.order_usd_median);
  if (market.order_usd_sigma_between > 0.0) {
    user.order_usd_median = static_cast<float>(lognormal_from_median(
        user.stream, settings.order_usd_median, market.order_usd_sigma_between));
  }
}

// The orders an account completed before day 0 (or before it was taken over): one per attempt
// its owner made at their activity over the account's age, a Poisson count. Every past attempt
// is taken to have completed.
void Users::draw_history(User& user, double age_days, double activity) {
  const double mean_gap_days = config_.markets[user.market].users.days_between_orders;
  user.completed_orders = poisson_count(user.stream, activity * age_days / mean_gap_days);
}

void Users::draw_account(UserId id, double created_day, UserId hijacked) {
  User& user = users_[id];
  MarketUsers& market = markets_[user.market];
  const UserConfig& settings = config_.markets[user.market].users;
  profiles_[id].created_day = static_cast<float>(created_day);
  const std::uint32_t ring = profiles_[id].ring;
  if (hijacked != kNobody) {
    user.kyc_tier = users_[hijacked].kyc_tier;
  } else {
    const auto& shares = settings.kyc_tier_shares;
    double pick = uniform01(user.stream) * (shares[0] + shares[1] + shares[2]);
    user.kyc_tier = pick < shares[0] ? 0 : (pick < shares[0] + shares[1] ? 1 : 2);
  }
  float device_since = static_cast<float>(created_day);

  // A household: a few genuine users sign up on the device, or pay from the bank account, of
  // the user who signed up before them. Fraud accounts get their own; rings reuse them.
  DeviceId device;
  BankAccountId bank_account;
  const UserId previous = market.last_genuine_user;
  const bool genuine = user.intent == UserIntent::kGenuine;
  if (genuine && previous != kNobody && bernoulli(user.stream, settings.shared_device_share)) {
    device = account_links_.device_of(previous.index());
    // Households grow: a sharing user may join the latest shared device rather than pair up.
    const double join = settings.household_join_probability;
    if (market.household_device && join > 0.0 && bernoulli(user.stream, join)) {
      device = *market.household_device;
    }
    market.household_device = device;
  } else if (ring != kNoRing && ring < ring_devices_.size()) {
    device = ring_devices_[ring];  // a sybil ring shares its devices
  } else if (!genuine && FraudScheme::of(user.intent).takes_over_genuine_account()) {
    // The attacker signs in from a phone of their own, or from the owner's (remote access, a
    // stolen phone): then the account's device, and when it started using it, are the owner's.
    const double changes = fraudsters_.settings(user.market, user.intent).device_change_probability;
    if (hijacked != kNobody && !bernoulli(user.stream, changes)) {
      device = account_links_.device_of(hijacked.index());
      device_since = account_links_.device_since(hijacked.index());
    } else {
      device = account_links_.new_device();
      device_since = static_cast<float>(now_ / kDay);
    }
  } else {
    device = account_links_.new_device();
  }
  if (genuine && previous != kNobody &&
      bernoulli(user.stream, settings.shared_bank_account_share)) {
    bank_account = account_links_.bank_account_of(previous.index());
  } else {
    bank_account = account_links_.new_bank_account();
  }
  if (ring != kNoRing && ring == ring_devices_.size()) ring_devices_.push_back(device);
  [[maybe_unused]] LinkedAccountId linked = account_links_.add_account(device, bank_account);
  assert(linked == id.index() && "linked accounts are numbered like users");
  account_links_.set_device_since(linked, device_since);
  if (genuine) market.last_genuine_user = id;
}

void Users::on_visitor(std::uint16_t market_index) {
  MarketUsers& market = markets_[market_index];
  if (!market.visitors.surge_keeps(market.demand_multiplier)) {
    return schedule_visitor(market_index);  // thinned out: demand is below its surge bound
  }
  if (pass_funnel(market_index, market.funnel, false)) {
    UserId user = create(market_index, UserIntent::kGenuine);
    if (risk_.admit_sign_up(user) && incentives_.places_first_order(user)) {
      schedule_first_attempt(user);
    }
  }
  schedule_visitor(market_index);
}

void Users::on_referred_visitor(UserId referrer) {
  // A referred visitor goes through the same funnel as any other, with its own stream.
  const std::uint16_t market_index = users_[referrer].market;
  MarketUsers& market = markets_[market_index];
  if (!pass_funnel(market_index, market.referral_funnel, true)) return;
  UserId user = create(market_index, UserIntent::kGenuine, true);
  profiles_[user].referred_by = referrer;
  if (!risk_.admit_sign_up(user) || !incentives_.places_first_order(user)) return;
  schedule_first_attempt(user);
}

void Users::schedule_first_attempt(UserId id) {
  User& user = users_[id];
  const double mean_delay = config_.markets[user.market].users.first_order_hours * kHour;
  queue_.schedule(
      markets_[user.market].attempt_clock.advance(now_, exponential(user.stream, mean_delay)),
      kOrderAttempt, id);
}

bool Users::pass_funnel(std::uint16_t market_index, RandomStream& stream, bool referred) {
  const UserConfig& settings = config_.markets[market_index].users;
  VisitorArrived visitor{.market = market_index, .referred = referred};
  visitor.registered = bernoulli(stream, settings.registration_probability);
  visitor.kyc_verified = visitor.registered && bernoulli(stream, settings.kyc_pass_probability);
  metrics_.record(visitor);
  return visitor.kyc_verified;
}

double Users::order_size_cap(const User& user) const {
  const UserConfig& settings = config_.markets[user.market].users;
  if (user.kyc_tier == 0) return settings.kyc_tier0_max_order_usd;
  if (user.kyc_tier == 1) return settings.kyc_tier1_max_order_usd;
  return std::numeric_limits<double>::infinity();
}

void Users::prefetch(UserId user) const {
  users_.prefetch(user);
  if (risk_.reads_accounts()) features_.prefetch_account(user);
  if (log_) log_->prefetch_activity(user);
}

void Users::prefetch_links(UserId user) const {
  if (risk_.reads_accounts()) account_links_.prefetch_links(user.index());
}

void Users::on_order_attempt(UserId user_id) {
  User& user = users_[user_id];
  const std::int32_t today_index = day_of(now_);
  metrics_.record(OrderAttempted{.market = user.market,
                                 .day = today_index,
                                 .unit = split_.slot(user_id, kNobody, user.market),
                                 .first_today = user.last_active_day != today_index});
  if (log_) log_->begin(user_id);
  user.last_active_day = static_cast<std::int16_t>(today_index);
  if (today_index >= static_cast<std::int32_t>(config_.simulation.warmup_days)) {
    user.active_in_period = true;
  }
  if (user.may_be_banned && blocked_by_rules(user_id)) {
    metrics_.record(AttemptRefusedByRules{user.market});
    if (log_) log_->end(AttemptOutcome::kRefusedByRules);
    moves_on(user_id, kExperienceBlocked);
    return;
  }
  // A risk policy (or the export) reads the account's records after matching: start loading them
  // now, so that the memory latency overlaps the search for an ad (docs/performance.md).
  const bool reads_account = risk_.screened(user.market) || risk_.exports_features();
  if (reads_account) features_.prefetch_account(user_id);
  double usd;
  if (user.intent == UserIntent::kGenuine) {
    usd = lognormal_from_median(user.stream, user.order_usd_median,
                                markets_[user.market].order_usd_sigma_within);
  } else {
    usd = fraudsters_.order_usd(user);
  }
  // A user who wants more than the KYC tier allows places the largest order allowed.
  usd = std::min(usd, order_size_cap(user));
  usd = std::round(usd * 100.0) / 100.0;  // orders are placed in whole cents
  const AdRequest request = ad_request(user_id, usd);
  if (reads_account) account_links_.prefetch_links(user_id.index());  // overlaps the matching
  // A selling user's USDT comes into escrow from their account when the order is created.
  if (user.side == TradeSide::kUserSells) ledger_.prefetch(user.usdt_account);
  AdMatch match = merchant_books_.match(user.market, request, user.stream);
  if (log_) log_->matched(match, usd);
  if (match.merchant == kNobody) return unmatched(user_id);
  OrderFeatures features;
  if (risk_.screened(user.market)) {
    if (!screen_order(user_id, match, usd, features)) return;  // may lower usd
  } else if (risk_.exports_features() || incentives_.active(user.market)) {
    risk_.pass_unscreened(user_id, match, usd);  // a campaign or the export reads the velocity
  }
  OrderId order = order_book_.create(user_id, match, usd);
  if (log_) log_->created(order, order_book_.simulated());
  if (risk_.screened(user.market)) risk_.keep_context(order, features);
  order_book_.plan_buyer(order);
}

void Users::unmatched(UserId user_id) {
  const User& user = users_[user_id];
  metrics_.record(AttemptUnmatched{user.market});
  if (log_) log_->end(AttemptOutcome::kUnmatched);
  if (user.intent != UserIntent::kGenuine) fraudsters_.note_outcome(user, true);
  moves_on(user_id, kExperienceFailed);
}

bool Users::blocked_by_rules(UserId id) {
  User& user = users_[id];
  if (user.banned_for_good) return true;  // a post-trade ban never ends
  // A ban only starts at a cancellation, which sets the flag again: once over, forget it.
  user.may_be_banned =
      order_book_.cancellation_rules(user.market).is_banned(profiles_[id].cancellations, now_);
  return user.may_be_banned;
}

void Users::retries_in_visit(UserId id) {
  User& user = users_[id];
  user.retrying = true;
  const double mean_delay = config_.markets[user.market].users.retry_minutes_mean * kMinute;
  queue_.schedule(now_ + exponential(user.stream, mean_delay), kOrderAttempt, id);
}

void Users::moves_on(UserId id, Experience experience) {
  User& user = users_[id];
  user.retrying = false;  // the visit is over
  const MarketUsers& market = markets_[user.market];
  if (user.intent != UserIntent::kGenuine) {
    // Fraudsters do not churn: they try again until their account is spent.
    if (--user.attempts_left == 0) return;
    queue_.schedule(fraudsters_.next_attempt(user, now_), kOrderAttempt, id);
    return;
  }
  const UserConfig& settings = config_.markets[user.market].users;
  double churn = market.churn.churn_probability(user.experience, experience, now_, user.activity);
  if (bernoulli(user.stream, churn)) {
    user.churned = true;
    metrics_.record(UserChurned{user.market});
    return;
  }
  schedule_next_attempt(id, settings.days_between_orders * kDay);
}

void Users::update_demand(std::uint16_t index) {
  MarketUsers& market = markets_[index];
  if (market.demand_bound == 1.0) return;  // devaluations do not move demand in this market
  const UserConfig& settings = config_.markets[index].users;
  const double rate = merchant_books_.rate(index).value();
  market.remembered_depreciation =
      market.remembered_depreciation * std::exp(-1.0 / settings.surge_decay_hours) +
      (rate / market.rate_an_hour_ago - 1.0);
  market.rate_an_hour_ago = rate;
  market.demand_multiplier = demand_multiplier(market.remembered_depreciation, settings);
}

void Users::schedule_visitor(std::uint16_t index) {
  MarketUsers& market = markets_[index];
  queue_.schedule(market.visitors.next_after(now_),
                  kVisitorArrives | (market.visitor_generation << 8), index);
}

bool Users::surges(const User& user) const {
  return user.intent == UserIntent::kGenuine && user.side == TradeSide::kUserBuys &&
         markets_[user.market].demand_bound > 1.0;
}

// The next order attempt after an exponential gap with mean `mean_gap` over the user's own
// activity. A genuine buyer in a market whose demand can surge gets candidates at demand_bound
// times that rate instead, each kept when it happens with probability multiplier / demand_bound
// (on_surge_attempt): exactly a Poisson stream of attempts at rate multiplier x activity /
// mean_gap, following the multiplier hour by hour.
void Users::schedule_next_attempt(UserId id, double mean_gap) {
  User& user = users_[id];
  mean_gap /= user.activity;
  const ProfileClock& clock = markets_[user.market].attempt_clock;
  // A taker fee keeps users away, a waiver of it brings them back (docs/model.md, Fees and
  // incentives).
  if (incentives_.moves_attempts(user.market)) {
    mean_gap /= incentives_.attempt_rate_multiplier(id);
  }
  if (surges(user)) {
    const double bound = markets_[user.market].demand_bound;
    queue_.schedule(clock.advance(now_, exponential(user.stream, mean_gap / bound)), kSurgeAttempt,
                    id);
    return;
  }
  queue_.schedule(clock.advance(now_, exponential(user.stream, mean_gap)), kOrderAttempt, id);
}

void Users::on_surge_attempt(UserId id) {
  User& user = users_[id];
  const MarketUsers& market = markets_[user.market];
  if (bernoulli(user.stream, market.demand_multiplier / market.demand_bound)) {
    return on_order_attempt(id);
  }
  schedule_next_attempt(id, config_.markets[user.market].users.days_between_orders * kDay);
}

void Users::place_order(UserId user_id, double usd) {
  // Time has passed since the user picked an ad: they pick again, for the approved amount.
  User& user = users_[user_id];
  AdMatch match = merchant_books_.match(user.market, ad_request(user_id, usd), user.stream);
  if (log_) log_->matched(match, usd);
  if (match.merchant == kNobody) return unmatched(user_id);
  features_.count_velocity(user_id, usd);
  OrderId order = order_book_.create(user_id, match, usd);
  if (log_) log_->created(order, order_book_.simulated());
  risk_.keep_context(order, risk_.creation_features(user_id, match, usd));
  order_book_.plan_buyer(order);
}

AdRequest Users::ad_request(UserId user_id, double usd) const {
  const User& user = users_[user_id];
  AdRequest request{user.side,          user.payment_methods,  user.payment_method, usd,
                    to_micro_usdt(usd), user.completed_orders, user.kyc_tier};
  // The registration date is a cold record: read only where merchants' filters ask for it.
  if (config_.markets[user.market].merchants.filter_min_account_age_days > 0) {
    const double age_days = now_ / kDay - profiles_[user_id].created_day;
    request.account_age_days = static_cast<std::uint32_t>(std::max(0.0, age_days));
  }
  return request;
}

bool Users::screen_order(UserId user_id, const AdMatch& match, double& usd,
                         OrderFeatures& features) {
  switch (risk_.screen(user_id, match, usd, features)) {
    case RiskScreening::Screening::kPass:
      return true;
    case RiskScreening::Screening::kBlocked:
      moves_on(user_id, kExperienceBlocked);
      return false;
    case RiskScreening::Screening::kFailed:
      moves_on(user_id, kExperienceFailed);
      return false;
    case RiskScreening::Screening::kInReview:
      return false;
  }
  return false;
}

void Users::stop_attempt(UserId user_id, bool genuine, std::int32_t screened_day,
                         std::uint32_t unit_slot, const OrderSegment& segment) {
  risk_.stop(user_id, genuine, screened_day, unit_slot, segment);
  moves_on(user_id, kExperienceBlocked);
}

}  // namespace p2psim
