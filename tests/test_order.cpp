// Tests of the order state machine against the documented transition table (sim/world/order.hpp).
// The expected table is written out here by hand, not derived from next_state.
#include "world/order.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <optional>
#include <set>
#include <string>

namespace p2psim {
namespace {

using S = OrderState;
using E = OrderEvent;

struct Transition {
  S from;
  E event;
  S to;
};

// The documented transitions, and only those:
//   created --mark_paid--> paid --release--> completed --reverse--> reversed
//   created --cancel--> cancelled          paid --appeal--> appealed
//   created --expire--> expired            appealed --release | resolve_for_buyer--> completed
//                                          appealed --resolve_for_seller--> cancelled
constexpr Transition kLegal[] = {
    {S::kCreated, E::kMarkPaid, S::kPaid},
    {S::kCreated, E::kCancel, S::kCancelled},
    {S::kCreated, E::kExpire, S::kExpired},
    {S::kPaid, E::kRelease, S::kCompleted},
    {S::kPaid, E::kAppeal, S::kAppealed},
    {S::kAppealed, E::kRelease, S::kCompleted},
    {S::kAppealed, E::kResolveForBuyer, S::kCompleted},
    {S::kAppealed, E::kResolveForSeller, S::kCancelled},
    {S::kCompleted, E::kReverse, S::kReversed},
};

constexpr S kAllStates[] = {S::kCreated, S::kPaid,     S::kCompleted, S::kCancelled,
                            S::kExpired, S::kAppealed, S::kReversed};
constexpr E kAllEvents[] = {E::kMarkPaid, E::kCancel,          E::kExpire,           E::kRelease,
                            E::kAppeal,   E::kResolveForBuyer, E::kResolveForSeller, E::kReverse};

std::string name(S state) {
  return kOrderStateNames[static_cast<int>(state)];
}
std::string name(E event) {
  return kOrderEventNames[static_cast<int>(event)];
}

std::optional<S> expected_next(S state, E event) {
  for (const Transition& t : kLegal) {
    if (t.from == state && t.event == event) return t.to;
  }
  return std::nullopt;
}

TEST(Order, EnumerationsHaveTheDocumentedSizes) {
  EXPECT_EQ(std::size(kAllStates), static_cast<std::size_t>(kOrderStateCount));
  EXPECT_EQ(std::size(kAllEvents), static_cast<std::size_t>(kOrderEventCount));
  EXPECT_EQ(kOrderStateCount, 7);
  EXPECT_EQ(kOrderEventCount, 8);
}

// All 7 x 8 = 56 (state, event) pairs: the 9 documented ones lead to the documented state, the
// other 47 are illegal.
TEST(Order, EveryStateEventPairMatchesTheDocumentedTable) {
  int legal = 0, illegal = 0;
  for (S state : kAllStates) {
    for (E event : kAllEvents) {
      std::optional<S> expected = expected_next(state, event);
      std::optional<S> actual = next_state(state, event);
      const std::string pair = name(state) + " --" + name(event) + "-->";
      ASSERT_EQ(actual.has_value(), expected.has_value()) << pair;
      if (expected) {
        EXPECT_EQ(*actual, *expected) << pair << " " << name(*actual);
        ++legal;
      } else {
        ++illegal;
      }
    }
  }
  EXPECT_EQ(legal, 9);
  EXPECT_EQ(illegal, 47);
}

TEST(Order, FinalStatesAcceptNoEvent) {
  for (S state : {S::kCancelled, S::kExpired, S::kReversed}) {
    for (E event : kAllEvents) {
      EXPECT_FALSE(next_state(state, event).has_value()) << name(state) << " " << name(event);
    }
  }
}

TEST(Order, TransitionTableIsUsableAtCompileTime) {
  static_assert(next_state(S::kCreated, E::kMarkPaid) == S::kPaid);
  static_assert(!next_state(S::kCreated, E::kRelease).has_value());
  static_assert(is_open(S::kAppealed) && !is_open(S::kCompleted));
  SUCCEED();
}

TEST(Order, IsOpenExactlyForCreatedPaidAndAppealed) {
  const std::set<S> open = {S::kCreated, S::kPaid, S::kAppealed};
  for (S state : kAllStates)
    EXPECT_EQ(is_open(state), open.count(state) == 1) << name(state);
}

// An open state always has an event that closes the order, so no order is stuck open forever.
TEST(Order, EveryOpenStateCanLeadToAClosedOne) {
  for (S state : kAllStates) {
    if (!is_open(state)) continue;
    bool closes = false;
    for (E event : kAllEvents) {
      std::optional<S> next = next_state(state, event);
      if (next && !is_open(*next)) closes = true;
    }
    EXPECT_TRUE(closes) << name(state);
  }
}

TEST(Order, NamesFollowTheEnumerationOrder) {
  EXPECT_EQ(name(S::kCreated), "created");
  EXPECT_EQ(name(S::kPaid), "paid");
  EXPECT_EQ(name(S::kCompleted), "completed");
  EXPECT_EQ(name(S::kCancelled), "cancelled");
  EXPECT_EQ(name(S::kExpired), "expired");
  EXPECT_EQ(name(S::kAppealed), "appealed");
  EXPECT_EQ(name(S::kReversed), "reversed");
  EXPECT_EQ(name(E::kMarkPaid), "mark_paid");
  EXPECT_EQ(name(E::kCancel), "cancel");
  EXPECT_EQ(name(E::kExpire), "expire");
  EXPECT_EQ(name(E::kRelease), "release");
  EXPECT_EQ(name(E::kAppeal), "appeal");
  EXPECT_EQ(name(E::kResolveForBuyer), "resolve_for_buyer");
  EXPECT_EQ(name(E::kResolveForSeller), "resolve_for_seller");
  EXPECT_EQ(name(E::kReverse), "reverse");
}

}  // namespace
}  // namespace p2psim
