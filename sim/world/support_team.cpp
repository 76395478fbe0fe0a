#include "world/support_team.hpp"

namespace p2psim {

SupportTeam::SupportTeam(std::uint32_t agents, Seconds mean_handling, RandomStream stream)
    : agents_(agents), mean_handling_(mean_handling), stream_(stream) {
  // Appeals come in bursts at the busy hours, and each new longest backlog would grow the queue:
  // room for a few hundred (4 KiB) keeps a warm world from allocating at its next burst.
  waiting_.reserve(kReservedPlaces);
}

std::optional<SupportTeam::Assignment> SupportTeam::open(std::uint32_t ticket, Seconds now) {
  if (busy_agents_ < agents_) return start(ticket, now, 0.0);
  waiting_.push_back({ticket, now});
  return std::nullopt;
}

SupportTeam::Assignment SupportTeam::start(std::uint32_t ticket, Seconds now, Seconds waited) {
  ++busy_agents_;
  ++started_;
  total_wait_seconds_ += waited;
  return {ticket, now + exponential(stream_, mean_handling_), waited};
}

void SupportTeam::compact_if_drained() {
  // Reuse the buffer once everything queued has been taken, so the queue never grows without
  // bound and, once warm, never allocates. A queue that never quite drains (a night shift
  // always behind) drops its taken half instead, in place.
  if (head_ == waiting_.size()) {
    waiting_.clear();
    head_ = 0;
  } else if (head_ >= kCompactAfter && 2 * head_ >= waiting_.size()) {
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

}  // namespace p2psim
