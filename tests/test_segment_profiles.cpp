// Segment profiles of a labelled export: the Wilson interval, the counting of attempts into
// bands and pairs of bands, the shares and lifts, the minimum support and the files written.
#include "lab/segment_profiles.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "lab/profile_outputs.hpp"
#include "world/risk_policy.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;

// The export's features, in its column order: the world's, by name.
const std::vector<std::string> kFeatureNames(kRiskFeatureNames.begin(), kRiskFeatureNames.end());

// One attempt of a hand-built export; the defaults are an ordinary genuine order.
struct Attempt {
  double account_age_days = 100.0;
  double kyc_tier = 1.0;
  std::string payment_method = "bank_transfer";
  double accounts_on_device = 1.0;
  double device_cluster_size = 1.0;
  double orders_last_24h = 0.0;
  double hour_of_day = 12.0;
  std::string market = "ng";
  double side = 0.0;
  bool fraud = false;
  bool order = true;
  std::int32_t revealed_day = -1;
  double amount_usd = 100.0;
  double loss_usd = 0.0;
};

ExportedOrders empty_export() {
  ExportedOrders orders;
  orders.feature_names = kFeatureNames;
  orders.typologies.index_of("");
  orders.last_day = 9;
  return orders;
}

void add(ExportedOrders& orders, const Attempt& attempt, int copies = 1) {
  auto feature = [&](const char* name, double value, std::vector<double>& row) {
    row[static_cast<std::size_t>(orders.feature_index(name))] = value;
  };
  for (int copy = 0; copy < copies; ++copy) {
    std::vector<double> row(kFeatureNames.size(), 0.0);
    feature("account_age_days", attempt.account_age_days, row);
    feature("kyc_tier", attempt.kyc_tier, row);
    feature("amount_usd", attempt.amount_usd, row);
    feature("side", attempt.side, row);
    feature("device_cluster_size", attempt.device_cluster_size, row);
    feature("accounts_on_device", attempt.accounts_on_device, row);
    feature("orders_last_24h", attempt.orders_last_24h, row);
    feature("hour_of_day", attempt.hour_of_day, row);
    orders.replication.push_back(0);
    orders.attempt.push_back(orders.rows() + 1);
    orders.day.push_back(0);
    orders.market.push_back(orders.markets.index_of(attempt.market));
    orders.payment_method.push_back(orders.payment_methods.index_of(attempt.payment_method));
    orders.typology.push_back(orders.typologies.index_of(attempt.fraud ? "payment_reversal" : ""));
    orders.outcome.push_back(orders.outcomes.index_of(attempt.order ? "completed" : "blocked"));
    orders.has_order.push_back(attempt.order ? 1 : 0);
    orders.is_fraud.push_back(attempt.fraud ? 1 : 0);
    orders.revealed_day.push_back(attempt.revealed_day);
    orders.amount_usd.push_back(attempt.amount_usd);
    orders.loss_usd.push_back(attempt.loss_usd);
    orders.features.insert(orders.features.end(), row.begin(), row.end());
    ++orders.attempts_read;
  }
}

// 40 new accounts paying by card, 30 of them fraud: 20 revealed by the last day (9), 4 revealed
// after it, 6 blocked before an order. 60 older accounts paying by bank, 2 of them fraud, never
// revealed. 100 attempts, 32 fraud.
ExportedOrders card_and_bank_export() {
  ExportedOrders orders = empty_export();
  Attempt card{.account_age_days = 2.0, .payment_method = "card_transfer"};
  add(orders, card, 10);
  card.fraud = true;
  card.loss_usd = 50.0;
  card.revealed_day = 5;
  add(orders, card, 20);
  card.revealed_day = 12;
  add(orders, card, 4);
  card.revealed_day = -1;
  card.order = false;
  card.loss_usd = 0.0;
  add(orders, card, 6);
  Attempt bank{.account_age_days = 200.0, .side = 1.0};
  add(orders, bank, 58);
  bank.fraud = true;
  bank.loss_usd = 100.0;
  add(orders, bank, 2);
  return orders;
}

