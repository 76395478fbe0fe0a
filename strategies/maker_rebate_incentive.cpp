// maker_rebate: the merchant of an eligible trade gets `bps` of its amount back.
#include "strategies/eligible_campaign.hpp"

namespace p2psim {
namespace {

class MakerRebate final : public EligibleCampaign {
 public:
  MakerRebate(CampaignTerms terms, StrategySettings& settings, const IncentiveContext& context)
      : EligibleCampaign(std::move(terms), settings, context) {
    settings.require("bps");
    settings.read("bps", bps_, 0.0, 1000.0);
  }

 protected:
  IncentiveOffer offer(const TradeFacts& trade) const override {
    return {.merchant_rebate_usd = trade.usd * bps_ / 1e4};
  }

 private:
  double bps_ = 0.0;
};

}  // namespace

std::unique_ptr<IncentiveCampaign> make_maker_rebate(CampaignTerms terms,
                                                     StrategySettings& settings,
                                                     const IncentiveContext& context) {
  return std::make_unique<MakerRebate>(std::move(terms), settings, context);
}

}  // namespace p2psim
