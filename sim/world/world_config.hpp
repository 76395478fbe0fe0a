#pragma once
// The typed, validated description of a world: what a scenario resolves to. Defaults live here
// and only here; docs/scenarios.md documents them key by key.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace p2psim {

// Relative intensity by hour of day (0 = 00:00-01:00) and by day of week (0 = Monday). Each is
// normalised to mean 1 when the world is built, so the daily mean rate is what the scenario says.
struct ArrivalProfile {
  std::array<double, 24> hourly = {0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 0.9, 1.2, 1.4, 1.5, 1.5,
                                   1.4, 1.4, 1.4,  1.4, 1.4, 1.4, 1.5, 1.6, 1.6, 1.4, 1.0, 0.6};
  std::array<double, 7> weekly = {1.0, 1.0, 1.0, 1.0, 1.1, 0.95, 0.95};
};

struct PaymentMethodConfig {
  std::string name;
  double share = 1.0;                 // relative share of users and ads using it
  double settlement_minutes = 2.0;    // median time for the fiat to reach the receiver
  bool reversible = false;            // can the payer claw the fiat back after release?
  double reversal_window_days = 0.0;  // how long after payment a reversal can still happen
};

struct UserConfig {
  std::uint32_t initial_users = 10000;  // verified users already on the platform at day 0
  double daily_visitors = 1000.0;       // mean arrivals per day at the top of the funnel
  ArrivalProfile profile;
  double registration_probability = 0.5;  // visitor -> registered
  double kyc_pass_probability = 0.7;      // registered -> kyc_verified
  double first_order_hours = 24.0;        // mean delay from verification to the first order try
  double buy_share = 0.8;                 // share of users who buy USDT; the rest sell
  double order_usd_median = 100.0;        // order size: lognormal with this median...
  double order_usd_sigma = 0.9;           // ...and this sigma of its logarithm
  double days_between_orders = 7.0;       // mean gap between a user's order attempts
  double pay_minutes_median = 4.0;        // buyer's time to pay after the order is created
  double pay_minutes_sigma = 0.7;
  double cancel_probability = 0.05;                // buyer cancels before paying
  double abandon_probability = 0.03;               // buyer walks away; the order expires
  double appeal_after_minutes = 30.0;              // a paid buyer appeals if not released by then
  double release_minutes_median = 3.0;             // a selling user's time to confirm receipt
  double price_sensitivity = 1.0;                  // logit weight per 100 bps of price difference
  double quality_sensitivity = 5.0;                // logit weight on the merchant's completion rate
  std::uint32_t ads_viewed = 10;                   // eligible ads a user compares before choosing
  double churn_probability = 0.02;                 // chance of leaving after a good order
  double bad_experience_churn_probability = 0.15;  // after a cancel, expiry, appeal or no ad
  double initial_account_age_days_median = 180.0;  // age of the accounts there at day 0
};

struct MerchantConfig {
  std::uint32_t count = 50;
  double margin_bps_mean = 80.0;  // ad price = reference rate x (1 +/- margin)
  double margin_bps_sd = 30.0;
  double min_margin_bps = 5.0;          // margins are drawn from a normal floored here
  double usdt_inventory = 20000.0;      // USDT held for sell ads, restored daily
  double fiat_inventory_usd = 20000.0;  // fiat (in USD) held for buy ads, restored daily
  double min_order_usd = 10.0;
  double max_order_usd = 2000.0;
  std::uint32_t capacity = 10;             // concurrent open orders per merchant
  std::uint32_t payment_methods_each = 2;  // payment methods each merchant accepts
  double release_minutes_median = 3.0;     // time to check the bank and release, after settlement
  double release_minutes_sigma = 0.8;
  double pay_minutes_median = 3.0;             // time to pay a selling user, on buy ads
  double careless_release_probability = 0.02;  // releases on a 'paid' mark without checking
};

struct SupportConfig {
  std::uint32_t agents = 5;               // appeals handled at once
  double resolution_minutes_mean = 30.0;  // exponential handling time per appeal
};

