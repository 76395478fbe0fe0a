// The scenario fuzzer's mutator. libFuzzer's byte mutations seldom turn a valid number into one at
// the edge of what the world can hold (1e308, a subnormal, 2^63 - 1), and those are where a
// scenario that loads goes wrong: a third of the mutations parse the input as TOML, write such a
// value in place of one of its numbers, and write the file back; the others, and every input that
// is not valid TOML, get libFuzzer's own. Not more: the scenarios they make load and run, which
// costs several times a refused file, and CI's 100,000 executions must fit in minutes.
#include <toml++/toml.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace {

using Integers = std::numeric_limits<std::int64_t>;
using Numbers = std::numeric_limits<double>;
constexpr std::array<std::int64_t, 9> kEdgeIntegers = {
    0, -1, 1, 1000000000, 2147483647, 4294967295, 4294967296, Integers::max(), Integers::min()};
constexpr std::array<double, 12> kEdgeNumbers = {0.0,
                                                 -1.0,
                                                 1e-308,
                                                 Numbers::denorm_min(),
                                                 1e-9,
                                                 1e12,
                                                 1e18,
                                                 1e307,
                                                 1e308,
                                                 -1e308,
                                                 Numbers::infinity(),
                                                 Numbers::quiet_NaN()};

// A number of the tree: where it is, so that it can be replaced by a value of another type.
struct Place {
  toml::table* table = nullptr;  // the number is table[key]...
  std::string key;
  toml::array* array = nullptr;  // ...or array[index]
  std::size_t index = 0;
};

void collect(toml::array& array, std::vector<Place>& places);

void collect(toml::table& table, std::vector<Place>& places) {
  for (auto&& [key, node] : table) {
    if (node.is_number()) places.push_back({.table = &table, .key = std::string(key.str())});
    if (toml::table* inner = node.as_table()) collect(*inner, places);
    if (toml::array* inner = node.as_array()) collect(*inner, places);
  }
}

void collect(toml::array& array, std::vector<Place>& places) {
  for (std::size_t i = 0; i < array.size(); ++i) {
    toml::node& node = *array.get(i);
    if (node.is_number()) places.push_back({.array = &array, .index = i});
    if (toml::table* inner = node.as_table()) collect(*inner, places);
    if (toml::array* inner = node.as_array()) collect(*inner, places);
  }
}

template <typename Value>
void replace(const Place& place, Value value) {
  if (place.table != nullptr) {
    place.table->insert_or_assign(place.key, value);
  } else {
    place.array->replace(place.array->cbegin() + static_cast<std::ptrdiff_t>(place.index), value);
  }
}

}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  std::minstd_rand random(seed);
  if (random() % 3 != 0) return LLVMFuzzerMutate(data, size, max_size);
  toml::table document;
  try {
    document = toml::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const toml::parse_error&) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  std::vector<Place> places;
  collect(document, places);
  if (places.empty()) return LLVMFuzzerMutate(data, size, max_size);
  const Place& place = places[random() % places.size()];
  if (random() % 2 == 0) {
    replace(place, kEdgeIntegers[random() % kEdgeIntegers.size()]);
  } else {
    replace(place, kEdgeNumbers[random() % kEdgeNumbers.size()]);
  }
  std::ostringstream text;
  text << document;
  const std::string written = text.str();
  if (written.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, written.data(), written.size());
  return written.size();
}
