#pragma once
// The pending-event set of one world. Events are small plain records ordered by time, then by
// the order in which they were scheduled, so simultaneous events never depend on memory layout.
#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/dense_id.hpp"
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

// Sorts events into happens_before order, as std::sort would (sequence numbers are unique, so
// there is one such order). A slot of a large world holds thousands of events in no order, which
// the comparison sort paid for in mispredicted branches: a least-significant-digit radix sort on
// the times' bits (which order as the times do, for times >= 0) moves each event once per 11-bit
// digit that differs within the slot (four for a 15-minute slot), then sorts each run of equal
// times by sequence. `scratch` is a buffer kept between calls, so nothing is allocated once warm.
class EventSorter {
 public:
  void reserve(std::size_t events) { scratch_.reserve(events); }
  void sort(std::vector<Event>& events) {
    if (events.size() < kRadixFrom || !count_digits(events)) {
      std::sort(events.begin(), events.end(),
                [](const Event& a, const Event& b) { return happens_before(a, b); });
      return;
    }
    const std::uint32_t size = static_cast<std::uint32_t>(events.size());
    scratch_.resize(events.size());
    const std::uint64_t first_key = key_of(events[0]);
    for (int digit = 0; digit < kDigits; ++digit) {
      std::array<std::uint32_t, kBuckets>& count = counts_[digit];
      if (count[digit_of(first_key, digit)] == size) continue;  // the same in every event
      std::uint32_t offset = 0;
      for (std::uint32_t& bucket : count)
        offset += std::exchange(bucket, offset);
      for (const Event& event : events)
        scratch_[count[digit_of(key_of(event), digit)]++] = event;
      events.swap(scratch_);
    }
    order_equal_times(events);
  }

 private:
  static constexpr std::size_t kRadixFrom = 256;  // below it, std::sort is as fast
  static constexpr int kDigitBits = 11;
  static constexpr int kDigits = (64 + kDigitBits - 1) / kDigitBits;
  static constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;

  static std::uint64_t key_of(const Event& event) {
    return std::bit_cast<std::uint64_t>(event.time);
  }
  static std::uint32_t digit_of(std::uint64_t key, int digit) {
    return static_cast<std::uint32_t>(key >> (digit * kDigitBits)) & (kBuckets - 1);
  }

  // Counts each digit's values; false when some time is negative (or -0), whose bits do not
  // order as the time does.
  bool count_digits(const std::vector<Event>& events) {
    for (auto& count : counts_)
      count.fill(0);
    std::uint64_t signs = 0;
    for (const Event& event : events) {
      const std::uint64_t key = key_of(event);
      signs |= key;
      for (int digit = 0; digit < kDigits; ++digit)
        ++counts_[digit][digit_of(key, digit)];
    }
    return (signs >> 63) == 0;
  }

  // The radix sort kept equal times in their slot's order: each run of them by sequence.
  static void order_equal_times(std::vector<Event>& events) {
    std::size_t start = 0;
    for (std::size_t index = 1; index <= events.size(); ++index) {
      if (index < events.size() && events[index].time == events[start].time) continue;
      if (index - start > 1) {
        std::sort(events.begin() + static_cast<std::ptrdiff_t>(start),
                  events.begin() + static_cast<std::ptrdiff_t>(index),
                  [](const Event& a, const Event& b) { return a.sequence < b.sequence; });
      }
      start = index;
    }
  }

  std::array<std::array<std::uint32_t, kBuckets>, kDigits> counts_{};
  std::vector<Event> scratch_;
};

