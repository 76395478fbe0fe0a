// Split experiments (docs/experiments.md): a world whose units (users, merchants or time blocks)
// are randomised to two arms, the treatment arm's per-unit policies applying to its units only,
// and the per-unit metrics an online platform would compare them on.
#include <algorithm>
#include <cassert>

#include "world/world.hpp"

namespace p2psim {

const MarketConfig& World::arm_market(std::uint16_t market, std::uint8_t arm) const {
  if (arm == 0) return *markets_[market].config;
  return config_.split.treatment->markets[market];
}

void World::collect_campaigns() {
  for (const auto& campaign : config_.incentives) {
    campaigns_.push_back(campaign.get());
    campaign_arm_.push_back(split_.active() ? kEveryArm : 0);
  }
  if (!split_.active()) return;
  // A campaign both arms run (the base scenario's, when no arm changes incentives) is one
  // campaign with one budget; one only one arm runs serves that arm's units alone.
  const auto& treatment = config_.split.treatment->incentives;
  for (std::size_t c = 0; c < config_.incentives.size(); ++c) {
    if (std::find(treatment.begin(), treatment.end(), config_.incentives[c]) == treatment.end())
      campaign_arm_[c] = 0;
  }
  for (const auto& campaign : treatment) {
    if (std::find(config_.incentives.begin(), config_.incentives.end(), campaign) !=
        config_.incentives.end())
      continue;
    campaigns_.push_back(campaign.get());
    campaign_arm_.push_back(1);
  }
}

bool World::serves(std::uint16_t campaign, std::uint8_t arm) const {
  return campaign_arm_[campaign] == kEveryArm || campaign_arm_[campaign] == arm;
}

void World::set_up_split(std::size_t expected_users) {
  const SplitConfig& split = config_.split;
  if (split.unit == SplitUnit::kNone) return;
  assert(split.treatment != nullptr && split.treatment->markets.size() == config_.markets.size() &&
         "the experiment layer builds the treatment from the same scenario");
  split_ = SplitAssignment(split, replication_, config_.simulation.warmup_days * kDay, horizon_);
  if (split.unit == SplitUnit::kUser) unit_values_.reserve(expected_users * kUnitMomentSize);
}

void World::size_unit_values() {
  if (split_.unit() == SplitUnit::kMerchant) {
    unit_values_.assign(merchants_.size() * kUnitMomentSize, 0.0);
  } else if (split_.unit() == SplitUnit::kTimeBlock) {
    unit_values_.assign(markets_.size() * split_.blocks() * kUnitMomentSize, 0.0);
  }
}

std::vector<MarketUnits> World::unit_moments() const {
  if (!split_.active()) return {};
  const bool total = markets_.size() > 1;
  std::vector<MarketUnits> units(markets_.size() + (total ? 1 : 0));
  for (std::uint16_t m = 0; m < markets_.size(); ++m)
    units[m].market = markets_[m].config->code;
  if (total) units.back().market = "all";
  auto values_of = [this](std::uint32_t unit) {
    UnitValues values;
    std::copy_n(&unit_values_[static_cast<std::size_t>(unit) * kUnitMomentSize], kUnitMomentSize,
                values.begin());
    return values;
  };
  auto add = [&](std::uint32_t unit, std::uint16_t market, std::uint8_t arm) {
    const UnitValues values = values_of(unit);
    units[market].arms[arm].add(values);
    if (total) units.back().arms[arm].add(values);
  };
  switch (split_.unit()) {
    case SplitUnit::kNone:
      break;
    case SplitUnit::kUser:
      for (UserId user = 0; user < users_.size(); ++user)
        add(user, users_[user].market, split_.arm_of_unit(user));
      break;
    case SplitUnit::kMerchant:
      // Every merchant listed at some point; dormant slots never entered the market.
      for (MerchantId merchant = 0; merchant < merchants_.size(); ++merchant) {
        if (merchants_[merchant].status == MerchantStatus::kDormant) continue;
        add(merchant, merchants_[merchant].market, split_.arm_of_unit(merchant));
      }
      break;
    case SplitUnit::kTimeBlock:
      for (std::uint32_t block = 0; block < split_.blocks(); ++block) {
        // A block is one unit per market, and one unit of the whole world: its markets summed.
        const std::uint8_t arm = split_.arm_of_block(block);
        UnitValues world{};
        for (std::uint16_t m = 0; m < markets_.size(); ++m) {
          const UnitValues values = values_of(split_.block_unit(m, block));
          units[m].arms[arm].add(values);
          for (int i = 0; i < kUnitMomentSize; ++i)
            world[i] += values[i];
        }
        if (total) units.back().arms[arm].add(world);
      }
      break;
  }
  return units;
}

}  // namespace p2psim
