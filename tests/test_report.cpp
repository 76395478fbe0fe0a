// The report layer: KPI tables and their CSV files, summary.json and the all-or-nothing output
// directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "hand_built_run.hpp"
#include "metrics/kpis.hpp"
#include "report/fraud_labels_csv.hpp"
#include "report/kpi_csv.hpp"
#include "report/kpi_format.hpp"
#include "report/output_directory.hpp"
#include "report/report_html.hpp"
#include "report/run_outputs.hpp"
#include "report/segments_csv.hpp"
#include "report/summary_json.hpp"
#include "scenario/scenario_json.hpp"
#include "version.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A fresh directory under the system temp directory, removed with everything in it afterwards.
class TempDirectory {
 public:
  TempDirectory() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("p2psim_test_" + std::to_string(::getpid()) + "_" + test->name());
    fs::remove_all(path_);
  }
  ~TempDirectory() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<std::string> file_names(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Two replications, written by hand so the CSV text can be checked exactly.
std::vector<ReplicationKpis> hand_built_kpis() {
  return {
      {0,
       {{"NG", {{"orders_created", 3.0}, {"completion_rate", 0.1}}},
        {"all", {{"gmv_usd", 1234567.25}}}}},
      {1, {{"NG", {{"orders_created", 5.0}, {"fraud_loss_usd.method.cash, in person", 2.5}}}}},
  };
}

TEST(CsvField, LeavesPlainTextUnquoted) {
  EXPECT_EQ(csv_field("fraud_loss_usd.method.bank_transfer"),
            "fraud_loss_usd.method.bank_transfer");
  EXPECT_EQ(csv_field(""), "");
}

TEST(CsvField, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(csv_field("cash, in person"), "\"cash, in person\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

TEST(CsvNumber, WritesShortestRoundTripText) {
  EXPECT_EQ(csv_number(3.0), "3");
  EXPECT_EQ(csv_number(0.1), "0.1");
  EXPECT_EQ(csv_number(1234567.25), "1234567.25");
  EXPECT_EQ(csv_number(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(std::stod(csv_number(2.0 / 3.0)), 2.0 / 3.0);
  EXPECT_EQ(csv_number(kNaN), "");
}

TEST(KpisCsv, WritesExactHeaderAndRows) {
  EXPECT_EQ(kpis_csv(hand_built_kpis()),
            "replication,market,kpi,value\n"
            "0,NG,orders_created,3\n"
            "0,NG,completion_rate,0.1\n"
            "0,all,gmv_usd,1234567.25\n"
            "1,NG,orders_created,5\n"
            "1,NG,\"fraud_loss_usd.method.cash, in person\",2.5\n");
}

TEST(DailyCsv, WritesExactHeaderAndRows) {
  std::vector<DayKpis> days = {
      {0, 2, {{"NG", {{"orders_created", 7.0}}}, {"all", {{"orders_created", 9.0}}}}},
      {0, 3, {{"NG", {{"completion_rate", 0.25}}}}},
  };
  EXPECT_EQ(daily_csv(days),
            "replication,day,market,kpi,value\n"
            "0,2,NG,orders_created,7\n"
            "0,2,all,orders_created,9\n"
            "0,3,NG,completion_rate,0.25\n");
}

TEST(DailyCsv, StreamingWriterMatchesMaterialisedDays) {
  RunResult result = hand_built_run(2);
  std::ostringstream streamed;
  write_daily_csv(streamed, result);
  EXPECT_EQ(streamed.str(), daily_csv(daily_kpis(result)));
}

TEST(SummaryJson, WritesScenarioHashSeedAndEstimates) {
  RunResult result = hand_built_run(3);
  nlohmann::ordered_json json = summary_json(result, summarize_run(result));
  EXPECT_EQ(json["p2psim_version"], kVersion);
  EXPECT_EQ(json["scenario_hash"], scenario_hash(result.scenario));
  EXPECT_EQ(json["scenario"], scenario_json(result.scenario));
  EXPECT_EQ(json["seed"], 42);
  EXPECT_EQ(json["replications"], 3);
  const auto& orders = json["kpis"]["KE"]["orders_created"];
  EXPECT_EQ(orders["replications"], 3);
  EXPECT_LT(orders["low"].get<double>(), orders["mean"].get<double>());
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items())
    keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"p2psim_version", "scenario", "scenario_hash", "seed",
                                            "replications", "kpis", "execution"}));
}

TEST(SummaryJson, WritesMissingIntervalAsNull) {
  RunResult result = hand_built_run(1);
  std::string text = summary_json_text(result, summarize_run(result));
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find("NaN"), std::string::npos);
  nlohmann::json json = nlohmann::json::parse(text);
  const auto& orders = json["kpis"]["NG"]["orders_created"];
  EXPECT_TRUE(orders["low"].is_null());
  EXPECT_TRUE(orders["high"].is_null());
  EXPECT_TRUE(orders["mean"].is_number());
  EXPECT_EQ(orders["replications"], 1);
}

