#pragma once
// The records of the world's agents and orders, kept in flat arrays indexed by dense ids.
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/random_stream.hpp"
#include "core/time.hpp"
#include "world/ledger.hpp"
#include "world/order.hpp"

namespace p2psim {

using UserId = std::uint32_t;
using MerchantId = std::uint32_t;
using OrderId = std::uint32_t;
inline constexpr std::uint32_t kNobody = std::numeric_limits<std::uint32_t>::max();

// Who a user really is. The platform cannot see this; the simulator books KPIs by it.
// The fraudulent intents follow FraudTypology's order. kMerchantExitScam is never a user's
// intent: it marks the orders a scamming merchant takes (Order::intent).
enum class UserIntent : std::uint8_t {
  kGenuine,
  kNonPayment,
  kPaymentReversal,
  kTriangulation,
  kPromotionAbuse,
  kAccountTakeover,
  kMuleStructuring,
  kMerchantExitScam,
};

// Which side of the trade the user takes: buy USDT (on a merchant's sell ad) or sell it.
enum class TradeSide : std::uint8_t { kUserBuys, kUserSells };

// The fraud typology index (as in kFraudTypologyNames) of a fraudulent intent.
inline int typology_of(UserIntent intent) {
  return static_cast<int>(intent) - 1;
}

inline constexpr std::uint32_t kNoRing = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint32_t kNoLabel = std::numeric_limits<std::uint32_t>::max();

// first_order_day of users already on the platform at day 0: past the funnel.
inline constexpr std::int32_t kBeforeDayZero = -2;

struct User {
  RandomStream stream;
  AccountId usdt_account;
  std::uint16_t market;
  std::uint8_t payment_method;
  TradeSide side;
  UserIntent intent;
  std::uint8_t split_pieces = 1;  // fraudsters only: adaptation splits each order into this many
  bool churned = false;
  bool active_in_period = false;
  std::int32_t first_order_day = -1;  // the funnel cohort: day of the first order ever placed
  std::uint32_t attempts_left = 0;    // fraudsters only
  std::int32_t last_active_day = -1;
  std::uint32_t completed_orders = 0;
  Seconds first_completed_at = -1.0;
  // Seconds since the start of the run, negative for accounts older than it. A float keeps the
  // User record small; its precision (a few seconds over years) is ample for an account's age.
  float registered_at = 0.0f;
  std::uint32_t ring = kNoRing;  // promotion abuse: the sybil ring sharing this account's device
};

struct Merchant {
  RandomStream stream;
  AccountId usdt_account;
  AccountId fiat_account;
  std::uint16_t market;
  std::uint32_t accepted_methods;  // bit mask over the market's payment methods
  double margin_bps;               // both ads' distance from the reference rate
  double sell_price;               // fiat per USDT on the merchant's sell ad
  double buy_price;                // fiat per USDT on the merchant's buy ad
  double choice_utility = 0.0;     // the logit utility of its ads, kept current by the world
  MinorUnits fiat_committed = 0;   // fiat owed to selling users on open orders, not yet paid
  std::uint32_t open_orders = 0;
  std::uint32_t capacity_limit = 0;   // concurrent open orders it can handle
  std::uint32_t orders_finished = 0;  // reached a final state
  std::uint32_t orders_completed = 0;
  std::int32_t last_active_day = -1;
  bool active_in_period = false;
  bool exit_scamming = false;  // takes buyers' fiat without releasing, then vanishes

  // The completion rate buyers see, with a prior of 19 completed out of 20 for new merchants.
  double completion_rate() const { return (orders_completed + 19.0) / (orders_finished + 20.0); }
};

// The fiat, in minor units, for `usd` worth of USDT at `price` fiat per USDT.
inline MinorUnits fiat_for(double usd, double price) {
  return std::llround(usd * price * kFiatMinorPerUnit);
}

// Fiat a merchant can still commit to new buy orders.
inline MinorUnits uncommitted_fiat(const Merchant& merchant, const Ledger& ledger) {
  return ledger.balance(merchant.fiat_account) - merchant.fiat_committed;
}

struct Order {
  std::uint32_t generation = 0;  // bumped on reuse, so stale events can be told apart
  OrderState state = OrderState::kCreated;
  TradeSide side = TradeSide::kUserBuys;
  UserIntent intent = UserIntent::kGenuine;
  std::uint8_t payment_method = 0;
  bool fiat_paid = false;         // did real fiat move (the truth support looks for)
  bool in_support = false;        // queued or being handled by support: the slot must stay
  bool reversal_pending = false;  // a chargeback is on its way: the slot must stay
  std::uint16_t market = 0;
  std::int32_t created_day = 0;
  UserId user = kNobody;
  MerchantId merchant = kNobody;
  MinorUnits usdt = 0;  // micro-USDT in escrow
  MinorUnits fiat = 0;  // fiat cents the buyer owes
  double usd = 0.0;
  Seconds created_at = 0.0;
  Seconds appealed_at = 0.0;
  std::uint32_t label = kNoLabel;  // fraud orders: index into the world's fraud labels
};

}  // namespace p2psim
