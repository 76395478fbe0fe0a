#include "world/world_outcome.hpp"

#include <algorithm>

namespace p2psim {
namespace {

// Adds `from` into `into`, where their payment methods are named by the two lists.
void merge_by_method_name(KpiCounters& into, const std::vector<std::string>& into_methods,
                          const KpiCounters& from, const std::vector<std::string>& from_methods) {
  KpiCounters shifted = from;
  shifted.fraud_loss_by_method_usd.assign(into_methods.size(), 0.0);
  for (std::size_t m = 0; m < from_methods.size(); ++m) {
    auto found = std::find(into_methods.begin(), into_methods.end(), from_methods[m]);
    shifted.fraud_loss_by_method_usd[found - into_methods.begin()] +=
        from.fraud_loss_by_method_usd[m];
  }
  into.merge(shifted);
}

}  // namespace

void add_total_market(ReplicationOutcome& outcome) {
  MarketTally total;
  total.market = "all";
  for (const MarketTally& market : outcome.markets) {
    for (const std::string& method : market.payment_methods) {
      if (std::find(total.payment_methods.begin(), total.payment_methods.end(), method) ==
          total.payment_methods.end()) {
        total.payment_methods.push_back(method);
      }
    }
  }
  const std::size_t day_count = outcome.markets.front().days.size();
  total.days.resize(day_count);
  total.period.fraud_loss_by_method_usd.assign(total.payment_methods.size(), 0.0);
  for (KpiCounters& counters : total.days) {
    counters.fraud_loss_by_method_usd.assign(total.payment_methods.size(), 0.0);
  }
  for (const MarketTally& market : outcome.markets) {
    merge_by_method_name(total.period, total.payment_methods, market.period,
                         market.payment_methods);
    for (std::size_t d = 0; d < day_count; ++d) {
      merge_by_method_name(total.days[d], total.payment_methods, market.days[d],
                           market.payment_methods);
    }
  }
  outcome.markets.push_back(std::move(total));
}

}  // namespace p2psim
