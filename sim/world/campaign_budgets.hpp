#pragma once
// What each incentive campaign has spent in one replication: its budget and each recipient's
// cap. A payout that would exceed what is left is paid partially: the recipient gets what
// remains, and from that moment the campaign (or that recipient) gets nothing more.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace p2psim {

enum class Recipient : std::uint8_t { kUser, kMerchant };

class CampaignBudgets {
 public:
  // Budgets and caps may be +infinity (no limit).
  std::size_t add_campaign(double budget_usd, double per_recipient_cap_usd);
  // Room for this many users and merchants without allocating during the run.
  void reserve(std::size_t users, std::size_t merchants);

  // Pays what it can of `usd` to the recipient on `day`; returns the amount granted.
  double grant(std::size_t campaign, Recipient kind, std::uint32_t recipient, double usd,
               std::int32_t day);

  double spent(std::size_t campaign) const { return campaigns_[campaign].spent; }
  double remaining(std::size_t campaign) const;
  bool exhausted(std::size_t campaign) const { return campaigns_[campaign].exhausted_day >= 0; }
  // The day the budget ran out, or -1.
  std::int32_t exhausted_day(std::size_t campaign) const {
    return campaigns_[campaign].exhausted_day;
  }
  // What the recipient may still receive from the campaign (its cap less what it received).
  double recipient_room(std::size_t campaign, Recipient kind, std::uint32_t recipient) const;

 private:
  struct Campaign {
    double budget = 0.0;
    double cap = 0.0;
    double spent = 0.0;
    std::int32_t exhausted_day = -1;
    std::vector<double> by_user;      // received, by UserId; kept only with a finite cap
    std::vector<double> by_merchant;  // received, by MerchantId
  };
  std::vector<double>& received(Campaign& campaign, Recipient kind) {
    return kind == Recipient::kUser ? campaign.by_user : campaign.by_merchant;
  }

  std::vector<Campaign> campaigns_;
};

}  // namespace p2psim