TEST(SummaryJson, WritesExecutionBlock) {
  RunResult result = hand_built_run(2);  // 4 threads, 2 seconds, 1000 + 1001 orders
  nlohmann::ordered_json execution = summary_json(result, summarize_run(result))["execution"];
  EXPECT_EQ(execution["threads"], 4);
  EXPECT_EQ(execution["wall_seconds"], 2.0);
  EXPECT_EQ(execution["peak_memory_bytes"], 123456789);
  EXPECT_EQ(execution["orders_simulated"], 2001);
  EXPECT_EQ(execution["events_processed"], 20001);
  EXPECT_DOUBLE_EQ(execution["orders_per_second"].get<double>(), 2001.0 / 2.0);
  // Only 2 of the 4 threads had a replication to run.
  EXPECT_DOUBLE_EQ(execution["orders_per_second_per_thread"].get<double>(), 2001.0 / 2.0 / 2.0);
}

TEST(SummaryJson, IsIdenticalOutsideExecutionWhateverTheThreads) {
  RunResult one_thread = hand_built_run(3);
  one_thread.threads = 1;
  one_thread.wall_seconds = 9.5;
  one_thread.peak_memory_bytes = 1000;
  RunResult many_threads = hand_built_run(3);
  many_threads.threads = 16;
  nlohmann::ordered_json first = summary_json(one_thread, summarize_run(one_thread));
  nlohmann::ordered_json second = summary_json(many_threads, summarize_run(many_threads));
  EXPECT_NE(first["execution"], second["execution"]);
  first.erase("execution");
  second.erase("execution");
  EXPECT_EQ(first.dump(2), second.dump(2));
}

TEST(OutputDirectory, CommitLeavesEveryFileAndNoPartial) {
  TempDirectory temp;
  fs::path directory = temp.path() / "nested" / "run";
  {
    OutputDirectory output(directory);
    output.write("a.txt", "alpha\n");
    output.open("b.txt") << "beta\n";
    // Staged under names of this process's own, so that no other run's can collide with them.
    const std::string pid = std::to_string(::getpid());
    EXPECT_EQ(file_names(directory),
              (std::vector<std::string>{"a.txt." + pid + ".partial", "b.txt." + pid + ".partial"}));
    output.commit();
  }
  EXPECT_EQ(file_names(directory), (std::vector<std::string>{"a.txt", "b.txt"}));
  EXPECT_EQ(read_text(directory / "a.txt"), "alpha\n");
  EXPECT_EQ(read_text(directory / "b.txt"), "beta\n");
}

TEST(OutputDirectory, LeavesNoFilesWhenAbandonedMidway) {
  TempDirectory temp;
  fs::path directory = temp.path() / "run";
  EXPECT_THROW(
      {
        OutputDirectory output(directory);
        output.write("a.txt", "alpha\n");
        output.open("b.txt") << "half of b";
        throw std::runtime_error("simulated failure");
      },
      std::runtime_error);
  // The directory was created for this output only, so it goes too.
  EXPECT_FALSE(fs::exists(directory));
}

TEST(OutputDirectory, KeepsPreviousFilesWhenAbandoned) {
  TempDirectory temp;
  fs::create_directories(temp.path());
  std::ofstream(temp.path() / "a.txt") << "previous\n";
  {
    OutputDirectory output(temp.path());
    output.write("a.txt", "replacement\n");
  }
  EXPECT_EQ(file_names(temp.path()), (std::vector<std::string>{"a.txt"}));
  EXPECT_EQ(read_text(temp.path() / "a.txt"), "previous\n");
}

