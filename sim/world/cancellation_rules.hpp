#pragma once
// The platform's cancellation limits: a user who cancels more than the allowed number of orders
// in a day, before paying or after marking paid, is banned from trading. Each cancellation over
// a limit bans for the next rung of the ladder (15, 30, 60, 240 minutes by default), and past
// the last rung for the rest of the day. Counts and the ladder restart at 00:00: every record
// belongs to one day and is reset by the first cancellation of a later day.
#include <cstdint>

#include "core/time.hpp"
#include "world/world_config.hpp"

namespace p2psim {

enum class CancelStage : std::uint8_t { kBeforePaying, kAfterMarkingPaid };

// One user's cancellations today; 12 bytes, kept by the caller next to the user.
struct CancellationRecord {
  std::int32_t day = -1;  // the day the counts belong to
  std::uint16_t before_paying = 0;
  std::uint16_t after_marking_paid = 0;
  std::uint8_t bans = 0;        // bans imposed that day: the next rung of the ladder
  float banned_until_s = 0.0f;  // seconds after the start of `day`
};

class CancellationRules {
 public:
  explicit CancellationRules(const CancellationRuleConfig& config) : config_(&config) {}

  // Books a cancellation at `now`; true when it starts a ban.
  bool record_cancel(CancellationRecord& record, CancelStage stage, Seconds now) const;
  bool is_banned(const CancellationRecord& record, Seconds now) const;
  // When the current ban ends (now or earlier when there is none).
  Seconds banned_until(const CancellationRecord& record) const;

 private:
  const CancellationRuleConfig* config_;
};

}  // namespace p2psim