const SegmentProfile* find(const SegmentProfiles& profiles, const std::string& label) {
  for (const SegmentProfile& segment : profiles.segments) {
    if (segment.label() == label) return &segment;
  }
  return nullptr;
}

ProfileOptions every_segment() {
  return {.market = "", .min_support = 1};
}

TEST(SegmentProfiles, WilsonIntervalMatchesTheClosedForm) {
  // 10 of 100, z = 1.959963984540054, z^2 = 3.841458820694124:
  //   centre = (0.1 + 0.019207294) / 1.038414588 = 0.114797375
  //   half   = 1.959963985 / 1.038414588 * sqrt(0.0009 + 0.0000960365) = 0.059568238
  //   [0.0552291, 0.1743657]
  const RateInterval ten_of_hundred = wilson_interval(10, 100);
  EXPECT_DOUBLE_EQ(ten_of_hundred.rate, 0.1);
  EXPECT_NEAR(ten_of_hundred.low, 0.0552291, 1e-6);
  EXPECT_NEAR(ten_of_hundred.high, 0.1743657, 1e-6);
  // 0 of 50: the low end is 0 and the high end z^2 / (n + z^2) = 0.0713476.
  const RateInterval none = wilson_interval(0, 50);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 0.0713476, 1e-6);
  // 50 of 50 mirrors it.
  const RateInterval all = wilson_interval(50, 50);
  EXPECT_EQ(all.high, 1.0);
  EXPECT_NEAR(all.low, 1.0 - 0.0713476, 1e-6);
  EXPECT_TRUE(std::isnan(wilson_interval(0, 0).rate));
}

TEST(SegmentProfiles, CountsAttemptsFraudKnownFraudAndLossPerSegment) {
  const SegmentProfiles profiles = profile_segments(card_and_bank_export(), every_segment());
  EXPECT_EQ(profiles.overall.attempts, 100u);
  EXPECT_EQ(profiles.overall.fraud, 32u);
  EXPECT_EQ(profiles.label_day, 9);

  const SegmentProfile* card = find(profiles, "payment_method=card_transfer");
  ASSERT_NE(card, nullptr);
  EXPECT_EQ(card->tally.attempts, 40u);
  EXPECT_EQ(card->tally.fraud, 30u);
  EXPECT_DOUBLE_EQ(card->fraud_rate.rate, 0.75);
  // Known on day 9: the 20 revealed on day 5, among the 34 orders (6 attempts were blocked).
  EXPECT_DOUBLE_EQ(card->known_fraud_rate, 20.0 / 34.0);
  EXPECT_DOUBLE_EQ(card->tally.loss_usd, 20 * 50.0 + 4 * 50.0);
  EXPECT_DOUBLE_EQ(card->loss_share, 1200.0 / 1400.0);
  EXPECT_DOUBLE_EQ(card->volume_share, 0.4);
  EXPECT_DOUBLE_EQ(card->lift, 0.75 / 0.32);

  const SegmentProfile* bank = find(profiles, "payment_method=bank_transfer");
  ASSERT_NE(bank, nullptr);
  EXPECT_EQ(bank->tally.fraud, 2u);
  EXPECT_DOUBLE_EQ(bank->known_fraud_rate, 0.0);  // never revealed: the platform sees none
  EXPECT_EQ(find(profiles, "account_age=new")->tally.attempts, 40u);
  EXPECT_EQ(find(profiles, "account_age=older")->tally.attempts, 60u);
  EXPECT_EQ(find(profiles, "side=sell")->tally.fraud, 2u);
}