TEST(OutputDirectory, ReportsPathAndReasonWhenDirectoryCannotBeCreated) {
  TempDirectory temp;
  fs::create_directories(temp.path());
  std::ofstream(temp.path() / "plain_file") << "x";
  fs::path directory = temp.path() / "plain_file" / "run";
  try {
    OutputDirectory output(directory);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find(directory.string()), std::string::npos) << message;
    EXPECT_NE(message.find("Not a directory"), std::string::npos) << message;
  }
}

TEST(OutputDirectory, RejectsNamesOutsideTheDirectory) {
  TempDirectory temp;
  OutputDirectory output(temp.path());
  EXPECT_THROW(output.write("../escape.txt", "x"), std::invalid_argument);
  EXPECT_THROW(output.write("", "x"), std::invalid_argument);
}

TEST(WriteRunOutputs, WritesTheSixFilesAsTheWritersFormatThem) {
  TempDirectory temp;
  RunResult result = hand_built_run(2);
  RunSummary summary = write_run_outputs(result, temp.path());
  EXPECT_EQ(file_names(temp.path()),
            (std::vector<std::string>{"daily.csv", "fraud_labels.csv", "kpis.csv", "report.html",
                                      "segments.csv", "summary.json"}));
  EXPECT_EQ(read_text(temp.path() / "segments.csv"), segments_csv(summary.estimates));
  EXPECT_EQ(read_text(temp.path() / "report.html"), report_html(result, summary));
  EXPECT_EQ(read_text(temp.path() / "fraud_labels.csv"), fraud_labels_csv(result));
  EXPECT_EQ(read_text(temp.path() / "kpis.csv"), kpis_csv(summary.replications));
  EXPECT_EQ(read_text(temp.path() / "daily.csv"), daily_csv(daily_kpis(result)));
  EXPECT_EQ(read_text(temp.path() / "summary.json"), summary_json_text(result, summary));
}

// Only KPIs named <kpi>.<dimension>.<value> for a segment dimension, split into their parts.
TEST(SegmentsCsv, ReshapesSegmentKpisAndLeavesTheRestOut) {
  const Estimate estimate{.mean = 0.5, .low = 0.25, .high = 0.75, .count = 3};
  const std::vector<MarketEstimates> estimates = {
      {"ng",
       {{"catch_rate", estimate},
        {"catch_rate.kyc_tier.0", estimate},
        {"false_positive_rate.account_age.7-30", estimate},
        {"fraud_loss_usd.method.card_transfer", estimate},
        {"fraud_loss_usd.bearer.merchant", estimate},
        {"fraud_attempts.typology.non_payment", estimate}}}};
  EXPECT_EQ(segments_csv(estimates),
            "market,dimension,value,kpi,replications,mean,low,high\n"
            "ng,kyc_tier,0,catch_rate,3,0.5,0.25,0.75\n"
            "ng,account_age,7-30,false_positive_rate,3,0.5,0.25,0.75\n"
            "ng,method,card_transfer,fraud_loss_usd,3,0.5,0.25,0.75\n"
            "ng,typology,non_payment,fraud_attempts,3,0.5,0.25,0.75\n");
}

// One revealed and one never-revealed label: days are whole days since the start of the run,
// markets and methods are named, and a label never revealed has empty last columns.
TEST(FraudLabelsCsv, ListsEachFraudOrderWithItsRevelation) {
  RunResult result = hand_built_run(2);
  result.replications[0].fraud_labels.push_back(
      FraudLabel{.order = 17,
                 .market = 1,
                 .typology = static_cast<std::uint8_t>(FraudTypology::kPaymentReversal),
                 .payment_method = 1,
                 .created_at = 2.5 * kDay,
                 .revealed_at = 9.25 * kDay,
                 .revealed_by = RevealedBy::kReversal});
  result.replications[1].fraud_labels.push_back(
      FraudLabel{.order = 3,
                 .market = 0,
                 .typology = static_cast<std::uint8_t>(FraudTypology::kMuleStructuring),
                 .created_at = 0.5 * kDay});
  EXPECT_EQ(fraud_labels_csv(result),
            "order,replication,market,typology,payment_method,created_day,revealed_day,"
            "revealed_by\n"
            "17,0,KE,payment_reversal,mobile_money,2,9,reversal\n"
            "3,1,NG,mule_structuring,bank_transfer,0,,\n");
}

