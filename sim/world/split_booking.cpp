#include "world/split_booking.hpp"

#include <algorithm>
#include <cassert>

namespace p2psim {

SplitBooking::SplitBooking(const WorldConfig& config, std::uint32_t replication, Seconds horizon,
                           const Seconds& now, UnitTally& units, std::size_t expected_users)
    : config_(config), now_(now), units_(units) {
  const SplitConfig& split = config.split;
  if (split.unit != SplitUnit::kNone) {
    assert(split.treatment != nullptr && split.treatment->markets.size() == config.markets.size() &&
           "the experiment layer builds the treatment from the same scenario");
    split_ = SplitAssignment(split, replication, config.simulation.warmup_days * kDay, horizon);
    if (split.unit == SplitUnit::kUser) units_.reserve(expected_users);
  }
  collect_campaigns();
}

void SplitBooking::collect_campaigns() {
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

void SplitBooking::size_units(std::size_t merchant_count, std::size_t market_count) {
  if (split_.unit() == SplitUnit::kMerchant) {
    units_.assign(merchant_count);
  } else if (split_.unit() == SplitUnit::kTimeBlock) {
    units_.assign(market_count * split_.blocks());
  }
}

std::vector<MarketUnits> SplitBooking::unit_moments(const UserRecords& users,
                                                    const MerchantRecords& merchants) const {
  if (!split_.active()) return {};
  const auto market_count = static_cast<std::uint16_t>(config_.markets.size());
  const bool total = market_count > 1;
  std::vector<MarketUnits> units(market_count + (total ? 1 : 0));
  for (std::uint16_t m = 0; m < market_count; ++m)
    units[m].market = config_.markets[m].code;
  if (total) units.back().market = "all";
  auto values_of = [this](std::uint32_t unit) { return units_.values(unit); };
  // Merchants and blocks are few enough to list; users are not.
  const bool listed = split_.unit() != SplitUnit::kUser;
  auto add_to = [&](MarketUnits& market, std::uint8_t arm, const UnitValues& values) {
    market.arms[arm].add(values);
    if (listed) market.listed[arm].push_back(values);
  };
  auto add = [&](std::uint32_t unit, std::uint16_t market, std::uint8_t arm) {
    const UnitValues values = values_of(unit);
    add_to(units[market], arm, values);
    if (total) add_to(units.back(), arm, values);
  };
  switch (split_.unit()) {
    case SplitUnit::kNone:
      break;
    case SplitUnit::kUser:
      for (UserId user : users.ids())
        add(user.index(), users[user].market, split_.arm_of_unit(user.index()));
      break;
    case SplitUnit::kMerchant:
      // Every merchant listed at some point; dormant slots never entered the market.
      for (MerchantId merchant : merchants.ids()) {
        if (merchants[merchant].status == MerchantStatus::kDormant) continue;
        add(merchant.index(), merchants[merchant].market, split_.arm_of_unit(merchant.index()));
      }
      break;
    case SplitUnit::kTimeBlock:
      for (std::uint32_t block = 0; block < split_.blocks(); ++block) {
        // A block is one unit per market, and one unit of the whole world: its markets summed.
        const std::uint8_t arm = split_.arm_of_block(block);
        UnitValues world{};
        for (std::uint16_t m = 0; m < market_count; ++m) {
          const UnitValues values = values_of(split_.block_unit(m, block));
          add_to(units[m], arm, values);
          for (int i = 0; i < kUnitMomentSize; ++i)
            world[i] += values[i];
        }
        if (total) add_to(units.back(), arm, world);
      }
      break;
  }
  return units;
}

}  // namespace p2psim
