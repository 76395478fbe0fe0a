#pragma once
// Plain values, texts and lists of plain values copied to bytes and back, bit for bit, for
// processes of one binary on one kind of machine to exchange (a distributed run's ranks). Not a
// file format: no versioning, no endianness. A reader checks every length against what is left,
// so damaged bytes throw std::runtime_error instead of reading past the end or asking for memory.
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace p2psim {

class ByteWriter {
 public:
  template <typename T>
  void plain(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  template <typename T>
  void plain_list(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    length(values.size());
    bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  void length(std::size_t size) { plain<std::uint64_t>(size); }
  void text(std::string_view value) {
    length(value.size());
    bytes_.append(value);
  }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  void plain(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::memcpy(&value, take(sizeof value), sizeof value);
  }
  template <typename T>
  void plain_list(std::vector<T>& values) {
    values.resize(count(sizeof(T)));
    if (!values.empty())
      std::memcpy(values.data(), take(values.size() * sizeof(T)), values.size() * sizeof(T));
  }
  // A list's length; each element takes at least a byte.
  void length(std::size_t& size) { size = count(1); }
  void text(std::string& value) { value = text(); }
  // The next text, as a view of the bytes read.
  std::string_view text() {
    const std::size_t size = count(1);
    return {take(size), size};
  }
  // A list's length, checked against what is left so that damaged bytes cannot ask for memory.
  std::size_t count(std::size_t element_size) {
    std::uint64_t size = 0;
    plain(size);
    if (element_size > 0 && size > (bytes_.size() - at_) / element_size) truncated();
    return static_cast<std::size_t>(size);
  }
  // `what` names the bytes in the message when they run on past their end.
  void expect_end(const char* what) const {
    if (at_ != bytes_.size()) throw std::runtime_error(std::string(what) + " has trailing bytes");
  }

 private:
  const char* take(std::size_t size) {
    if (size > bytes_.size() - at_) truncated();
    const char* start = bytes_.data() + at_;
    at_ += size;
    return start;
  }
  [[noreturn]] static void truncated() {
    throw std::runtime_error("bytes end early: damaged in transit");
  }

  std::string_view bytes_;
  std::size_t at_ = 0;
};

}  // namespace p2psim
