#include "metrics/kpi_counters.hpp"

#include <bit>
#include <type_traits>

namespace p2psim {
namespace {

// Adds `from` into `into` field by field: a struct of `Field`s only is an array of them, so a
// new tally needs no line here. The assertions keep other types out of KpiCounts (no padding, no
// floating point) and keep KpiAmounts a whole number of doubles.
template <typename Field, typename Sums>
void add_fields(Sums& into, const Sums& from) {
  static_assert(std::is_trivially_copyable_v<Sums> && sizeof(Sums) % sizeof(Field) == 0 &&
                alignof(Sums) == alignof(Field));
  using Fields = std::array<Field, sizeof(Sums) / sizeof(Field)>;
  Fields sums = std::bit_cast<Fields>(into);
  const Fields more = std::bit_cast<Fields>(from);
  for (std::size_t i = 0; i < sums.size(); ++i)
    sums[i] += more[i];
  into = std::bit_cast<Sums>(sums);
}

static_assert(std::has_unique_object_representations_v<KpiCounts>,
              "KpiCounts holds unsigned integer tallies only");

}  // namespace

void KpiCounters::merge(const KpiCounters& other) {
  add_fields<std::uint64_t>(static_cast<KpiCounts&>(*this), static_cast<const KpiCounts&>(other));
  add_fields<double>(static_cast<KpiAmounts&>(*this), static_cast<const KpiAmounts&>(other));
  time_to_complete.merge(other.time_to_complete);
  if (fraud_loss_by_method_usd.size() < other.fraud_loss_by_method_usd.size()) {
    fraud_loss_by_method_usd.resize(other.fraud_loss_by_method_usd.size(), 0.0);
  }
  for (std::size_t m = 0; m < other.fraud_loss_by_method_usd.size(); ++m) {
    fraud_loss_by_method_usd[m] += other.fraud_loss_by_method_usd[m];
  }
}

}  // namespace p2psim
