#pragma once
// What a risk policy (or an incentive campaign) sees of an order and its account: the order
// features of docs/strategies.md, computed only as far as asked, and the velocity counts behind
// orders_last_24h and usd_today.
#include <cstdint>
#include <vector>

#include "world/account_links.hpp"
#include "world/agents.hpp"
#include "world/risk_policy.hpp"

namespace p2psim {

class RiskFeatures {
 public:
  // Reads the world's records and clock as they change.
  RiskFeatures(const Seconds& now, const UserRecords& users, ProfileRecords& profiles,
               const AccountLinks& links, const MerchantRecords& merchants)
      : now_(now), users_(users), profiles_(profiles), links_(links), merchants_(merchants) {}
  RiskFeatures(const RiskFeatures&) = delete;
  RiskFeatures& operator=(const RiskFeatures&) = delete;

  // Who an order of `user` paid with `method` comes from, for the risk KPIs by segment; `intent`
  // is the order's (a scamming merchant's victim's order is fraud).
  OrderSegment segment(UserId user, std::uint8_t method, UserIntent intent) const;
  // The features in `wanted` (and the cheap ones) of an order of `user` with `merchant`.
  OrderFeatures order(UserId user, MerchantId merchant, std::uint8_t method, double usd,
                      FeatureSet wanted) const;
  // The account features that exist at sign-up; the order features read 0.
  OrderFeatures sign_up(UserId user) const;
  // Counts an order of `usd` the user creates now.
  void count_velocity(UserId user, double usd);
  // Starts loading the account's records, so that the latency overlaps other work.
  void prefetch_account(UserId user) const {
    profiles_.prefetch(user);
    links_.prefetch(user.index());
  }
  static double hour_of_day(Seconds time);

 private:
  double orders_last_24h(UserId user) const;
  double usd_today(UserId user) const;

  const Seconds& now_;
  const UserRecords& users_;
  ProfileRecords& profiles_;
  const AccountLinks& links_;
  const MerchantRecords& merchants_;
};

}  // namespace p2psim
