#pragma once
// Merchants' side of each market: set-up, inventory per payment method and daily rebalancing,
// online hours, profit and loss, exit and entry, the platform's eligibility rule and tiers,
// hourly repricing, and the ad book with which of their ads are visible. What margins come from
// (MerchantPricing), capital and its conversions (MerchantCapital) and banks' freezes
// (BankFreezes) are components of their own. The merchants' records are the World's; this owns
// the rest.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/event_queue.hpp"
#include "core/random_stream.hpp"
#include "metrics/metrics.hpp"
#include "world/ad_book.hpp"
#include "world/agents.hpp"
#include "world/bank_freezes.hpp"
#include "world/ledger.hpp"
#include "world/market_response.hpp"
#include "world/merchant_capital.hpp"
#include "world/merchant_pricing.hpp"
#include "world/payment_method_shares.hpp"
#include "world/reference_rate.hpp"

namespace p2psim {

class Merchants {
 public:
  // What merchants read and write below them, all owned by the World.
  struct Wiring {
    const WorldConfig& config;
    std::uint32_t replication;
    const Seconds& now;
    Seconds horizon;
    EventQueue& queue;
    Ledger& ledger;
    Metrics& metrics;
    MerchantRecords& merchants;
    const UserRecords& users;
    const OrderRecords& orders;
    AccountId outside_usdt;
  };

  explicit Merchants(const Wiring& wiring);
  Merchants(const Merchants&) = delete;
  Merchants& operator=(const Merchants&) = delete;

  // The market's merchants (dormant slots included), its ad book and reference rate; its fiat
  // comes from and goes to `outside_fiat`.
  void add_market(std::uint16_t index, AccountId outside_fiat, const PaymentMethodShares& shares);
  std::span<const MerchantId> of(std::uint16_t market) const { return markets_[market].merchants; }
  AccountId outside_fiat(std::uint16_t market) const { return markets_[market].outside_fiat; }
  ReferenceRate& rate(std::uint16_t market) { return markets_[market].rate; }
  const ReferenceRate& rate(std::uint16_t market) const { return markets_[market].rate; }

  // Ads
  AdMatch match(std::uint16_t market, const AdRequest& request, RandomStream& stream) const {
    const MarketMerchants& book = markets_[market];
    return book.ads.match(request, book.choice, merchants_, ledger_, stream);
  }
  void refresh_ads(MerchantId merchant);
  bool ad_offered(MerchantId merchant, TradeSide side, std::uint8_t method) const;
  void set_method_enabled(std::uint16_t market, std::uint8_t method, bool enabled);
  // The merchant's ranking after its completion rate changed.
  void update_utility(MerchantId merchant);
  double best_spread_bps(std::uint16_t market) const;

  // The hour: repricing, online hours; at midnight the day's close and restocking.
  void reprice(std::uint16_t market);
  void update_online_hours(std::uint16_t market);
  void restock(std::uint16_t market);
  // With bounded capital: merchants short of USDT or fiat convert the other side (hourly).
  void convert_inventory(std::uint16_t market);
  void on_conversion_lands(MerchantId merchant);
  void charge_daily_costs(std::uint16_t market, std::int32_t day_index);
  void close_day(std::uint16_t market, std::int32_t day_index);
  Seconds next_online_time(const Merchant& merchant, Seconds time) const;

  // Orders' effects
  // Inline: every completed order books a spread, most a fee too.
  // A fraud loss the merchant bears on an order paid with `method` (a claw-back: negative): it
  // prices its losses in, and may start filtering its counterparties or drop the method.
  void on_fraud_loss(MerchantId id, std::uint8_t method, double usd);
  void book_pnl(MerchantId id, double usd) {
    Merchant& merchant = merchants_[id];
    merchant.pnl_today_usd += usd;
    metrics_.record(MerchantPnlBooked{merchant.market, day_of(now_), usd});
  }
  void book_spread(const Order& order);
  void leave_if_done(MerchantId merchant);
  // Tainted fiat (a reversal, stolen funds) reached the merchant's account for the order's
  // payment method: with the method's freeze_probability the account is frozen.
  void on_tainted_fiat(const Order& order);
  void freeze_account(MerchantId merchant, std::uint8_t method, Seconds duration);
  // A shock: each listed merchant taking `method` has its account frozen with chance `share`.
  void freeze_wave(std::uint16_t market, std::uint8_t method, double share);
  void on_freeze_ends(std::uint32_t subject);
  // How much of a victim's loss on `order` the scamming merchant's security deposit pays back,
  // in micro-USDT (moved to the victim by the call).
  MinorUnits exit_scam_deposit_covers(OrderId order, MinorUnits loss);
  void on_vanishes(MerchantId merchant);

 private:
  // The last history_days_ days of a merchant's P&L and order counts (a ring by day index), for
  // the exit and eligibility rules.
  struct MerchantDay {
    double pnl_usd = 0.0;
    std::uint32_t counted = 0;  // orders its completion rate counts
    std::uint32_t completed = 0;
  };
  // What a merchant remembers of the fraud losses it bore, for its own risk decisions, apart from
  // the hot Merchant record: its net loss per payment method, the day of its last loss, and
  // whether its counterparty filter is its habit or its reaction to a loss.
  struct LossMemory {
    std::array<double, kMaxPaymentMethods> method_loss_usd{};
    std::int32_t last_loss_day = -1;
    bool filters_by_habit = false;
    bool filters_after_loss = false;
  };
  struct MarketMerchants {
    AccountId outside_fiat;
    std::vector<MerchantId> merchants;
    AdBook ads;
    ChoiceModel choice;
    ReferenceRate rate;
    RandomStream entries;        // merchants entering the market
    std::uint32_t entrants = 0;  // dormant slots taken so far
  };

  void create(MarketMerchants& market, std::uint16_t index, const PaymentMethodShares& shares);
  // Returns whether the merchant filters its counterparties by habit.
  static bool draw_risk_habits(Merchant& merchant, const MerchantConfig& settings);
  static void filter_counterparties(Merchant& merchant, const MerchantConfig& settings);
  void drop_method(MerchantId merchant, std::uint8_t method);
  void relax_filters(MerchantId merchant, std::int32_t day_index);
  void rebalance_fiat(const Merchant& merchant, const MarketMerchants& market, bool top_up);
  // The fiat accounts it may move money out of: every method's but the frozen ones' (bit mask).
  std::uint32_t open_fiat_accounts(const Merchant& merchant) const;
  void set_prices(Merchant& merchant, double rate, double sell_margin_bps, double buy_margin_bps);
  bool online_at(const Merchant& merchant, Seconds time) const;
  void judge(MerchantId merchant, std::int32_t day_index);
  void assign_tier(MerchantId merchant, std::int32_t day_index);
  void admit_entrants(std::uint16_t market, std::int32_t day_index);
  void enter(MerchantId merchant, std::int32_t day_index);

  const WorldConfig& config_;
  std::uint32_t replication_;
  const Seconds& now_;
  Seconds horizon_;
  EventQueue& queue_;
  Ledger& ledger_;
  Metrics& metrics_;
  MerchantRecords& merchants_;
  const UserRecords& users_;
  const OrderRecords& orders_;
  AccountId outside_usdt_;
  std::vector<MarketMerchants> markets_;
  std::vector<MerchantDay> history_;
  std::vector<LossMemory> losses_;  // by merchant id
  std::uint32_t history_days_ = 1;
  MerchantCapital capital_;
  BankFreezes freezes_;
  MerchantPricing pricing_;
};

}  // namespace p2psim
