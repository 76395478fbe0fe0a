#include "world/review_queue.hpp"

#include <cassert>
#include <cmath>

#include "world/event_kind.hpp"
#include "world/stream_purpose.hpp"

namespace p2psim {

ReviewQueue::ReviewQueue(const WorldConfig& config, std::uint32_t replication, const Seconds& now,
                         EventQueue& queue, Metrics& metrics, std::size_t expected_users)
    : config_(config), replication_(replication), now_(now), queue_(queue), metrics_(metrics) {
  for (const MarketConfig& market : config.markets) {
    kept_ = kept_ || market.review.staffed();
  }
  if (kept_) reviews_.reserve(expected_users);
}

void ReviewQueue::add_market(std::uint16_t index) {
  const MarketConfig& config = config_.markets[index];
  auto stream = [&](std::uint32_t purpose) {
    return RandomStream(config_.simulation.seed, replication_, stream_id(purpose, index, 0));
  };
  markets_.push_back(MarketReview{
      .stream = stream(kReviewStream),
      .reviewers =
          SupportTeam(config.review.reviewers_by_hour[0],
                      config.review.review_minutes_mean * kMinute, stream(kReviewerStream)),
  });
}

bool ReviewQueue::still_waiting(std::uint32_t ticket) {
  PendingReview& review = reviews_[UserId(ticket)];
  if (review.abandoned_in_queue > 0) {
    // The queue is FIFO: the user's oldest entry still in it is one they left.
    --review.abandoned_in_queue;
    return false;
  }
  return review.status == Status::kWaiting;
}

void ReviewQueue::send(UserId user, std::uint16_t market, double usd, bool genuine, bool patient,
                       std::uint32_t unit_slot, const OrderSegment& segment) {
  assert(kept_ && config_.markets[market].review.staffed() &&
         "the scenario layer refuses review without reviewers");
  PendingReview& review = reviews_[user];
  assert(review.status == Status::kNone && "one attempt at a time per user");
  review.usd = usd;
  review.screened_day = day_of(now_);
  review.generation = (review.generation + 1) & kGenerationMask;
  review.status = Status::kWaiting;
  review.genuine = genuine;
  review.unit_slot = unit_slot;
  review.segment = segment;
  metrics_.record(OrderSentToReview{market, review.screened_day});
  MarketReview& queue = markets_[market];
  if (std::optional<SupportTeam::Assignment> started = queue.reviewers.open(user.index(), now_)) {
    return start(market, *started);
  }
  if (patient) return;
  const Seconds patience = exponential(
      queue.stream, config_.markets[market].review.abandon_after_minutes_mean * kMinute);
  queue_.schedule(now_ + patience, kReviewPatienceEnds | (review.generation << 8), user);
}

void ReviewQueue::start(std::uint16_t market, const SupportTeam::Assignment& assignment) {
  PendingReview& review = reviews_[UserId(assignment.ticket)];
  review.status = Status::kInReview;
  metrics_.record(ReviewStarted{market, review.screened_day, assignment.waited});
  queue_.schedule(assignment.finishes_at, kReviewDone, assignment.ticket);
}

ReviewQueue::Verdict ReviewQueue::decide(UserId user, std::uint16_t market) {
  PendingReview& review = reviews_[user];
  assert(review.status == Status::kInReview);
  review.status = Status::kNone;
  metrics_.record(OrderReviewed{market, review.screened_day});
  const ReviewConfig& settings = config_.markets[market].review;
  const double stop =
      review.genuine ? settings.false_block_probability : settings.detection_probability;
  return Verdict{.stop = bernoulli(markets_[market].stream, stop),
                 .genuine = review.genuine,
                 .usd = review.usd,
                 .unit_slot = review.unit_slot,
                 .screened_day = review.screened_day,
                 .segment = review.segment};
}

void ReviewQueue::start_next(std::uint16_t market) {
  auto is_live = [this](std::uint32_t ticket) { return still_waiting(ticket); };
  if (std::optional<SupportTeam::Assignment> next =
          markets_[market].reviewers.finish(now_, is_live)) {
    start(market, *next);
  }
}

bool ReviewQueue::patience_ends(UserId user, std::uint16_t market, std::uint32_t generation) {
  PendingReview& review = reviews_[user];
  if (review.generation != generation || review.status != Status::kWaiting) return false;
  review.status = Status::kNone;
  assert(review.abandoned_in_queue < UINT8_MAX);
  ++review.abandoned_in_queue;
  metrics_.record(ReviewAbandoned{market, review.screened_day});
  return true;
}

void ReviewQueue::change_shift(std::uint16_t market) {
  MarketReview& queue = markets_[market];
  const auto hour = static_cast<int>(std::floor(std::fmod(now_, kDay) / kHour));
  queue.reviewers.set_agents(config_.markets[market].review.reviewers_by_hour[hour]);
  auto is_live = [this](std::uint32_t ticket) { return still_waiting(ticket); };
  while (std::optional<SupportTeam::Assignment> next =
             queue.reviewers.take_waiting(now_, is_live)) {
    start(market, *next);
  }
}

}  // namespace p2psim
