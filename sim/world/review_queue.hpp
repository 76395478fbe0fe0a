#pragma once
// Manual review at order creation (docs/strategies.md): an order attempt the policy sends to
// review waits, before any escrow, for one of the market's reviewers on shift (a FIFO M/M/c
// queue, SupportTeam); the reviewer stops it or lets it through, and only then is the order
// created. A genuine user whose patience ends while still waiting leaves; fraudsters wait.
// This owns the queues and the attempts in them; what a verdict leads to is the World's.
#include <cstdint>
#include <vector>

#include "core/event_queue.hpp"
#include "core/random_stream.hpp"
#include "metrics/metrics.hpp"
#include "world/agents.hpp"
#include "world/split_assignment.hpp"
#include "world/support_team.hpp"

namespace p2psim {

class ReviewQueue {
 public:
  // A reviewer's decision on a user's attempt.
  struct Verdict {
    bool stop = false;  // stopped; otherwise the order is placed for `usd`
    bool genuine = true;
    double usd = 0.0;
    std::uint32_t unit_slot = SplitAssignment::kNoSlot;
    std::int32_t screened_day = 0;  // the day the attempt was screened
    OrderSegment segment;           // who it comes from, for the risk KPIs by segment
  };

  ReviewQueue(const WorldConfig& config, std::uint32_t replication, const Seconds& now,
              EventQueue& queue, Metrics& metrics, std::size_t expected_users);
  ReviewQueue(const ReviewQueue&) = delete;
  ReviewQueue& operator=(const ReviewQueue&) = delete;

  // Some market has reviewers: only then are attempts kept, per user.
  bool kept() const { return kept_; }
  void add_market(std::uint16_t index);
  void add_user() {
    if (kept_) reviews_.emplace_back();
  }

  // The attempt of `user` in `market` waits for a reviewer; `patient` users (fraudsters) wait as
  // long as it takes.
  void send(UserId user, std::uint16_t market, double usd, bool genuine, bool patient,
            std::uint32_t unit_slot, const OrderSegment& segment);
  // A reviewer decided (a kReviewDone event); start_next then gives the reviewer the next case.
  Verdict decide(UserId user, std::uint16_t market);
  void start_next(std::uint16_t market);
  // A waiting user's patience ran out (a kReviewPatienceEnds event): true when they leave.
  bool patience_ends(UserId user, std::uint16_t market, std::uint32_t generation);
  // The reviewers on shift change on the hour.
  void change_shift(std::uint16_t market);

 private:
  enum class Status : std::uint8_t { kNone, kWaiting, kInReview };
  // An attempt waiting for, or in, review: by UserId, since a user has at most one attempt
  // going at a time.
  struct PendingReview {
    double usd = 0.0;
    std::int32_t screened_day = 0;  // the review's counts are booked to this day
    std::uint32_t generation = 0;   // voids a patience event from an earlier review
    Status status = Status::kNone;
    // Queue entries of reviews the user left: the queue meets them before any newer entry of
    // the same user (FIFO), and drops them.
    std::uint8_t abandoned_in_queue = 0;
    bool genuine = true;                                 // the order's true intent at screening
    std::uint32_t unit_slot = SplitAssignment::kNoSlot;  // where its review outcome is booked
    OrderSegment segment;
  };
  struct MarketReview {
    RandomStream stream;    // reviewers' verdicts and waiting users' patience
    SupportTeam reviewers;  // the queue and the reviewers on shift
  };

  void start(std::uint16_t market, const SupportTeam::Assignment& assignment);
  // Whether a queued ticket (a UserId) is still to be worked, or was left.
  bool still_waiting(std::uint32_t ticket);

  const WorldConfig& config_;
  std::uint32_t replication_;
  const Seconds& now_;
  EventQueue& queue_;
  Metrics& metrics_;
  bool kept_ = false;
  std::vector<MarketReview> markets_;
  RecordArray<UserId, PendingReview> reviews_;
};

}  // namespace p2psim
