#include "world/orders.hpp"

#include <cassert>
#include <cmath>

#include "world/stream_purpose.hpp"

namespace p2psim {
Orders::Orders(const Wiring& wiring)
    : config_(wiring.config),
      replication_(wiring.replication),
      now_(wiring.now),
      queue_(wiring.queue),
      ledger_(wiring.ledger),
      metrics_(wiring.metrics),
      split_(wiring.split),
      merchant_books_(wiring.merchants),
      risk_(wiring.risk),
      incentives_(wiring.incentives),
      fraudsters_(wiring.fraudsters),
      users_(wiring.users),
      profiles_(wiring.profiles),
      merchants_(wiring.merchant_records),
      orders_(wiring.orders),
      outside_usdt_(wiring.outside_usdt),
      escrow_usdt_(wiring.escrow_usdt),
      log_(wiring.log) {
  markets_.reserve(config_.markets.size());
}

void Orders::add_market(std::uint16_t index) {
  const MarketConfig& config = config_.markets[index];
  markets_.push_back(MarketOrders{
      .support = SupportTeam(
          config.support.agents, config.support.resolution_minutes_mean * kMinute,
          RandomStream(config_.simulation.seed, replication_, stream_id(kSupportStream, index, 0))),
      .cancellation_rules = CancellationRules(config.rules.cancellation),
      .appeal_tracks = RandomStream(config_.simulation.seed, replication_,
                                    stream_id(kAppealTrackStream, index, 0)),
      .withdrawals = RandomStream(config_.simulation.seed, replication_,
                                  stream_id(kWithdrawalStream, index, 0)),
  });
}

void Orders::schedule(Seconds time, EventKind kind, OrderId order) {
  queue_.schedule(time, kind | (orders_[order].generation << 8), order);
}

OrderId Orders::create(UserId user_id, const AdMatch& match, double usd) {
  const MerchantId merchant_id = match.merchant;
  OrderId id;
  if (free_orders_.empty()) {
    id = orders_.next_id();
    orders_.emplace_back();
  } else {
    id = free_orders_.back();
    free_orders_.pop_back();
    std::uint32_t generation = (orders_[id].generation + 1) & kGenerationMask;
    orders_[id] = Order{};
    orders_[id].generation = generation;
    risk_.forget_withdrawal_lock(id);  // a lock decided for the slot's last order
  }
  User& user = users_[user_id];
  Merchant& merchant = merchants_[merchant_id];
  Order& order = orders_[id];
  order.side = user.side;
  order.intent = RiskScreening::intent_of_order(user, merchant);
  order.payment_method = match.payment_method;
  order.market = user.market;
  order.created_day = day_of(now_);
  order.user = user_id;
  order.merchant = merchant_id;
  order.patience_s = user.patience_s;
  order.usd = usd;
  order.usdt = to_micro_usdt(usd);
  double price = order.side == TradeSide::kUserBuys ? merchant.sell_price : merchant.buy_price;
  order.fiat = fiat_for(usd, price);
  if (order.side == TradeSide::kUserSells) {
    merchant.fiat_committed[order.payment_method] += order.fiat;
  }
  order.created_at = now_;

  if (order.side == TradeSide::kUserSells) {
    // The selling user brings the USDT from outside the platform, then it is escrowed.
    ledger_.transfer(outside_usdt_, user.usdt_account, order.usdt);
  }
  ledger_.transfer(seller_account(order), escrow_usdt_, order.usdt);
  ++merchant.open_orders;
  merchant_books_.refresh_ads(merchant_id);
  ++simulated_;

  const bool fraudulent = order.intent != UserIntent::kGenuine;
  metrics_.record(OrderCreated{.market = order.market,
                               .cohort_day = order.created_day,
                               .unit = split_.order_slot(order),
                               .fraudulent = fraudulent,
                               .typology = order.intent.typology(),
                               .first_order = user.first_order_day == -1});
  if (fraudulent) fraudsters_.open_label(order, simulated_);
  if (user.first_order_day == -1)
    user.first_order_day = static_cast<std::int16_t>(order.created_day);
  return id;
}

void Orders::plan_buyer(OrderId id) {
  Order& order = orders_[id];
  const MarketConfig& config = config_.markets[order.market];
  const Seconds window = config.payment_window_minutes * kMinute;
  const Seconds deadline = now_ + window;
  if (order.side == TradeSide::kUserSells) {
    // Always: a merchant whose method is frozen by then cannot pay, and the order expires.
    schedule(deadline, kPaymentDeadline, id);
    Merchant& merchant = merchants_[order.merchant];
    Seconds pay =
        kMinute * lognormal_from_median(merchant.stream, config.merchants.pay_minutes_median,
                                        config.merchants.release_minutes_sigma);
    // The selling user waits: platforms let only the buyer cancel. A merchant too slow to pay
    // within the window lets the order expire, a failure its completion rate counts.
    if (pay < window) {
      order.slow = pay > order.patience_s;
      schedule(now_ + pay, kBuyerPays, id);
    }
    return;
  }
  User& user = users_[order.user];
  const UserConfig& settings = config.users;
  Seconds pay = kMinute * lognormal_from_median(user.stream, settings.pay_minutes_median,
                                                settings.pay_minutes_sigma);
  if (user.intent == UserIntent::kGenuine) {
    const double cancel =
        user.retrying ? settings.cancel_again_probability : settings.cancel_probability;
    double choice = uniform01(user.stream);
    if (choice < cancel) {
      return schedule_before_deadline(now_ + window * uniform01(user.stream), kUserCancels,
                                      deadline, id);
    }
    if (choice < cancel + settings.abandon_probability) {
      return schedule(deadline, kPaymentDeadline, id);
    }
  }
  // Genuine buyers who are too slow, like walkaways, let the window expire.
  if (pay < window) return schedule_before_deadline(now_ + pay, kBuyerPays, deadline, id);
  schedule(deadline, kPaymentDeadline, id);
}

void Orders::schedule_before_deadline(Seconds time, EventKind kind, Seconds deadline, OrderId id) {
  // A buying user's payment or cancel takes the order out of kCreated whenever it comes first,
  // so the deadline would find nothing to do: it is scheduled only when it could come first (a
  // tie goes to it, as it did when every order had one, scheduled before the buyer's move).
  // Most orders are paid in time: a quarter of large_market's events were these deadlines.
  if (!(time < deadline)) schedule(deadline, kPaymentDeadline, id);
  schedule(time, kind, id);
}

void Orders::transition(Order& order, OrderEvent event) {
  std::optional<OrderState> next = next_state(order.state, event);
  assert(next.has_value() && "illegal order transition");
  order.state = *next;
}

AccountId Orders::seller_account(const Order& order) const {
  return order.side == TradeSide::kUserBuys ? merchants_[order.merchant].usdt_account
                                            : users_[order.user].usdt_account;
}

AccountId Orders::buyer_account(const Order& order) const {
  return order.side == TradeSide::kUserBuys ? users_[order.user].usdt_account
                                            : merchants_[order.merchant].usdt_account;
}

void Orders::on_buyer_pays(OrderId id) {
  Order& order = orders_[id];
  if (order.state != OrderState::kCreated) return;  // cancelled or expired first
  Merchant& merchant = merchants_[order.merchant];
  // A merchant whose account for the method is frozen cannot pay a selling user: the order
  // expires at the end of the payment window.
  if (order.side == TradeSide::kUserSells && merchant.frozen(order.payment_method)) return;
  transition(order, OrderEvent::kMarkPaid);
  const MarketConfig& config = config_.markets[order.market];
  const AccountId outside_fiat = merchant_books_.outside_fiat(order.market);
  // Non-payers and a scamming merchant paying a selling user only mark the order paid.
  const bool pays_nothing =
      order.intent != UserIntent::kGenuine && !FraudScheme::of(order.intent).pays_fiat(order);
  if (!pays_nothing) {
    order.fiat_paid = true;
    if (order.side == TradeSide::kUserBuys) {
      ledger_.transfer(outside_fiat, merchant.fiat_account(order.payment_method), order.fiat);
    } else {
      ledger_.transfer(merchant.fiat_account(order.payment_method), outside_fiat, order.fiat);
      merchant.fiat_committed[order.payment_method] -= order.fiat;
    }
    merchant_books_.refresh_ads(order.merchant);
  }
  const PaymentMethodConfig& method = config.payment_methods[order.payment_method];
  if (order.side == TradeSide::kUserSells) {
    User& seller = users_[order.user];
    Seconds check =
        kMinute * (exponential(seller.stream, method.settlement_minutes) +
                   lognormal_from_median(seller.stream, config.users.release_minutes_median,
                                         config.merchants.release_minutes_sigma));
    schedule(now_ + check + risk_.decide_at_mark_paid(id), kSellerChecks, id);
    return;
  }
  if (order.intent != UserIntent::kGenuine && FraudScheme::of(order.intent).never_releases()) {
    // The scamming merchant keeps the fiat and never releases: the buyer appeals.
    schedule(now_ + order.patience_s, kBuyerOutOfPatience, id);
    return;
  }
  Seconds check =
      kMinute * (exponential(merchant.stream, method.settlement_minutes) +
                 lognormal_from_median(merchant.stream, config.merchants.release_minutes_median,
                                       config.merchants.release_minutes_sigma));
  // A merchant checks and releases only during its online hours.
  check = merchant_books_.next_online_time(merchant, now_ + check) - now_;
  // A platform hold keeps the USDT in escrow for its minutes on top (docs/strategies.md).
  check += risk_.decide_at_mark_paid(id);
  schedule(now_ + check, kSellerChecks, id);
  const Seconds patience = order.patience_s;
  if (order.intent == UserIntent::kGenuine && check > patience) {
    // The release will be slower than the buyer's patience: they appeal when it runs out.
    order.slow = true;
    schedule(now_ + patience, kBuyerOutOfPatience, id);
  }
}

void Orders::on_user_cancels(OrderId id) {
  Order& order = orders_[id];
  if (order.state != OrderState::kCreated) return;
  assert(order.side == TradeSide::kUserBuys && "only the buyer cancels");
  record_cancellation(order, CancelStage::kBeforePaying);
  User& user = users_[order.user];
  const UserConfig& settings = config_.markets[order.market].users;
  const bool retries = bernoulli(user.stream, settings.retry_after_cancel_probability);
  return_escrow(id, OrderEvent::kCancel);
  closed_.retry_in_visit = retries;
}

void Orders::on_buyer_out_of_patience(OrderId id) {
  Order& order = orders_[id];
  if (order.state != OrderState::kPaid) return;  // released meanwhile
  // A genuine buyer may press cancel instead of appeal. The fiat has left their account, so the
  // platform does not cancel: the cancel opens a dispute, and counts against the limits.
  const bool genuine_order = order.intent == UserIntent::kGenuine;
  const UserConfig& settings = config_.markets[order.market].users;
  if (genuine_order &&
      bernoulli(users_[order.user].stream, settings.cancel_when_slow_probability)) {
    metrics_.record(CancelledAfterMarkingPaid{order.market, order.created_day});
    record_cancellation(order, CancelStage::kAfterMarkingPaid);
  }
  on_appeal(id);
}

void Orders::on_payment_deadline(OrderId id) {
  if (orders_[id].state != OrderState::kCreated) return;
  return_escrow(id, OrderEvent::kExpire);
}

void Orders::on_seller_checks(OrderId id) {
  Order& order = orders_[id];
  if (order.state != OrderState::kPaid && order.state != OrderState::kAppealed) return;
  if (order.fiat_paid && order.side == TradeSide::kUserBuys && payer_name_fails(order)) {
    return refund_third_party(id);
  }
  if (order.fiat_paid) return complete(id, OrderEvent::kRelease);
  // No money arrived. A careless merchant releases anyway; a careful one disputes. A selling
  // user only gets here from a scamming merchant, whose record makes a fake mark believable.
  const MarketConfig& config = config_.markets[order.market];
  const bool user_sells = order.side == TradeSide::kUserSells;
  RandomStream& stream = user_sells ? users_[order.user].stream : merchants_[order.merchant].stream;
  const double careless =
      user_sells ? config.fraud[FraudTypology::kMerchantExitScam].victim_release_probability
                 : config.merchants.careless_release_probability;
  if (bernoulli(stream, careless)) return complete(id, OrderEvent::kRelease);
  if (order.state == OrderState::kPaid) on_appeal(id);
}

bool Orders::payer_name_fails(const Order& order) {
  // The merchant checks the payer's name with its own diligence; a third party's payment (a
  // triangulation victim's, a genuine buyer's relative's) does not match the buyer's KYC name.
  Merchant& merchant = merchants_[order.merchant];
  if (merchant.name_check_probability == 0.0f ||
      !bernoulli(merchant.stream, merchant.name_check_probability)) {
    return false;
  }
  if (order.intent == FraudTypology::kTriangulation) return true;
  if (order.intent != UserIntent::kGenuine) return false;
  const UserConfig& settings = config_.markets[order.market].users;
  return bernoulli(merchant.stream, settings.third_party_payment_probability);
}

void Orders::refund_third_party(OrderId id) {
  // The merchant sends the fiat back to the account it came from and disputes the order: with
  // no payment from the buyer left, support returns the escrow to it.
  Order& order = orders_[id];
  Merchant& merchant = merchants_[order.merchant];
  ledger_.transfer(merchant.fiat_account(order.payment_method),
                   merchant_books_.outside_fiat(order.market), order.fiat);
  order.fiat_paid = false;
  merchant_books_.refresh_ads(order.merchant);
  metrics_.record(
      PayerNameRefused{order.market, order.created_day, order.intent == UserIntent::kGenuine});
  if (order.state == OrderState::kPaid) on_appeal(id);
}

void Orders::on_appeal(OrderId id) {
  Order& order = orders_[id];
  if (order.state != OrderState::kPaid) return;  // released meanwhile
  transition(order, OrderEvent::kAppeal);
  order.appealed_at = now_;
  order.in_support = true;
  metrics_.record(OrderAppealed{order.market, order.created_day});
  MarketOrders& market = markets_[order.market];
  const SupportConfig& support = config_.markets[order.market].support;
  if (bernoulli(market.appeal_tracks, support.fast_track_share)) return queue_for_agent(id);
  // The regular track: both sides' evidence first, by the deadline at the latest.
  const Seconds evidence =
      std::min(exponential(market.appeal_tracks, support.evidence_hours_mean * kHour),
               support.evidence_deadline_hours * kHour);
  schedule(now_ + evidence, kEvidenceIn, id);
}

void Orders::on_evidence_in(OrderId id) {
  Order& order = orders_[id];
  if (order.state != OrderState::kAppealed) {  // the seller released meanwhile
    order.in_support = false;
    return release_slot_if_done(id);
  }
  queue_for_agent(id);
}

void Orders::queue_for_agent(OrderId id) {
  std::optional<SupportTeam::Assignment> started =
      markets_[orders_[id].market].support.open(id.index(), now_);
  if (started) schedule(started->finishes_at, kSupportResolves, OrderId(started->ticket));
}

void Orders::settle_appeal(OrderId id) {
  Order& order = orders_[id];
  MarketOrders& market = markets_[order.market];
  const double error = config_.markets[order.market].support.verdict_error_probability;
  const bool misjudged = bernoulli(market.appeal_tracks, error);
  if (misjudged) {
    // A buyer who paid and is ruled against loses the fiat to the seller.
    metrics_.record(
        AppealMisjudged{order.market, order.created_day, order.fiat_paid ? order.usd : 0.0});
  } else if (order.intent != UserIntent::kGenuine &&
             FraudScheme::of(order.intent).revealed_at_appeal()) {
    // Support sees who did not pay or release; escrow kept anyone from losing.
    fraudsters_.reveal(order, now_, RevealedBy::kAppeal, 0.0);
  }
  if (order.fiat_paid != misjudged) return complete(id, OrderEvent::kResolveForBuyer);
  return_escrow(id, OrderEvent::kResolveForSeller);
}

void Orders::on_support_resolves(OrderId id) {
  Order& order = orders_[id];
  const std::uint16_t market = order.market;
  order.in_support = false;
  if (order.state == OrderState::kAppealed) {
    // A risk hold that outlasts the appeal leaves it to the seller's check after the hold.
    if (!(order.fiat_paid && now_ < order.hold_until)) settle_appeal(id);
  } else {
    release_slot_if_done(id);
  }
  auto is_live = [this](std::uint32_t ticket) {
    Order& waiting = orders_[OrderId(ticket)];
    if (waiting.state == OrderState::kAppealed) return true;
    waiting.in_support = false;  // settled while it waited
    release_slot_if_done(OrderId(ticket));
    return false;
  };
  std::optional<SupportTeam::Assignment> next = markets_[market].support.finish(now_, is_live);
  if (next) schedule(next->finishes_at, kSupportResolves, OrderId(next->ticket));
}

void Orders::on_fraud_surfaces(OrderId id) {
  // A chargeback, a victim's bank recalling stolen money, or a bank seizing a mule's proceeds:
  // the merchant's fiat for the order goes back out.
  Order& order = orders_[id];
  if (FraudScheme::of(order.intent).reverses_order()) transition(order, OrderEvent::kReverse);
  const AccountId receiving = merchants_[order.merchant].fiat_account(order.payment_method);
  const MinorUnits recalled = recallable_fiat(order, receiving);
  ledger_.transfer(receiving, merchant_books_.outside_fiat(order.market), recalled);
  merchant_books_.on_tainted_fiat(order);
  // What the recall took, as a share of the order: the rest was never lost.
  const double share = recalled == order.fiat ? 1.0 : static_cast<double>(recalled) / order.fiat;
  if (share < 1.0) fraudsters_.fall_short(order, order.usd * (1.0 - share));
  const MinorUnits usdt = share == 1.0 ? order.usdt : std::llround(order.usdt * share);
  if (order.withdrawal_locked) {
    // The USDT is still locked in the fraudster's balance: the platform claws back what the
    // recall took to the merchant whose fiat was taken, and nobody bears the loss. The rest
    // stays locked until the lock ends.
    ledger_.transfer(users_[order.user].usdt_account, merchants_[order.merchant].usdt_account,
                     usdt);
    fraudsters_.claw_back(order, order.usd * share);
    order.usdt -= usdt;
    order.withdrawal_locked = order.usdt > 0;
  } else {
    fraudsters_.compensate_if_platform_bears(order, usdt);
  }
  merchant_books_.refresh_ads(order.merchant);
  order.reversal_pending = false;
  --merchants_[order.merchant].pending_clawbacks;
  merchant_books_.leave_if_done(order.merchant);
  release_slot_if_done(id);
}

MinorUnits Orders::recallable_fiat(const Order& order, AccountId receiving) const {
  const PaymentMethodConfig& method =
      config_.markets[order.market].payment_methods[order.payment_method];
  if (!method.recovery_limited_to_balance) return order.fiat;
  return std::clamp<MinorUnits>(ledger_.balance(receiving), 0, order.fiat);
}

void Orders::complete(OrderId id, OrderEvent how) {
  Order& order = orders_[id];
  const bool was_appealed = order.state == OrderState::kAppealed;
  transition(order, how);
  ledger_.transfer(escrow_usdt_, buyer_account(order), order.usdt);
  Merchant& merchant = merchants_[order.merchant];
  User& user = users_[order.user];
  const std::int32_t today_index = day_of(now_);
  metrics_.record(OrderCompleted{
      .market = order.market,
      .cohort_day = order.created_day,
      .unit = split_.order_slot(order),
      .usd = order.usd,
      .seconds_to_complete = now_ - order.created_at,
      .appealed = was_appealed,
      .appeal_seconds = now_ - order.appealed_at,
      .merchant_first_today = merchant.last_active_day != today_index,
  });
  // The funnel's first and second trades are those of users who came through it in the run:
  // users present at day 0 are past it, whatever their history.
  const bool in_funnel = user.first_order_day != kBeforeDayZero;
  const bool first_trade = in_funnel && user.completed_orders == 0;
  if (first_trade) {
    profiles_[order.user].first_completed_at = now_;
    metrics_.record(FirstTradeCompleted{.market = order.market,
                                        .cohort_day = order.created_day,
                                        .funnel_day = user.first_order_day,
                                        .usd = order.usd});
  } else if (in_funnel && user.completed_orders == 1) {
    metrics_.record(SecondTradeCompleted{
        .market = order.market,
        .funnel_day = user.first_order_day,
        .seconds_after_first_trade = now_ - profiles_[order.user].first_completed_at});
  }

  incentives_.settle(order, first_trade);
  // Support had to release a merchant's sale: a failure its completion rate counts.
  const bool forced = order.side == TradeSide::kUserBuys && how == OrderEvent::kResolveForBuyer;
  if (!forced) {
    ++merchant.orders_completed;
    ++merchant.completed_today;
  }
  if (order.intent == UserIntent::kGenuine) merchant_books_.book_spread(order);
  merchant.last_active_day = today_index;
  if (today_index >= static_cast<std::int32_t>(config_.simulation.warmup_days)) {
    merchant.active_in_period = true;
  }
  if (first_trade && user.intent == UserIntent::kGenuine) {
    schedule_referrals(order.user);
  }
  ++user.completed_orders;

  if (order.intent != UserIntent::kGenuine) fraudsters_.on_completed(id);
  risk_.notify_completion(id);  // may lock the withdrawal
  if (order.side == TradeSide::kUserBuys) withdraw(id);
  close(id, forced);
}

void Orders::withdraw(OrderId id) {
  // The bought USDT is in the buyer's balance. A fraudster withdraws it as soon as they may: at
  // once, or when a lock ends. A genuine buyer's withdrawal is not simulated (the USDT stays in
  // the balance); a lock only costs them its part beyond when they would have withdrawn.
  Order& order = orders_[id];
  User& user = users_[order.user];
  const Seconds locked_until = risk_.locked_until(id);
  const bool locked = locked_until > now_;
  if (user.intent != UserIntent::kGenuine) {
    if (!locked) return ledger_.transfer(user.usdt_account, outside_usdt_, order.usdt);
    order.withdrawal_locked = true;
    schedule(locked_until, kWithdrawalUnlocks, id);
    metrics_.record(WithdrawalLocked{order.market, order.created_day, false, 0.0});
    return;
  }
  if (!locked) return;
  const double mean = config_.markets[order.market].users.withdraw_hours_mean * kHour;
  const Seconds wanted = now_ + exponential(markets_[order.market].withdrawals, mean);
  const double wait_hours = std::max(0.0, locked_until - wanted) / kHour;
  metrics_.record(WithdrawalLocked{order.market, order.created_day, true, wait_hours});
}

void Orders::on_withdrawal_unlocks(OrderId id) {
  Order& order = orders_[id];
  if (!order.withdrawal_locked) return;  // clawed back meanwhile
  order.withdrawal_locked = false;
  ledger_.transfer(users_[order.user].usdt_account, outside_usdt_, order.usdt);
  release_slot_if_done(id);
}

void Orders::return_escrow(OrderId id, OrderEvent event) {
  Order& order = orders_[id];
  const bool was_appealed = order.state == OrderState::kAppealed;
  transition(order, event);
  ledger_.transfer(escrow_usdt_, seller_account(order), order.usdt);
  if (order.side == TradeSide::kUserSells) {
    // The selling user takes the USDT back off the platform; the merchant's fiat is free again.
    ledger_.transfer(users_[order.user].usdt_account, outside_usdt_, order.usdt);
    if (!order.fiat_paid) {
      merchants_[order.merchant].fiat_committed[order.payment_method] -= order.fiat;
    }
  }
  metrics_.record(EscrowReturned{
      .market = order.market,
      .cohort_day = order.created_day,
      .expired = event == OrderEvent::kExpire,
      .cancelled = event == OrderEvent::kCancel || event == OrderEvent::kResolveForSeller,
      .appealed = was_appealed,
      .appeal_seconds = now_ - order.appealed_at,
  });
  // A selling user's order the merchant did not pay in time, or falsely marked paid.
  close(id, order.side == TradeSide::kUserSells);
}

void Orders::close(OrderId id, bool merchant_failed) {
  // The order is final for the merchant and the user; the slot may still wait for support or a
  // chargeback.
  Order& order = orders_[id];
  Merchant& merchant = merchants_[order.merchant];
  --merchant.open_orders;
  merchant_books_.refresh_ads(order.merchant);
  // Its completion rate counts what it completed and what failed by its own doing.
  if (order.state == OrderState::kCompleted || merchant_failed) {
    ++merchant.orders_counted;
    ++merchant.counted_today;
  }
  merchant_books_.leave_if_done(order.merchant);
  merchant_books_.update_utility(order.merchant);
  const User& user = users_[order.user];
  if (user.intent != UserIntent::kGenuine) {
    fraudsters_.note_outcome(user, order.state != OrderState::kCompleted || order.fraud_failed);
  }
  assert(closed_.user == kNobody && "an event closes one order at most");
  closed_ = Closed{.user = order.user, .experience = experience_of(order)};
  release_slot_if_done(id);
}

Experience Orders::experience_of(const Order& order) {
  // How the order went for the user. A buyer's own cancellation is their choice, not a bad
  // experience; merchants never cancel in this model, so no order is cancelled by the other side.
  Experience experience = order.slow ? kExperienceSlow : 0;
  if (order.appealed_at != 0.0) experience |= kExperienceDisputed;
  // Expired, or ruled against on appeal although the buyer paid (a cancelled paid order).
  if (order.state == OrderState::kExpired ||
      (order.state == OrderState::kCancelled && order.fiat_paid)) {
    experience |= kExperienceFailed;
  }
  return experience;
}

void Orders::release_slot_if_done(OrderId id) {
  const Order& order = orders_[id];
  if (is_open(order.state) || order.in_support || order.reversal_pending ||
      order.withdrawal_locked) {
    return;
  }
  if (log_) {
    log_->order_done(id, order.label == kNoLabel ? nullptr : &fraudsters_.labels()[order.label]);
  }
  free_orders_.push_back(id);
}

void Orders::record_cancellation(const Order& order, CancelStage stage) {
  const CancellationRules& rules = markets_[order.market].cancellation_rules;
  if (rules.record_cancel(profiles_[order.user].cancellations, stage, now_)) {
    users_[order.user].may_be_banned = true;
    metrics_.record(CancellationBanImposed{order.market});
  }
}

void Orders::schedule_referrals(UserId id) {
  User& user = users_[id];
  const UserConfig& settings = config_.markets[user.market].users;
  if (settings.referrals_per_user <= 0.0) return;
  // A referral bonus on offer raises the mean (docs/model.md, Fees and incentives).
  const std::uint32_t referrals =
      poisson_count(user.stream, settings.referrals_per_user * incentives_.referral_multiplier(id));
  for (std::uint32_t i = 0; i < referrals; ++i) {
    queue_.schedule(now_ + exponential(user.stream, settings.referral_delay_days * kDay),
                    kReferredVisitorArrives, id);
  }
}

}  // namespace p2psim
