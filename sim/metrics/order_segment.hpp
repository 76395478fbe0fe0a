#pragma once
// Who an order comes from, as the risk KPIs break down by segment (docs/kpis.md, Risk by
// segment): the account's KYC tier and age band, the order's payment method and, for a
// fraudulent order, its typology. The world fills one on each screened order; the KPI tallies
// count each segment's screened, blocked and caught orders in flat arrays of kSegmentCounts
// slots per value.
#include <array>
#include <cstddef>
#include <cstdint>

#include "metrics/fraud_typology.hpp"

namespace p2psim {

// By whole days of account age: under 7, 7 to 30, 31 and more (as `p2psim profiles` bands them).
enum class AccountAgeBand : std::uint8_t { kNew, kWeeks, kOlder };
inline constexpr int kAccountAgeBandCount = 3;
inline constexpr std::array<const char*, kAccountAgeBandCount> kAccountAgeBandNames = {
    "new", "7-30", "older"};
// Where each band after the first starts, in days.
inline constexpr std::array<double, kAccountAgeBandCount - 1> kAccountAgeBandStarts = {7.0, 31.0};

constexpr AccountAgeBand account_age_band(double age_days) {
  if (age_days < kAccountAgeBandStarts[0]) return AccountAgeBand::kNew;
  if (age_days < kAccountAgeBandStarts[1]) return AccountAgeBand::kWeeks;
  return AccountAgeBand::kOlder;
}

inline constexpr int kKycTierCount = 3;

struct OrderSegment {
  std::uint8_t kyc_tier = 0;
  AccountAgeBand age_band = AccountAgeBand::kNew;
  std::uint8_t payment_method = 0;                      // the market's method index
  FraudTypology typology = FraudTypology::kNonPayment;  // read only for a fraudulent order
};

// What a segment counts, by the order's true intent; caught = blocked or failed at step-up, as
// in catch_rate.
enum class SegmentCount : std::uint8_t {
  kScreenedGenuine,
  kScreenedFraud,
  kBlockedGenuine,
  kCaughtFraud
};
inline constexpr int kSegmentCounts = 4;

constexpr std::size_t segment_slot(std::size_t value, SegmentCount count) {
  return value * kSegmentCounts + static_cast<std::size_t>(count);
}

}  // namespace p2psim
