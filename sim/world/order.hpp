#pragma once
// The order state machine. Every order starts `created` with the seller's USDT locked in
// escrow; each event either moves it to a new state or is illegal in its current state.
//
//   created --mark_paid--> paid --release--> completed --reverse--> reversed
//   created --cancel--> cancelled          paid --appeal--> appealed
//   created --expire--> expired            appealed --release | resolve_for_buyer--> completed
//                                          appealed --resolve_for_seller--> cancelled
#include <array>
#include <cstdint>
#include <optional>

namespace p2psim {

enum class OrderState : std::uint8_t {
  kCreated,
  kPaid,
  kCompleted,
  kCancelled,
  kExpired,
  kAppealed,
  kReversed,
};
inline constexpr int kOrderStateCount = 7;
inline constexpr std::array<const char*, kOrderStateCount> kOrderStateNames = {
    "created", "paid", "completed", "cancelled", "expired", "appealed", "reversed"};

enum class OrderEvent : std::uint8_t {
  kMarkPaid,          // the buyer says the fiat is sent (true or not)
  kCancel,            // the buyer cancels before paying
  kExpire,            // the payment window passed without a payment mark
  kRelease,           // the seller releases the escrowed USDT to the buyer
  kAppeal,            // either side opens a dispute after the payment mark
  kResolveForBuyer,   // support finds the fiat was paid: escrow goes to the buyer
  kResolveForSeller,  // support finds it was not: escrow goes back to the seller
  kReverse,           // the fiat payment is clawed back after completion
};
inline constexpr int kOrderEventCount = 8;
inline constexpr std::array<const char*, kOrderEventCount> kOrderEventNames = {
    "mark_paid",          "cancel", "expire", "release", "appeal", "resolve_for_buyer",
    "resolve_for_seller", "reverse"};

// The state an event leads to, or nothing when the event is illegal in that state.
constexpr std::optional<OrderState> next_state(OrderState state, OrderEvent event) {
  using S = OrderState;
  using E = OrderEvent;
  switch (state) {
    case S::kCreated:
      if (event == E::kMarkPaid) return S::kPaid;
      if (event == E::kCancel) return S::kCancelled;
      if (event == E::kExpire) return S::kExpired;
      return std::nullopt;
    case S::kPaid:
      if (event == E::kRelease) return S::kCompleted;
      if (event == E::kAppeal) return S::kAppealed;
      return std::nullopt;
    case S::kAppealed:
      if (event == E::kRelease || event == E::kResolveForBuyer) return S::kCompleted;
      if (event == E::kResolveForSeller) return S::kCancelled;
      return std::nullopt;
    case S::kCompleted:
      if (event == E::kReverse) return S::kReversed;
      return std::nullopt;
    case S::kCancelled:
    case S::kExpired:
    case S::kReversed:
      return std::nullopt;
  }
  return std::nullopt;
}

constexpr bool is_open(OrderState state) {
  return state == OrderState::kCreated || state == OrderState::kPaid ||
         state == OrderState::kAppealed;
}

}  // namespace p2psim
