#include "strategies/eligible_campaign.hpp"

namespace p2psim {

RuleExpression read_condition(StrategySettings& settings, std::string_view key,
                              const std::vector<std::string>& payment_methods) {
  std::string text;
  settings.read(key, text);
  try {
    return RuleExpression::parse(text, payment_methods);
  } catch (const RuleSyntaxError& error) {
    std::string message = error.what();
    if (!error.unknown_name().empty()) {
      std::vector<std::string> known(kRiskFeatureNames.begin(), kRiskFeatureNames.end());
      std::string suggestion = settings.closest(error.unknown_name(), known);
      if (!suggestion.empty()) message += "; did you mean \"" + suggestion + "\"?";
      message += " The known features are: " + known_feature_list();
    }
    settings.fail(key, error.offset(), message);
  }
}

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
