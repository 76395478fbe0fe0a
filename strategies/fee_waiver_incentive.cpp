// fee_waiver: eligible trades pay `share` less of the taker fee (all of it by default). The
// waived fee is the campaign's cost (revenue forgone) and counts against its budget.
#include "strategies/eligible_campaign.hpp"

namespace p2psim {
namespace {

struct Waiver {
  double share = 1.0;  // of the taker fee
};
constexpr std::array<SettingKey<Waiver>, 1> kWaiverKeys = {
    {{"share", &Waiver::share, 0.0, 1.0, "the part of the taker fee waived"}}};

class FeeWaiver final : public EligibleCampaign {
 public:
  FeeWaiver(CampaignTerms terms, StrategySettings& settings, const IncentiveContext& context)
      : EligibleCampaign(std::move(terms), settings, context) {
    read_settings(settings, waiver_, kWaiverKeys);
  }
  double taker_fee_waived_share() const override { return waiver_.share; }

 protected:
  IncentiveOffer offer(const TradeFacts& trade) const override {
    return {.taker_fee_waived_usd = waiver_.share * trade.taker_fee_usd};
  }

 private:
  Waiver waiver_;
};

}  // namespace

std::vector<SettingDeclaration> fee_waiver_settings() {
  return declarations_of(kWaiverKeys);
}

std::unique_ptr<IncentiveCampaign> make_fee_waiver(CampaignTerms terms, StrategySettings& settings,
                                                   const IncentiveContext& context) {
  return std::make_unique<FeeWaiver>(std::move(terms), settings, context);
}

}  // namespace p2psim
