#include "world/campaign_budgets.hpp"

#include <algorithm>
#include <cmath>

namespace p2psim {
namespace {

// Budgets are in USD; less than this is nothing left (a rounding residue, not money).
constexpr double kNothingLeftUsd = 1e-9;

}  // namespace

std::size_t CampaignBudgets::add_campaign(double budget_usd, double per_recipient_cap_usd) {
  campaigns_.push_back(Campaign{.budget = budget_usd, .cap = per_recipient_cap_usd});
  return campaigns_.size() - 1;
}

void CampaignBudgets::reserve(std::size_t users, std::size_t merchants) {
  for (Campaign& campaign : campaigns_) {
    if (!std::isfinite(campaign.cap)) continue;
    campaign.by_user.reserve(users);
    campaign.by_merchant.reserve(merchants);
  }
}

double CampaignBudgets::remaining(std::size_t campaign) const {
  const Campaign& state = campaigns_[campaign];
  return state.exhausted_day >= 0 ? 0.0 : state.budget - state.spent;
}

double CampaignBudgets::recipient_room(std::size_t campaign, Recipient kind,
                                       std::uint32_t recipient) const {
  const Campaign& state = campaigns_[campaign];
  if (!std::isfinite(state.cap)) return state.cap;
  const std::vector<double>& received =
      kind == Recipient::kUser ? state.by_user : state.by_merchant;
  return recipient < received.size() ? state.cap - received[recipient] : state.cap;
}

double CampaignBudgets::grant(std::size_t campaign, Recipient kind, std::uint32_t recipient,
                              double usd, std::int32_t day) {
  Campaign& state = campaigns_[campaign];
  if (usd <= 0.0 || state.exhausted_day >= 0) return 0.0;
  double paid =
      std::min({usd, state.budget - state.spent, recipient_room(campaign, kind, recipient)});
  if (paid <= 0.0) return 0.0;
  if (std::isfinite(state.cap)) {
    std::vector<double>& received = this->received(state, kind);
    if (recipient >= received.size()) received.resize(recipient + 1, 0.0);
    received[recipient] += paid;
  }
  state.spent += paid;
  if (state.budget - state.spent < kNothingLeftUsd) state.exhausted_day = day;
  return paid;
}

}  // namespace p2psim
