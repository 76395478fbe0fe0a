#pragma once
// The records of the world's agents and orders, kept in flat arrays indexed by dense ids.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/dense_id.hpp"
#include "core/random_stream.hpp"
#include "core/record_array.hpp"
#include "core/time.hpp"
#include "metrics/fraud_typology.hpp"
#include "world/cancellation_rules.hpp"
#include "world/churn_hazard.hpp"
#include "world/ledger.hpp"
#include "world/order.hpp"
#include "world/world_config.hpp"

namespace p2psim {

using UserId = DenseId<struct UserTag>;
using MerchantId = DenseId<struct MerchantTag>;
using OrderId = DenseId<struct OrderTag>;

// Who a user really is: genuine, or a fraudster of one FraudTypology, so that a typology is
// declared once (metrics/fraud_typology.hpp) for the metrics and the world alike. The platform
// cannot see it; the simulator books KPIs by it. FraudTypology::kMerchantExitScam is never a
// user's intent: it marks the orders a scamming merchant takes (Order::intent).
class UserIntent {
 public:
  static const UserIntent kGenuine;

  constexpr UserIntent() = default;
  constexpr explicit UserIntent(FraudTypology typology)
      : code_(static_cast<std::uint8_t>(static_cast<std::uint8_t>(typology) + 1)) {}

  constexpr bool genuine() const { return code_ == 0; }
  // The typology of a fraudulent intent; meaningless for a genuine one.
  constexpr FraudTypology typology() const { return static_cast<FraudTypology>(code_ - 1); }
  constexpr bool operator==(const UserIntent&) const = default;
  constexpr bool operator==(FraudTypology typology) const {
    return code_ == static_cast<std::uint8_t>(typology) + 1;
  }

 private:
  std::uint8_t code_ = 0;
};
inline constexpr UserIntent UserIntent::kGenuine{};

// Which side of the trade the user takes: buy USDT (on a merchant's sell ad) or sell it.
enum class TradeSide : std::uint8_t { kUserBuys, kUserSells };

// The fraud typology index (as in kFraudTypologyNames) of a fraudulent intent.
inline int typology_of(UserIntent intent) {
  return static_cast<int>(intent.typology());
}

inline constexpr std::uint32_t kNoRing = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint32_t kNoLabel = std::numeric_limits<std::uint32_t>::max();

// first_order_day of users already on the platform at day 0: past the funnel.
inline constexpr std::int16_t kBeforeDayZero = -2;

// The fields read on every order; the rest of a user lives in UserProfile. Days are 16-bit
// (a run lasts at most 3,650 days), so that the record stays 96 bytes.
struct User {
  RandomStream stream;
  AccountId usdt_account;
  std::uint32_t payment_methods;  // bit mask of the methods the user can pay or be paid with
  std::uint16_t market;
  std::int16_t first_order_day = -1;  // the funnel cohort: day of the first order ever placed
  std::int16_t last_active_day = -1;
  std::uint8_t payment_method;  // the preferred one, used whenever the merchant accepts it
  std::uint8_t kyc_tier = 0;    // 0, 1 or 2; caps the order size
  TradeSide side;
  UserIntent intent;
  std::uint8_t split_pieces = 1;  // fraudsters only: adaptation splits each order into this many
  bool churned = false;
  bool active_in_period = false;
  bool may_be_banned = false;       // banned by a rule since its last attempt: check it
  bool banned_for_good = false;     // by the risk policy after a trade
  bool retrying = false;            // trying another ad in the visit after cancelling
  std::uint32_t attempts_left = 0;  // fraudsters only
  std::uint32_t completed_orders = 0;
  float patience_s = 0.0f;  // how long the user waits for the counterparty before acting
  // Genuine users' own habits, drawn once (docs/model.md, Heterogeneous users): their attempt
  // rate as a multiple of the market's mean, and the median of their order sizes.
  float activity = 1.0f;
  float order_usd_median = 0.0f;
  ExperienceScore experience;
};

// Orders a user created on their last two days of ordering, for the risk features
// orders_last_24h and usd_today; counted only in markets with a risk policy.
struct OrderVelocity {
  std::int32_t day = -1;
  std::uint16_t orders_that_day = 0;
  std::uint16_t orders_day_before = 0;
  float usd_that_day = 0.0f;
};

// What the platform knows about an account beyond trading: read rarely, kept apart from User.
// Devices and bank accounts are in the World's AccountLinks, under the same id.
struct UserProfile {
  float created_day = 0.0f;      // account creation, in days since day 0 (negative: before)
  UserId referred_by = kNobody;  // the user whose referral brought this one, if any
  Seconds first_completed_at = -1.0;
  CancellationRecord cancellations;
  OrderVelocity velocity;        // beside the other features a risk decision reads
  std::uint32_t ring = kNoRing;  // promotion abuse: the sybil ring sharing this account's device
};

// Where a merchant is in its life on the platform. Dormant merchants are slots reserved for
// entrants; leaving ones take no new orders and go once their open orders are finished.
enum class MerchantStatus : std::uint8_t { kDormant, kListed, kLeaving, kGone };

struct Merchant {
  // What matching reads for every ad it considers, together in the first cache lines.
  std::uint32_t open_orders = 0;
  std::uint32_t capacity_limit = 0;  // concurrent open orders it can handle
  std::uint32_t accepted_methods;    // bit mask over the market's payment methods
  std::uint32_t frozen_methods = 0;  // bit mask: accounts frozen by a bank after tainted fiat
  AccountId usdt_account;
  AccountId first_fiat_account;  // one fiat account per market payment method, consecutive
  MerchantStatus status = MerchantStatus::kListed;
  bool online = true;
  bool suspended = false;  // by the platform's eligibility rule
  std::uint8_t tier = 0;   // index into rules.merchant_tiers (its cap), judged at day close
  // Its ads' counterparty filter (all 0: none): the completed orders, KYC tier and days since
  // registration it asks.
  std::uint16_t min_counterparty_orders = 0;
  std::uint8_t min_counterparty_kyc_tier = 0;
  std::uint8_t min_counterparty_age_days = 0;
  // The logit utility of its ads, by the side of the users they serve (kUserBuys: the sell ad),
  // kept current by the world.
  std::array<double, 2> choice_utility{};
  double sell_price;  // fiat per USDT on the merchant's sell ad
  double buy_price;   // fiat per USDT on the merchant's buy ad

