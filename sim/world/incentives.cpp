#include "world/incentives.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "world/stream_purpose.hpp"

namespace p2psim {
namespace {

constexpr int kPromotionAbuse = static_cast<int>(FraudTypology::kPromotionAbuse);
// Merchant volume tiers look at the completed volume of the last this many days, today included.
constexpr std::int32_t kVolumeDays = 30;

double micro_to_usd(MinorUnits usdt) {
  return static_cast<double>(usdt) / kMicroUsdtPerUsdt;
}

// The campaigns of a world's arms: its own, then a split's treatment's.
template <typename Visit>
void for_each_arm_campaigns(const WorldConfig& world, Visit visit) {
  visit(world.incentives);
  if (world.split.treatment) visit(world.split.treatment->incentives);
}

}  // namespace

double sybil_ring_rate(const FraudTypologyConfig& abuse, double farmable_usd, double friction) {
  // Capped like any arrival rate the format allows: a bonus far above the reference (0.01 USD)
  // would otherwise ask for billions of rings a day.
  return std::min(kMaxArrivalsPerDay, abuse.accounts_per_day * farmable_usd /
                                          abuse.reference_bonus_usd *
                                          std::max(0.0, 1.0 - friction));
}

bool targeted_by_campaign(const WorldConfig& world, std::uint16_t market) {
  bool targeted = false;
  for_each_arm_campaigns(world, [&](const auto& campaigns) {
    for (const auto& campaign : campaigns)
      targeted = targeted || campaign->targets(market);
  });
  return targeted;
}

double most_farmable_usd(const WorldConfig& world, std::uint16_t market, std::int32_t day) {
  double most = 0.0;
  for_each_arm_campaigns(world, [&](const auto& campaigns) {
    double farmable = 0.0;
    for (const auto& campaign : campaigns) {
      if (!campaign->runs(market, day)) continue;
      const double cap = std::min(campaign->terms().per_user_cap_usd, campaign->terms().budget_usd);
      farmable += std::min(campaign->sign_up_offer_usd(), cap) +
                  std::min(campaign->referral_offer_usd(), cap);
    }
    most = std::max(most, farmable);
  });
  return most;
}

Incentives::Incentives(const Wiring& wiring, std::size_t expected_users)
    : config_(wiring.config),
      replication_(wiring.replication),
      now_(wiring.now),
      ledger_(wiring.ledger),
      metrics_(wiring.metrics),
      split_(wiring.split),
      fraudsters_(wiring.fraudsters),
      merchant_books_(wiring.merchant_books),
      features_(wiring.features),
      users_(wiring.users),
      profiles_(wiring.profiles),
      merchants_(wiring.merchants),
      outside_usdt_(wiring.outside_usdt) {
  // Before any user is created: users' incentive flags depend on the campaigns.
  if (!split_.campaigns().empty()) user_incentivised_.reserve(expected_users);
  markets_.reserve(config_.markets.size());
}

void Incentives::add_market(std::uint16_t index) {
  markets_.push_back(MarketIncentives{
      .campaigns = {},
      .offers = {},
      .response = RandomStream(config_.simulation.seed, replication_,
                               stream_id(kIncentiveResponseStream, index, 0)),
  });
  for (std::uint8_t arm = 0; arm < (split_.active() ? 2 : 1); ++arm) {
    if (split_.arm_market(index, arm).fees.taker_bps > 0.0) markets_.back().takers_pay = true;
  }
}

void Incentives::on_hour(std::uint16_t market) {
  if (!active(market)) return;
  refresh_offers(market);  // campaigns start and end at 00:00
  retarget_sybils(market);
}

void Incentives::on_fraud_rate_shock(std::uint16_t market, int typology) {
  if (typology == kPromotionAbuse) markets_[market].sybil_rate = -1.0;
  fraudsters_.set_arrival_rate(market, typology, fraud_arrival_rate(market, typology));
}

void Incentives::set_up() {
  fee_account_ = ledger_.open_account(0);
  if (split_.campaigns().empty()) return;
  merchant_incentivised_.assign(merchants_.size(), 0);
  bool volume_needed = false;
  const auto last_day = static_cast<std::int32_t>(config_.simulation.days) - 1;
  for (std::size_t index = 0; index < split_.campaigns().size(); ++index) {
    const IncentiveCampaign& campaign = *split_.campaigns()[index];
    const CampaignTerms& terms = campaign.terms();
    budgets_.add_campaign(terms.budget_usd, terms.per_user_cap_usd);
    volume_needed = volume_needed || campaign.needs_merchant_volume();
    for (std::uint16_t market = 0; market < markets_.size(); ++market) {
      if (!campaign.targets(market)) continue;
      markets_[market].campaigns.push_back(static_cast<std::uint16_t>(index));
      for (std::int32_t day = std::max(0, terms.start_day);
           day <= std::min(terms.end_day, last_day); ++day) {
        metrics_.record(CampaignDayScheduled{market, day});
      }
    }
  }
  budgets_.reserve(users_.capacity(), merchants_.size());
  if (volume_needed) {
    merchant_volume_.assign(merchants_.size() * kVolumeDays, 0.0f);
    merchant_volume_day_.assign(merchants_.size(), -1);
  }
  for (std::uint16_t market = 0; market < markets_.size(); ++market) {
    if (markets_[market].campaigns.empty()) continue;
    refresh_offers(market);
    retarget_sybils(market);
  }
}

void Incentives::refresh_offers(std::uint16_t index) {
  MarketIncentives& market = markets_[index];
  const std::int32_t today_index = day_of(now_);
  std::array<Offers, 2> offers{};
  for (std::uint16_t c : market.campaigns) {
    const IncentiveCampaign& campaign = *split_.campaigns()[c];
    if (!campaign.runs(index, today_index) || budgets_.exhausted(c)) continue;
    // Nobody is offered more than the per-user cap or what is left of the budget.
    const double most = std::min(campaign.terms().per_user_cap_usd, budgets_.remaining(c));
    for (std::uint8_t arm = 0; arm < 2; ++arm) {
      if (!split_.serves(c, arm) || (arm == 1 && !split_.active())) continue;
      offers[arm].sign_up_usd += std::min(campaign.sign_up_offer_usd(), most);
      offers[arm].referral_usd += std::min(campaign.referral_offer_usd(), most);
      offers[arm].waived_taker_bps +=
          campaign.taker_fee_waived_share() * split_.arm_market(index, arm).fees.taker_bps;
    }
  }
  for (std::uint8_t arm = 0; arm < (split_.active() ? 2 : 1); ++arm) {
    offers[arm].waived_taker_bps =
        std::min(offers[arm].waived_taker_bps, split_.arm_market(index, arm).fees.taker_bps);
    offers[arm].farmable_usd = offers[arm].sign_up_usd + offers[arm].referral_usd;
  }
  market.offers = offers;
}

double Incentives::fraud_arrival_rate(std::uint16_t index, int typology) const {
  const MarketConfig& config = config_.markets[index];
  const MarketIncentives& market = markets_[index];
  if (typology != kPromotionAbuse || market.campaigns.empty())
    return config.fraud.typology(typology).accounts_per_day;
  // Rings come for what an account can farm, and stay away as far as they fail.
  const double friction = fraudsters_.failure(index, kPromotionAbuse);
  // In a split world a ring's accounts land in the treatment with the allocation's chance.
  const double treated = split_.treated_share_now();
  const double farmable =
      (1.0 - treated) * market.offers[0].farmable_usd + treated * market.offers[1].farmable_usd;
  return sybil_ring_rate(config.fraud[FraudTypology::kPromotionAbuse], farmable, friction);
}

void Incentives::retarget_sybils(std::uint16_t index) {
  MarketIncentives& market = markets_[index];
  const double rate = fraud_arrival_rate(index, kPromotionAbuse);
  if (rate == market.sybil_rate) return;
  market.sybil_rate = rate;
  fraudsters_.set_arrival_rate(index, kPromotionAbuse, rate);
}

bool Incentives::places_first_order(UserId id) {
  // p = p0 + (1 - p0) x B / (B + half-response): no draw when p0 = 1 (the default).
  MarketIncentives& market = markets_[users_[id].market];
  const IncentiveResponseConfig& response = config_.markets[users_[id].market].incentive_response;
  const double p0 = response.first_order_probability;
  if (p0 >= 1.0) return true;
  const double bonus = market.offers[split_.user_facing_arm(id)].sign_up_usd;
  const double p = p0 + (1.0 - p0) * bonus / (bonus + response.bonus_half_response_usd);
  return bernoulli(market.response, p);
}

double Incentives::referral_multiplier(UserId referrer) const {
  const MarketIncentives& market = markets_[users_[referrer].market];
  const double bonus = market.offers[split_.user_facing_arm(referrer)].referral_usd;
  if (bonus <= 0.0) return 1.0;
  const IncentiveResponseConfig& response =
      config_.markets[users_[referrer].market].incentive_response;
  return 1.0 + response.referral_max_uplift * bonus / (bonus + response.referral_half_response_usd);
}

double Incentives::attempt_rate_multiplier(UserId id) const {
  const User& user = users_[id];
  if (user.intent != UserIntent::kGenuine) return 1.0;
  const std::uint8_t arm = split_.user_facing_arm(id);
  // What the user pays: the arm's taker fee less any waiver on offer.
  const double paid_bps = split_.arm_market(user.market, arm).fees.taker_bps -
                          markets_[user.market].offers[arm].waived_taker_bps;
  if (paid_bps <= 0.0) return 1.0;
  return std::exp(-config_.markets[user.market].incentive_response.taker_fee_elasticity * paid_bps /
                  100.0);
}

void Incentives::settle(const Order& order, bool first_trade) {
  const MarketIncentives& market = markets_[order.market];
  const std::uint8_t arm = split_.order_arm(order);
  const FeeConfig& fees = split_.arm_market(order.market, arm).fees;
  double taker_fee = order.usd * fees.taker_bps / 1e4;
  const double maker_fee = order.usd * fees.maker_bps / 1e4;
  if (!market.campaigns.empty()) {
    const std::int32_t today_index = day_of(now_);
    const UserProfile& profile = profiles_[order.user];
    TradeFacts trade{
        .features = features_.order(order.user, order.merchant, order.payment_method, order.usd,
                                    kAllFeatures),
        .market = order.market,
        .usd = order.usd,
        .taker_fee_usd = taker_fee,
        .first_trade = first_trade,
        .referred = profile.referred_by != kNobody,
        .merchant_volume_usd = merchant_volume_.empty() ? 0.0 : merchant_volume_30d(order.merchant),
    };
    bool ran_out = false;
    for (std::uint16_t c : market.campaigns) {
      const IncentiveCampaign& campaign = *split_.campaigns()[c];
      if (!split_.serves(c, arm)) continue;  // another arm's units' campaign
      if (!campaign.runs(order.market, today_index) || budgets_.exhausted(c)) continue;
      const IncentiveOffer offer = campaign.on_trade(trade);
      const double waived = pay(c, order, Recipient::kUser, order.user.index(),
                                std::min(offer.taker_fee_waived_usd, taker_fee), true);
      taker_fee -= waived;
      trade.taker_fee_usd = taker_fee;
      pay(c, order, Recipient::kUser, order.user.index(), offer.user_bonus_usd, false);
      if (trade.referred) {
        pay(c, order, Recipient::kUser, profile.referred_by.index(), offer.referrer_bonus_usd,
            false);
      }
      pay(c, order, Recipient::kMerchant, order.merchant.index(), offer.merchant_rebate_usd, false);
      ran_out = ran_out || budgets_.exhausted(c);
    }
    if (ran_out) {
      // From the moment a budget is spent nothing more is offered, and rings stop coming.
      refresh_offers(order.market);
      retarget_sybils(order.market);
    }
  }
  charge_fees(order, taker_fee, maker_fee);
  if (!merchant_volume_.empty()) record_merchant_volume(order.merchant, order.usd);
}

double Incentives::pay(std::size_t campaign, const Order& order, Recipient kind,
                       std::uint32_t recipient, double usd, bool fee_waiver) {
  if (usd <= 0.0) return 0.0;
  const double granted = budgets_.grant(campaign, kind, recipient, usd, day_of(now_));
  if (granted <= 0.0) return 0.0;
  assert((kind == Recipient::kUser || !fee_waiver) && "merchants are paid rebates, not waivers");
  const bool to_merchant = kind == Recipient::kMerchant;
  const bool to_fraud_account =
      !to_merchant && users_[UserId(recipient)].intent != UserIntent::kGenuine;
  metrics_.record(IncentiveGranted{
      .market = order.market,
      .cohort_day = order.created_day,
      .unit = split_.order_slot(order),
      .usd = granted,
      .fee_waiver = fee_waiver,
      .to_fraud_account = to_fraud_account,
  });
  if (to_merchant) {
    merchant_incentivised_[recipient] = 1;
    ledger_.transfer(fee_account_, merchants_[MerchantId(recipient)].usdt_account,
                     to_micro_usdt(granted));
    merchant_books_.book_pnl(MerchantId(recipient), granted);
    return granted;
  }
  user_incentivised_[recipient] = 1;
  const User& user = users_[UserId(recipient)];
  // A waived fee is revenue forgone: no money moves.
  if (!fee_waiver) ledger_.transfer(fee_account_, user.usdt_account, to_micro_usdt(granted));
  if (!to_fraud_account) return granted;
  if (!fee_waiver && user.intent == FraudTypology::kPromotionAbuse &&
      order.intent == FraudTypology::kPromotionAbuse) {
    // A farmed bonus is what promotion abuse costs the platform.
    fraudsters_.book_loss(order, granted, LossBearer::kPlatform);
  }
  return granted;
}

void Incentives::charge_fees(const Order& order, double taker_fee_usd, double maker_fee_usd) {
  // Fees are paid in USDT into the platform's fee account: the merchant's from its USDT, the
  // user's from the USDT just bought or, for a selling user, brought with the order.
  const MinorUnits maker = to_micro_usdt(maker_fee_usd);
  const MinorUnits taker = to_micro_usdt(taker_fee_usd);
  if (maker > 0) {
    ledger_.transfer(merchants_[order.merchant].usdt_account, fee_account_, maker);
    merchant_books_.book_pnl(order.merchant, -micro_to_usd(maker));
  }
  if (taker > 0) {
    const AccountId user_account = users_[order.user].usdt_account;
    if (order.side == TradeSide::kUserSells) ledger_.transfer(outside_usdt_, user_account, taker);
    ledger_.transfer(user_account, fee_account_, taker);
  }
  // The trade's fees are credited to the incentives when either side had received one.
  const bool incentive_recipient =
      !merchant_incentivised_.empty() && (user_incentivised_[order.user.index()] != 0 ||
                                          merchant_incentivised_[order.merchant.index()] != 0);
  metrics_.record(FeesCollected{
      .market = order.market,
      .cohort_day = order.created_day,
      .unit = split_.order_slot(order),
      .usd = micro_to_usd(maker + taker),
      .incentive_recipient = incentive_recipient,
  });
}

void Incentives::record_merchant_volume(MerchantId merchant, double usd) {
  // A ring of the last kVolumeDays days; days skipped since the last write are cleared.
  const std::int32_t today_index = day_of(now_);
  std::int32_t& last = merchant_volume_day_[merchant.index()];
  float* ring = &merchant_volume_[static_cast<std::size_t>(merchant.index()) * kVolumeDays];
  if (last != today_index) {
    for (std::int32_t d = std::max(last + 1, today_index - kVolumeDays + 1); d <= today_index; ++d)
      ring[d % kVolumeDays] = 0.0f;
    last = today_index;
  }
  ring[today_index % kVolumeDays] += static_cast<float>(usd);
}

double Incentives::merchant_volume_30d(MerchantId merchant) const {
  const std::int32_t first = day_of(now_) - kVolumeDays + 1;
  const std::int32_t last = merchant_volume_day_[merchant.index()];
  const float* ring = &merchant_volume_[static_cast<std::size_t>(merchant.index()) * kVolumeDays];
  double volume = 0.0;
  for (std::int32_t d = std::max({0, first, last - kVolumeDays + 1}); d <= last; ++d)
    volume += ring[d % kVolumeDays];
  return volume;
}

}  // namespace p2psim
