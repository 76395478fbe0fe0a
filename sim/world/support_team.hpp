#pragma once
// A team working tickets first come, first served, each taking an exponential handling time:
// support agents resolving appeals, and manual reviewers (docs/strategies.md). With Poisson
// arrivals and a constant team this is an M/M/c queue, which tests/test_support_team.cpp and
// tests/test_review_queue.cpp check against Erlang C. The team can change size (shifts): an agent
// busy when the team shrinks finishes the ticket in hand and takes no new one.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/random_stream.hpp"
#include "core/time.hpp"

namespace p2psim {

class SupportTeam {
 public:
  struct Assignment {
    std::uint32_t ticket;  // what the caller queued: an order id
    Seconds finishes_at;
    Seconds waited;  // from queueing to the start
  };

  SupportTeam(std::uint32_t agents, Seconds mean_handling, RandomStream stream);

  // An appeal arrives. If an agent is free it is taken at once and its finish time returned.
  std::optional<Assignment> open(std::uint32_t ticket, Seconds now);

  // An agent finishes. The agent takes the oldest waiting ticket for which is_live(ticket) holds
  // (tickets resolved meanwhile, for instance by the seller releasing, are dropped unworked).
  template <typename IsLive>
  std::optional<Assignment> finish(Seconds now, IsLive is_live) {
    --busy_agents_;
    return take_waiting(now, is_live);
  }

  // The team now has `agents` people (a shift change). Fewer: the busy ones finish first.
  void set_agents(std::uint32_t agents) { agents_ = agents; }

  // A free agent, if any, takes the oldest live waiting ticket (after the team grew).
  template <typename IsLive>
  std::optional<Assignment> take_waiting(Seconds now, IsLive is_live) {
    if (busy_agents_ >= agents_) return std::nullopt;
    while (head_ < waiting_.size()) {
      Waiting next = waiting_[head_++];
      compact_if_drained();
      if (!is_live(next.ticket)) continue;
      return start(next.ticket, now, now - next.queued_at);
    }
    return std::nullopt;
  }

  std::uint32_t agents() const { return agents_; }
  std::uint32_t busy_agents() const { return busy_agents_; }
  std::size_t waiting() const { return waiting_.size() - head_; }
  std::uint64_t started() const { return started_; }
  double total_wait_seconds() const { return total_wait_seconds_; }

 private:
  struct Waiting {
    std::uint32_t ticket;
    Seconds queued_at;
  };

  Assignment start(std::uint32_t ticket, Seconds now, Seconds waited);
  void compact_if_drained();

  static constexpr std::size_t kCompactAfter = 1024;  // taken entries before moving the rest
  static constexpr std::size_t kReservedPlaces = 256;

  std::uint32_t agents_;
  Seconds mean_handling_;
  RandomStream stream_;
  std::uint32_t busy_agents_ = 0;
  std::vector<Waiting> waiting_;  // FIFO: [head_, end) are waiting
  std::size_t head_ = 0;
  std::uint64_t started_ = 0;
  double total_wait_seconds_ = 0.0;
};

}  // namespace p2psim
