// What a reviewer's verdict on an order attempt leads to (the queue itself is ReviewQueue):
// the attempt stops, or the order is placed; a user who gave up waiting moves on.
#include "world/world.hpp"

namespace p2psim {

void World::on_review_done(UserId user_id) {
  const std::uint16_t market = users_[user_id].market;
  const ReviewQueue::Verdict verdict = reviews_.decide(user_id, market);
  if (verdict.stop) {
    stop_attempt(user_id, verdict.genuine, *verdict.counters, verdict.unit_slot);
  } else {
    place_order(user_id, verdict.usd);
  }
  reviews_.start_next(market);
}

void World::place_order(UserId user_id, double usd) {
  // Time has passed since the user picked an ad: they pick again, for the approved amount.
  User& user = users_[user_id];
  AdRequest request{user.side, user.payment_methods, user.payment_method, usd, to_micro_usdt(usd)};
  AdMatch match = merchant_books_.match(user.market, request, user.stream);
  if (match.merchant == kNobody) {
    ++today(user.market).orders_unmatched;
    if (user.intent != UserIntent::kGenuine) fraudsters_.note_outcome(user, true);
    user_moves_on(user_id, kExperienceFailed);
    return;
  }
  features_.count_velocity(user_id, usd);
  OrderId order = order_book_.create(user_id, match, usd);
  risk_.keep_context(order, risk_.creation_features(user_id, match, usd));
  order_book_.plan_buyer(order);
}

void World::on_review_patience_ends(UserId user_id, std::uint32_t generation) {
  if (reviews_.patience_ends(user_id, users_[user_id].market, generation)) {
    user_moves_on(user_id, kExperienceSlow);
  }
}

}  // namespace p2psim
