#include "strategies/incentive_registry.hpp"

#include <algorithm>
#include <cassert>

namespace p2psim {

// Each kind's factory, defined in its own file.
std::unique_ptr<IncentiveCampaign> make_fee_waiver(CampaignTerms, StrategySettings&,
                                                   const IncentiveContext&);
std::unique_ptr<IncentiveCampaign> make_maker_rebate(CampaignTerms, StrategySettings&,
                                                     const IncentiveContext&);
std::unique_ptr<IncentiveCampaign> make_new_user_bonus(CampaignTerms, StrategySettings&,
                                                       const IncentiveContext&);
std::unique_ptr<IncentiveCampaign> make_referral_bonus(CampaignTerms, StrategySettings&,
                                                       const IncentiveContext&);
std::unique_ptr<IncentiveCampaign> make_volume_tiers(CampaignTerms, StrategySettings&,
                                                     const IncentiveContext&);

std::vector<SettingDeclaration> fee_waiver_settings();
std::vector<SettingDeclaration> maker_rebate_settings();
std::vector<SettingDeclaration> new_user_bonus_settings();
std::vector<SettingDeclaration> referral_bonus_settings();
std::vector<SettingDeclaration> volume_tiers_settings();

const std::vector<IncentiveEntry>& incentive_registry() {
  static const std::vector<IncentiveEntry> kIncentiveKinds = {
      {"fee_waiver", make_fee_waiver, fee_waiver_settings},
      {"maker_rebate", make_maker_rebate, maker_rebate_settings},
      {"new_user_bonus", make_new_user_bonus, new_user_bonus_settings},
      {"referral_bonus", make_referral_bonus, referral_bonus_settings},
      {"volume_tiers", make_volume_tiers, volume_tiers_settings},
  };
  return kIncentiveKinds;
}

std::vector<std::string> incentive_kinds() {
  std::vector<std::string> kinds;
  for (const IncentiveEntry& entry : incentive_registry())
    kinds.emplace_back(entry.kind);
  return kinds;
}

std::shared_ptr<const IncentiveCampaign> build_incentive(CampaignTerms terms,
                                                         StrategySettings& settings,
                                                         const IncentiveContext& context) {
  const auto& registry = incentive_registry();
  auto entry = std::find_if(registry.begin(), registry.end(),
                            [&](const IncentiveEntry& known) { return terms.kind == known.kind; });
  assert(entry != registry.end() && "unknown kinds are reported by the caller");
  std::shared_ptr<const IncentiveCampaign> campaign =
      entry->make(std::move(terms), settings, context);
  settings.finish();  // keys no part of the campaign read are errors
  return campaign;
}

}  // namespace p2psim
