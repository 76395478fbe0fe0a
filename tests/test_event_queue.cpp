// Tests of the pending-event set: events leave in (time, scheduling order), whatever the order
// they were scheduled in, and interleaving schedule and pop never breaks that.
#include "core/event_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "core/random_stream.hpp"
#include "core/time.hpp"

namespace p2psim {
namespace {

// Times on multiples of 15 minutes, a natural bucket width for a calendar queue.
constexpr double kSlotGrid = 15.0 * kMinute;

TEST(EventQueue, StartsEmpty) {
  EventQueue queue;
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.size(), 0u);
  EXPECT_EQ(queue.scheduled_count(), 0u);
}

TEST(EventQueue, PopsInTimeOrder) {
  EventQueue queue;
  const std::vector<double> times = {5.0, 1.0, 9.0, 3.0, 7.0, 2.0, 8.0, 0.5, 6.0, 4.0};
  for (std::uint32_t i = 0; i < times.size(); ++i)
    queue.schedule(times[i], i, 100 + i);
  EXPECT_EQ(queue.size(), times.size());
  EXPECT_EQ(queue.scheduled_count(), times.size());

  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  for (double expected : sorted) {
    ASSERT_FALSE(queue.empty());
    EXPECT_EQ(queue.next().time, expected);
    Event event = queue.pop();
    EXPECT_EQ(event.time, expected);
    // kind and subject travel with the event
    EXPECT_EQ(times[event.kind], expected);
    EXPECT_EQ(event.subject, 100 + event.kind);
  }
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, PopsEqualTimesInSchedulingOrder) {
  EventQueue queue;
  // 50 events at the same time, interleaved with earlier and later ones.
  for (std::uint32_t i = 0; i < 50; ++i) {
    queue.schedule(10.0, i, i);
    queue.schedule(20.0 + i, 1000 + i, i);
    queue.schedule(5.0 - 0.01 * i, 2000 + i, i);
  }
  std::vector<std::uint32_t> at_ten;
  double last_time = -1.0;
  std::uint64_t last_sequence = 0;
  while (!queue.empty()) {
    Event event = queue.pop();
    ASSERT_GE(event.time, last_time);
    if (event.time == last_time) {
      ASSERT_GT(event.sequence, last_sequence);
    }
    last_time = event.time;
    last_sequence = event.sequence;
    if (event.time == 10.0) at_ten.push_back(event.kind);
  }
  ASSERT_EQ(at_ten.size(), 50u);
  for (std::uint32_t i = 0; i < 50; ++i)
    EXPECT_EQ(at_ten[i], i);
}

TEST(EventQueue, SequenceNumbersCountSchedulingCalls) {
  EventQueue queue;
  queue.schedule(3.0, 0, 0);
  queue.schedule(1.0, 0, 0);
  queue.schedule(2.0, 0, 0);
  EXPECT_EQ(queue.pop().sequence, 1u);
  EXPECT_EQ(queue.pop().sequence, 2u);
  EXPECT_EQ(queue.pop().sequence, 0u);
  queue.schedule(0.0, 0, 0);
  EXPECT_EQ(queue.pop().sequence, 3u);  // never reused, even after the queue drained
  EXPECT_EQ(queue.scheduled_count(), 4u);
}

TEST(EventQueue, HappensBeforeIsTimeThenSequence) {
  Event early{1.0, 9, 0, 0};
  Event late{2.0, 0, 0, 0};
  Event tie_first{1.0, 3, 0, 0};
  EXPECT_TRUE(happens_before(early, late));
  EXPECT_FALSE(happens_before(late, early));
  EXPECT_TRUE(happens_before(tie_first, early));
  EXPECT_FALSE(happens_before(early, tie_first));
  EXPECT_FALSE(happens_before(early, early));  // strict
}

// Interleaved schedule and pop, with many random times and many exact ties (times drawn from a
// coarse grid), compared against a reference ordering: a std::multimap keyed by time, which keeps
// equal keys in insertion order (a stable sort), so each pop must remove its first entry.
TEST(EventQueue, InterleavedScheduleAndPopMatchesStableSort) {
  RandomStream stream(20240601, 0, StreamId{0, 1});
  EventQueue queue;
  std::multimap<double, std::uint32_t> reference;
  std::uint32_t next_id = 0;
  double now = 0.0;
  std::uint64_t pops = 0;
  for (int step = 0; step < 200000; ++step) {
    // Schedule with probability 0.55 (so the queue grows), else pop.
    if (reference.empty() || uniform01(stream) < 0.55) {
      // Times at or after the last pop: mostly on a coarse grid near now, so that ties are
      // frequent, but also hours, days and months ahead (beyond any near-future horizon).
      double time;
      switch (stream() % 4) {
        case 0:
          time = now + 0.25 * static_cast<double>(stream() % 64);
          break;
        case 1:
          time = now + kSlotGrid * static_cast<double>(stream() % 8);
          break;
        case 2:
          time = now + exponential(stream, kHour);
          break;
        default:
          time = now + 100.0 * kDay * uniform01(stream);
          break;
      }
      queue.schedule(time, next_id, next_id);
      reference.emplace(time, next_id++);
    } else {
      ASSERT_EQ(queue.size(), reference.size());
      Event event = queue.pop();
      ++pops;
      ASSERT_EQ(event.time, reference.begin()->first) << "pop " << pops;
      ASSERT_EQ(event.kind, reference.begin()->second) << "pop " << pops;
      now = event.time;
      reference.erase(reference.begin());
    }
  }
  while (!reference.empty()) {
    Event event = queue.pop();
    ASSERT_EQ(event.kind, reference.begin()->second);
    reference.erase(reference.begin());
  }
  EXPECT_TRUE(queue.empty());
  EXPECT_GT(pops, 50000u);
}

// Pops every event of `queue` and checks them against what was scheduled (time, kind), in time
// order with ties in scheduling order: std::stable_sort's order.
void expect_pops_in_stable_order(EventQueue& queue,
                                 std::vector<std::pair<double, std::uint32_t>> scheduled) {
  std::stable_sort(scheduled.begin(), scheduled.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [time, id] : scheduled) {
    Event event = queue.pop();
    ASSERT_EQ(event.time, time);
    ASSERT_EQ(event.kind, id);
  }
}

// The same check in bulk: schedule all, then pop all, against std::stable_sort.
TEST(EventQueue, BulkPopMatchesStableSort) {
  RandomStream stream(7, 3, StreamId{11, 2});
  EventQueue queue;
  queue.reserve(100000);
  std::vector<std::pair<double, std::uint32_t>> scheduled;
  for (std::uint32_t i = 0; i < 100000; ++i) {
    // A third on a grid (exact ties, some on bucket boundaries), the rest spread over 200 days.
    double time = (i % 3 == 0) ? kSlotGrid * static_cast<double>(stream() % 20000)
                               : 200.0 * kDay * uniform01(stream);
    queue.schedule(time, i, 0);
    scheduled.emplace_back(time, i);
  }
  expect_pops_in_stable_order(queue, std::move(scheduled));
  EXPECT_TRUE(queue.empty());
}

// Slots of a large world hold thousands of events, which the queue radix-sorts: 20,000 events in
// two hours (2,500 a slot, a quarter of them tied on a one-second grid) still pop in order.
TEST(EventQueue, DenseSlotsPopInOrder) {
  RandomStream stream(7, 3, StreamId{11, 5});
  EventQueue queue;
  std::vector<std::pair<double, std::uint32_t>> scheduled;
  for (std::uint32_t i = 0; i < 20000; ++i) {
    const double time = (i % 4 == 0) ? 3 * kDay + static_cast<double>(stream() % 7200)
                                     : 3 * kDay + 2 * kHour * uniform01(stream);
    queue.schedule(time, i, 0);
    scheduled.emplace_back(time, i);
  }
  expect_pops_in_stable_order(queue, std::move(scheduled));
}

// A queue sized for many pending events has narrower slots (more of the near future in the
// ring, less in the heap), and pops in the same order.
TEST(EventQueue, NarrowSlotsPopInTheSameOrder) {
  EXPECT_EQ(EventQueue().slot_width(), 15 * kMinute);
  EventQueue sized;
  sized.reserve(1000);
  EXPECT_EQ(sized.slot_width(), 15 * kMinute);
  sized = EventQueue();
  sized.reserve(200000);
  EXPECT_EQ(sized.slot_width(), 7.5 * kMinute);
  RandomStream stream(7, 3, StreamId{11, 7});
  EventQueue queue;
  queue.reserve(1000000);
  EXPECT_EQ(queue.slot_width(), 3.75 * kMinute);
  std::vector<std::pair<double, std::uint32_t>> scheduled;
  for (std::uint32_t i = 0; i < 100000; ++i) {
    // Minutes and days ahead, a third on the 15-minute grid.
    const double time = (i % 3 == 0) ? kSlotGrid * static_cast<double>(stream() % 5000)
                                     : (i % 3 == 1 ? 2 * kDay : 60 * kDay) * uniform01(stream);
    queue.schedule(time, i, 0);
    scheduled.emplace_back(time, i);
  }
  expect_pops_in_stable_order(queue, std::move(scheduled));
}

// Interleaved schedule and pop on dense slots, at each width the queue can have: 20,000 events
// held within the next hours (hundreds a slot, so the radix sort runs), a quarter tied on a
// quarter-second grid, some 60 days ahead (past the ring, in the far heap), against the same
// std::multimap reference as above.
TEST(EventQueue, InterleavingOnDenseSlotsMatchesStableSortAtEveryWidth) {
  for (std::size_t reserved : {std::size_t{0}, std::size_t{200000}, std::size_t{1000000}}) {
    RandomStream stream(20240601, 1, StreamId{0, static_cast<std::uint32_t>(reserved)});
    EventQueue queue;
    queue.reserve(reserved);
    std::multimap<double, std::uint32_t> reference;
    std::uint32_t next_id = 0;
    double now = 0.0;
    auto schedule = [&] {
      const std::uint32_t draw = stream() % 100;
      const double time = draw < 25   ? now + 0.25 * static_cast<double>(stream() % 4096)
                          : draw < 99 ? now + 4 * kHour * uniform01(stream)
                                      : now + 60 * kDay * uniform01(stream);
      queue.schedule(time, next_id, next_id);
      reference.emplace(time, next_id++);
    };
    for (int i = 0; i < 20000; ++i)
      schedule();
    for (int step = 0; step < 100000; ++step) {
      const Event event = queue.pop();
      ASSERT_EQ(event.time, reference.begin()->first) << "width " << queue.slot_width();
      ASSERT_EQ(event.kind, reference.begin()->second) << "width " << queue.slot_width();
      now = event.time;
      reference.erase(reference.begin());
      schedule();
    }
  }
}

// `count` events in `span` seconds from `start`, their sequence numbers shuffled, a third of
// them on a one-second grid so that times tie.
std::vector<Event> slot_of_events(std::uint32_t count, double start, double span,
                                  RandomStream& stream) {
  std::vector<Event> events;
  for (std::uint32_t i = 0; i < count; ++i) {
    const double offset = (i % 3 == 0) ? static_cast<double>(stream() % static_cast<int>(span))
                                       : span * uniform01(stream);
    events.push_back(Event{start + offset, i, i, 0});
  }
  for (std::uint32_t i = count; i > 1; --i)
    std::swap(events[i - 1].sequence, events[stream() % i].sequence);
  return events;
}

void expect_comparison_sort_order(std::vector<Event> events, EventSorter& sorter) {
  std::vector<Event> expected = events;
  std::sort(expected.begin(), expected.end(), happens_before);
  sorter.sort(events);
  ASSERT_EQ(events.size(), expected.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].time, expected[i].time) << i;
    ASSERT_EQ(events[i].sequence, expected[i].sequence) << i;
  }
}

