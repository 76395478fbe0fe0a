// Tests of summing tallies field by field, and of the compile-time check that keeps it sound.
#include "metrics/field_sums.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace p2psim {
namespace {

struct Counts {
  std::uint64_t first = 0;
  std::array<std::uint64_t, 3> by_kind{};
  std::uint64_t last = 0;
};

struct TwoNarrowCounts {  // as big and as aligned as one uint64_t, but two fields
  std::uint64_t wide = 0;
  std::int32_t narrow = 0;
  std::int32_t other = 0;
};

struct FloatsAmongDoubles {
  double amount = 0.0;
  float first = 0.0f;
  float second = 0.0f;
};

TEST(FieldSums, AddsEveryFieldAndEveryArrayElement) {
  Counts into{.first = 1, .by_kind = {1, 2, 3}, .last = 4};
  add_fields<std::uint64_t>(into, Counts{.first = 10, .by_kind = {20, 30, 40}, .last = 50});
  EXPECT_EQ(into.first, 11u);
  EXPECT_EQ(into.by_kind, (std::array<std::uint64_t, 3>{21, 32, 43}));
  EXPECT_EQ(into.last, 54u);
}

TEST(FieldSums, CountsAnArrayFieldOnce) {
  EXPECT_EQ(field_sums::field_count<Counts>(), 3u);
  EXPECT_EQ(field_sums::field_count<TwoNarrowCounts>(), 3u);
}

TEST(FieldSums, RefusesAFieldOfAnotherTypeThatFitsTheLayout) {
  EXPECT_TRUE((holds_only<std::uint64_t, Counts>()));
  // Both would pass a size-and-alignment check, yet summing them as the wider type is wrong.
  EXPECT_FALSE((holds_only<std::uint64_t, TwoNarrowCounts>()));
  EXPECT_FALSE((holds_only<double, FloatsAmongDoubles>()));
  EXPECT_FALSE((holds_only<double, Counts>()));
}

}  // namespace
}  // namespace p2psim
