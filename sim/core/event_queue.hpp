#pragma once
// The pending-event set of one world: a 4-ary min-heap over (time, sequence number).
// Events are small plain records; the heap's storage is reserved up front and reused, so the
// steady state allocates nothing per event.
#include <cassert>
#include <cstdint>
#include <vector>

#include "core/time.hpp"

namespace p2psim {

struct Event {
  Seconds time;
  std::uint64_t sequence;  // scheduling order: breaks ties between events at the same time
  std::uint32_t kind;      // what happens; the world decides the meaning
  std::uint32_t subject;   // dense id of the order, user, merchant... the event is about
};

inline bool happens_before(const Event& a, const Event& b) {
  return a.time < b.time || (a.time == b.time && a.sequence < b.sequence);
}

class EventQueue {
 public:
  void reserve(std::size_t events) { heap_.reserve(events); }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  std::uint64_t scheduled_count() const { return next_sequence_; }

  void schedule(Seconds time, std::uint32_t kind, std::uint32_t subject) {
    assert(time == time && "event time must not be NaN");
    heap_.push_back(Event{time, next_sequence_++, kind, subject});
    sift_up(heap_.size() - 1);
  }

  const Event& next() const {
    assert(!heap_.empty());
    return heap_.front();
  }

  Event pop() {
    assert(!heap_.empty());
    Event first = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return first;
  }

 private:
  static constexpr std::size_t kArity = 4;

  void sift_up(std::size_t index) {
    Event moving = heap_[index];
    while (index > 0) {
      std::size_t parent = (index - 1) / kArity;
      if (!happens_before(moving, heap_[parent])) break;
      heap_[index] = heap_[parent];
      index = parent;
    }
    heap_[index] = moving;
  }

  void sift_down(std::size_t index) {
    Event moving = heap_[index];
    const std::size_t count = heap_.size();
    while (true) {
      std::size_t first_child = index * kArity + 1;
      if (first_child >= count) break;
      std::size_t last_child = first_child + kArity < count ? first_child + kArity : count;
      std::size_t earliest = first_child;
      for (std::size_t child = first_child + 1; child < last_child; ++child) {
        if (happens_before(heap_[child], heap_[earliest])) earliest = child;
      }
      if (!happens_before(heap_[earliest], moving)) break;
      heap_[index] = heap_[earliest];
      index = earliest;
    }
    heap_[index] = moving;
  }

  std::vector<Event> heap_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace p2psim
