// volume_tiers: the merchant of an eligible trade gets back the rebate of the highest tier its
// completed volume of the last 30 days (today included, this trade not) reaches:
//   [[incentives.tiers]] min_volume_usd = 50000, rebate_bps = 2
#include <algorithm>

#include "strategies/eligible_campaign.hpp"

namespace p2psim {
namespace {

struct Tier {
  double min_volume_usd = 0.0;
  double rebate_bps = 0.0;
};
constexpr std::array<SettingKey<Tier>, 2> kTierKeys = {{
    {"min_volume_usd", &Tier::min_volume_usd, 0.0, 1e12,
     "the completed volume over the last 30 days the tier needs", true},
    {"rebate_bps", &Tier::rebate_bps, 0.0, 1000.0, "the tier's rebate, of the order's amount",
     true},
}};

class VolumeTiers final : public EligibleCampaign {
 public:
  VolumeTiers(CampaignTerms terms, StrategySettings& settings, const IncentiveContext& context)
      : EligibleCampaign(std::move(terms), settings, context) {
    for (const auto& entry : settings.entries("tiers")) {
      Tier tier;
      read_settings(*entry, tier, kTierKeys);
      entry->finish();
      tiers_.push_back(tier);
    }
    if (tiers_.empty()) {
      settings.fail("tiers", StrategySettings::kWholeValue,
                    "expected at least one tier written as [[incentives.tiers]] with "
                    "min_volume_usd and rebate_bps");
    }
    std::sort(tiers_.begin(), tiers_.end(),
              [](const Tier& a, const Tier& b) { return a.min_volume_usd < b.min_volume_usd; });
  }
  bool needs_merchant_volume() const override { return true; }

 protected:
  IncentiveOffer offer(const TradeFacts& trade) const override {
    double bps = 0.0;
    for (const Tier& tier : tiers_) {
      if (trade.merchant_volume_usd >= tier.min_volume_usd) bps = tier.rebate_bps;
    }
    return {.merchant_rebate_usd = trade.usd * bps / 1e4};
  }

 private:
  std::vector<Tier> tiers_;
};

}  // namespace

std::vector<SettingDeclaration> volume_tiers_settings() {
  return declarations_of(kTierKeys);
}

std::unique_ptr<IncentiveCampaign> make_volume_tiers(CampaignTerms terms,
                                                     StrategySettings& settings,
                                                     const IncentiveContext& context) {
  return std::make_unique<VolumeTiers>(std::move(terms), settings, context);
}

}  // namespace p2psim
