// Users in whole worlds (sim/world/users.cpp): payment-method subsets, patience of buyers
// and sellers, the churn hazard against its equation, referrals, households sharing devices,
// KYC order caps, cancellation bans, and users' own activity and order sizes. Small worlds, each
// running in well under a second.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <numeric>
#include <vector>

#include "world/world.hpp"

namespace p2psim {
namespace {

// One market of fresh visitors and no fraud, so that every effect comes from genuine users.
WorldConfig base_config(std::uint32_t days = 4) {
  WorldConfig config;
  config.simulation.days = days;
  config.simulation.warmup_days = 0;
  config.simulation.seed = 4242;
  MarketConfig market;
  market.code = "ng";
  market.currency = "NGN";
  market.reference_rate = 1500.0;
  market.payment_methods = {{.name = "bank", .share = 0.5, .settlement_minutes = 2.0},
                            {.name = "wallet", .share = 0.3, .settlement_minutes = 2.0},
                            {.name = "card", .share = 0.2, .settlement_minutes = 2.0}};
  market.users.initial_users = 0;
  market.users.daily_visitors = 1000.0;
  market.users.first_order_hours = 1.0;
  market.merchants.count = 30;
  config.markets.push_back(market);
  return config;
}

struct Finished {
  ReplicationOutcome outcome;
  KpiCounters total;  // every day, none excluded
};

Finished run(const WorldConfig& config) {
  World world(config, 0);
  EXPECT_TRUE(world.run());
  Finished result{world.outcome(), {}};
  for (const KpiCounters& day : result.outcome.markets[0].days)
    result.total.merge(day);
  return result;
}

// 4 binomial standard errors of a share p estimated from n trials.
double tolerance(double p, double n) {
  return 4.0 * std::sqrt(p * (1.0 - p) / n);
}

// With 3 methods and probability q of one more each time: P(1) = 1 - q, P(2) = q (1 - q),
// P(3) = q^2.
TEST(WorldUsers, UsersHoldAGeometricNumberOfPaymentMethods) {
  WorldConfig config = base_config(2);
  config.markets[0].users.extra_payment_method_probability = 0.4;
  World world(config, 0);
  ASSERT_TRUE(world.run());
  const double n = static_cast<double>(world.user_count());
  ASSERT_GT(n, 300.0);
  double counts[4] = {0, 0, 0, 0};
  for (UserId id : every_id<UserId>(world.user_count())) {
    const User& user = world.user(id);
    ASSERT_TRUE((user.payment_methods >> user.payment_method) & 1u);  // holds the preferred
    ++counts[std::popcount(user.payment_methods)];
  }
  EXPECT_EQ(counts[0], 0.0);
  EXPECT_NEAR(counts[1] / n, 0.6, tolerance(0.6, n));
  EXPECT_NEAR(counts[2] / n, 0.24, tolerance(0.24, n));
  EXPECT_NEAR(counts[3] / n, 0.16, tolerance(0.16, n));
}

// Each verified user makes one attempt, which finds no ad: a failed experience. The churn
// probability after it is 1 - (1 - base) exp(-weight_failed), checked within 4 binomial
// standard errors, and it rises with the weight.
TEST(WorldUsers, ChurnAfterAFailedAttemptFollowsTheHazard) {
  auto churn_share = [](double weight) {
    WorldConfig config = base_config(3);
    UserConfig& users = config.markets[0].users;
    users.days_between_orders = 1e6;  // no second attempt
    users.activity_sigma = 0.0;       // every user at the market's rate: the hazard's own form
    users.referrals_per_user = 0.0;
    users.churn.base_probability = 0.02;
    users.churn.weight_failed = weight;
    config.markets[0].merchants.min_order_usd = 1e7;  // no order fits any ad
    config.markets[0].merchants.max_order_usd = 1e7;
    Finished result = run(config);
    EXPECT_EQ(result.total.orders_created, 0u);
    return std::make_pair(static_cast<double>(result.total.churned_users),
                          static_cast<double>(result.total.orders_unmatched));
  };
  auto [churned_low, attempts_low] = churn_share(0.0);
  auto [churned_high, attempts_high] = churn_share(1.0);
  ASSERT_GT(attempts_low, 500.0);
  const double p_low = 0.02;
  const double p_high = 1.0 - 0.98 * std::exp(-1.0);
  EXPECT_NEAR(churned_low / attempts_low, p_low, tolerance(p_low, attempts_low));
  EXPECT_NEAR(churned_high / attempts_high, p_high, tolerance(p_high, attempts_high));
}

// Merchants release 60 minutes after the fiat settles (exponential, mean 2 minutes): buyers
// with a patience of 20 minutes all appeal, at 20 minutes, and the merchant's release ends the
// appeal (support is far too slow) about 42 minutes later; buyers with 120 minutes never do.
TEST(WorldUsers, BuyersAppealWhenTheReleaseOutlastsTheirPatience) {
  auto with_patience = [](double minutes) {
    WorldConfig config = base_config();
    UserConfig& users = config.markets[0].users;
    users.buy_share = 1.0;
    users.cancel_probability = 0.0;
    users.abandon_probability = 0.0;
    users.patience_minutes_median = minutes;
    users.patience_minutes_sigma = 0.0;
    config.markets[0].merchants.release_minutes_median = 60.0;
    config.markets[0].merchants.release_minutes_sigma = 0.0;
    config.markets[0].support.resolution_minutes_mean = 1e7;
    return run(config).total;
  };
  KpiCounters impatient = with_patience(20.0);
  ASSERT_GT(impatient.orders_created, 500u);
  const double paid = static_cast<double>(impatient.orders_created - impatient.orders_expired);
  EXPECT_GT(impatient.orders_appealed / paid, 0.99);  // all but orders paid at the very end
  ASSERT_GT(impatient.appeals_resolved, 500u);
  // Mean of (60 + settlement - 20) minutes; settlement is exponential: sd 2 minutes.
  const double minutes = impatient.appeal_resolution_seconds / impatient.appeals_resolved / 60.0;
  EXPECT_NEAR(minutes, 42.0, 4.0 * 2.0 / std::sqrt(impatient.appeals_resolved));
  EXPECT_EQ(with_patience(120.0).orders_appealed, 0u);
}

// Only the buyer cancels. Merchants pay selling users after exactly 10 minutes: a seller with 5
// minutes of patience waits (a slow experience) and the order completes; with a 8-minute
// payment window the merchant is too late, and every order expires (none is cancelled). The
// expiries are the merchant's failures: its completion rate counts them.
TEST(WorldUsers, SellersWaitAndOrdersExpireWhenTheMerchantDoesNotPayInTime) {
  auto with_window = [](double window_minutes) {
    WorldConfig config = base_config();
    UserConfig& users = config.markets[0].users;
    users.buy_share = 0.0;
    users.patience_minutes_median = 5.0;
    users.patience_minutes_sigma = 0.0;
    config.markets[0].payment_window_minutes = window_minutes;
    config.markets[0].merchants.pay_minutes_median = 10.0;
    config.markets[0].merchants.release_minutes_sigma = 0.0;
    return run(config).outcome.markets[0];
  };
  // Merchants' mean completion rate.
  auto completion_rate = [](const MarketTally& tally) {
    return tally.period.merchant_completion_rate_sum / tally.period.merchants_rated;
  };
  const MarketTally in_time = with_window(15.0);
  ASSERT_GT(in_time.period.orders_created, 500u);
  EXPECT_EQ(in_time.period.orders_cancelled, 0u);
  EXPECT_EQ(in_time.period.orders_expired, 0u);
  EXPECT_GT(in_time.period.orders_completed, 500u);
  EXPECT_EQ(completion_rate(in_time), 1.0);
  const MarketTally too_late = with_window(8.0);
  ASSERT_GT(too_late.period.orders_created, 500u);
  EXPECT_EQ(too_late.period.orders_cancelled, 0u);
  EXPECT_EQ(too_late.period.orders_completed, 0u);
  // Orders created in the last 8 minutes of the run are still open.
  EXPECT_GT(static_cast<double>(too_late.period.orders_expired) / too_late.period.orders_created,
            0.99);
  EXPECT_EQ(completion_rate(too_late), 0.0);
}

TEST(WorldUsers, ReferralsBringVisitorsThroughTheFunnel) {
  WorldConfig config = base_config(6);
  config.markets[0].users.referrals_per_user = 2.0;
  config.markets[0].users.referral_delay_days = 0.5;
  World world(config, 0);
  ASSERT_TRUE(world.run());
  const ReplicationOutcome outcome = world.outcome();
  KpiCounters total;
  for (const KpiCounters& day : outcome.markets[0].days) {
    // The funnel stays nested day by day with referred visitors in it.
    EXPECT_LE(day.referred_visitors, day.visitors);
    EXPECT_LE(day.registered, day.visitors);
    EXPECT_LE(day.kyc_verified, day.registered);
    total.merge(day);
  }
  EXPECT_GT(total.referred_visitors, 100u);
  std::uint64_t referred_users = 0;
  for (UserId id : every_id<UserId>(world.user_count())) {
    UserId referrer = world.user_profile(id).referred_by;
    if (referrer == kNobody) continue;
    ++referred_users;
    ASSERT_LT(referrer.index(), world.user_count());
    EXPECT_GE(world.user(referrer).completed_orders, 1u);  // referrals follow a first trade
    EXPECT_GE(world.user_profile(id).created_day, world.user_profile(referrer).created_day);
  }
  EXPECT_GT(referred_users, 0u);
  EXPECT_LE(referred_users, total.referred_visitors);

  config.markets[0].users.referrals_per_user = 0.0;
  EXPECT_EQ(run(config).total.referred_visitors, 0u);
}

// `users` accounts at day 0, sharing devices at `share` and bank accounts never.
WorldConfig sharing_devices(std::uint32_t users, double share) {
  WorldConfig config = base_config(2);
  config.markets[0].users.initial_users = users;
  config.markets[0].users.shared_device_share = share;
  config.markets[0].users.shared_bank_account_share = 0.0;
  return config;
}

// A user shares a device with probability s: the previous sign-up's, or the latest household's
// (the closed form is in the test).
TEST(WorldUsers, HouseholdsShareDevicesAtTheConfiguredShare) {
  const WorldConfig config = sharing_devices(3000, 0.3);
  World world(config, 0);
  ASSERT_TRUE(world.run_until(0.0));  // the initial users exist from the start
  const AccountLinks& links = world.account_links();
  ASSERT_EQ(links.account_count(), world.user_count());
  double alone = 0;
  const double n = static_cast<double>(world.user_count());
  for (LinkedAccountId a = 0; a < world.user_count(); ++a) {
    alone += links.accounts_on_device(a) == 1;
    EXPECT_EQ(links.accounts_on_bank_account(a), 1u);
    EXPECT_EQ(links.cluster_size(a), links.accounts_on_device(a));  // only devices link here
  }
  // A user is alone when they did not share (1 - s) and the next sign-up did not pair with
  // them: it shares (s) but joins the latest household instead with probability j, so it pairs
  // with probability q = s (1 - j). Neighbours' aloneness covaries by (1 - s)^2 (1 - q) q.
  const double s = 0.3;
  const double q = s * (1.0 - config.markets[0].users.household_join_probability);
  const double p = (1 - s) * (1 - q);
  const double variance = (p * (1 - p) + 2 * (1 - s) * (1 - s) * (1 - q) * q) / n;
  EXPECT_NEAR(alone / n, p, 4.0 * std::sqrt(variance));
}

TEST(WorldUsers, HouseholdsGrowToGeometricSizes) {
  // Sharing users join the latest household with probability j = 0.5, so a household takes
  // 2 + Geometric(j) members (the pair that opened it, then each joiner until the next sharer
  // opens another): P(size >= 4) = j^2 = 0.25 of households. A sharer whose previous sign-up is
  // itself in a household merges the two; at s = 0.02 that adds about 2%. Over ~500 households
  // 4 binomial standard deviations are 0.08.
  World world(sharing_devices(50000, 0.02), 0);
  ASSERT_TRUE(world.run_until(0.0));
  const AccountLinks& links = world.account_links();
  std::map<DeviceId, std::uint32_t> households;  // shared devices and their accounts
  for (LinkedAccountId a = 0; a < world.user_count(); ++a) {
    if (links.accounts_on_device(a) > 1)
      households[links.device_of(a)] = links.accounts_on_device(a);
  }
  double large = 0.0;
  for (const auto& [device, size] : households)
    large += size >= 4;
  const double n = static_cast<double>(households.size());
  ASSERT_GT(n, 300.0);
  EXPECT_NEAR(large / n, 0.25, 4.0 * std::sqrt(0.25 * 0.75 / n));
}

TEST(WorldUsers, KycTierCapsTheOrderSize) {
  WorldConfig config = base_config(2);
  config.markets[0].users.kyc_tier_shares = {1.0, 0.0, 0.0};
  config.markets[0].users.kyc_tier0_max_order_usd = 50.0;
  KpiCounters total = run(config).total;
  ASSERT_GT(total.orders_completed, 100u);
  // Median 100 USD: most orders are cut to exactly 50, none is above.
  EXPECT_LE(total.gmv_usd, 50.0 * total.orders_completed + 1e-6);
  EXPECT_GT(total.gmv_usd, 40.0 * total.orders_completed);
}

// Buyers who cancel every first try (and 30% of retries within a visit), trying every 15
// minutes or so: past 2 cancellations a day they are banned and their attempts blocked; with a
// limit nobody reaches, nobody is.
TEST(WorldUsers, BuyersWhoCancelTooOftenAreBannedAndBlocked) {
  WorldConfig config = base_config(2);
  UserConfig& users = config.markets[0].users;
  users.buy_share = 1.0;
  users.cancel_probability = 1.0;
  users.abandon_probability = 0.0;
  users.days_between_orders = 0.01;
  users.churn = {0.0, 0.0, 0.0, 0.0, 0.0, 30.0};  // nobody leaves
  KpiCounters banned = run(config).total;
  EXPECT_GT(banned.cancellation_bans, 50u);
  EXPECT_GT(banned.orders_blocked_by_rules, banned.cancellation_bans);
  EXPECT_EQ(banned.order_attempts,
            banned.orders_created + banned.orders_unmatched + banned.orders_blocked_by_rules);
  config.markets[0].rules.cancellation.max_cancels_before_paying = 10000;
  KpiCounters free = run(config).total;
  EXPECT_EQ(free.cancellation_bans, 0u);
  EXPECT_EQ(free.orders_blocked_by_rules, 0u);
}

// ---- heterogeneous users -----------------------------------------------------------------------

// Every order attempt's user, amount and time, as the export sees them.
class AttemptAmounts final : public AttemptSink {
 public:
  explicit AttemptAmounts(std::size_t users) : by_user(users) {}
  void write(const AttemptRow& row) override {
    if (row.user.index() < by_user.size()) by_user[row.user.index()].push_back(row.usd);
    times.push_back(row.attempted_at);
  }
  void write(const AccountRow&) override {}
  void close() override {}
  std::vector<std::vector<double>> by_user;  // the users present at day 0 only
  std::vector<Seconds> times;
};

// The users already on the platform, and nothing else: no visitors, no churn, no KYC cap.
WorldConfig existing_users(std::uint32_t users, std::uint32_t days) {
  WorldConfig config = base_config(days);
  UserConfig& settings = config.markets[0].users;
  settings.initial_users = users;
  settings.daily_visitors = 1e-9;
  settings.referrals_per_user = 0.0;
  settings.churn = {.base_probability = 0.0,
                    .weight_failed = 0.0,
                    .weight_slow = 0.0,
                    .weight_blocked = 0.0,
                    .weight_disputed = 0.0};
  settings.kyc_tier_shares = {0.0, 0.0, 1.0};
  return config;
}

// A finished world of existing users, with every attempt's amount by user.
struct ExistingUsersRun {
  explicit ExistingUsersRun(const WorldConfig& config)
      : amounts(config.markets[0].users.initial_users), world(config, 0, &amounts) {
    EXPECT_TRUE(world.run());
  }
  AttemptAmounts amounts;
  World world;
};

TEST(WorldUsers, TheMostActiveTenthMakesItsShareOfAttempts) {
  // Activity is lognormal with mean 1 and sigma 1: the top 10% of users by activity hold a
  // share 1 - Phi(z_0.9 - sigma) = 0.389 of the attempt rate, and without churn make that share
  // of attempts. Tolerances are 4 standard deviations: of the sample's share over 5,000 users
  // (0.0072, by simulating the lognormal), with the Poisson noise of ~43,000 attempts (0.0024);
  // and of the activity's sample mean, sqrt(e - 1) / sqrt(5,000) = 0.0185.
  WorldConfig config = existing_users(5000, 60);
  config.markets[0].users.activity_sigma = 1.0;
  const ExistingUsersRun run(config);
  const std::vector<std::vector<double>>& amounts = run.amounts.by_user;
  std::vector<std::pair<float, std::size_t>> by_activity;  // (activity, attempts)
  double activity_sum = 0.0;
  for (std::uint32_t i = 0; i < 5000; ++i) {
    const float activity = run.world.user(UserId(i)).activity;
    by_activity.emplace_back(activity, amounts[i].size());
    activity_sum += activity;
  }
  EXPECT_NEAR(activity_sum / 5000.0, 1.0, 4 * 0.0185);
  std::sort(by_activity.rbegin(), by_activity.rend());
  double top = 0.0, all = 0.0;
  for (std::size_t i = 0; i < by_activity.size(); ++i) {
    all += static_cast<double>(by_activity[i].second);
    if (i < 500) top += static_cast<double>(by_activity[i].second);
  }
  ASSERT_GT(all, 30000.0);
  const double expected = 1.0 - 0.5 * std::erfc(-(1.2815516 - 1.0) / std::sqrt(2.0));
  EXPECT_NEAR(top / all, expected, 4 * std::hypot(0.0072, 0.0024));
}

TEST(WorldUsers, OrderAttemptsFollowTheDailyProfile) {
  // The default hourly profile gives 00:00-06:00 a share 1.05 / 24.15 = 0.0435 of the day's
  // attempts (flat, it would be 0.25). Over 4 whole weeks and ~11,000 attempts, 4 binomial
  // standard deviations are 0.0078.
  const ExistingUsersRun run(existing_users(3000, 28));
  const std::vector<Seconds>& times = run.amounts.times;
  ASSERT_GT(times.size(), 9000u);
  double night = 0.0;
  for (Seconds t : times)
    night += std::fmod(t, kDay) < 6 * kHour;
  const double expected = 1.05 / 24.15;
  const double n = static_cast<double>(times.size());
  EXPECT_NEAR(night / n, expected, 4.0 * std::sqrt(expected * (1.0 - expected) / n));
}

TEST(WorldUsers, FrequentTradersChurnPerWeekNotPerAttempt) {
  // Quiet churn only (base 0.05 per attempt at the market's rate, no bad experience counts): a
  // user at activity a >= 1 leaves at each attempt with p_a = 1 - 0.95^(1/a) and makes a
  // Poisson(4a) number of attempts in 4 weeks, so leaves with chance 1 - exp(-4 a p_a), about
  // 1 - 0.95^4 = 0.185 for all of them (per attempt it would be 1 - exp(-0.2 a): 0.45 at a = 3).
  // Held to 4 binomial standard deviations over the ~2,200 users of activity 2 or more.
  WorldConfig config = existing_users(20000, 28);
  config.markets[0].users.churn.base_probability = 0.05;
  const ExistingUsersRun run(config);
  double users = 0.0, churned = 0.0, expected = 0.0;
  for (std::uint32_t i = 0; i < 20000; ++i) {
    const User& user = run.world.user(UserId(i));
    if (user.activity < 2.0f) continue;
    const double a = user.activity;
    users += 1.0;
    churned += user.churned;
    expected += 1.0 - std::exp(-4.0 * a * (1.0 - std::pow(0.95, 1.0 / a)));
  }
  ASSERT_GT(users, 1500.0);
  const double p = expected / users;
  EXPECT_NEAR(churned / users, p, 4.0 * std::sqrt(p * (1.0 - p) / users));
}

// The covariance of two samples of one size (dividing by n).
double covariance(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double x_mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double y_mean = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sum = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i)
    sum += (x[i] - x_mean) * (y[i] - y_mean);
  return sum / n;
}

TEST(WorldUsers, UsersKeepTheirOwnOrderSizes) {
  // Log order sizes: the market's sigma 0.9 over all orders, of which a share 0.6 of the
  // variance lies between users, so two orders of one user correlate at 0.6. With ~2,800 users
  // of two orders or more, the correlation's standard error is (1 - 0.36) / sqrt(2,800) = 0.012:
  // held to 4 of them. The sigma of ~12,900 orders in 3,000 users has a standard error near
  // 0.9 / sqrt(2 x 3,000) = 0.012 at most (users as the independent units): 0.05 is 4 of them.
  WorldConfig config = existing_users(3000, 30);
  UserConfig& settings = config.markets[0].users;
  settings.activity_sigma = 0.0;
  settings.order_usd_sigma = 0.9;
  settings.order_usd_persistence = 0.6;
  const ExistingUsersRun run(config);
  std::vector<double> first, second, all;
  for (const std::vector<double>& attempts : run.amounts.by_user) {
    // Attempts refused by a cancellation ban never drew an amount (0).
    std::vector<double> sizes;
    for (double usd : attempts)
      if (usd > 0.0) sizes.push_back(std::log(usd));
    all.insert(all.end(), sizes.begin(), sizes.end());
    if (sizes.size() < 2) continue;
    first.push_back(sizes[0]);
    second.push_back(sizes[1]);
  }
  ASSERT_GT(first.size(), 2500u);
  EXPECT_NEAR(std::sqrt(covariance(all, all)), 0.9, 0.05);
  EXPECT_NEAR(
      covariance(first, second) / std::sqrt(covariance(first, first) * covariance(second, second)),
      0.6, 0.05);
}

}  // namespace
}  // namespace p2psim
