#pragma once
// segments.csv: the KPIs a run breaks down by segment (docs/kpis.md, Risk by segment), tidy:
// market,dimension,value,kpi,replications,mean,low,high. A segment KPI is named
// <kpi>.<dimension>.<value>, with the dimension one of kSegmentDimensions; the catch and
// false-positive rates and screened orders by KYC tier, account age, payment method and
// typology, and the fraud attempts, successes and losses by typology and method.
#include <array>
#include <span>
#include <string>

#include "analysis/run_summary.hpp"

namespace p2psim {

inline constexpr std::array<const char*, 4> kSegmentDimensions = {"kyc_tier", "account_age",
                                                                  "method", "typology"};

std::string segments_csv(std::span<const MarketEstimates> estimates);

}  // namespace p2psim