// The radix sort gives the one order happens_before defines: in slots of every size, far into a
// run, across a power of two of seconds (where the exponent's bits differ too), and, through the
// comparison sort, with a negative time or -0 (whose bits do not order as the times do).
TEST(EventSorter, OrdersAsTheComparisonSort) {
  RandomStream stream(7, 3, StreamId{11, 6});
  EventSorter sorter;  // one sorter for all, as a queue keeps it
  for (std::uint32_t count : {0u, 1u, 10u, 255u, 256u, 3000u, 20000u})
    expect_comparison_sort_order(slot_of_events(count, 10 * kDay, 900.0, stream), sorter);
  expect_comparison_sort_order(slot_of_events(5000, 0.0, 900.0, stream), sorter);
  expect_comparison_sort_order(slot_of_events(5000, 2097152.0 - 450.0, 900.0, stream), sorter);
  std::vector<Event> signed_times = slot_of_events(5000, 0.0, 900.0, stream);
  signed_times[17].time = -0.0;
  signed_times[4000].time = -0.5;
  expect_comparison_sort_order(signed_times, sorter);
}

// Events far beyond the near future (months ahead) and events scheduled before the current
// position (at the time just popped) are all still popped in order.
TEST(EventQueue, FarFutureAndImmediateEventsKeepOrder) {
  EventQueue queue;
  queue.schedule(400.0 * kDay, 1, 0);
  queue.schedule(50.0 * kDay, 2, 0);
  queue.schedule(10.0, 3, 0);
  queue.schedule(45.0 * kDay, 4, 0);
  EXPECT_EQ(queue.pop().kind, 3u);
  queue.schedule(10.0, 5, 0);          // at the current time
  queue.schedule(10.0 + kHour, 6, 0);  // same bucket region, later
  queue.schedule(44.0 * kDay, 7, 0);
  std::vector<std::uint32_t> order;
  while (!queue.empty())
    order.push_back(queue.pop().kind);
  EXPECT_EQ(order, (std::vector<std::uint32_t>{5, 6, 7, 4, 2, 1}));
}

