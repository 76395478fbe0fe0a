#pragma once
// Banks freezing merchants' accounts (docs/model.md, Merchants' economics and What freezes
// cost). Tainted fiat (a chargeback, a victim's money) gets the receiving account frozen with its
// payment method's freeze_probability, for an exponential time of mean freeze_days_mean; methods
// with the same bank_account are one account to the bank and freeze together; a freeze wave (a
// shock) freezes a share of the merchants taking a method at once. Frozen fiat forgoes its return
// (merchants.capital_cost_per_year) and, when the freeze ends, the bank keeps
// merchants.frozen_fiat_loss_share of it. The merchants' frozen_methods bits are what matching
// reads; this owns when each freeze ends.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/event_queue.hpp"
#include "core/random_stream.hpp"
#include "metrics/metrics.hpp"
#include "world/agents.hpp"
#include "world/ledger.hpp"

namespace p2psim {

class BankFreezes {
 public:
  struct Wiring {
    const WorldConfig& config;
    std::uint32_t replication;
    const Seconds& now;
    Seconds horizon;
    EventQueue& queue;
    Ledger& ledger;
    Metrics& metrics;
    MerchantRecords& merchants;
  };

  explicit BankFreezes(const Wiring& wiring);

  // The market's freeze stream and which of its methods share a bank account; what banks keep
  // goes to `outside_fiat`.
  void add_market(std::uint16_t index, AccountId outside_fiat);
  // Room for every merchant created so far.
  void grow_to(std::size_t merchants) { frozen_until_.resize(merchants * kMaxPaymentMethods, 0.0); }

  // Tainted fiat reached the merchant's account for the order's payment method: true when the
  // bank froze it.
  bool on_tainted_fiat(const Order& order);
  // A shock: each listed merchant of `merchants` taking `method` has its account frozen with
  // chance `share`, in id order. Returns those frozen.
  std::vector<MerchantId> freeze_wave(std::span<const MerchantId> merchants, std::uint16_t market,
                                      std::uint8_t method, double share);
  // Freezes one method's account for `duration`; a longer freeze already on stands. True when
  // the freeze changed.
  bool freeze(MerchantId merchant, std::uint8_t method, Seconds duration);

  // A freeze's end event. `merchant` is kNobody for a stale event (the freeze was extended);
  // when `bank_kept`, the bank took `kept` fiat minor units from the account.
  struct Thaw {
    MerchantId merchant = kNobody;
    std::uint8_t method = 0;
    bool bank_kept = false;
    MinorUnits kept = 0;
  };
  Thaw on_freeze_ends(std::uint32_t subject);

  // A day of the return the merchant's frozen fiat forgoes, in USD at `rate`.
  double capital_cost_usd(const Merchant& merchant, double rate) const;

 private:
  struct Market {
    RandomStream stream;  // which tainted payments freeze an account, and for how long
    AccountId outside_fiat;
    // By method: the methods paid into the same bank account (itself included).
    std::array<std::uint32_t, kMaxPaymentMethods> same_bank_account{};
  };

  // Freezes the account `method` is paid into, with every method sharing it, for a time drawn
  // from `method`'s freeze_days_mean.
  bool freeze_bank_account(MerchantId merchant, std::uint8_t method);

  const WorldConfig& config_;
  std::uint32_t replication_;
  const Seconds& now_;
  Seconds horizon_;
  EventQueue& queue_;
  Ledger& ledger_;
  Metrics& metrics_;
  MerchantRecords& merchants_;
  std::vector<Market> markets_;
  std::vector<Seconds> frozen_until_;  // merchant x kMaxPaymentMethods + method
};

}  // namespace p2psim