// A 4-ary min-heap over (time, sequence number).
class EventHeap {
 public:
  void reserve(std::size_t events) { heap_.reserve(events); }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Event& top() const {
    assert(!heap_.empty());
    return heap_.front();
  }
  void push(const Event& event) {
    heap_.push_back(event);
    sift_up(heap_.size() - 1);
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
};

// The pending-event set of one world. Pops events in (time, sequence) order, exactly as one heap
// would, but keeps only the near future sorted: events due after the current slot (3.75 to 15
// minutes) wait unsorted in a ring of slots (a calendar queue). When a slot comes its events are
// sorted once, in a block, and popped from the front; events scheduled into a slot already open go
// to a small heap, and pop() takes the earlier of the two heads. With a million users each holding
// a far-off order attempt, little is ever sifted through the heap (bench/bench_event_queue.cpp
// measures the difference). Once warm, the queue allocates nothing per event.
class EventQueue {
 public:
  // A slot's width: 15 minutes, halved once for a queue sized for 200,000 pending events and
  // twice (3.75 minutes) from 400,000. In a large world a narrower slot sends more of an order's
  // next events (minutes away) to the ring, which sorts them a slot at a time, instead of the
  // heap; in a small one it only leaves more blocks barely filled (docs/performance.md measures
  // both). The ring reaches as far at every width: twice as many slots for half the width.
  static constexpr Seconds kWidestSlot = 15 * kMinute;
  static constexpr std::size_t kWidestSlots = 4096;  // about 42 days ahead
  static constexpr int kMostHalvings = 2;
  static constexpr double kEventsForHalving = 200000.0;
  // Times from here on are kept in far_ for good: their slot number would not fit an integer.
  static constexpr Seconds kLastSlotStart = 1e15;

  EventQueue() : slots_(kWidestSlots) {}
  // Sizes the queue for about `events` pending at once: its buffers and, while it is empty, its
  // slots' width (with events queued, a new width would misplace them, so it stays).
  void reserve(std::size_t events) {
    const std::size_t buffered = events < 65536 ? events : 65536;
    near_.reserve(buffered);
    slot_events_.reserve(buffered);
    sorter_.reserve(buffered);
    assert(empty());
    if (!empty()) return;
    int halvings = 0;
    for (double at = kEventsForHalving; halvings < kMostHalvings && double(events) >= at; at *= 2)
      ++halvings;
    slots_.assign(kWidestSlots << halvings, Slot{});
    slot_width_ = kWidestSlot / static_cast<double>(1 << halvings);
  }
  Seconds slot_width() const { return slot_width_; }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  std::uint64_t scheduled_count() const { return next_sequence_; }

  void schedule(Seconds time, std::uint32_t kind, std::uint32_t subject) {
    assert(time == time && "event time must not be NaN");
    place(Event{time, next_sequence_++, kind, subject});
    ++size_;
  }
  // An event about a record: its subject is the record's index.
  template <typename Tag>
  void schedule(Seconds time, std::uint32_t kind, DenseId<Tag> subject) {
    schedule(time, kind, subject.index());
  }

  // The earliest pending event; the queue must not be empty.
  const Event& next() {
    assert(size_ > 0);
    refill();
    if (slot_next_ < slot_events_.size()) {
      const Event& sorted = slot_events_[slot_next_];
      return near_.empty() || happens_before(sorted, near_.top()) ? sorted : near_.top();
    }
    return near_.empty() ? far_.top() : near_.top();
  }

  // An event due soon, to start loading its records early: the `distance`-th after the next among
  // the current slot's sorted events (an event scheduled since may come before it); null past
  // the slot's end. A hint only: nothing may depend on it.
  const Event* sorted_ahead(std::size_t distance) const {
    const std::size_t index = slot_next_ + distance;
    return index < slot_events_.size() ? &slot_events_[index] : nullptr;
  }

  Event pop() {
    assert(size_ > 0);
    refill();
    --size_;
    if (slot_next_ < slot_events_.size()) {
      const Event& sorted = slot_events_[slot_next_];
      if (near_.empty() || happens_before(sorted, near_.top())) return slot_events_[slot_next_++];
    }
    return near_.empty() ? far_.pop() : near_.pop();
  }

 private:
  std::int64_t slot_of(Seconds time) const { return static_cast<std::int64_t>(time / slot_width_); }

