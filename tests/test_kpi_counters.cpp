// Tests of the KPI tallies: which day each fact is booked to, what it adds, and merging.
#include "metrics/kpi_counters.hpp"

#include <gtest/gtest.h>

#include <bit>

namespace p2psim {
namespace {

constexpr std::uint16_t kMarket = 0;

TEST(KpiTallies, TodayFollowsTheClock) {
  Seconds now = 0.0;
  KpiTallies tallies(now);
  tallies.add_market(3, 2);
  tallies.add_market(3, 4);
  tallies.record(VisitorArrived{.market = 1});
  now = 2 * kDay + kHour;
  tallies.record(VisitorArrived{.market = 1, .registered = true});
  tallies.record(VisitorArrived{.market = 1, .referred = true, .registered = true});
  EXPECT_EQ(tallies.days(1)[0].visitors, 1u);
  EXPECT_EQ(tallies.days(1)[1].visitors, 0u);
  EXPECT_EQ(tallies.day(1, 2).visitors, 2u);
  EXPECT_EQ(tallies.day(1, 2).registered, 2u);
  EXPECT_EQ(tallies.day(1, 2).referred_visitors, 1u);
  EXPECT_EQ(tallies.day(1, 2).kyc_verified, 0u);
  EXPECT_EQ(tallies.days(0)[2].visitors, 0u);
}

TEST(KpiTallies, EachDayHasALossSlotPerPaymentMethod) {
  Seconds now = 0.0;
  KpiTallies tallies(now);
  tallies.add_market(2, 3);
  for (const KpiCounters& day : tallies.days(0)) {
    EXPECT_EQ(day.fraud_loss_by_method_usd.size(), 3u);
  }
}

OrderCompleted completed() {
  return OrderCompleted{.market = kMarket,
                        .cohort_day = 1,
                        .unit = kNoUnit,
                        .usd = 100.0,
                        .seconds_to_complete = 600.0,
                        .appealed = false,
                        .appeal_seconds = 0.0,
                        .merchant_first_today = true};
}

TEST(KpiTallies, ACompletedOrderCountsOnItsCohortDayAndItsMerchantToday) {
  Seconds now = 3 * kDay;
  KpiTallies tallies(now);
  tallies.add_market(5, 1);
  tallies.record(completed());
  OrderCompleted again = completed();
  again.merchant_first_today = false;
  tallies.record(again);
  EXPECT_EQ(tallies.day(kMarket, 1).orders_completed, 2u);
  EXPECT_EQ(tallies.day(kMarket, 1).gmv_usd, 200.0);
  EXPECT_EQ(tallies.day(kMarket, 1).first_trade_gmv_usd, 0.0);  // no first trade among them
  EXPECT_EQ(tallies.day(kMarket, 1).time_to_complete.count(), 2u);
  EXPECT_EQ(tallies.day(kMarket, 1).appeals_resolved, 0u);
  // The merchant is active today once, however many orders it completes.
  EXPECT_EQ(tallies.day(kMarket, 3).active_merchants, 1u);
  EXPECT_EQ(tallies.day(kMarket, 1).active_merchants, 0u);
  EXPECT_EQ(tallies.day(kMarket, 3).orders_completed, 0u);
}

TEST(KpiTallies, AFirstTradeCountsOnItsFunnelCohortAndItsGmvOnTheOrdersCohort) {
  Seconds now = 3 * kDay;
  KpiTallies tallies(now);
  tallies.add_market(5, 1);
  tallies.record(
      FirstTradeCompleted{.market = kMarket, .cohort_day = 1, .funnel_day = 0, .usd = 100.0});
  EXPECT_EQ(tallies.day(kMarket, 0).completed_first_order, 1u);
  EXPECT_EQ(tallies.day(kMarket, 1).completed_first_order, 0u);
  EXPECT_EQ(tallies.day(kMarket, 1).first_trade_gmv_usd, 100.0);
  EXPECT_EQ(tallies.day(kMarket, 0).first_trade_gmv_usd, 0.0);
}

TEST(KpiTallies, ASecondTradeIsARepeatWithinTheWindowsItFalls) {
  Seconds now = 3 * kDay;
  KpiTallies tallies(now);
  tallies.add_market(5, 1);
  auto second = [&](std::int32_t funnel_day, double seconds) {
    tallies.record(SecondTradeCompleted{
        .market = kMarket, .funnel_day = funnel_day, .seconds_after_first_trade = seconds});
  };
  second(0, 7 * kDay);         // on the 7-day boundary: both windows
  second(0, 7 * kDay + 1.0);   // just past it: the 30-day window only
  second(0, 30 * kDay + 1.0);  // past both
  second(-1, 1.0);             // a user whose first order predates the run has no funnel cohort
  EXPECT_EQ(tallies.day(kMarket, 0).repeat_within_7d, 1u);
  EXPECT_EQ(tallies.day(kMarket, 0).repeat_within_30d, 2u);
  EXPECT_EQ(tallies.day(kMarket, 0).completed_first_order, 0u);
}

TEST(KpiTallies, AReturnedEscrowCountsItsCauseAndResolvesTheAppeal) {
  Seconds now = 0.0;
  KpiTallies tallies(now);
  tallies.add_market(2, 1);
  tallies.record(EscrowReturned{.market = kMarket, .cohort_day = 1, .expired = true});
  tallies.record(EscrowReturned{.market = kMarket,
                                .cohort_day = 1,
                                .cancelled = true,
                                .appealed = true,
                                .appeal_seconds = 3600.0});
  const KpiCounters& day = tallies.day(kMarket, 1);
  EXPECT_EQ(day.orders_expired, 1u);
  EXPECT_EQ(day.orders_cancelled, 1u);
  EXPECT_EQ(day.appeals_resolved, 1u);
  EXPECT_EQ(day.appeal_resolution_seconds, 3600.0);
}

TEST(KpiTallies, AFraudLossIsBookedByTypologyBearerAndMethod) {
  Seconds now = 0.0;
  KpiTallies tallies(now);
  tallies.add_market(1, 2);
  tallies.record(FraudLossBooked{.market = kMarket,
                                 .cohort_day = 0,
                                 .unit = kNoUnit,
                                 .typology = FraudTypology::kTriangulation,
                                 .bearer = LossBearer::kPlatform,
                                 .payment_method = 1,
                                 .usd = 40.0,
                                 .farmed_bonus = false});
  const KpiCounters& day = tallies.day(kMarket, 0);
  EXPECT_EQ(day.fraud_loss_usd[static_cast<int>(FraudTypology::kTriangulation)], 40.0);
  EXPECT_EQ(day.fraud_loss_usd[static_cast<int>(FraudTypology::kNonPayment)], 0.0);
  EXPECT_EQ(day.fraud_loss_by_bearer_usd[static_cast<int>(LossBearer::kPlatform)], 40.0);
  EXPECT_EQ(day.fraud_loss_by_method_usd[1], 40.0);
  EXPECT_EQ(day.fraud_loss_by_method_usd[0], 0.0);
}

TEST(KpiTallies, AFraudsterArrivalCountsTodayByTypology) {
  Seconds now = kDay + kHour;
  KpiTallies tallies(now);
  tallies.add_market(3, 1);
  tallies.record(FraudsterArrived{.market = kMarket, .typology = FraudTypology::kMuleStructuring});
  tallies.record(FraudsterArrived{.market = kMarket, .typology = FraudTypology::kMuleStructuring});
  tallies.record(FraudsterArrived{.market = kMarket, .typology = FraudTypology::kNonPayment});
  const KpiCounters& day = tallies.day(kMarket, 1);
  EXPECT_EQ(day.fraud_arrivals[static_cast<int>(FraudTypology::kMuleStructuring)], 2u);
  EXPECT_EQ(day.fraud_arrivals[static_cast<int>(FraudTypology::kNonPayment)], 1u);
  EXPECT_EQ(day.fraud_arrivals[static_cast<int>(FraudTypology::kTriangulation)], 0u);
  EXPECT_EQ(tallies.day(kMarket, 0).fraud_arrivals[static_cast<int>(FraudTypology::kNonPayment)],
            0u);
}

TEST(KpiTallies, AStepUpStopIsAnAbandonmentForAGenuineOrderAndAFailureForFraud) {
  Seconds now = 0.0;
  KpiTallies tallies(now);
  tallies.add_market(1, 1);
  tallies.record(StepUpAsked{kMarket});
  tallies.record(StepUpAsked{kMarket});
  tallies.record(StepUpStopped{.market = kMarket, .unit = kNoUnit, .genuine = true});
  tallies.record(StepUpStopped{.market = kMarket, .unit = kNoUnit, .genuine = false});
  const KpiCounters& day = tallies.day(kMarket, 0);
  EXPECT_EQ(day.orders_stepped_up, 2u);
  EXPECT_EQ(day.step_up_abandoned_genuine, 1u);
  EXPECT_EQ(day.step_up_failed_fraud, 1u);
}

TEST(KpiTallies, ScreenedOrdersAreCountedBySegment) {
  Seconds now = 0.0;
  KpiTallies tallies(now);
  tallies.add_market(1, 2);
  const OrderSegment young_card{.kyc_tier = 1,
                                .age_band = AccountAgeBand::kNew,
                                .payment_method = 1,
                                .typology = FraudTypology::kPaymentReversal};
  const OrderSegment old_bank{
      .kyc_tier = 2, .age_band = AccountAgeBand::kOlder, .payment_method = 0};
  tallies.record(
      OrderScreened{.market = kMarket, .unit = kNoUnit, .genuine = false, .segment = young_card});
  tallies.record(
      OrderScreened{.market = kMarket, .unit = kNoUnit, .genuine = false, .segment = young_card});
  tallies.record(
      OrderScreened{.market = kMarket, .unit = kNoUnit, .genuine = true, .segment = old_bank});
  tallies.record(OrderBlocked{.market = kMarket,
                              .screened_day = 0,
                              .unit = kNoUnit,
                              .genuine = false,
                              .segment = young_card});
  tallies.record(
      StepUpStopped{.market = kMarket, .unit = kNoUnit, .genuine = false, .segment = young_card});
  tallies.record(OrderBlocked{
      .market = kMarket, .screened_day = 0, .unit = kNoUnit, .genuine = true, .segment = old_bank});
  const KpiCounters& day = tallies.day(kMarket, 0);
  EXPECT_EQ(day.risk_by_kyc_tier[segment_slot(1, SegmentCount::kScreenedFraud)], 2u);
  EXPECT_EQ(day.risk_by_kyc_tier[segment_slot(1, SegmentCount::kCaughtFraud)], 2u);
  EXPECT_EQ(day.risk_by_kyc_tier[segment_slot(2, SegmentCount::kScreenedGenuine)], 1u);
  EXPECT_EQ(day.risk_by_kyc_tier[segment_slot(2, SegmentCount::kBlockedGenuine)], 1u);
  EXPECT_EQ(day.risk_by_account_age[segment_slot(0, SegmentCount::kCaughtFraud)], 2u);
  EXPECT_EQ(day.risk_by_account_age[segment_slot(2, SegmentCount::kBlockedGenuine)], 1u);
  EXPECT_EQ(day.risk_by_method[segment_slot(1, SegmentCount::kScreenedFraud)], 2u);
  EXPECT_EQ(day.risk_by_method[segment_slot(0, SegmentCount::kScreenedGenuine)], 1u);
  const int reversal = static_cast<int>(FraudTypology::kPaymentReversal);
  EXPECT_EQ(day.risk_by_typology[segment_slot(reversal, SegmentCount::kCaughtFraud)], 2u);
  // A genuine order has no typology: none is counted for it.
  const int non_payment = static_cast<int>(FraudTypology::kNonPayment);
  EXPECT_EQ(day.risk_by_typology[segment_slot(non_payment, SegmentCount::kScreenedGenuine)], 0u);
}

TEST(KpiTallies, AccountAgeBandsCutAtSevenAndThirtyOneDays) {
  EXPECT_EQ(account_age_band(-3.0), AccountAgeBand::kNew);  // created since the start
  EXPECT_EQ(account_age_band(6.99), AccountAgeBand::kNew);
  EXPECT_EQ(account_age_band(7.0), AccountAgeBand::kWeeks);
  EXPECT_EQ(account_age_band(30.99), AccountAgeBand::kWeeks);
  EXPECT_EQ(account_age_band(31.0), AccountAgeBand::kOlder);
}

TEST(KpiCounters, MergeSumsEveryTally) {
  // Every field gets a distinct value through the struct's own representation, so a tally that
  // merge left out would fail here without this test naming it.
  constexpr std::size_t kCounts = sizeof(KpiCounts) / sizeof(std::uint64_t);
  constexpr std::size_t kAmounts = sizeof(KpiAmounts) / sizeof(double);
  std::array<std::uint64_t, kCounts> counts{};
  std::array<double, kAmounts> amounts{};
  for (std::size_t i = 0; i < kCounts; ++i)
    counts[i] = i + 1;
  for (std::size_t i = 0; i < kAmounts; ++i)
    amounts[i] = 0.5 * static_cast<double>(i + 1);
  KpiCounters total;
  static_cast<KpiCounts&>(total) = std::bit_cast<KpiCounts>(counts);
  static_cast<KpiAmounts&>(total) = std::bit_cast<KpiAmounts>(amounts);
  total.time_to_complete.add(60.0);
  total.fraud_loss_by_method_usd = {1.0};
  total.risk_by_method = {1, 2, 3, 4};
  KpiCounters other = total;
  other.fraud_loss_by_method_usd = {2.0, 3.0};
  other.risk_by_method = {10, 20, 30, 40, 50, 60, 70, 80};
  total.merge(other);
  const auto merged_counts =
      std::bit_cast<std::array<std::uint64_t, kCounts>>(static_cast<const KpiCounts&>(total));
  const auto merged_amounts =
      std::bit_cast<std::array<double, kAmounts>>(static_cast<const KpiAmounts&>(total));
  for (std::size_t i = 0; i < kCounts; ++i)
    EXPECT_EQ(merged_counts[i], 2 * (i + 1)) << i;
  for (std::size_t i = 0; i < kAmounts; ++i)
    EXPECT_EQ(merged_amounts[i], static_cast<double>(i + 1)) << i;
  EXPECT_EQ(total.gmv_usd, 2 * std::bit_cast<KpiAmounts>(amounts).gmv_usd);
  EXPECT_EQ(total.time_to_complete.count(), 2u);
  EXPECT_EQ(total.fraud_loss_by_method_usd, (std::vector<double>{3.0, 3.0}));
  EXPECT_EQ(total.risk_by_method, (std::vector<std::uint64_t>{11, 22, 33, 44, 50, 60, 70, 80}));
}

}  // namespace
}  // namespace p2psim
