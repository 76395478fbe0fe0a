// Tests of the export files (report/export_files.hpp): gzip CSV whose every row has the header's
// columns, blanks for what is not known, and nothing in place until the export is committed.
#include "report/export_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gzip_text.hpp"
#include "scenario/scenario_loader.hpp"
#include "world/world.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;

fs::path fresh_directory(const std::string& name) {
  fs::path directory =
      fs::temp_directory_path() / ("p2psim_export_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(directory);
  return directory;
}

std::vector<std::string> gunzip_lines(const fs::path& path) {
  std::vector<std::string> lines;
  std::istringstream in(gunzip(path));
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(line);
  while (std::getline(in, part, ','))
    parts.push_back(part);
  if (!line.empty() && line.back() == ',') parts.emplace_back();
  return parts;
}

WorldConfig one_market() {
  WorldConfig config;
  MarketConfig market;
  market.code = "ng";
  market.payment_methods = {{.name = "bank"}, {.name = "card"}};
  config.markets.push_back(market);
  return config;
}

std::string column(const std::vector<std::string>& header, const std::vector<std::string>& row,
                   const std::string& name) {
  const auto at = std::find(header.begin(), header.end(), name);
  EXPECT_NE(at, header.end()) << name;
  return row.at(static_cast<std::size_t>(at - header.begin()));
}

TEST(ExportFiles, RowsHaveTheHeadersColumnsAndBlanksForTheUnknown) {
  const fs::path out = fresh_directory("rows");
  const WorldConfig config = one_market();
  ExportDirectory directory(out, ExportTables{.orders = true, .accounts = true});
  std::unique_ptr<ReplicationExport> files = directory.open(config, 3);
  AttemptRow unmatched{.attempt = 1, .user = UserId(7), .usd = 25.5};
  unmatched.outcome = AttemptOutcome::kUnmatched;
  AttemptRow completed{.attempt = 2, .order = 1, .user = UserId(8), .merchant = MerchantId(2)};
  completed.payment_method = 1;
  completed.intent = UserIntent(FraudTypology::kNonPayment);
  completed.has_features = true;
  completed.features[RiskFeature::kAccountAgeDays] = 0.25;
  completed.outcome = AttemptOutcome::kCompleted;
  completed.loss_usd[static_cast<int>(LossBearer::kMerchant)] = 40.0;
  completed.revealed_at = 2.5 * kDay;
  completed.revealed_by = RevealedBy::kAppeal;
  files->write(unmatched);
  files->write(completed);
  files->write(AccountRow{.user = UserId(8), .created_day = -3.5, .intent = completed.intent});
  files->close();
  directory.commit();

  const fs::path folder = out / "export" / "replication-3";
  const std::vector<std::string> orders = gunzip_lines(folder / kOrdersExportFile);
  ASSERT_EQ(orders.size(), 3u);
  const std::vector<std::string> header = fields(orders[0]);
  EXPECT_EQ(orders[0] + "\n", orders_export_header());
  for (std::size_t line = 1; line < orders.size(); ++line)
    EXPECT_EQ(fields(orders[line]).size(), header.size()) << orders[line];
  const std::vector<std::string> first = fields(orders[1]);
  EXPECT_EQ(column(header, first, "replication"), "3");
  EXPECT_EQ(column(header, first, "order"), "");  // none was created
  EXPECT_EQ(column(header, first, "merchant"), "");
  EXPECT_EQ(column(header, first, "payment_method"), "");
  EXPECT_EQ(column(header, first, "feature_account_age_days"), "");
  EXPECT_EQ(column(header, first, "outcome"), "unmatched");
  EXPECT_EQ(column(header, first, "is_fraud"), "0");
  const std::vector<std::string> second = fields(orders[2]);
  EXPECT_EQ(column(header, second, "payment_method"), "card");
  EXPECT_EQ(column(header, second, "feature_account_age_days"), "0.25");
  EXPECT_EQ(column(header, second, "loss_usd"), "40");
  EXPECT_EQ(column(header, second, "loss_merchant_usd"), "40");
  EXPECT_EQ(column(header, second, "typology"), "non_payment");
  EXPECT_EQ(column(header, second, "revealed_day"), "2");
  EXPECT_EQ(column(header, second, "revealed_by"), "appeal");

  const std::vector<std::string> accounts = gunzip_lines(folder / kAccountsExportFile);
  ASSERT_EQ(accounts.size(), 2u);
  const std::vector<std::string> account_header = fields(accounts[0]);
  const std::vector<std::string> account = fields(accounts[1]);
  EXPECT_EQ(account.size(), account_header.size());
  EXPECT_EQ(column(account_header, account, "created_day"), "-3.5");
  EXPECT_EQ(column(account_header, account, "first_order_day"), "");
  EXPECT_EQ(column(account_header, account, "typology"), "non_payment");
}

// Reads the policy's inputs back from the file, as a team re-scoring its export would, and asks
// the scenario's own policy again: every logged decision follows from the exported features.
TEST(ExportFiles, DecisionsFollowFromTheFeaturesReadBackFromTheFile) {
  const Scenario scenario =
      load_scenario(P2PSIM_SOURCE_DIR "/scenarios/examples/manual_review.toml");
  const fs::path out = fresh_directory("decisions");
  ExportDirectory directory(out, ExportTables{.orders = true});
  {
    std::unique_ptr<ReplicationExport> files = directory.open(scenario.world, 0);
    World world(scenario.world, 0, files.get());
    world.run();
    files->close();
  }
  directory.commit();
  const std::vector<std::string> lines =
      gunzip_lines(out / "export" / "replication-0" / kOrdersExportFile);
  const std::vector<std::string> header = fields(lines.at(0));
  auto features_of = [&](const std::vector<std::string>& row, const std::string& prefix) {
    OrderFeatures features;
    for (int f = 0; f < kRiskFeatureCount; ++f) {
      features.values[f] = std::stod(column(header, row, prefix + kRiskFeatureNames[f]));
    }
    return features;
  };
  const RiskPolicy& policy = *scenario.world.markets[0].risk;
  std::uint64_t screened = 0;
  std::uint64_t acted = 0;
  std::uint64_t asked_at_mark_paid = 0;
  for (std::size_t line = 1; line < lines.size(); ++line) {
    const std::vector<std::string> row = fields(lines[line]);
    if (column(header, row, "screened") == "1") {
      const RiskDecision decision =
          policy.decide(RiskStage::kOrderCreation, features_of(row, "feature_"));
      ASSERT_EQ(export_action_name(decision.action), column(header, row, "creation_decision"))
          << lines[line];
      ASSERT_EQ(policy.reason_name(decision.reason), column(header, row, "creation_reason"));
      ++screened;
      acted += decision.action != RiskAction::kAllow;
    }
    if (column(header, row, "asked_at_mark_paid") == "1") {
      const RiskDecision decision =
          policy.decide(RiskStage::kMarkPaid, features_of(row, "mark_paid_feature_"));
      const double hold = decision.action == RiskAction::kHold ? decision.hold_minutes : 0.0;
      ASSERT_EQ(hold, std::stod(column(header, row, "hold_minutes"))) << lines[line];
      ++asked_at_mark_paid;
    }
  }
  EXPECT_GT(screened, 1000u);
  EXPECT_GT(acted, 50u);  // reviews and limits: not only allows were compared
  EXPECT_GT(asked_at_mark_paid, 0u);
}

TEST(ExportFiles, NothingIsInPlaceUntilCommittedAndNothingStaysWithoutIt) {
  const fs::path out = fresh_directory("staged");
  const WorldConfig config = one_market();
  {
    ExportDirectory directory(out, ExportTables{.orders = true});
    std::unique_ptr<ReplicationExport> files = directory.open(config, 0);
    files->close();
    EXPECT_FALSE(fs::exists(out / "export" / "replication-0" / kOrdersExportFile));
    EXPECT_TRUE(fs::exists(out / "export" / "replication-0" / "orders.csv.gz.partial"));
    EXPECT_FALSE(fs::exists(out / "export" / "replication-0" / "accounts.csv.gz.partial"));
  }  // an interrupted run: never committed
  EXPECT_FALSE(fs::exists(out / "export" / "replication-0" / "orders.csv.gz.partial"));
  EXPECT_FALSE(fs::exists(out / "export" / "replication-0" / kOrdersExportFile));
}

TEST(ExportFiles, AFolderThatCannotBeCreatedIsNamed) {
  const fs::path out = fresh_directory("blocked");
  fs::create_directories(out);
  { std::ofstream(out / "export") << "a file where the folder should go"; }
  ExportDirectory directory(out, ExportTables{.orders = true});
  try {
    directory.open(one_market(), 0);
    FAIL() << "opened";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find((out / "export").string()), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace p2psim
