// Tests of the world's records and their ids: one id type per kind of record, none convertible
// to another or from a plain integer, each indexing only its own records, at no cost in size.
#include "world/agents.hpp"

#include <gtest/gtest.h>

#include <concepts>
#include <type_traits>

namespace p2psim {
namespace {

template <typename Records, typename Id>
concept IndexableBy = requires(Records& records, Id id) {
  records[id];
};

TEST(RecordIds, AreDistinctTypes) {
  static_assert(!std::is_convertible_v<UserId, MerchantId>);
  static_assert(!std::is_convertible_v<MerchantId, UserId>);
  static_assert(!std::is_convertible_v<UserId, OrderId>);
  static_assert(!std::is_convertible_v<OrderId, UserId>);
  static_assert(!std::is_convertible_v<MerchantId, OrderId>);
  static_assert(!std::is_convertible_v<OrderId, MerchantId>);
  static_assert(!std::is_constructible_v<UserId, MerchantId>);
  // Built from an index only on purpose, and never read as one by accident.
  static_assert(!std::is_convertible_v<std::uint32_t, UserId>);
  static_assert(!std::is_convertible_v<UserId, std::uint32_t>);
  static_assert(std::is_constructible_v<UserId, std::uint32_t>);
  EXPECT_EQ(UserId(7).index(), 7u);
}

TEST(RecordIds, CostNothingOverAPlainIndex) {
  static_assert(sizeof(UserId) == 4 && sizeof(MerchantId) == 4 && sizeof(OrderId) == 4);
  static_assert(std::is_trivially_copyable_v<UserId> && std::is_trivially_copyable_v<OrderId>);
  // Declaring an array of ids in a hot loop writes nothing, as an array of integers.
  static_assert(std::is_trivially_default_constructible_v<MerchantId>);
  // The records keep the sizes docs/performance.md quotes.
  EXPECT_EQ(sizeof(User), 96u);
  EXPECT_EQ(sizeof(UserProfile), 48u);
  EXPECT_EQ(sizeof(Merchant), 328u);
  EXPECT_EQ(sizeof(Order), 80u);
}

TEST(RecordIds, NobodyIsEveryIdsNone) {
  const UserId nobody = kNobody;
  EXPECT_TRUE(nobody == kNobody);
  EXPECT_FALSE(UserId(0) == kNobody);
  const MerchantId no_merchant = kNobody;
  EXPECT_EQ(no_merchant.index(), nobody.index());
}

TEST(RecordArray, IsIndexedByItsOwnIdOnly) {
  static_assert(IndexableBy<UserRecords, UserId>);
  static_assert(!IndexableBy<UserRecords, MerchantId>);
  static_assert(!IndexableBy<UserRecords, std::uint32_t>);
  static_assert(IndexableBy<MerchantRecords, MerchantId>);
  static_assert(!IndexableBy<MerchantRecords, UserId>);
  static_assert(IndexableBy<OrderRecords, OrderId>);
  static_assert(!IndexableBy<OrderRecords, OrderId::Index>);
  UserRecords users;
  EXPECT_EQ(users.next_id(), UserId(0));
  users.emplace_back().market = 3;
  users.emplace_back().market = 5;
  EXPECT_EQ(users.next_id(), UserId(2));
  EXPECT_EQ(users[UserId(1)].market, 5);
  std::vector<UserId> ids;
  for (UserId id : users.ids())
    ids.push_back(id);
  EXPECT_EQ(ids, (std::vector<UserId>{UserId(0), UserId(1)}));
}

}  // namespace
}  // namespace p2psim
