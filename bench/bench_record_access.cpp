// Question: do transparent huge pages pay for the world's large record arrays? An order attempt
// reads a random user's 96-byte record among a million (and an order's end reads it again): the
// records span about 96 MB, far beyond the cache and, with 4 KiB pages, beyond the TLB, so each
// read may wait for a page walk as well as for memory. Two access patterns over the same records,
// in a std::vector with the ordinary allocator and with HugePageAllocator:
//  - independent reads with a prefetch a few reads ahead: the memory system overlaps the misses,
//    page walks included, so this measures throughput;
//  - a chain where each read's index comes from the record read before: every miss is waited
//    for, page walk and all, as when the world's next step depends on the record.
#include <benchmark/benchmark.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>
#include <vector>

#include "core/random_stream.hpp"

namespace p2psim {
namespace {

// Transparent huge pages (2 MiB) for allocations of 4 MiB and more, where the system leaves them
// to the program (`madvise` in /sys/kernel/mm/transparent_hugepage/enabled).
inline constexpr std::size_t kHugePage = std::size_t{2} << 20;
inline constexpr std::size_t kHugePageThreshold = 2 * kHugePage;

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding

  T* allocate(std::size_t count) {
    const std::size_t bytes = count * sizeof(T);
    if (count > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    if (bytes < kHugePageThreshold) return static_cast<T*>(::operator new(bytes));
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* memory = std::aligned_alloc(kHugePage, rounded);
    if (memory == nullptr) throw std::bad_alloc();
    // Advice only: without huge pages the memory works the same, with small pages.
    madvise(memory, rounded, MADV_HUGEPAGE);
    return static_cast<T*>(memory);
  }
  void deallocate(T* memory, std::size_t count) noexcept {
    if (count * sizeof(T) < kHugePageThreshold) {
      ::operator delete(memory);
    } else {
      std::free(memory);
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

struct Record {  // the size of a User record
  std::uint64_t fields[12];
};
static_assert(sizeof(Record) == 96);

constexpr std::size_t kPrefetchAhead = 4;

template <typename Allocator>
void random_record_reads(benchmark::State& state) {
  const auto records = static_cast<std::size_t>(state.range(0));
  std::vector<Record, Allocator> array(records);
  for (std::size_t i = 0; i < records; ++i)
    array[i].fields[3] = i;
  RandomStream stream(1, 0, {0, 0});
  std::vector<std::uint32_t> order(1 << 20);
  for (std::uint32_t& index : order)
    index = static_cast<std::uint32_t>(uniform01(stream) * static_cast<double>(records));
  std::size_t next = 0;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    __builtin_prefetch(&array[order[(next + kPrefetchAhead) & (order.size() - 1)]]);
    sum += array[order[next]].fields[3];
    next = (next + 1) & (order.size() - 1);
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}

template <typename Allocator>
void chained_record_reads(benchmark::State& state) {
  const auto records = static_cast<std::size_t>(state.range(0));
  std::vector<Record, Allocator> array(records);
  // One cycle through every record in random order (Sattolo's shuffle), so that the chain never
  // settles into a short loop that the cache would hold.
  std::vector<std::uint64_t> next(records);
  for (std::size_t i = 0; i < records; ++i)
    next[i] = i;
  RandomStream stream(1, 0, {0, 0});
  for (std::size_t i = records - 1; i > 0; --i) {
    const auto j = static_cast<std::size_t>(uniform01(stream) * static_cast<double>(i));
    std::swap(next[i], next[j]);
  }
  for (std::size_t i = 0; i < records; ++i)
    array[i].fields[3] = next[i];
  std::uint64_t at = 0;
  for (auto _ : state)
    at = array[at].fields[3];
  benchmark::DoNotOptimize(at);
  state.SetItemsProcessed(state.iterations());
}

void BM_RecordReadsSmallPages(benchmark::State& state) {
  random_record_reads<std::allocator<Record>>(state);
}
void BM_RecordReadsHugePages(benchmark::State& state) {
  random_record_reads<HugePageAllocator<Record>>(state);
}
void BM_ChainedReadsSmallPages(benchmark::State& state) {
  chained_record_reads<std::allocator<Record>>(state);
}
void BM_ChainedReadsHugePages(benchmark::State& state) {
  chained_record_reads<HugePageAllocator<Record>>(state);
}
BENCHMARK(BM_RecordReadsSmallPages)->Arg(20'000)->Arg(1'000'000)->Arg(10'000'000);
BENCHMARK(BM_RecordReadsHugePages)->Arg(20'000)->Arg(1'000'000)->Arg(10'000'000);
BENCHMARK(BM_ChainedReadsSmallPages)->Arg(20'000)->Arg(1'000'000)->Arg(10'000'000);
BENCHMARK(BM_ChainedReadsHugePages)->Arg(20'000)->Arg(1'000'000)->Arg(10'000'000);

}  // namespace
}  // namespace p2psim
