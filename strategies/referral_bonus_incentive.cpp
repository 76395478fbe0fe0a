// referral_bonus: `amount_usd` paid to the referrer when a user they referred completes a first
// trade that is eligible and at least `min_order_usd`. Users with a first trade are told about
// it (the referral response).
#include "strategies/eligible_campaign.hpp"

namespace p2psim {
namespace {

class ReferralBonus final : public EligibleCampaign {
 public:
  ReferralBonus(CampaignTerms terms, StrategySettings& settings, const IncentiveContext& context)
      : EligibleCampaign(std::move(terms), settings, context) {
    read_settings(settings, bonus_, kFirstTradeBonusKeys);
  }
  double referral_offer_usd() const override { return bonus_.amount_usd; }

 protected:
  IncentiveOffer offer(const TradeFacts& trade) const override {
    if (!trade.first_trade || !trade.referred || trade.usd < bonus_.min_order_usd) return {};
    return {.referrer_bonus_usd = bonus_.amount_usd};
  }

 private:
  FirstTradeBonus bonus_;
};

}  // namespace

std::vector<SettingDeclaration> referral_bonus_settings() {
  return declarations_of(kFirstTradeBonusKeys);
}

std::unique_ptr<IncentiveCampaign> make_referral_bonus(CampaignTerms terms,
                                                       StrategySettings& settings,
                                                       const IncentiveContext& context) {
  return std::make_unique<ReferralBonus>(std::move(terms), settings, context);
}

}  // namespace p2psim