TEST(WriteRunOutputs, WritesNothingWhenOneFileFails) {
  TempDirectory temp;
  // A directory where summary.json's staged file must go makes the last file fail to open.
  const std::string blocker = "summary.json." + std::to_string(::getpid()) + ".partial";
  fs::create_directories(temp.path() / blocker);
  EXPECT_THROW(write_run_outputs(hand_built_run(2), temp.path()), std::runtime_error);
  EXPECT_EQ(file_names(temp.path()), (std::vector<std::string>{blocker}));
  EXPECT_TRUE(fs::is_directory(temp.path() / blocker));
}

TEST(OutputDirectory, ASecondRunOnTheSameFolderIsRefusedAtOnce) {
  TempDirectory temp;
  const fs::path directory = temp.path() / "run";
  {
    OutputDirectory first(directory);
    first.write("kpis.csv", "first\n");
    try {
      OutputDirectory second(directory);
      FAIL() << "a second writer of the folder was let in";
    } catch (const std::runtime_error& error) {
      EXPECT_EQ(std::string(error.what()),
                "cannot write output directory '" + directory.string() +
                    "': another p2psim run is writing it; wait for that run to end or choose "
                    "another --out");
    }
    first.commit();
  }
  EXPECT_EQ(read_text(directory / "kpis.csv"), "first\n");
  // Once the first is done, the folder is free again.
  EXPECT_NO_THROW(OutputDirectory{directory});
}

TEST(OutputDirectory, RemovesWhatAKilledRunLeftStaged) {
  TempDirectory temp;
  fs::create_directories(temp.path());
  std::ofstream(temp.path() / "daily.csv.4242.partial") << "half a row";
  std::ofstream(temp.path() / "kpis.csv") << "an earlier complete result\n";
  {
    OutputDirectory output(temp.path());
    output.write("summary.json", "{}\n");
    output.commit();
  }
  EXPECT_EQ(file_names(temp.path()), (std::vector<std::string>{"kpis.csv", "summary.json"}));
}

TEST(FormatKpiNumber, FormatsByUnit) {
  EXPECT_EQ(format_kpi_number(1234567.6, "count"), "1,234,568");
  EXPECT_EQ(format_kpi_number(12.34, "count"), "12.3");
  EXPECT_EQ(format_kpi_number(12.0, "count"), "12");
  EXPECT_EQ(format_kpi_number(0.97534, "ratio"), "97.53%");
  EXPECT_EQ(format_kpi_number(1234567.891, "usd"), "1,234,567.89");
  EXPECT_EQ(format_kpi_number(-1234.5, "usd"), "-1,234.50");
  EXPECT_EQ(format_kpi_number(-0.001, "usd"), "0.00");
  EXPECT_EQ(format_kpi_number(12.345, "bps"), "12.3");
  EXPECT_EQ(format_kpi_number(7.126, "minutes"), "7.13");
  EXPECT_EQ(format_kpi_number(kNaN, "usd"), "n/a");
}

TEST(FormatEstimate, ShowsIntervalOrItsAbsence) {
  EXPECT_EQ(format_estimate({0.5, 0.25, 0.75, 3}, "ratio", 3), "50.00% [25.00%, 75.00%]");
  EXPECT_EQ(format_estimate({2500.0, kNaN, kNaN, 1}, "usd", 1), "2,500.00 [n/a]");
  EXPECT_EQ(format_estimate({1.5, 1.0, 2.0, 2}, "hours", 3), "1.50 [1.00, 2.00] (n=2)");
  EXPECT_EQ(format_estimate({7.0, 7.0, 7.0, 3}, "count", 3), "7 [7, 7]");
  EXPECT_EQ(format_estimate({7.0, 6.5, 7.5, 3}, "count", 3), "7.0 [6.5, 7.5]");
}

}  // namespace
}  // namespace p2psim
