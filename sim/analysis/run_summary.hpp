#pragma once
// A run's KPIs in three shapes: per replication (the measured period), per replication and
// measured day, and estimated across replications. All orders are deterministic: replications
// in run order, markets in tally order, KPIs in the order derive_kpis produces them.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/replication.hpp"
#include "analysis/statistics.hpp"

namespace p2psim {

// The KPIs of every market over one replication's measured period.
struct ReplicationKpis {
  std::uint32_t replication = 0;
  std::vector<MarketKpis> markets;
};

// The KPIs of every market on one measured day of one replication. day is the absolute day
// index, warm-up days included.
struct DayKpis {
  std::uint32_t replication = 0;
  std::uint32_t day = 0;
  std::vector<MarketKpis> markets;
};

// One KPI across replications; estimate.count is the number of replications that produced it.
struct KpiEstimate {
  std::string name;
  Estimate estimate;
};

struct MarketEstimates {
  std::string market;
  std::vector<KpiEstimate> kpis;
};

struct RunSummary {
  std::vector<ReplicationKpis> replications;
  std::vector<MarketEstimates> estimates;
};

std::vector<ReplicationKpis> period_kpis(const RunResult& result);

// Calls visit once per replication and measured day, in order. Days are derived one at a time,
// so a long run's daily KPIs never have to be held in memory together.
void for_each_measured_day(const RunResult& result,
                           const std::function<void(const DayKpis&)>& visit);
std::vector<DayKpis> daily_kpis(const RunResult& result);

// The mean of a KPI's values and its 95% interval, cut to the values the KPI can take
// (kpi_domain: a count's interval never starts below 0).
Estimate estimate_kpi(std::span<const double> values, std::string_view kpi);

// The mean and 95% interval of each market's KPIs over the replications that produced them.
std::vector<MarketEstimates> estimate_kpis(std::span<const ReplicationKpis> replications);

// period_kpis and estimate_kpis together.
RunSummary summarize_run(const RunResult& result);

// Adds the names in `names` that `order` lacks, each right after the name that precedes it in
// `names`. Lists that are each a subsequence of one order (derive_kpis leaves out KPIs with a
// zero denominator) merge back into that order, whichever list comes first.
void merge_name_order(std::vector<std::string>& order, std::span<const std::string> names);

}  // namespace p2psim
