// new_user_bonus: `amount_usd` paid to a user on their first completed trade, if it is eligible
// and at least `min_order_usd`. Newly verified users are told about it (the first-order response).
#include "strategies/eligible_campaign.hpp"

namespace p2psim {
namespace {

class NewUserBonus final : public EligibleCampaign {
 public:
  NewUserBonus(CampaignTerms terms, StrategySettings& settings, const IncentiveContext& context)
      : EligibleCampaign(std::move(terms), settings, context) {
    settings.require("amount_usd");
    settings.read("amount_usd", amount_usd_, 0.0, 1e6);
    settings.read("min_order_usd", min_order_usd_, 0.0, 1e7);
  }
  double sign_up_offer_usd() const override { return amount_usd_; }

 protected:
  IncentiveOffer offer(const TradeFacts& trade) const override {
    if (!trade.first_trade || trade.usd < min_order_usd_) return {};
    return {.user_bonus_usd = amount_usd_};
  }

 private:
  double amount_usd_ = 0.0;
  double min_order_usd_ = 0.0;
};

}  // namespace

std::unique_ptr<IncentiveCampaign> make_new_user_bonus(CampaignTerms terms,
                                                       StrategySettings& settings,
                                                       const IncentiveContext& context) {
  return std::make_unique<NewUserBonus>(std::move(terms), settings, context);
}

}  // namespace p2psim
