// new_user_bonus: `amount_usd` paid to a user on their first completed trade, if it is eligible
// and at least `min_order_usd`. Newly verified users are told about it (the first-order response).
#include "strategies/eligible_campaign.hpp"

namespace p2psim {
namespace {

class NewUserBonus final : public EligibleCampaign {
 public:
  NewUserBonus(CampaignTerms terms, StrategySettings& settings, const IncentiveContext& context)
      : EligibleCampaign(std::move(terms), settings, context) {
    read_settings(settings, bonus_, kFirstTradeBonusKeys);
  }
  double sign_up_offer_usd() const override { return bonus_.amount_usd; }

 protected:
  IncentiveOffer offer(const TradeFacts& trade) const override {
    if (!trade.first_trade || trade.usd < bonus_.min_order_usd) return {};
    return {.user_bonus_usd = bonus_.amount_usd};
  }

 private:
  FirstTradeBonus bonus_;
};

}  // namespace

std::vector<SettingDeclaration> new_user_bonus_settings() {
  return declarations_of(kFirstTradeBonusKeys);
}

std::unique_ptr<IncentiveCampaign> make_new_user_bonus(CampaignTerms terms,
                                                       StrategySettings& settings,
                                                       const IncentiveContext& context) {
  return std::make_unique<NewUserBonus>(std::move(terms), settings, context);
}

}  // namespace p2psim
