#pragma once
// A flat array of records indexed by their own id type only (core/dense_id.hpp): the hot data of
// the world, contiguous, with the vector's growth and none of its integer indexing.
#include <cassert>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "core/dense_id.hpp"

namespace p2psim {

// A read-only view of a RecordArray, passed by value: the hot loops that read records (matching)
// keep its pointer in a register, where a reference to the array would reload it.
template <typename Id, typename Record>
class RecordView {
 public:
  RecordView(std::span<const Record> records) : records_(records) {}  // NOLINT: from an array
  const Record& operator[](Id id) const {
    assert(id.index() < records_.size());
    return records_[id.index()];
  }
  std::size_t size() const { return records_.size(); }

 private:
  std::span<const Record> records_;
};

template <typename Id, typename Record>
class RecordArray {
 public:
  using Index = typename Id::Index;

  Record& operator[](Id id) {
    assert(id.index() < records_.size());
    return records_[id.index()];
  }
  const Record& operator[](Id id) const {
    assert(id.index() < records_.size());
    return records_[id.index()];
  }

  std::size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  // Starts loading the record, every cache line it spans, so that a read soon after does not
  // wait on memory.
  void prefetch(Id id) const {
    assert(id.index() < records_.size());
    const char* first = reinterpret_cast<const char*>(&records_[id.index()]);
    __builtin_prefetch(first);
    __builtin_prefetch(first + sizeof(Record) - 1);
  }
  // The id of a record held here.
  Id id_of(const Record& record) const {
    assert(&record >= records_.data() && &record < records_.data() + records_.size());
    return Id(static_cast<Index>(&record - records_.data()));
  }
  std::size_t capacity() const { return records_.capacity(); }
  void reserve(std::size_t count) { records_.reserve(count); }
  void resize(std::size_t count) { records_.resize(count); }
  // The id the next record appended gets.
  Id next_id() const { return Id(static_cast<Index>(records_.size())); }
  template <typename... Arguments>
  Record& emplace_back(Arguments&&... arguments) {
    return records_.emplace_back(std::forward<Arguments>(arguments)...);
  }
  void push_back(const Record& record) { records_.push_back(record); }
  Record& back() { return records_.back(); }

  // Every id, in order.
  auto ids() const { return every_id<Id>(records_.size()); }
  // The records in id order, for reading them all.
  auto begin() const { return records_.begin(); }
  auto end() const { return records_.end(); }
  auto begin() { return records_.begin(); }
  auto end() { return records_.end(); }
  std::span<const Record> records() const { return records_; }
  operator RecordView<Id, Record>() const { return records(); }  // NOLINT: a view of it

 private:
  std::vector<Record> records_;
};

}  // namespace p2psim
