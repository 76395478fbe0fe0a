#pragma once
// The kinds of the world's events. An event's kind field carries the kind in its low 8 bits and,
// for order, arrival and review-patience events, a generation above them that voids stale events.
#include <cstdint>

namespace p2psim {

enum EventKind : std::uint8_t {
  kVisitorArrives,
  kFraudAccountArrives,
  kOrderAttempt,
  kReferredVisitorArrives,
  kBuyerPays,
  kUserCancels,
  kPaymentDeadline,
  kSellerChecks,
  kBuyerOutOfPatience,
  kSupportResolves,
  kEvidenceIn,         // a regular-track appeal's evidence is in: it joins the agents' queue
  kWithdrawalUnlocks,  // a fraudster's locked USDT may leave: they withdraw it at once
  kFraudSurfaces,      // a chargeback, a victim's complaint or a bank freeze, after the trade
  kMerchantVanishes,
  kHourTick,
  kShock,
  kSurgeAttempt,        // a genuine buyer's candidate attempt while demand can surge (thinned)
  kFreezeEnds,          // subject: merchant x kMaxPaymentMethods + method
  kReviewDone,          // subject: the user whose order a reviewer decided
  kReviewPatienceEnds,  // subject: a genuine user waiting for review; carries the generation
  kConversionLands,     // subject: a merchant whose off-platform conversion lands
};

// The kind in an event's kind field.
inline EventKind kind_of(std::uint32_t kind_field) {
  return static_cast<EventKind>(kind_field & 0xFF);
}

// What an event's kind field carries above the kind.
inline constexpr std::uint32_t kGenerationMask = 0xFFFFFF;

}  // namespace p2psim
