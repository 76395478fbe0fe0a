#include "analysis/run_summary.hpp"

#include <algorithm>
#include <map>

#include "metrics/kpis.hpp"

namespace p2psim {
namespace {

std::vector<MarketKpis> derive_market_kpis(const ReplicationOutcome& outcome) {
  std::vector<MarketKpis> markets;
  markets.reserve(outcome.markets.size());
  for (const MarketTally& tally : outcome.markets) {
    markets.push_back({tally.market, derive_kpis(tally.period, tally.payment_methods)});
  }
  return markets;
}

std::size_t day_count(const ReplicationOutcome& outcome) {
  std::size_t days = 0;
  for (const MarketTally& tally : outcome.markets)
    days = std::max(days, tally.days.size());
  return days;
}

DayKpis derive_day_kpis(const ReplicationOutcome& outcome, std::uint32_t day) {
  DayKpis result{outcome.replication, day, {}};
  for (const MarketTally& tally : outcome.markets) {
    if (day >= tally.days.size()) continue;
    result.markets.push_back({tally.market, derive_kpis(tally.days[day], tally.payment_methods)});
  }
  return result;
}

std::vector<std::string> kpi_names(const std::vector<KpiValue>& kpis) {
  std::vector<std::string> names;
  names.reserve(kpis.size());
  for (const KpiValue& kpi : kpis)
    names.push_back(kpi.name);
  return names;
}

std::vector<std::string> market_order(std::span<const ReplicationKpis> replications) {
  std::vector<std::string> markets;
  for (const ReplicationKpis& replication : replications) {
    std::vector<std::string> names;
    for (const MarketKpis& market : replication.markets)
      names.push_back(market.market);
    merge_name_order(markets, names);
  }
  return markets;
}

MarketEstimates estimate_market(std::span<const ReplicationKpis> replications,
                                const std::string& market) {
  std::vector<std::string> order;
  for (const ReplicationKpis& replication : replications) {
    for (const MarketKpis& kpis : replication.markets) {
      if (kpis.market == market) merge_name_order(order, kpi_names(kpis.kpis));
    }
  }
  // A std::map only for look-up: output follows `order`.
  std::map<std::string, std::size_t, std::less<>> position;
  for (std::size_t i = 0; i < order.size(); ++i)
    position.emplace(order[i], i);
  std::vector<std::vector<double>> values(order.size());
  for (const ReplicationKpis& replication : replications) {
    for (const MarketKpis& kpis : replication.markets) {
      if (kpis.market != market) continue;
      for (const KpiValue& kpi : kpis.kpis)
        values[position.at(kpi.name)].push_back(kpi.value);
    }
  }
  MarketEstimates result{market, {}};
  for (std::size_t i = 0; i < order.size(); ++i) {
    result.kpis.push_back({order[i], estimate_kpi(values[i], order[i])});
  }
  return result;
}

}  // namespace

Estimate estimate_kpi(std::span<const double> values, std::string_view kpi) {
  const KpiDomain domain = kpi_domain(kpi);
  return within_domain(estimate_mean(values), domain.low, domain.high);
}

std::vector<ReplicationKpis> period_kpis(const RunResult& result) {
  std::vector<ReplicationKpis> replications;
  replications.reserve(result.replications.size());
  for (const ReplicationOutcome& outcome : result.replications) {
    replications.push_back({outcome.replication, derive_market_kpis(outcome)});
  }
  return replications;
}

void for_each_measured_day(const RunResult& result,
                           const std::function<void(const DayKpis&)>& visit) {
  for (const ReplicationOutcome& outcome : result.replications) {
    std::size_t days = day_count(outcome);
    for (std::size_t day = outcome.first_measured_day; day < days; ++day) {
      visit(derive_day_kpis(outcome, static_cast<std::uint32_t>(day)));
    }
  }
}

std::vector<DayKpis> daily_kpis(const RunResult& result) {
  std::vector<DayKpis> days;
  for_each_measured_day(result, [&days](const DayKpis& day) { days.push_back(day); });
  return days;
}

std::vector<MarketEstimates> estimate_kpis(std::span<const ReplicationKpis> replications) {
  std::vector<MarketEstimates> estimates;
  for (const std::string& market : market_order(replications)) {
    estimates.push_back(estimate_market(replications, market));
  }
  return estimates;
}

RunSummary summarize_run(const RunResult& result) {
  RunSummary summary;
  summary.replications = period_kpis(result);
  summary.estimates = estimate_kpis(summary.replications);
  return summary;
}

void merge_name_order(std::vector<std::string>& order, std::span<const std::string> names) {
  std::size_t insert_at = 0;
  for (const std::string& name : names) {
    auto found = std::find(order.begin(), order.end(), name);
    if (found != order.end()) {
      insert_at = static_cast<std::size_t>(found - order.begin()) + 1;
    } else {
      order.insert(order.begin() + static_cast<std::ptrdiff_t>(insert_at), name);
      ++insert_at;
    }
  }
}

}  // namespace p2psim
