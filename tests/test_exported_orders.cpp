// Reading a labelled export back: rows and replications as written, and every malformed input
// an error that names the file, the line and what is wrong.
#include "lab/exported_orders.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "report/export_files.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;

fs::path fresh_directory(const std::string& name) {
  fs::path directory = fs::temp_directory_path() /
                       ("p2psim_exported_orders_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

const std::vector<std::string>& header_columns() {
  static const std::vector<std::string> columns = [] {
    std::string header = orders_export_header();
    header.pop_back();  // '\n'
    std::vector<std::string> names;
    std::stringstream stream(header);
    for (std::string name; std::getline(stream, name, ',');)
      names.push_back(name);
    return names;
  }();
  return columns;
}

// A row in the export's column order: the given values, every feature set to `feature` (or
// left empty), the rest empty.
std::string row(const std::map<std::string, std::string>& values, const std::string& feature) {
  std::string line;
  for (const std::string& column : header_columns()) {
    if (&column != &header_columns().front()) line += ',';
    const auto found = values.find(column);
    if (found != values.end()) {
      line += found->second;
    } else if (column.rfind("feature_", 0) == 0) {
      line += feature;
    }
  }
  return line + "\n";
}

std::map<std::string, std::string> order(const std::string& replication, const std::string& day) {
  return {{"replication", replication},
          {"attempt", "1"},
          {"order", "1"},
          {"day", day},
          {"market", "ng"},
          {"payment_method", "bank_transfer"},
          {"amount_usd", "120.5"},
          {"outcome", "completed"},
          {"loss_usd", "0"},
          {"is_fraud", "0"}};
}

void write_gzip(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
}

std::string error_of(const fs::path& folder) {
  try {
    read_exported_orders(folder);
  } catch (const ExportInputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ExportedOrders, KeepsRowsWithFeaturesAndCountsEveryAttempt) {
  const fs::path folder = fresh_directory("rows");
  std::map<std::string, std::string> fraud = order("0", "3");
  fraud["is_fraud"] = "1";
  fraud["typology"] = "non_payment";
  fraud["revealed_day"] = "5";
  fraud["loss_usd"] = "80.25";
  std::map<std::string, std::string> unmatched = order("0", "4");
  unmatched["order"] = "";
  unmatched["payment_method"] = "";
  unmatched["outcome"] = "unmatched";
  write_gzip(
      folder / "replication-0" / kOrdersExportFile,
      orders_export_header() + row(order("0", "2"), "7") + row(fraud, "1.5") + row(unmatched, ""));
  const ExportedOrders orders = read_exported_orders(folder);
  EXPECT_EQ(orders.attempts_read, 3u);
  ASSERT_EQ(orders.rows(), 2u);
  EXPECT_EQ(orders.first_day, 2);
  EXPECT_EQ(orders.last_day, 3);
  EXPECT_EQ(orders.feature_count(), orders.feature_names.size());
  EXPECT_EQ(orders.feature_names.front(), "account_age_days");
  EXPECT_EQ(orders.feature(0, 0), 7.0);
  EXPECT_EQ(orders.feature(1, orders.feature_count() - 1), 1.5);
  EXPECT_EQ(orders.markets.name(orders.market[1]), "ng");
  EXPECT_EQ(orders.typologies.name(orders.typology[0]), "");
  EXPECT_EQ(orders.typologies.name(orders.typology[1]), "non_payment");
  EXPECT_EQ(orders.revealed_day[0], -1);
  EXPECT_EQ(orders.revealed_day[1], 5);
  EXPECT_EQ(orders.loss_usd[1], 80.25);
  EXPECT_EQ(orders.amount_usd[0], 120.5);
  EXPECT_FALSE(orders.known_fraud(1, 4));  // revealed on day 5
  EXPECT_TRUE(orders.known_fraud(1, 5));
}

TEST(ExportedOrders, ReadsReplicationsInNumericOrder) {
  const fs::path folder = fresh_directory("replications");
  for (const char* replication : {"10", "2", "0"}) {
    write_gzip(folder / (std::string("replication-") + replication) / kOrdersExportFile,
               orders_export_header() + row(order(replication, "1"), "1"));
  }
  const ExportedOrders orders = read_exported_orders(folder);
  ASSERT_EQ(orders.rows(), 3u);
  EXPECT_EQ(orders.replication, (std::vector<std::uint32_t>{0, 2, 10}));
}

TEST(ExportedOrders, AcceptsOneReplicationsFolder) {
  const fs::path folder = fresh_directory("one");
  write_gzip(folder / kOrdersExportFile, orders_export_header() + row(order("0", "1"), "1"));
  EXPECT_EQ(read_exported_orders(folder).rows(), 1u);
}

TEST(ExportedOrders, MissingFolderIsAnError) {
  const fs::path folder = fresh_directory("missing") / "export";
  EXPECT_EQ(error_of(folder),
            folder.string() +
                ": no such folder (an export is written by p2psim run SCENARIO --export orders, "
                "to <out>/export)");
}

TEST(ExportedOrders, FolderWithoutAnOrdersTableIsAnError) {
  const fs::path folder = fresh_directory("empty");
  fs::create_directories(folder / "replication-0");
  EXPECT_EQ(error_of(folder), (folder / "replication-0" / kOrdersExportFile).string() +
                                  ": missing: the export has no orders table for this replication "
                                  "(run with --export orders)");
  fs::remove_all(folder / "replication-0");
  EXPECT_NE(error_of(folder).find("no replication-<n>/orders.csv.gz in this folder"),
            std::string::npos);
}

TEST(ExportedOrders, TruncatedFileIsAnError) {
  const fs::path folder = fresh_directory("truncated");
  const fs::path file = folder / "replication-0" / kOrdersExportFile;
  std::string rows = orders_export_header();
  for (int day = 0; day < 2000; ++day)
    rows += row(order("0", std::to_string(day)), std::to_string(day * 7919 % 1000));
  write_gzip(file, rows);
  fs::resize_file(file, fs::file_size(file) / 2);
  const std::string error = error_of(folder);
  EXPECT_EQ(error.rfind(file.string() + ": ", 0), 0u) << error;
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
}

TEST(ExportedOrders, MissingColumnIsAnError) {
  const fs::path folder = fresh_directory("column");
  const fs::path file = folder / "replication-0" / kOrdersExportFile;
  write_gzip(file, "replication,attempt,order,day,market\n0,1,1,0,ng\n");
  EXPECT_EQ(error_of(folder), file.string() +
                                  ": line 1: no column \"payment_method\": this is not an orders "
                                  "export of p2psim run --export orders (docs/risk-models.md lists "
                                  "its columns)");
}

TEST(ExportedOrders, BadValueNamesLineColumnAndWhatWasFound) {
  const fs::path folder = fresh_directory("value");
  const fs::path file = folder / "replication-0" / kOrdersExportFile;
  write_gzip(file, orders_export_header() + row(order("0", "1"), "1") + row(order("0", "x"), "1"));
  EXPECT_EQ(error_of(folder),
            file.string() + ": line 3, column 5 (day): expected a whole number, found \"x\"");
}

TEST(ExportedOrders, RowWithSomeFeaturesEmptyIsAnError) {
  const fs::path folder = fresh_directory("features");
  const fs::path file = folder / "replication-0" / kOrdersExportFile;
  std::map<std::string, std::string> values = order("0", "1");
  values["feature_kyc_tier"] = "";
  write_gzip(file, orders_export_header() + row(values, "1"));
  const auto features =
      std::count_if(header_columns().begin(), header_columns().end(),
                    [](const std::string& column) { return column.rfind("feature_", 0) == 0; });
  EXPECT_EQ(error_of(folder), file.string() + ": line 2: 1 of the " + std::to_string(features) +
                                  " feature_ columns are empty: a row has all its features or "
                                  "none");
}

TEST(ExportedOrders, RowWithMissingColumnsIsAnError) {
  const fs::path folder = fresh_directory("short");
  const fs::path file = folder / "replication-0" / kOrdersExportFile;
  write_gzip(file, orders_export_header() + "0,1,1\n");
  EXPECT_EQ(error_of(folder), file.string() + ": line 2: expected " +
                                  std::to_string(header_columns().size()) +
                                  " columns as in the header, found 3");
}

}  // namespace
}  // namespace p2psim
