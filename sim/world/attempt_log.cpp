#include "world/attempt_log.hpp"

#include <algorithm>
#include <cassert>

namespace p2psim {

AttemptLog::AttemptLog(const Wiring& wiring)
    : sink_(wiring.sink),
      wants_features_(wiring.sink.wants_attempts()),
      now_(wiring.now),
      users_(wiring.users),
      profiles_(wiring.profiles),
      links_(wiring.links),
      orders_(wiring.orders) {}

AttemptLog::AccountActivity& AttemptLog::activity(UserId user) {
  if (accounts_.size() <= user.index()) accounts_.resize(user.index() + 1);
  return accounts_[user.index()];
}

void AttemptLog::begin(UserId user_id) {
  const User& user = users_[user_id];
  static const AttemptRow kFresh{};  // copied, not rebuilt: a row is 384 bytes
  current_ = kFresh;
  current_.attempt = ++attempts_;
  current_.user = user_id;
  current_.market = user.market;
  current_.side = user.side;
  current_.intent = user.intent;
  current_.ring = profiles_[user_id].ring;
  current_.attempted_at = now_;
}

void AttemptLog::prefetch_activity(UserId user) const {
  if (user.index() < accounts_.size()) __builtin_prefetch(&accounts_[user.index()]);
}

void AttemptLog::matched(const AdMatch& match, double usd) {
  current_.merchant = match.merchant;
  current_.payment_method = match.merchant == kNobody ? kNoPaymentMethod : match.payment_method;
  current_.usd = usd;
}

void AttemptLog::saw(const OrderFeatures& features) {
  current_.has_features = true;
  current_.features = features;
}

void AttemptLog::screened(const OrderFeatures& features, const RiskDecision& decision,
                          UserIntent intent) {
  saw(features);
  current_.intent = intent;
  current_.screened = true;
  current_.creation_action = decision.action;
  current_.creation_reason = decision.reason;
}

void AttemptLog::end(AttemptOutcome outcome) {
  assert(current_.attempt != 0 && "an attempt ends once");
  current_.outcome = outcome;
  current_.ended_at = now_;
  sink_.write(current_);
  current_.attempt = 0;
}

void AttemptLog::wait_for_review(UserId user) {
  in_review_[user.index()] = current_;
  current_.attempt = 0;
}

void AttemptLog::resume_after_review(UserId user) {
  auto waiting = in_review_.find(user.index());
  assert(waiting != in_review_.end() && "a verdict on an attempt in review");
  current_ = waiting->second;
  in_review_.erase(waiting);
}

void AttemptLog::created(OrderId order, std::uint64_t serial) {
  current_.order = serial;
  current_.order_usd = orders_[order].usd;
  current_.intent = orders_[order].intent;
  if (by_order_.size() < orders_.size()) by_order_.resize(orders_.size());
  by_order_[order] = current_;
  current_.attempt = 0;
  AccountActivity& account = activity(current_.user);
  const auto day = static_cast<float>(now_ / kDay);
  ++account.orders;
  if (account.first_order_day < 0.0f) account.first_order_day = day;
  account.last_order_day = day;
}

void AttemptLog::asked_at_mark_paid(OrderId order, const OrderFeatures& features,
                                    const RiskDecision& decision) {
  AttemptRow& row = by_order_[order];
  row.asked_at_mark_paid = true;
  row.paid_features = features;
  if (decision.action == RiskAction::kHold) {
    row.hold_minutes = decision.hold_minutes;
    row.hold_reason = decision.reason;
  }
}

void AttemptLog::lost(const Order& order, double usd, LossBearer bearer) {
  by_order_[orders_.id_of(order)].loss_usd[static_cast<int>(bearer)] += usd;
}

namespace {

AttemptOutcome outcome_of(OrderState state) {
  switch (state) {
    case OrderState::kCompleted:
      return AttemptOutcome::kCompleted;
    case OrderState::kCancelled:
      return AttemptOutcome::kCancelled;
    case OrderState::kExpired:
      return AttemptOutcome::kExpired;
    case OrderState::kReversed:
      return AttemptOutcome::kReversed;
    case OrderState::kCreated:
    case OrderState::kPaid:
    case OrderState::kAppealed:
      break;
  }
  return AttemptOutcome::kOpen;
}

}  // namespace

void AttemptLog::write_order_row(AttemptRow& row, const Order& order, const FraudLabel* label) {
  row.outcome = outcome_of(order.state);
  row.ended_at = row.outcome == AttemptOutcome::kOpen ? -1.0 : now_;
  row.appealed = order.appealed_at != 0.0;
  if (label != nullptr) {
    row.revealed_at = label->revealed_at;
    row.revealed_by = label->revealed_by;
  }
  sink_.write(row);
  row.attempt = 0;
}

void AttemptLog::order_done(OrderId order, const FraudLabel* label) {
  assert(by_order_[order].attempt != 0 && "an order is done once");
  write_order_row(by_order_[order], orders_[order], label);
}

void AttemptLog::sign_up_blocked(UserId user) {
  activity(user).sign_up_blocked = true;
}

void AttemptLog::banned(UserId user, std::int32_t day) {
  activity(user).banned_day = day;
}

void AttemptLog::finish(const std::vector<FraudLabel>& labels) {
  // Orders still open, in the order they were attempted, then attempts still in review.
  std::vector<OrderId> open;
  for (OrderId id : by_order_.ids()) {
    if (by_order_[id].attempt != 0) open.push_back(id);
  }
  std::sort(open.begin(), open.end(),
            [this](OrderId a, OrderId b) { return by_order_[a].attempt < by_order_[b].attempt; });
  for (OrderId id : open) {
    const std::uint32_t label = orders_[id].label;
    write_order_row(by_order_[id], orders_[id], label == kNoLabel ? nullptr : &labels[label]);
  }
  std::vector<AttemptRow> waiting;
  for (const auto& [user, row] : in_review_)
    waiting.push_back(row);
  std::sort(waiting.begin(), waiting.end(),
            [](const AttemptRow& a, const AttemptRow& b) { return a.attempt < b.attempt; });
  for (const AttemptRow& row : waiting)
    sink_.write(row);
  in_review_.clear();
  write_accounts(labels);
}

void AttemptLog::write_accounts(const std::vector<FraudLabel>& labels) {
  std::vector<double> first_revealed(users_.size(), -1.0);
  for (const FraudLabel& label : labels) {
    if (label.revealed_by == RevealedBy::kNever) continue;
    double& first = first_revealed[label.user];
    const double day = label.revealed_at / kDay;
    if (first < 0.0 || day < first) first = day;
  }
  if (accounts_.size() < users_.size()) accounts_.resize(users_.size());
  for (UserId id : users_.ids()) {
    const User& user = users_[id];
    const UserProfile& profile = profiles_[id];
    const AccountActivity& account = accounts_[id.index()];
    sink_.write(AccountRow{
        .user = id,
        .market = user.market,
        .created_day = profile.created_day,
        .kyc_tier = user.kyc_tier,
        .device = links_.device_of(id.index()),
        .bank_account = links_.bank_account_of(id.index()),
        .cluster = links_.cluster_of(id.index()),
        .cluster_size = links_.cluster_size(id.index()),
        .intent = user.intent,
        .ring = profile.ring,
        .referred_by = profile.referred_by,
        .sign_up_blocked = account.sign_up_blocked,
        .banned_day = account.banned_day,
        .orders = account.orders,
        .completed_orders = user.completed_orders,
        .first_order_day = account.first_order_day,
        .last_order_day = account.last_order_day,
        .first_revealed_day = first_revealed[id.index()],
    });
  }
}

}  // namespace p2psim