TEST(SegmentProfiles, BandsTakeTheWholePartOfAFeature) {
  ExportedOrders orders = empty_export();
  for (double age : {0.0, 6.9, 7.0, 30.5, 31.0})
    add(orders, {.account_age_days = age});
  for (double velocity : {0.5, 1.0, 2.9, 3.0, 9.9, 10.0, 25.0})
    add(orders, {.orders_last_24h = velocity});
  for (double hour : {5.0, 6.0, 17.0, 23.0})
    add(orders, {.hour_of_day = hour});
  for (double devices : {2.0, 7.0})
    add(orders, {.accounts_on_device = devices, .device_cluster_size = devices});
  const SegmentProfiles profiles = profile_segments(orders, every_segment());
  auto attempts = [&](const std::string& label) {
    const SegmentProfile* segment = find(profiles, label);
    return segment == nullptr ? 0u : segment->tally.attempts;
  };
  EXPECT_EQ(attempts("account_age=new"), 2u);
  EXPECT_EQ(attempts("account_age=7-30"), 2u);
  EXPECT_EQ(attempts("account_age=older"), 1u + 7 + 4 + 2);
  EXPECT_EQ(attempts("velocity=0"), 1u + 5 + 4 + 2);
  EXPECT_EQ(attempts("velocity=1-2"), 2u);
  EXPECT_EQ(attempts("velocity=3-9"), 2u);
  EXPECT_EQ(attempts("velocity=10+"), 2u);
  EXPECT_EQ(attempts("hour_of_day=00-05"), 1u);
  EXPECT_EQ(attempts("hour_of_day=06-11"), 1u);
  EXPECT_EQ(attempts("hour_of_day=12-17"), 1u + 5 + 7 + 2);
  EXPECT_EQ(attempts("hour_of_day=18-23"), 1u);
  EXPECT_EQ(attempts("device_sharing=2+"), 2u);
  EXPECT_EQ(attempts("link_cluster=2-4"), 1u);
  EXPECT_EQ(attempts("link_cluster=5+"), 1u);
}

TEST(SegmentProfiles, SharesSumToOneAndLiftAveragesToOneOverADimension) {
  ExportedOrders orders = card_and_bank_export();
  add(orders, {.kyc_tier = 0.0, .payment_method = "mobile_money", .amount_usd = 7.0}, 9);
  add(orders, {.kyc_tier = 2.0, .hour_of_day = 20.0, .fraud = true, .loss_usd = 3.0}, 5);
  const SegmentProfiles profiles = profile_segments(orders, every_segment());
  std::map<std::string, double> volume, loss, weighted_lift;
  for (const SegmentProfile& segment : profiles.segments) {
    const std::string dimension = segment.dimension();
    volume[dimension] += segment.volume_share;
    loss[dimension] += segment.loss_share;
    // The fraud rate of the whole is the attempts-weighted mean of its parts'.
    weighted_lift[dimension] += segment.lift * static_cast<double>(segment.tally.attempts) /
                                static_cast<double>(profiles.overall.attempts);
  }
  // account_age, kyc_tier, payment_method, hour_of_day and side split these attempts: 5 + 10 pairs.
  ASSERT_EQ(volume.size(), 5u + 10u);
  for (const auto& [dimension, share] : volume) {
    EXPECT_NEAR(share, 1.0, 1e-12) << dimension;
    EXPECT_NEAR(loss[dimension], 1.0, 1e-12) << dimension;
    EXPECT_NEAR(weighted_lift[dimension], 1.0, 1e-12) << dimension;
  }
}

TEST(SegmentProfiles, PairsOfTwoDimensionsAreProfiled) {
  const SegmentProfiles profiles = profile_segments(card_and_bank_export(), every_segment());
  const SegmentProfile* pair = find(profiles, "account_age=new & payment_method=card_transfer");
  ASSERT_NE(pair, nullptr);
  EXPECT_TRUE(pair->pair());
  EXPECT_EQ(pair->dimension(), "account_age & payment_method");
  EXPECT_EQ(pair->value(), "new & card_transfer");
  EXPECT_EQ(pair->tally.attempts, 40u);
  EXPECT_EQ(pair->tally.fraud, 30u);
  // Attempts in no pair of bands are not listed: no new account paid by bank.
  EXPECT_EQ(find(profiles, "account_age=new & payment_method=bank_transfer"), nullptr);
  // A pair is in profile order only, never the reverse nor a dimension with itself.
  EXPECT_EQ(find(profiles, "payment_method=card_transfer & account_age=new"), nullptr);
  for (const SegmentProfile& segment : profiles.segments) {
    if (segment.pair()) {
      EXPECT_NE(segment.dimensions[0], segment.dimensions[1]);
    }
  }
}

