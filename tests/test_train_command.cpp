// `p2psim train` end to end: on the export of a scenario with a planted signal it finds the
// signal, writes a fragment a scenario can include, writes the same files twice, and every bad
// input exits with 1, names the problem and writes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "command_process.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;
using end_to_end::fresh_directory;
using end_to_end::kSource;
using end_to_end::run_p2psim;
using end_to_end::slurp;

// The export of tests/scenarios/planted_card_fraud.toml, made once for the suite.
class TrainCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = fresh_directory("p2psim_train", "suite");
    const end_to_end::Outcome run =
        run_p2psim("run " + (kSource / "tests/scenarios/planted_card_fraud.toml").string() +
                   " --export orders -q --out " + (folder_ / "run").string());
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  static fs::path export_dir() { return folder_ / "run" / "export"; }
  static end_to_end::Outcome train(const std::string& arguments, const fs::path& out) {
    return run_p2psim("train " + export_dir().string() + " -q --out " + out.string() + " " +
                      arguments);
  }
  static fs::path folder_;
};
fs::path TrainCommand::folder_;

TEST_F(TrainCommand, FindsThePlantedSignal) {
  const fs::path out = folder_ / "planted";
  const end_to_end::Outcome trained = train("", out);
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  const nlohmann::json model = nlohmann::json::parse(slurp(out / "model.json"));
  std::string strongest;
  double largest = 0.0;
  for (const auto& [feature, weight] : model["model"]["weights"].items()) {
    const double size = std::abs(weight["standardised_weight"].get<double>());
    if (size > largest) {
      largest = size;
      strongest = feature;
    }
  }
  // Payment-reversal fraud pays by card, which only 1% of genuine users use.
  EXPECT_EQ(strongest, "payment_method");
  EXPECT_GT(model["evaluations"][0]["roc_auc"].get<double>(), 0.95);
}

TEST_F(TrainCommand, WritesAFragmentAScenarioIncludes) {
  const fs::path out = folder_ / "fragment";
  ASSERT_EQ(train("--action block --capacity 20", out).exit_code, 0);
  const std::string fragment = slurp(out / "score.toml");
  EXPECT_NE(fragment.find("[markets.ng.risk.score]\n"), std::string::npos) << fragment;
  EXPECT_NE(fragment.find("\nblock_above = "), std::string::npos) << fragment;
  const fs::path challenger = folder_ / "challenger.toml";
  std::ofstream(challenger) << "name = \"challenger\"\ninclude = [\""
                            << (kSource / "tests/scenarios/planted_card_fraud.toml").string()
                            << "\", \"" << (out / "score.toml").string()
                            << "\"]\n[markets.ng.risk]\nstrategies = [\"score\"]\n";
  const end_to_end::Outcome validated = run_p2psim("validate " + challenger.string());
  EXPECT_EQ(validated.exit_code, 0) << validated.output;
  const end_to_end::Outcome ran =
      run_p2psim("run " + challenger.string() + " -q --out " + (folder_ / "challenger").string());
  EXPECT_EQ(ran.exit_code, 0) << ran.output;
}

TEST_F(TrainCommand, SameExportGivesByteIdenticalFiles) {
  ASSERT_EQ(train("", folder_ / "first").exit_code, 0);
  ASSERT_EQ(train("", folder_ / "second").exit_code, 0);
  for (const char* file : {"score.toml", "model.json", "model.html", "test_scores.csv.gz"}) {
    EXPECT_EQ(slurp(folder_ / "first" / file), slurp(folder_ / "second" / file)) << file;
  }
}

// Exit code 1, the message on stderr, and no output folder.
void expect_refused(const end_to_end::Outcome& outcome, const fs::path& out,
                    const std::string& message) {
  EXPECT_EQ(outcome.exit_code, 1) << outcome.output;
  EXPECT_EQ(outcome.output, "error: " + message + "\n");
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(TrainCommand, BadOptionsExitWithOneAndWriteNothing) {
  const fs::path out = folder_ / "refused";
  expect_refused(train("--features payment_metod", out), out,
                 "--features: unknown feature \"payment_metod\" (did you mean "
                 "\"payment_method\"?); the export's features are account_age_days, kyc_tier, "
                 "amount_usd, payment_method, side, completed_orders, cancelled_orders_today, "
                 "device_cluster_size, accounts_on_device, orders_last_24h, hour_of_day, "
                 "merchant_completion_rate, market, usd_today, merchant_tier, "
                 "days_since_device_change");
  expect_refused(train("--train-days 5:9 --label-day 3", out), out,
                 "--label-day 3 is before the train window (days 5-9): on that day the platform "
                 "knows no label of an order in it");
  expect_refused(train("--train-days 40:50 --test-days 10:19", out), out,
                 "the train window (days 40-50) of market ng holds no order; the market's orders "
                 "are on days 0-19");
  expect_refused(train("--market br", out), out,
                 "--market br: not in the export, whose markets are ng");
}

TEST_F(TrainCommand, MissingOrTruncatedExportExitsWithOneAndWritesNothing) {
  const fs::path out = folder_ / "refused_export";
  const fs::path missing = folder_ / "no_export";
  expect_refused(run_p2psim("train " + missing.string() + " -q --out " + out.string()), out,
                 missing.string() +
                     ": no such folder (an export is written by p2psim run SCENARIO --export "
                     "orders, to <out>/export)");
  const fs::path cut = folder_ / "cut" / "replication-0";
  fs::create_directories(cut);
  fs::copy_file(export_dir() / "replication-0" / "orders.csv.gz", cut / "orders.csv.gz");
  fs::resize_file(cut / "orders.csv.gz", fs::file_size(cut / "orders.csv.gz") / 3);
  const end_to_end::Outcome truncated =
      run_p2psim("train " + cut.parent_path().string() + " -q --out " + out.string());
  EXPECT_EQ(truncated.exit_code, 1) << truncated.output;
  EXPECT_EQ(truncated.output.rfind("error: " + (cut / "orders.csv.gz").string() + ": ", 0), 0u)
      << truncated.output;
  EXPECT_NE(truncated.output.find("truncated"), std::string::npos) << truncated.output;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(TrainCommand, MalformedWindowIsAUsageError) {
  const end_to_end::Outcome outcome = train("--train-days 3-9", folder_ / "usage");
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.output.find("expected FIRST:LAST (days, e.g. 10:19), found \"3-9\""),
            std::string::npos)
      << outcome.output;
}

}  // namespace
}  // namespace p2psim
