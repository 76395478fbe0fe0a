#pragma once
// Growth incentive kinds by name. A scenario's [[incentives]] entry names its `kind`; the
// scenario layer reads the terms every campaign has (markets, days, budget, cap) and the kind's
// factory reads the rest of the table (its eligibility and its own keys). Adding a kind: a new
// file with its factory, plus one line in kIncentiveKinds (incentive_registry.cpp).
// docs/strategies.md, Growth incentives.
#include <memory>
#include <string>
#include <vector>

#include "strategies/strategy_settings.hpp"
#include "world/incentive_campaign.hpp"

namespace p2psim {

// What a campaign knows of the markets it runs in when it is built.
struct IncentiveContext {
  std::vector<std::vector<std::string>> payment_methods;  // by market index, for eligibility
};

using IncentiveFactory = std::unique_ptr<IncentiveCampaign> (*)(CampaignTerms terms,
                                                                StrategySettings& settings,
                                                                const IncentiveContext& context);

struct IncentiveEntry {
  const char* kind;
  IncentiveFactory make;
  std::vector<SettingDeclaration> (*settings)();  // its own keys' SettingKey list
};

const std::vector<IncentiveEntry>& incentive_registry();
std::vector<std::string> incentive_kinds();

// The campaign of `terms.kind`, which must be one of incentive_kinds() (the caller reports
// unknown kinds).
std::shared_ptr<const IncentiveCampaign> build_incentive(CampaignTerms terms,
                                                         StrategySettings& settings,
                                                         const IncentiveContext& context);

}  // namespace p2psim