TEST(SegmentProfiles, DimensionsWithOneValueAreLeftOut) {
  const SegmentProfiles profiles = profile_segments(card_and_bank_export(), every_segment());
  // Every attempt is in market ng, in hour 12-17, with one account on its device.
  EXPECT_EQ(profiles.dimensions,
            (std::vector<std::string>{"account_age", "payment_method", "side"}));
  for (const SegmentProfile& segment : profiles.segments) {
    for (const std::string& dimension : segment.dimensions)
      EXPECT_NE(dimension, "market") << segment.label();
  }
  EXPECT_EQ(profiles.segments.size(), 2u + 2 + 2 + 2 + 2 + 2);
}

TEST(SegmentProfiles, MinimumSupportDropsSmallSegments) {
  const ExportedOrders orders = card_and_bank_export();
  const SegmentProfiles profiles = profile_segments(orders, {.market = "", .min_support = 50});
  EXPECT_EQ(find(profiles, "payment_method=card_transfer"), nullptr);  // 40 attempts
  ASSERT_NE(find(profiles, "payment_method=bank_transfer"), nullptr);  // 60
  EXPECT_EQ(profiles.segments.size(), 6u);  // the 60 older bank sellers, in 6 segments
  EXPECT_EQ(profiles.segments_below_support, 6u);
  try {
    profile_segments(orders, {.market = "", .min_support = 61});
    FAIL() << "no segment has 61 attempts";
  } catch (const ExportInputError& error) {
    EXPECT_NE(std::string(error.what()).find("--min-support"), std::string::npos) << error.what();
  }
}

TEST(SegmentProfiles, RanksByRateThenSupportAndByLoss) {
  ExportedOrders orders = card_and_bank_export();
  // mobile_money: 5 of 10 fraud; cash: 1 of 2, the same rate on less support.
  add(orders, {.payment_method = "mobile_money", .fraud = true}, 5);
  add(orders, {.payment_method = "mobile_money"}, 5);
  add(orders, {.payment_method = "cash", .fraud = true, .loss_usd = 5000.0});
  add(orders, {.payment_method = "cash"});
  const SegmentProfiles profiles = profile_segments(orders, every_segment());
  for (std::size_t i = 0; i < profiles.segments.size(); ++i) {
    EXPECT_EQ(profiles.segments[i].rank_by_rate, i + 1);
    EXPECT_EQ(profiles.segments[profiles.by_loss[i]].rank_by_loss, i + 1);
    if (i == 0) continue;
    const SegmentProfile& before = profiles.segments[i - 1];
    const SegmentProfile& after = profiles.segments[i];
    EXPECT_GE(before.fraud_rate.rate, after.fraud_rate.rate);
    if (before.fraud_rate.rate == after.fraud_rate.rate) {
      EXPECT_GE(before.tally.attempts, after.tally.attempts);
    }
    EXPECT_GE(profiles.segments[profiles.by_loss[i - 1]].tally.loss_usd,
              profiles.segments[profiles.by_loss[i]].tally.loss_usd);
  }
  const SegmentProfile* mobile = find(profiles, "payment_method=mobile_money");
  const SegmentProfile* cash = find(profiles, "payment_method=cash");
  const SegmentProfile* card = find(profiles, "payment_method=card_transfer");
  ASSERT_TRUE(mobile != nullptr && cash != nullptr && card != nullptr);
  EXPECT_LT(mobile->rank_by_rate, cash->rank_by_rate);  // 5 of 10 before 1 of 2
  EXPECT_LT(card->rank_by_rate, cash->rank_by_rate);    // 75% before 50%
  EXPECT_LT(cash->rank_by_loss, card->rank_by_loss);    // 5000 USD before 1200
}