// World relies on this: ArrivalProcess::next_after returns +infinity when a rate is zero (the
// default for fraud typologies) and the world schedules it. An event at +infinity must pop after
// every finite event, or World::run stops at once (its loop ends when next().time >= horizon).
TEST(EventQueue, InfiniteTimePopsLast) {
  const double infinity = std::numeric_limits<double>::infinity();
  EventQueue queue;
  queue.schedule(100.0, 1, 0);
  queue.schedule(infinity, 2, 0);
  queue.schedule(5000.0, 3, 0);
  queue.schedule(90.0 * kDay, 4, 0);
  EXPECT_EQ(queue.next().time, 100.0);
  std::vector<std::uint32_t> order;
  while (!queue.empty())
    order.push_back(queue.pop().kind);
  EXPECT_EQ(order, (std::vector<std::uint32_t>{1, 3, 4, 2}));
}

TEST(EventQueue, NextDoesNotRemove) {
  EventQueue queue;
  queue.schedule(60.0 * kDay, 1, 7);
  queue.schedule(2.0 * kDay, 2, 8);
  EXPECT_EQ(queue.next().kind, 2u);
  EXPECT_EQ(queue.next().subject, 8u);
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue.pop().kind, 2u);
  EXPECT_EQ(queue.next().kind, 1u);
  EXPECT_EQ(queue.pop().time, 60.0 * kDay);
  EXPECT_TRUE(queue.empty());
}

// The look-ahead that lets the world prefetch records: the events after the next one, in the order
// they will pop, as far as the current slot goes.
TEST(EventQueue, SortedAheadShowsTheSlotsEventsAfterTheNext) {
  EventQueue queue;
  for (std::uint32_t i = 0; i < 5; ++i)
    queue.schedule(60.0 - 10.0 * i, i, 100 + i);     // one slot (15 minutes), reverse order
  queue.schedule(queue.slot_width() + 1.0, 9, 109);  // the next slot
  EXPECT_EQ(queue.pop().subject, 104u);
  ASSERT_NE(queue.sorted_ahead(0), nullptr);
  EXPECT_EQ(queue.sorted_ahead(0)->subject, 103u);  // what pops next
  ASSERT_NE(queue.sorted_ahead(2), nullptr);
  EXPECT_EQ(queue.sorted_ahead(2)->subject, 101u);
  EXPECT_EQ(queue.sorted_ahead(4), nullptr);  // past the slot's end
  for (std::uint32_t expected : {103u, 102u, 101u, 100u, 109u})
    EXPECT_EQ(queue.pop().subject, expected);
}

}  // namespace
}  // namespace p2psim
