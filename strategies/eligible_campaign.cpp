#include "strategies/eligible_campaign.hpp"

namespace p2psim {

EligibleCampaign::EligibleCampaign(CampaignTerms terms, StrategySettings& settings,
                                   const IncentiveContext& context)
    : IncentiveCampaign(std::move(terms)) {
  const std::vector<bool>& markets = this->terms().markets;
  eligibility_.resize(markets.size());
  std::string written;
  settings.read("eligibility", written);
  if (written.empty()) return;
  for (std::size_t market = 0; market < markets.size(); ++market) {
    if (markets[market]) {
      eligibility_[market] =
          read_condition(settings, "eligibility", context.payment_methods[market]);
    }
  }
}

}  // namespace p2psim
