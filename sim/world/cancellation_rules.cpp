#include "world/cancellation_rules.hpp"

#include <algorithm>

namespace p2psim {

bool CancellationRules::record_cancel(CancellationRecord& record, CancelStage stage,
                                      Seconds now) const {
  const std::int32_t today = day_of(now);
  if (record.day != today) record = CancellationRecord{.day = today};
  std::uint32_t count;
  std::uint32_t limit;
  if (stage == CancelStage::kBeforePaying) {
    count = ++record.before_paying;
    limit = config_->max_cancels_before_paying;
  } else {
    count = ++record.after_marking_paid;
    limit = config_->max_cancels_after_marking_paid;
  }
  if (count <= limit) return false;
  // Every cancellation over the limit climbs one rung; a ban runs from now, never shortening
  // one already running.
  const Seconds since_midnight = now - today * kDay;
  Seconds end = kDay;
  if (record.bans < config_->ban_minutes.size()) {
    end = std::min(kDay, since_midnight + config_->ban_minutes[record.bans] * kMinute);
  }
  record.banned_until_s = std::max(record.banned_until_s, static_cast<float>(end));
  if (record.bans < 255) ++record.bans;
  return true;
}

bool CancellationRules::is_banned(const CancellationRecord& record, Seconds now) const {
  return record.day == day_of(now) && now - record.day * kDay < record.banned_until_s;
}

Seconds CancellationRules::banned_until(const CancellationRecord& record) const {
  return record.day * kDay + record.banned_until_s;
}

}  // namespace p2psim
