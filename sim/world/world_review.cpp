// Manual review at order creation (docs/strategies.md): an order attempt the policy sends to
// review waits, before any escrow, for one of the market's reviewers on shift (a FIFO M/M/c
// queue, SupportTeam); the reviewer stops it or lets it through, and only then is the order
// created. A genuine user whose patience ends while still waiting leaves; fraudsters wait.
#include <cassert>
#include <cmath>

#include "world/world.hpp"

namespace p2psim {
bool World::still_waiting(std::uint32_t ticket) {
  PendingReview& review = reviews_[ticket];
  if (review.abandoned_in_queue > 0) {
    // The queue is FIFO: the user's oldest entry still in it is one they left.
    --review.abandoned_in_queue;
    return false;
  }
  return review.status == ReviewStatus::kWaiting;
}

void World::send_to_review(UserId user_id, double usd, bool genuine, std::uint32_t unit_slot) {
  const User& user = users_[user_id];
  Market& market = markets_[user.market];
  assert(reviews_kept_ && market.config->review.staffed() &&
         "the scenario layer refuses review without reviewers");
  PendingReview& review = reviews_[user_id];
  assert(review.status == ReviewStatus::kNone && "one attempt at a time per user");
  review.usd = usd;
  review.screened_day = day_of(now_);
  review.generation = (review.generation + 1) & kGenerationMask;
  review.status = ReviewStatus::kWaiting;
  review.genuine = genuine;
  review.unit_slot = unit_slot;
  ++day(user.market, review.screened_day).orders_sent_to_review;
  if (std::optional<SupportTeam::Assignment> started = market.reviewers.open(user_id, now_)) {
    return start_review(*started);
  }
  if (user.intent != UserIntent::kGenuine) return;  // fraudsters wait as long as it takes
  const Seconds patience =
      exponential(market.review, market.config->review.abandon_after_minutes_mean * kMinute);
  queue_.schedule(now_ + patience, kReviewPatienceEnds | (review.generation << 8), user_id);
}

void World::start_review(const SupportTeam::Assignment& assignment) {
  PendingReview& review = reviews_[assignment.ticket];
  review.status = ReviewStatus::kInReview;
  KpiCounters& counters = day(users_[assignment.ticket].market, review.screened_day);
  ++counters.review_started;
  counters.review_wait_seconds += assignment.waited;
  queue_.schedule(assignment.finishes_at, kReviewDone, assignment.ticket);
}

void World::on_review_done(UserId user_id) {
  const User& user = users_[user_id];
  Market& market = markets_[user.market];
  PendingReview& review = reviews_[user_id];
  assert(review.status == ReviewStatus::kInReview);
  review.status = ReviewStatus::kNone;
  KpiCounters& counters = day(user.market, review.screened_day);
  ++counters.orders_reviewed;
  const ReviewConfig& settings = market.config->review;
  const double stop =
      review.genuine ? settings.false_block_probability : settings.detection_probability;
  if (bernoulli(market.review, stop)) {
    stop_attempt(user_id, review.genuine, counters, review.unit_slot);
  } else {
    place_order(user_id, review.usd);
  }
  auto is_live = [this](std::uint32_t ticket) { return still_waiting(ticket); };
  if (std::optional<SupportTeam::Assignment> next = market.reviewers.finish(now_, is_live)) {
    start_review(*next);
  }
}

void World::place_order(UserId user_id, double usd) {
  // Time has passed since the user picked an ad: they pick again, for the approved amount.
  User& user = users_[user_id];
  Market& market = markets_[user.market];
  AdRequest request{user.side, user.payment_methods, user.payment_method, usd, to_micro_usdt(usd)};
  AdMatch match = market.ads.match(request, market.choice, merchants_, ledger_, user.stream);
  if (match.merchant == kNobody) {
    ++today(user.market).orders_unmatched;
    if (user.intent != UserIntent::kGenuine) fraudsters_.note_outcome(user, true);
    user_moves_on(user_id, kExperienceFailed);
    return;
  }
  count_velocity(user_id, usd);
  OrderId order = create_order(user_id, match, usd);
  keep_risk_context(order, creation_features(user_id, match, usd));
  plan_buyer(order);
}

void World::on_review_patience_ends(UserId user_id, std::uint32_t generation) {
  PendingReview& review = reviews_[user_id];
  if (review.generation != generation || review.status != ReviewStatus::kWaiting) return;
  review.status = ReviewStatus::kNone;
  assert(review.abandoned_in_queue < UINT8_MAX);
  ++review.abandoned_in_queue;
  ++day(users_[user_id].market, review.screened_day).review_abandoned;
  user_moves_on(user_id, kExperienceSlow);
}

void World::change_review_shift(std::uint16_t market_index) {
  Market& market = markets_[market_index];
  const auto hour = static_cast<int>(std::floor(std::fmod(now_, kDay) / kHour));
  market.reviewers.set_agents(market.config->review.reviewers_by_hour[hour]);
  auto is_live = [this](std::uint32_t ticket) { return still_waiting(ticket); };
  while (std::optional<SupportTeam::Assignment> next =
             market.reviewers.take_waiting(now_, is_live)) {
    start_review(*next);
  }
}

}  // namespace p2psim
