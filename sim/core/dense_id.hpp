#pragma once
// Ids of the world's records: dense indices into flat arrays (core/record_array.hpp), one type
// per kind of record, so that a merchant id passed where a user id belongs does not compile. An
// id is a 4-byte index, trivially copyable, at no cost over the plain integer.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ostream>
#include <ranges>

namespace p2psim {

// No record: converts to the "none" value of every id type.
struct Nobody {};
inline constexpr Nobody kNobody;

template <typename Tag>
class DenseId {
 public:
  using Index = std::uint32_t;
  static constexpr Index kNoIndex = std::numeric_limits<Index>::max();

  // Uninitialised, like the integer it stands for: scratch arrays of ids on the hot path
  // (matching) cost nothing to declare. A record's id field says what it starts as.
  DenseId() = default;
  constexpr explicit DenseId(Index index) : index_(index) {}
  constexpr DenseId(Nobody) : index_(kNoIndex) {}  // NOLINT: kNobody is every id's "none"

  constexpr Index index() const { return index_; }

  friend constexpr bool operator==(DenseId, DenseId) = default;
  friend constexpr auto operator<=>(DenseId, DenseId) = default;
  friend constexpr bool operator==(DenseId id, Nobody) { return id.index_ == kNoIndex; }
  // For test failure messages and logs: the index.
  friend std::ostream& operator<<(std::ostream& out, DenseId id) { return out << id.index_; }

 private:
  Index index_;
};

// The ids 0 to count - 1, in order: every record of an array of `count`.
template <typename Id>
auto every_id(std::size_t count) {
  using Index = typename Id::Index;
  return std::views::iota(Index{0}, static_cast<Index>(count)) |
         std::views::transform([](Index index) { return Id(index); });
}

}  // namespace p2psim