  void place(const Event& event) {
    // Compared as doubles first: an event at +infinity must not be converted to a slot number.
    if (!(event.time < ring_end())) {
      far_.push(event);
      return;
    }
    // A negative time (none is scheduled today) goes to the heap: its slot number would be
    // truncated towards 0, or not fit an integer at all.
    const std::int64_t slot = event.time >= 0.0 ? slot_of(event.time) : -1;
    if (slot < current_slot_) {
      near_.push(event);
    } else {
      // The head block's fill is read from the slot, not from the block: the block is cold
      // memory (a thousand slots ahead are being filled at once), and a store to it need not
      // wait for it to arrive, where a read would.
      Slot& chain = slots_[static_cast<std::size_t>(slot) & (slots_.size() - 1)];
      if (chain.head == kNoBlock || chain.fill == kBlockEvents) {
        chain.head = take_block(chain.head);
        chain.fill = 0;
      }
      blocks_[chain.head].events[chain.fill++] = event;
      ++ring_count_;
    }
  }

  // Brings the earliest events into the heap. When only far-off events are left it jumps the
  // ring forward to them; events at +infinity (a process that never fires) stay in far_.
  void refill() {
    while (near_.empty() && slot_next_ == slot_events_.size()) {
      if (ring_count_ == 0) {
        if (far_.empty() || !(far_.top().time < kLastSlotStart)) return;
        current_slot_ = std::max(current_slot_, slot_of(far_.top().time));
        drain_far();
      }
      advance_slot();
    }
  }

  // Sorts the next slot's events, to be popped in order, and lets far-off events into the ring.
  void advance_slot() {
    Slot& chain = slots_[static_cast<std::size_t>(current_slot_) & (slots_.size() - 1)];
    ++current_slot_;
    slot_events_.clear();
    slot_next_ = 0;
    // The head block holds `fill` events; every block chained behind it was full.
    std::uint32_t count = chain.fill;
    for (std::uint32_t index = chain.head; index != kNoBlock; count = kBlockEvents) {
      Block& block = blocks_[index];
      slot_events_.insert(slot_events_.end(), block.events, block.events + count);
      ring_count_ -= count;
      std::uint32_t next = block.next;
      block.next = free_block_;
      free_block_ = index;
      index = next;
    }
    chain = Slot{};
    sorter_.sort(slot_events_);
    drain_far();
  }

  // A fresh block chained in front of `next`, from the free list when one is there.
  std::uint32_t take_block(std::uint32_t next) {
    std::uint32_t index = free_block_;
    if (index == kNoBlock) {
      blocks_.emplace_back();
      index = static_cast<std::uint32_t>(blocks_.size() - 1);
    } else {
      free_block_ = blocks_[index].next;
    }
    blocks_[index].next = next;
    return index;
  }

  void drain_far() {
    while (!far_.empty() && far_.top().time < ring_end())
      place(far_.pop());
  }

  // The start of the first slot beyond the ring.
  Seconds ring_end() const {
    return static_cast<Seconds>(current_slot_ + static_cast<std::int64_t>(slots_.size())) *
           slot_width_;
  }

  // Ring events live in one pool of fixed-size blocks, chained per slot (in no particular order:
  // the heap sorts them when their slot comes). Blocks keep a slot's events contiguous, so
  // moving a slot into the heap streams through memory instead of chasing one pointer per event.
  // Freed blocks are reused, so the pool only grows when more events wait than ever before.
  static constexpr std::uint32_t kBlockEvents = 42;  // a block of about 1 KiB
  struct Block {
    Event events[kBlockEvents];
    std::uint32_t next = 0;
  };
  static constexpr std::uint32_t kNoBlock = 0xFFFFFFFF;
  // A slot of the ring: its chain of blocks, newest first, and how many events the newest holds.
  struct Slot {
    std::uint32_t head = kNoBlock;
    std::uint32_t fill = 0;
  };

  EventSorter sorter_;
  std::vector<Event> slot_events_;       // the last opened slot's events, sorted...
  std::size_t slot_next_ = 0;            // ...and the first not yet popped
  EventHeap near_;                       // other events before the start of current_slot_
  std::vector<Block> blocks_;            // the pool
  std::uint32_t free_block_ = kNoBlock;  // chain of free blocks
  std::vector<Slot> slots_;              // ring: slot s chains the events of [s, s+1) x width
  EventHeap far_;                        // events beyond the ring
  Seconds slot_width_ = kWidestSlot;
  std::int64_t current_slot_ = 0;  // first slot not yet moved into the heap
  std::size_t ring_count_ = 0;     // events waiting in the ring
  std::size_t size_ = 0;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace p2psim
