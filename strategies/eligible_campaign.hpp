#pragma once
// What the incentive kinds share: an `eligibility` condition on the trade, written like a risk
// rule's `when` (rule_expression.hpp) over the order features, parsed once per market the
// campaign runs in (payment method names differ between markets). A trade the condition does not
// admit earns nothing; an absent condition admits every trade.
#include <optional>
#include <vector>

#include "strategies/incentive_registry.hpp"
#include "strategies/rule_expression.hpp"

namespace p2psim {

// The bonus of a kind paid on a first trade (new_user_bonus, referral_bonus).
struct FirstTradeBonus {
  double amount_usd = 0.0;
  double min_order_usd = 0.0;  // the first trade must be at least this
};
inline constexpr std::array<SettingKey<FirstTradeBonus>, 2> kFirstTradeBonusKeys = {{
    {"amount_usd", &FirstTradeBonus::amount_usd, 0.0, 1e6,
     "the bonus paid on a qualifying first trade", true},
    {"min_order_usd", &FirstTradeBonus::min_order_usd, 0.0, 1e7,
     "the first trade must be at least this"},
}};

class EligibleCampaign : public IncentiveCampaign {
 public:
  EligibleCampaign(CampaignTerms terms, StrategySettings& settings,
                   const IncentiveContext& context);

  IncentiveOffer on_trade(const TradeFacts& trade) const final {
    const std::optional<RuleExpression>& condition = eligibility_[trade.market];
    if (condition && !condition->matches(trade.features)) return {};
    return offer(trade);
  }

 protected:
  // What an eligible trade earns.
  virtual IncentiveOffer offer(const TradeFacts& trade) const = 0;

 private:
  std::vector<std::optional<RuleExpression>> eligibility_;  // by market index
};

}  // namespace p2psim
