// maker_rebate: the merchant of an eligible trade gets `bps` of its amount back.
#include "strategies/eligible_campaign.hpp"

namespace p2psim {
namespace {

struct Rebate {
  double bps = 0.0;  // of the trade's amount
};
constexpr std::array<SettingKey<Rebate>, 1> kRebateKeys = {
    {{"bps", &Rebate::bps, 0.0, 1000.0, "rebate to the merchant, of the order's amount", true}}};

class MakerRebate final : public EligibleCampaign {
 public:
  MakerRebate(CampaignTerms terms, StrategySettings& settings, const IncentiveContext& context)
      : EligibleCampaign(std::move(terms), settings, context) {
    read_settings(settings, rebate_, kRebateKeys);
  }

 protected:
  IncentiveOffer offer(const TradeFacts& trade) const override {
    return {.merchant_rebate_usd = trade.usd * rebate_.bps / 1e4};
  }

 private:
  Rebate rebate_;
};

}  // namespace

std::vector<SettingDeclaration> maker_rebate_settings() {
  return declarations_of(kRebateKeys);
}

std::unique_ptr<IncentiveCampaign> make_maker_rebate(CampaignTerms terms,
                                                     StrategySettings& settings,
                                                     const IncentiveContext& context) {
  return std::make_unique<MakerRebate>(std::move(terms), settings, context);
}

}  // namespace p2psim