TEST(SegmentProfiles, MarketOptionKeepsOneMarketAndRefusesAnUnknownOne) {
  ExportedOrders orders = card_and_bank_export();
  add(orders, {.market = "ke", .fraud = true}, 3);
  add(orders, {.account_age_days = 1.0, .market = "ke"}, 7);
  const SegmentProfiles all = profile_segments(orders, every_segment());
  EXPECT_EQ(all.markets, (std::vector<std::string>{"ke", "ng"}));
  EXPECT_EQ(find(all, "market=ke")->tally.attempts, 10u);

  const SegmentProfiles kenya = profile_segments(orders, {.market = "ke", .min_support = 1});
  EXPECT_EQ(kenya.markets, (std::vector<std::string>{"ke"}));
  EXPECT_EQ(kenya.overall.attempts, 10u);
  EXPECT_EQ(kenya.overall.fraud, 3u);
  EXPECT_EQ(find(kenya, "account_age=new")->tally.attempts, 7u);

  try {
    profile_segments(orders, {.market = "gh", .min_support = 1});
    FAIL() << "gh is not in the export";
  } catch (const ExportInputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("gh"), std::string::npos) << message;
    EXPECT_NE(message.find("ng, ke"), std::string::npos) << message;
  }
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

TEST(ProfileOutputs, CsvHasOneRowPerSegmentInRankOrder) {
  const SegmentProfiles profiles = profile_segments(card_and_bank_export(), every_segment());
  const std::string csv = profiles_csv(profiles);
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line,
            "dimension,value,attempts,fraud,fraud_rate,fraud_rate_low,fraud_rate_high,"
            "known_fraud_rate,volume_share,lift,loss_usd,loss_share,rank_by_rate,rank_by_loss");
  std::size_t rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    // rank_by_rate is the second-to-last field.
    const std::size_t last = line.rfind(',');
    const std::size_t before = line.rfind(',', last - 1);
    EXPECT_EQ(line.substr(before + 1, last - before - 1), std::to_string(rows)) << line;
  }
  EXPECT_EQ(rows, profiles.segments.size());
  // Six segments hold the same 40 attempts and 30 frauds: the first dimension's comes first.
  EXPECT_EQ(csv.find("account_age,new,40,30,0.75,"), csv.find('\n') + 1) << csv;
}

TEST(ProfileOutputs, FilesAreWrittenTogetherAndAreByteIdenticalRunToRun) {
  const fs::path out = fs::temp_directory_path() / ("p2psim_profiles_" + std::to_string(getpid()));
  fs::remove_all(out);
  const SegmentProfiles profiles = profile_segments(card_and_bank_export(), every_segment());
  write_profile_files(profiles, out / "a", "hand-built");
  write_profile_files(profile_segments(card_and_bank_export(), every_segment()), out / "b",
                      "hand-built");
  for (const char* file : {"profiles.csv", "profiles.json", "profiles.html"}) {
    EXPECT_FALSE(slurp(out / "a" / file).empty()) << file;
    EXPECT_EQ(slurp(out / "a" / file), slurp(out / "b" / file)) << file;
  }
  const std::string html = slurp(out / "a" / "profiles.html");
  EXPECT_NE(html.find("account_age=new &amp; payment_method=card_transfer"), std::string::npos);
  EXPECT_NE(html.find("data-charts-planned=\"2\""), std::string::npos);
  EXPECT_NE(slurp(out / "a" / "profiles.json").find("\"single_valued_dimensions\""),
            std::string::npos);
  fs::remove_all(out);
}

}  // namespace
}  // namespace p2psim
