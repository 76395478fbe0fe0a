#pragma once
// Summing two tallies field by field without a line per field: a struct whose fields are all of
// one arithmetic type (or arrays of it) has the layout of an array of that type, so it can be
// added as one. `holds_only` checks the premise at compile time, field by field, so that a field
// of another type (an int32_t beside a uint64_t, a float among doubles) cannot be summed as
// something it is not.
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace p2psim {
namespace field_sums {

// Converts to any type: initialising an aggregate with n of these counts its fields (an array
// field takes one).
struct AnyField {
  template <typename T>
  operator T() const;
};

// Converts to `Field` or an array of `Field` only.
template <typename Field>
struct FieldOf {
  template <typename T>
  requires std::same_as<T, Field>
  operator T() const;
  template <std::size_t N>
  operator std::array<Field, N>() const;
};

template <typename Sums, typename Initializer, std::size_t... I>
constexpr bool initializable_with(std::index_sequence<I...>) {
  return requires {
    Sums{(void(I), Initializer{})...};
  };
}

template <typename Sums, std::size_t Known = 0>
constexpr std::size_t field_count() {
  if constexpr (initializable_with<Sums, AnyField>(std::make_index_sequence<Known + 1>{})) {
    return field_count<Sums, Known + 1>();
  } else {
    return Known;
  }
}

}  // namespace field_sums

// True when every field of the aggregate `Sums` is a `Field` or an array of them.
template <typename Field, typename Sums>
constexpr bool holds_only() {
  return std::is_aggregate_v<Sums> && sizeof(Sums) % sizeof(Field) == 0 &&
         alignof(Sums) == alignof(Field) &&
         field_sums::initializable_with<Sums, field_sums::FieldOf<Field>>(
             std::make_index_sequence<field_sums::field_count<Sums>()>{});
}

// Adds `from` into `into` field by field.
template <typename Field, typename Sums>
void add_fields(Sums& into, const Sums& from) {
  static_assert(holds_only<Field, Sums>(), "every field of a summed tally is of one type");
  using Fields = std::array<Field, sizeof(Sums) / sizeof(Field)>;
  Fields sums = std::bit_cast<Fields>(into);
  const Fields more = std::bit_cast<Fields>(from);
  for (std::size_t i = 0; i < sums.size(); ++i)
    sums[i] += more[i];
  into = std::bit_cast<Sums>(sums);
}

}  // namespace p2psim
