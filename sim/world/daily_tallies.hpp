#pragma once
// Each market's KPI tallies, one per simulated day: where every component books what happens.
// Order outcomes go to the order's creation day (a cohort), funnel stages to the day they happen.
#include <cstdint>
#include <vector>

#include "core/time.hpp"
#include "metrics/kpi_counters.hpp"

namespace p2psim {

class DailyTallies {
 public:
  // `now` is the world's clock, read as it moves.
  explicit DailyTallies(const Seconds& now) : now_(now) {}
  DailyTallies(const DailyTallies&) = delete;
  DailyTallies& operator=(const DailyTallies&) = delete;

  // The next market's days, with a fraud loss slot per payment method.
  void add_market(std::uint32_t days, std::size_t payment_methods) {
    std::vector<KpiCounters>& market = days_.emplace_back(days);
    for (KpiCounters& counters : market)
      counters.fraud_loss_by_method_usd.assign(payment_methods, 0.0);
  }
  KpiCounters& day(std::uint16_t market, std::int32_t day_index) {
    return days_[market][day_index];
  }
  KpiCounters& today(std::uint16_t market) { return day(market, day_of(now_)); }
  const std::vector<KpiCounters>& days(std::uint16_t market) const { return days_[market]; }

 private:
  const Seconds& now_;
  std::vector<std::vector<KpiCounters>> days_;  // by market, then day
};

}  // namespace p2psim