  RandomStream stream;
  AccountId deposit_account;  // the security deposit, held by the platform
  std::uint16_t market;
  std::uint8_t online_start_hour = 0;   // its daily online window starts at this hour
  float name_check_probability = 0.0f;  // its diligence: checks the payer's name this often
  double margin_bps;                    // its own margin, drawn once; repricing starts from it
  double sell_margin_bps;               // the sell ad's distance above the reference rate
  double buy_margin_bps;                // the buy ad's distance below the reference rate
  // The orders its completion rate counts, as platforms define it: completed ones and those that
  // failed by its own doing (a selling user's order it did not pay in time); a buyer's
  // cancellation or walk-away does not count against it.
  std::uint32_t orders_counted = 0;
  std::uint32_t orders_completed = 0;
  std::int32_t last_active_day = -1;
  bool active_in_period = false;
  std::int32_t entered_day = 0;
  std::int32_t probation_until_day = 0;
  std::int32_t suspended_until_day = 0;
  double pnl_today_usd = 0.0;  // spread earned minus fraud losses borne, today
  std::uint32_t counted_today = 0;
  std::uint32_t completed_today = 0;
  // Fiat owed to selling users on open orders, not yet paid, per payment method.
  std::array<MinorUnits, kMaxPaymentMethods> fiat_committed{};
  bool exit_scamming = false;  // takes buyers' fiat without releasing, then vanishes
  // Chargebacks, recalls and seizures still to come on its completed orders: a leaving merchant
  // stays (without ads) until they have landed, so that they find its accounts.
  std::uint32_t pending_clawbacks = 0;

  // The completion rate buyers see, with a prior of 19 completed out of 20 for new merchants.
  double completion_rate() const { return (orders_completed + 19.0) / (orders_counted + 20.0); }
  // Takes new orders: listed, online and not suspended.
  bool advertising() const { return status == MerchantStatus::kListed && online && !suspended; }
  AccountId fiat_account(std::uint8_t method) const { return first_fiat_account + method; }
  bool frozen(std::uint8_t method) const { return (frozen_methods >> method) & 1u; }
};

// The fiat, in minor units, for `usd` worth of USDT at `price` fiat per USDT.
inline MinorUnits fiat_for(double usd, double price) {
  return std::llround(usd * price * kFiatMinorPerUnit);
}

// Fiat a merchant can still commit to new buy orders paid with `method`.
inline MinorUnits uncommitted_fiat(const Merchant& merchant, const Ledger& ledger,
                                   std::uint8_t method) {
  return ledger.balance(merchant.fiat_account(method)) - merchant.fiat_committed[method];
}

struct Order {
  std::uint32_t generation = 0;  // bumped on reuse, so stale events can be told apart
  OrderState state = OrderState::kCreated;
  TradeSide side = TradeSide::kUserBuys;
  UserIntent intent = UserIntent::kGenuine;
  std::uint8_t payment_method = 0;
  bool fiat_paid = false;          // did real fiat move (the truth support looks for)
  bool in_support = false;         // queued or being handled by support: the slot must stay
  bool reversal_pending = false;   // a chargeback is on its way: the slot must stay
  bool slow = false;               // the counterparty was slower than the user's patience
  bool fraud_failed = false;       // released, but the fraud came to nothing (a refused claim)
  bool withdrawal_locked = false;  // a fraudster's bought USDT, locked in: the slot must stay
  std::uint16_t market = 0;
  std::int32_t created_day = 0;
  UserId user = kNobody;
  MerchantId merchant = kNobody;
  float patience_s = 0.0f;  // the user's, copied so that timing an appeal needs no user record
  MinorUnits usdt = 0;      // micro-USDT in escrow
  MinorUnits fiat = 0;      // fiat cents the buyer owes
  double usd = 0.0;
  Seconds created_at = 0.0;
  Seconds appealed_at = 0.0;
  std::uint32_t label = kNoLabel;  // fraud orders: index into the world's fraud labels
  float hold_until = 0.0f;         // a risk policy's release hold: nobody releases before this time
};

// The world's records, each indexed by its own id type.
using UserRecords = RecordArray<UserId, User>;
using ProfileRecords = RecordArray<UserId, UserProfile>;  // by UserId, like the users
using MerchantRecords = RecordArray<MerchantId, Merchant>;
using MerchantView = RecordView<MerchantId, Merchant>;
using OrderRecords = RecordArray<OrderId, Order>;

}  // namespace p2psim
