#pragma once
// What a merchant's two ad margins come from at each hourly repricing besides the rate's move and
// its inventory (docs/model.md, Prices, and Competition and capital): its own margin, its cost
// floor, its own fraud losses against what it traded (pricing for risk) and, under competitive
// pricing, the other merchants' best ads as the book stood before the hour.
#include <array>
#include <span>
#include <vector>

#include "world/agents.hpp"
#include "world/ledger.hpp"
#include "world/market_response.hpp"

namespace p2psim {

class MerchantPricing {
 public:
  MerchantPricing(const Ledger& ledger, const MerchantRecords& merchants)
      : ledger_(ledger), merchants_(merchants) {}

  // A merchant just created (ids in order): its cost floor is drawn from its own stream, only
  // under competitive pricing.
  void add_merchant(Merchant& merchant, const MerchantConfig& settings);
  void record_trade(MerchantId merchant, double usd) {
    trading_[merchant.index()].volume_usd += usd;
  }
  // A fraud loss the merchant bears; a claw-back comes as a negative loss.
  void record_loss(MerchantId merchant, double usd) { trading_[merchant.index()].loss_usd += usd; }

  // The two best margins on each side (0: sell ads, 1: buy ads) among `merchants`' competing
  // ads: advertised, with enough for an order of `min_order_usd` on that side.
  std::array<BestMargins, 2> competing_book(std::span<const MerchantId> merchants,
                                            double min_order_usd) const;
  // The merchant's margins now, given the 24-hour rate change and the competing book (unread
  // without competitive pricing).
  AdMargins margins(MerchantId merchant, const std::array<BestMargins, 2>& book,
                    double rate_change_over_day, const MerchantConfig& settings) const;

 private:
  struct Trading {
    double cost_floor_bps = 0.0;
    double volume_usd = 0.0;
    double loss_usd = 0.0;
  };

  double loss_premium_bps(MerchantId merchant, const MerchantConfig& settings) const;

  const Ledger& ledger_;
  const MerchantRecords& merchants_;
  std::vector<Trading> trading_;  // by merchant
};

}  // namespace p2psim
