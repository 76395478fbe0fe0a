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
    settings.require("amount_usd");
    settings.read("amount_usd", amount_usd_, 0.0, 1e6);
    settings.read("min_order_usd", min_order_usd_, 0.0, 1e7);
  }
  double referral_offer_usd() const override { return amount_usd_; }

 protected:
  IncentiveOffer offer(const TradeFacts& trade) const override {
    if (!trade.first_trade || !trade.referred || trade.usd < min_order_usd_) return {};
    return {.referrer_bonus_usd = amount_usd_};
  }

 private:
  double amount_usd_ = 0.0;
  double min_order_usd_ = 0.0;
};

}  // namespace

std::unique_ptr<IncentiveCampaign> make_referral_bonus(CampaignTerms terms,
                                                       StrategySettings& settings,
                                                       const IncentiveContext& context) {
  return std::make_unique<ReferralBonus>(std::move(terms), settings, context);
}

}  // namespace p2psim
