#pragma once
// Every independent source of randomness in a world has its own purpose; the market index is
// folded in so that markets never share a stream. Blocks of 16 leave room for one purpose per
// fraud typology.
#include <cstdint>

#include "core/random_stream.hpp"

namespace p2psim {

enum StreamPurpose : std::uint32_t {
  kVisitorArrivalStream = 1,
  kFunnelStream = 2,
  kSupportStream = 3,
  kUserStream = 4,
  kMerchantStream = 5,
  kReferenceRateStream = 6,
  kReferralFunnelStream = 7,      // registration and KYC outcomes of referred visitors
  kReferredUserStream = 8,        // users who came by referral, numbered apart from the others
  kMerchantHoursStream = 11,      // merchants' online start hours
  kFreezeStream = 12,             // bank account freezes after tainted fiat
  kMerchantEntryStream = 13,      // merchants entering a market
  kRevealStream = 14,             // when fraud surfaces to the platform
  kFraudAdaptationStream = 15,    // adapting fraudsters' choice of market
  kFraudArrivalStream = 16,       // + typology
  kFraudsterStream = 32,          // + typology
  kStepUpStream = 48,             // step-up verifications: abandoned or failed
  kReviewStream = 49,             // reviewers' verdicts and the patience of users in the queue
  kReviewerStream = 50,           // reviewers' handling times
  kIncentiveResponseStream = 51,  // users' responses to growth incentives
  kAppealTrackStream = 52,        // appeals' tracks, evidence times and verdict errors
  kWithdrawalStream = 53,         // when locked-in genuine buyers would have withdrawn
  kDeviceChangeStream = 54,       // when accounts present at day 0 last changed their phone
};

inline StreamId stream_id(std::uint32_t purpose, std::uint16_t market, std::uint32_t entity) {
  return StreamId{entity, (purpose << 8) | market};
}

}  // namespace p2psim
