#pragma once
// The booking side of a split experiment (docs/experiments.md): which arm decides for an order or
// a user now, the configuration each arm runs, which arm each incentive campaign serves, and the
// per-unit values an online platform would compare the arms on.
#include <cstdint>
#include <span>
#include <vector>

#include "metrics/unit_metrics.hpp"
#include "world/agents.hpp"
#include "world/incentive_campaign.hpp"
#include "world/split_assignment.hpp"
#include "world/world_config.hpp"

namespace p2psim {

class SplitBooking {
 public:
  // The arm of a campaign both arms run.
  static constexpr std::uint8_t kEveryArm = 2;

  // `config` and `now` are the world's own, read as they change (a shock edits the config).
  // `units` keeps the units' values: SplitBooking sizes it and says which slot a fact goes to.
  SplitBooking(const WorldConfig& config, std::uint32_t replication, Seconds horizon,
               const Seconds& now, UnitTally& units, std::size_t expected_users);
  SplitBooking(const SplitBooking&) = delete;
  SplitBooking& operator=(const SplitBooking&) = delete;

  bool active() const { return split_.active(); }
  SplitUnit unit() const { return split_.unit(); }
  // The configuration of `market` that arm `arm` runs: its risk policy, step-up and fees.
  const MarketConfig& arm_market(std::uint16_t market, std::uint8_t arm) const {
    return arm == 0 ? config_.markets[market] : config_.split.treatment->markets[market];
  }
  // The arm deciding now for an order of `user` with `merchant` (kNobody: not matched yet).
  std::uint8_t arm(UserId user, MerchantId merchant) const {
    return split_.arm(user, merchant, now_);
  }
  std::uint8_t order_arm(const Order& order) const {
    return split_.arm(order.user, order.merchant, order.created_at);
  }
  // The arm whose offers a user responds to now: a merchant is not known yet.
  std::uint8_t user_facing_arm(UserId user) const { return split_.arm(user, kNobody, now_); }
  double treated_share_now() const { return split_.treated_share(now_); }

  // The unit slot (metrics/facts.hpp) to which what happens now to an order of `user` with
  // `merchant` in `market` is booked.
  std::uint32_t slot(UserId user, MerchantId merchant, std::uint16_t market) const {
    return split_.slot(user, merchant, market, now_);
  }
  std::uint32_t order_slot(const Order& order) const {
    return split_.slot(order.user, order.merchant, order.market, order.created_at);
  }
  // A new user is a unit of a user split.
  void add_user() {
    if (split_.unit() == SplitUnit::kUser) units_.add_unit();
  }
  // Merchants and time blocks are units once the markets are built.
  void size_units(std::size_t merchant_count, std::size_t market_count);

  // Incentive campaigns: the control's and, in a split world, then the treatment's.
  const std::vector<const IncentiveCampaign*>& campaigns() const { return campaigns_; }
  // Whether campaign `campaign` pays the units of arm `arm`.
  bool serves(std::uint16_t campaign, std::uint8_t arm) const {
    return campaign_arm_[campaign] == kEveryArm || campaign_arm_[campaign] == arm;
  }

  // Each market's units by arm (then "all" when there are 2+ markets); empty without a split.
  std::vector<MarketUnits> unit_moments(const UserRecords& users,
                                        const MerchantRecords& merchants) const;

 private:
  void collect_campaigns();

  const WorldConfig& config_;
  const Seconds& now_;
  SplitAssignment split_;
  // The units' values, by UserId, MerchantId or SplitAssignment::block_unit.
  UnitTally& units_;
  std::vector<const IncentiveCampaign*> campaigns_;
  std::vector<std::uint8_t> campaign_arm_;  // the arm whose units each campaign serves
};

}  // namespace p2psim
