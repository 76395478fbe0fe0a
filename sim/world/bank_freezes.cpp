#include "world/bank_freezes.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "world/event_kind.hpp"
#include "world/stream_purpose.hpp"

namespace p2psim {

BankFreezes::BankFreezes(const Wiring& wiring)
    : config_(wiring.config),
      replication_(wiring.replication),
      now_(wiring.now),
      horizon_(wiring.horizon),
      queue_(wiring.queue),
      ledger_(wiring.ledger),
      metrics_(wiring.metrics),
      merchants_(wiring.merchants) {}

void BankFreezes::add_market(std::uint16_t index, AccountId outside_fiat) {
  const std::vector<PaymentMethodConfig>& methods = config_.markets[index].payment_methods;
  Market market{
      .stream =
          RandomStream(config_.simulation.seed, replication_, stream_id(kFreezeStream, index, 0)),
      .outside_fiat = outside_fiat,
  };
  for (std::size_t method = 0; method < methods.size(); ++method) {
    for (std::size_t other = 0; other < methods.size(); ++other) {
      const std::string& account = methods[method].bank_account;
      if (other == method || (!account.empty() && account == methods[other].bank_account)) {
        market.same_bank_account[method] |= 1u << other;
      }
    }
  }
  markets_.push_back(std::move(market));
}

bool BankFreezes::on_tainted_fiat(const Order& order) {
  if (merchants_[order.merchant].status == MerchantStatus::kGone) return false;
  const PaymentMethodConfig& method =
      config_.markets[order.market].payment_methods[order.payment_method];
  if (method.freeze_probability <= 0.0) return false;
  if (!bernoulli(markets_[order.market].stream, method.freeze_probability)) return false;
  return freeze_bank_account(order.merchant, order.payment_method);
}

std::vector<MerchantId> BankFreezes::freeze_wave(std::span<const MerchantId> merchants,
                                                 std::uint16_t market, std::uint8_t method,
                                                 double share) {
  std::vector<MerchantId> frozen;
  for (MerchantId id : merchants) {
    const Merchant& merchant = merchants_[id];
    // Listed or leaving: a merchant that has gone has no account left to freeze.
    const bool listed =
        merchant.status == MerchantStatus::kListed || merchant.status == MerchantStatus::kLeaving;
    if (!listed || ((merchant.accepted_methods >> method) & 1u) == 0) continue;
    if (bernoulli(markets_[market].stream, share) && freeze_bank_account(id, method)) {
      frozen.push_back(id);
    }
  }
  return frozen;
}

bool BankFreezes::freeze_bank_account(MerchantId id, std::uint8_t method) {
  const Merchant& merchant = merchants_[id];
  Market& market = markets_[merchant.market];
  const double days_mean =
      config_.markets[merchant.market].payment_methods[method].freeze_days_mean;
  const Seconds duration = exponential(market.stream, days_mean) * kDay;
  bool changed = false;
  const std::uint32_t frozen = market.same_bank_account[method] & merchant.accepted_methods;
  for (std::uint32_t bits = frozen; bits != 0; bits &= bits - 1) {
    changed |= freeze(id, static_cast<std::uint8_t>(std::countr_zero(bits)), duration);
  }
  return changed;
}

bool BankFreezes::freeze(MerchantId id, std::uint8_t method, Seconds duration) {
  Merchant& merchant = merchants_[id];
  const std::uint32_t subject = id.index() * kMaxPaymentMethods + method;
  const Seconds from = merchant.frozen(method) ? frozen_until_[subject] : now_;
  const Seconds end = now_ + duration;
  if (end <= from) return false;  // already frozen for longer
  // merchant_freeze_days: the newly frozen time, split over the days it covers.
  const Seconds stop = std::min(end, horizon_);
  for (Seconds time = from; time < stop;) {
    const std::int32_t day_index = day_of(time);
    const Seconds piece = std::min(stop, (day_index + 1) * kDay) - time;
    metrics_.record(MerchantAccountFrozen{merchant.market, day_index, piece / kDay});
    time += piece;
  }
  frozen_until_[subject] = end;
  merchant.frozen_methods |= 1u << method;
  queue_.schedule(end, kFreezeEnds, subject);
  return true;
}

BankFreezes::Thaw BankFreezes::on_freeze_ends(std::uint32_t subject) {
  if (now_ < frozen_until_[subject]) return {};  // the freeze was extended meanwhile
  const MerchantId id(subject / kMaxPaymentMethods);
  const auto method = static_cast<std::uint8_t>(subject % kMaxPaymentMethods);
  Merchant& merchant = merchants_[id];
  merchant.frozen_methods &= ~(1u << method);
  Thaw thaw{.merchant = id, .method = method};
  // The bank keeps part of what it froze (claims it pays out, fees, a closed account's
  // balance); what open orders still owe from the account is paid in full, not kept.
  const double share = config_.markets[merchant.market].merchants.frozen_fiat_loss_share;
  const MinorUnits balance = uncommitted_fiat(merchant, ledger_, method);
  if (share == 0.0 || balance <= 0) return thaw;
  thaw.bank_kept = true;
  thaw.kept = static_cast<MinorUnits>(std::floor(share * static_cast<double>(balance)));
  ledger_.transfer(merchant.fiat_account(method), markets_[merchant.market].outside_fiat,
                   thaw.kept);
  return thaw;
}

double BankFreezes::capital_cost_usd(const Merchant& merchant, double rate) const {
  const double per_year = config_.markets[merchant.market].merchants.capital_cost_per_year;
  if (per_year == 0.0 || merchant.frozen_methods == 0) return 0.0;
  MinorUnits frozen = 0;
  for (std::uint32_t bits = merchant.frozen_methods; bits != 0; bits &= bits - 1) {
    // An account overdrawn by a chargeback locks no capital.
    const auto method = static_cast<std::uint8_t>(std::countr_zero(bits));
    frozen += std::max<MinorUnits>(0, ledger_.balance(merchant.fiat_account(method)));
  }
  return static_cast<double>(frozen) / kFiatMinorPerUnit / rate * per_year / 365.0;
}

}  // namespace p2psim
