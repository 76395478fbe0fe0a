#pragma once
// The allowed values of scenario keys, shared by the key lists (scenario_keys.cpp) and the keys
// the loader reads by hand. Each range says why it is bounded where it is not obvious.
#include "scenario/toml_section.hpp"
#include "world/world_config.hpp"

namespace p2psim::scenario_detail {

inline constexpr NumberRange kPositive{0.0, kNoLimit, true, "a number greater than 0"};
inline constexpr NumberRange kNonNegative{0.0, kNoLimit, false, "a number of at least 0"};
inline constexpr NumberRange kAtLeastOne{1.0, kNoLimit, false, "a number of at least 1"};
// Amounts are kept in 64-bit minor units: fiat = USD x rate x 100 must stay far below 9.2e18
// (the rate itself saturates at ReferenceRate::kMaximum = 1e8).
inline constexpr NumberRange kReferenceRate{0.0, 1e7, true,
                                            "a number greater than 0 and at most 1e7"};
inline constexpr NumberRange kInventory{0.0, 1e8, false, "a number from 0 to 1e8"};
inline constexpr NumberRange kOrderUsd{0.0, 1e7, true, "a number greater than 0 and at most 1e7"};
// Whole accounts or ring members are created per unit: bounds keep one event's work finite.
inline constexpr NumberRange kAttempts{1.0, 10000.0, false, "a number from 1 to 10000"};
inline constexpr NumberRange kRingSize{1.0, 1000.0, false, "a number from 1 to 1000"};
inline constexpr NumberRange kProbability{0.0, 1.0, false, "a probability between 0 and 1"};
inline constexpr NumberRange kShare{0.0, 1.0, false, "a share between 0 and 1"};
// Sigmas of lognormals: above 5 the distribution is dominated by absurd outliers.
inline constexpr NumberRange kSigma{0.0, 5.0, false, "a number between 0 and 5"};
// Users' activity: beyond 3 the lognormal's mean rests on a handful of users even in a market
// of millions, so the market's rate would no longer be the users' mean rate.
inline constexpr NumberRange kActivitySigma{0.0, 3.0, false, "a number between 0 and 3"};
inline constexpr NumberRange kPaymentWindow{0.0, 1440.0, true,
                                            "a number of minutes greater than 0 and at most 1440"};
// +/-50% around the reference rate keeps every ad price positive.
inline constexpr NumberRange kMarginBps{-5000.0, 5000.0, false, "a number between -5000 and 5000"};

// Annualised drift of the reference rate: +/-1000% a year covers hyperinflation.
inline constexpr NumberRange kDriftPerYear{-10.0, 10.0, false, "a number between -10 and 10"};
inline constexpr NumberRange kVolatilityPerYear{0.0, 5.0, false, "a number between 0 and 5"};
// A relative change of the rate: the rate is multiplied by (1 + change), which must stay > 0.
inline constexpr NumberRange kRateChange{-1.0, 100.0, true,
                                         "a number greater than -1 and at most 100"};
inline constexpr NumberRange kInventoryMarginBps{0.0, 5000.0, false, "a number between 0 and 5000"};
// An off-platform conversion lands within a week (a longer one is a frozen account, not a delay).
inline constexpr NumberRange kRestockDelayHours{0.0, 168.0, false,
                                                "a number of hours from 0 to 168"};
// Pricing losses in more than ten times over would be panic, not pricing.
inline constexpr NumberRange kLossPricingWeight{0.0, 10.0, false, "a number between 0 and 10"};
// A surge remembered for more than a year is a new level of demand, not a surge.
inline constexpr NumberRange kSurgeDecayHours{0.0, 8760.0, true,
                                              "a number of hours greater than 0 and at most 8760"};
// A yearly rate: 1000% a year covers hyperinflation.
inline constexpr NumberRange kCapitalCostPerYear{0.0, 10.0, false, "a number between 0 and 10"};
inline constexpr NumberRange kBanMinutes{0.0, 1440.0, true,
                                         "a number of minutes greater than 0 and at most 1440"};
// Fees and incentive rebates in basis points: up to 10% of an order.
inline constexpr NumberRange kFeeBps{0.0, 1000.0, false, "a number between 0 and 1000"};
inline constexpr NumberRange kUplift{0.0, 100.0, false, "a number between 0 and 100"};
// Mule orders sit a cent under the threshold at most, so it must leave room for a cent.
inline constexpr NumberRange kMuleThreshold{0.01, 1e7, true,
                                            "a number greater than 0.01 and at most 1e7"};

// Upper bounds of the format (docs/scenarios.md#limits): each keeps every sum, product and index
// the world computes from a value finite and within its type, and one event's work bounded.
// Arrivals per day (visitors, fraud accounts, entering merchants): ten million a day is beyond
// any market modelled; the work estimate bounds what a run may do in all.
inline constexpr NumberRange kPerDay{0.0, kMaxArrivalsPerDay, false, "a number from 0 to 1e7"};
// Relative weights (payment-method shares): their sums stay finite and no method is a million
// times less likely than another's total.
inline constexpr NumberRange kRelativeWeight{0.0, kMaxRelativeWeight, true,
                                             "a number greater than 0 and at most 1e6"};
// Durations: at most ten years, the longest run (kDays), in the key's own unit.
inline constexpr NumberRange kMinutes{0.0, 5256000.0, true,
                                      "a number of minutes greater than 0 and at most 5256000"};
inline constexpr NumberRange kMinutesOrZero{0.0, 5256000.0, false,
                                            "a number of minutes from 0 to 5256000"};
inline constexpr NumberRange kHours{0.0, 87600.0, true,
                                    "a number of hours greater than 0 and at most 87600"};
inline constexpr NumberRange kHoursOrZero{0.0, 87600.0, false, "a number of hours from 0 to 87600"};
inline constexpr NumberRange kDuration{0.0, 3650.0, true,
                                       "a number of days greater than 0 and at most 3650"};
inline constexpr NumberRange kDurationOrZero{0.0, 3650.0, false, "a number of days from 0 to 3650"};
// The bonus promotion-abuse rings are drawn by per account, divided into what they can farm: a
// cent at least, so that the quotient stays finite.
inline constexpr NumberRange kReferenceBonusUsd{0.01, 1e7, false, "a number from 0.01 to 1e7"};
inline constexpr NumberRange kOrderUsdOrZero{0.0, 1e7, false, "a number from 0 to 1e7"};
// Money held or spent by one party over a run (a merchant's deposit, a campaign's budget, a
// merchant's losses): a thousand times the largest order still fits the ledger many times over.
inline constexpr NumberRange kMoney{0.0, 1e10, false, "a number from 0 to 1e10"};
inline constexpr NumberRange kPositiveMoney{0.0, 1e10, true,
                                            "a number greater than 0 and at most 1e10"};
// Weights of a logit, a hazard or a response: beyond 1000 exp() of them overflows a double.
inline constexpr NumberRange kWeight{0.0, 1000.0, false, "a number from 0 to 1000"};
inline constexpr NumberRange kMultiplier{1.0, 1000.0, false, "a number from 1 to 1000"};
// Counts given as numbers (orders, referred visitors): bounded like kAnyCount.
inline constexpr NumberRange kCountNumber{0.0, 4294967295.0, false,
                                          "a number from 0 to 4294967295"};
// Basis points of a spread or its spread: ten times the whole price at most.
inline constexpr NumberRange kSpreadBps{0.0, 100000.0, false, "a number from 0 to 100000"};
// Random rate jumps: at most one an hour on average.
inline constexpr NumberRange kJumpsPerYear{0.0, 8760.0, false, "a number from 0 to 8760"};
// A relative size of a rate jump: the rate saturates at ReferenceRate::kMaximum anyway.
inline constexpr NumberRange kJumpSize{0.0, 100.0, false, "a number from 0 to 100"};

inline constexpr IntegerRange kAnyCount{0, kMaxUnsigned32};
inline constexpr IntegerRange kStartHour{0, 23};
inline constexpr IntegerRange kEndHour{0, 24};
// Reviewers summed over shifts stay far below 2^32.
inline constexpr IntegerRange kReviewers{0, 100000};
// Daily counts are kept in 16 bits.
inline constexpr IntegerRange kCancelLimit{0, 65534};
inline constexpr IntegerRange kKycTierIndex{0, 2};
// A merchant's record keeps the registration age its filter asks in one byte.
inline constexpr IntegerRange kFilterAgeDays{0, 255};
inline constexpr IntegerRange kPositiveCount{1, kMaxUnsigned32};
// Matching compares at most this many ads (AdBook keeps them on the stack).
inline constexpr IntegerRange kAdsViewed{1, 64};
inline constexpr IntegerRange kDays{1, 3650};
inline constexpr IntegerRange kWarmupDays{0, 3649};
inline constexpr IntegerRange kSeed{0, kMaxSigned64};
inline constexpr IntegerRange kReplications{1, 100000};
inline constexpr IntegerRange kHoursOfDay{1, 24};
inline constexpr IntegerRange kWindowDays{1, 365};
inline constexpr IntegerRange kOptionalWindowDays{0, 365};
inline constexpr IntegerRange kRuleDays{0, 3650};
inline constexpr IntegerRange kPositiveRuleDays{1, 3650};
// Dormant merchant slots are allocated up front: a bound keeps memory sane.
inline constexpr IntegerRange kEntrants{0, 100000};
// A day of the longest run (kDays). A jump, shock or campaign day past the last day of a shorter
// run is not an error: shortening simulation.days (a --set, a sweep) then clips or drops it with
// a warning.
inline constexpr IntegerRange kDayOfRun{0, kDays.high - 1};

}  // namespace p2psim::scenario_detail