// Who ends up paying for a fraud loss (DESIGN.md §5): the merchant who was cheated, the platform
// that compensates whoever was cheated, or the user whose own money was taken.
enum class LossBearer : std::uint8_t { kMerchant, kPlatform, kUser };

// One fraud typology's attackers: fresh accounts arriving as a Poisson stream, each making a
// geometric number of attempts. Keys that only one typology reads are marked so; docs/model.md
// describes each typology's signature and docs/scenarios.md each key.
struct FraudTypologyConfig {
  double accounts_per_day = 0.0;      // merchant_exit_scam: merchants turning to scam per day
  double attempts_per_account = 2.0;  // mean attempts before the account is abandoned
  double hours_between_attempts = 6.0;
  double order_usd_median = 300.0;
  double order_usd_sigma = 0.6;
  double reversal_delay_days = 10.0;  // payment reversal only: mean delay of the chargeback
  // Mean days until a victim's complaint, a bank's freeze or a merchant's reconciliation tells
  // the platform (and, for triangulation and mules, claws the fiat back).
  double reveal_delay_days = 5.0;
  // Per observed outcome, the weight of that outcome in the typology's memory of its failure
  // rate (an exponential moving average); 0 = fraudsters never adapt.
  double adaptation_speed = 0.0;
  double aging_days = 14.0;  // the wait before a new account's first attack at full pressure
  LossBearer bearer = LossBearer::kMerchant;
  double ring_size_mean = 5.0;              // promotion_abuse: sybil accounts per ring
  double account_age_days_median = 400.0;   // account_takeover: age of the taken-over account
  double night_probability = 0.7;           // account_takeover: attempts moved to 00:00-06:00
  double threshold_usd = 1000.0;            // mule_structuring: the limit orders stay under
  double reveal_probability = 0.2;          // mule_structuring: share of orders a bank freezes
  double reputation_orders = 20.0;          // merchant_exit_scam: completed orders before exit
  double exit_hours = 12.0;                 // merchant_exit_scam: time taken before vanishing
  double victim_release_probability = 0.3;  // merchant_exit_scam: sellers trusting a fake mark
};

// Indexed by FraudTypology (metrics/kpi_counters.hpp): non_payment, payment_reversal,
// triangulation, promotion_abuse, account_takeover, mule_structuring, merchant_exit_scam.
struct FraudConfig {
  FraudTypologyConfig non_payment;
  FraudTypologyConfig payment_reversal;
  FraudTypologyConfig triangulation;
  FraudTypologyConfig promotion_abuse{.hours_between_attempts = 2.0,
                                      .order_usd_median = 15.0,
                                      .order_usd_sigma = 0.3,
                                      .bearer = LossBearer::kPlatform};
  FraudTypologyConfig account_takeover{.bearer = LossBearer::kUser};
  FraudTypologyConfig mule_structuring{.attempts_per_account = 8.0, .hours_between_attempts = 1.0};
  FraudTypologyConfig merchant_exit_scam{.bearer = LossBearer::kUser};

  const FraudTypologyConfig& typology(int index) const {
    return const_cast<FraudConfig*>(this)->typology(index);
  }
  FraudTypologyConfig& typology(int index) {
    FraudTypologyConfig* all[] = {&non_payment,       &payment_reversal, &triangulation,
                                  &promotion_abuse,   &account_takeover, &mule_structuring,
                                  &merchant_exit_scam};
    return *all[index];
  }
};

struct MarketConfig {
  std::string code;             // short id, used as the `market` column of every output
  std::string currency;         // ISO code of the fiat currency
  double reference_rate = 1.0;  // fiat per USDT; 1 USDT is taken as 1 USD
  double payment_window_minutes = 15.0;
  std::vector<PaymentMethodConfig> payment_methods;
  UserConfig users;
  MerchantConfig merchants;
  SupportConfig support;
  FraudConfig fraud;
};

struct SimulationConfig {
  std::uint32_t days = 30;
  std::uint32_t warmup_days = 2;
  std::uint64_t seed = 1;
  std::uint32_t replications = 1;
};

struct WorldConfig {
  SimulationConfig simulation;
  std::vector<MarketConfig> markets;
};

}  // namespace p2psim
