// End-to-end checks of `p2psim profiles`: on an export with a planted signal it finds the
// signal, its files are byte-identical run to run, and bad options fail without writing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "command_process.hpp"

namespace {

namespace fs = std::filesystem;

using p2psim::end_to_end::kSource;
using p2psim::end_to_end::Outcome;
using p2psim::end_to_end::slurp;

fs::path fresh_directory(const std::string& name) {
  return p2psim::end_to_end::fresh_directory("p2psim_profiles", name);
}

Outcome run(const std::string& arguments) {
  return p2psim::end_to_end::run_p2psim(arguments);
}

// The export of the planted scenario: payment-reversal fraud, the only fraud, pays only by
// card_transfer, which 1% of genuine users use.
fs::path planted_export(const fs::path& directory) {
  const Outcome outcome =
      run("run " + (kSource / "tests/scenarios/planted_card_fraud.toml").string() +
          " --export orders --quiet --out " + directory.string());
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  return directory / "export";
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ','))
    fields.push_back(field);
  return fields;
}

TEST(ProfilesCommand, PlantedCardFraudIsTheTopSingleDimensionSegment) {
  const fs::path directory = fresh_directory("planted");
  const fs::path export_dir = planted_export(directory);
  // Support 100: fraud accounts also order fast, so velocity=3-9 holds a few dozen attempts
  // that are nearly all fraud; the planted segment is the method, hundreds of attempts.
  const Outcome outcome = run("profiles " + export_dir.string() + " --min-support 100 --out " +
                              (directory / "profiles").string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("payment_method=card_transfer"), std::string::npos)
      << outcome.output;

  std::stringstream csv(slurp(directory / "profiles" / "profiles.csv"));
  std::string line;
  std::getline(csv, line);
  const std::vector<std::string> header = split(line);
  ASSERT_EQ(header.size(), 14u) << line;
  ASSERT_EQ(header[0], "dimension");
  ASSERT_EQ(header[9], "lift");
  while (std::getline(csv, line)) {
    const std::vector<std::string> fields = split(line);
    ASSERT_EQ(fields.size(), 14u) << line;
    if (fields[0].find(" & ") != std::string::npos) continue;  // a pair
    // The rows are in rank-by-rate order: this is the single dimension with the highest rate.
    EXPECT_EQ(fields[0], "payment_method") << line;
    EXPECT_EQ(fields[1], "card_transfer") << line;
    // With fraud share f of all attempts and every fraud on card, the card rate is
    // f / (f + 0.01 (1 - f)) (genuine users pay by card 1% of the time): a lift of
    // 1 / (f + 0.01 (1 - f)), above 10 as long as f stays below 9%. The run has about 1.5%.
    EXPECT_GT(std::stod(fields[9]), 10.0) << line;
    fs::remove_all(directory);
    return;
  }
  FAIL() << "no single-dimension segment in profiles.csv";
}

TEST(ProfilesCommand, FilesAreByteIdenticalRunToRunAndGoBesideTheExportByDefault) {
  const fs::path directory = fresh_directory("repeat");
  const fs::path export_dir = planted_export(directory);
  // Default --out: the profiles folder beside the export.
  const Outcome first = run("profiles " + export_dir.string() + " --quiet");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_EQ(first.output, "");
  const Outcome second =
      run("profiles " + export_dir.string() + " --quiet --out " + (directory / "again").string());
  ASSERT_EQ(second.exit_code, 0) << second.output;
  for (const char* file : {"profiles.csv", "profiles.json", "profiles.html"}) {
    const std::string written = slurp(directory / "profiles" / file);
    EXPECT_GT(written.size(), 1000u) << file;
    EXPECT_EQ(written, slurp(directory / "again" / file)) << file;
  }
  fs::remove_all(directory);
}

TEST(ProfilesCommand, UnknownMarketExitsOneNamingTheMarketsAndWritesNothing) {
  const fs::path directory = fresh_directory("bad_market");
  const fs::path export_dir = planted_export(directory);
  const Outcome outcome = run("profiles " + export_dir.string() + " --market zz --out " +
                              (directory / "profiles").string());
  EXPECT_EQ(outcome.exit_code, 1) << outcome.output;
  EXPECT_NE(outcome.output.find("zz"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("ng"), std::string::npos) << outcome.output;
  EXPECT_FALSE(fs::exists(directory / "profiles"));
  fs::remove_all(directory);
}

TEST(ProfilesCommand, MinimumSupportAboveEverySegmentExitsOneAndWritesNothing) {
  const fs::path directory = fresh_directory("support");
  const fs::path export_dir = planted_export(directory);
  const Outcome outcome =
      run("profiles " + export_dir.string() + " --min-support 100000000 --out " +
          (directory / "profiles").string());
  EXPECT_EQ(outcome.exit_code, 1) << outcome.output;
  EXPECT_NE(outcome.output.find("--min-support"), std::string::npos) << outcome.output;
  EXPECT_FALSE(fs::exists(directory / "profiles"));
  fs::remove_all(directory);
}

TEST(ProfilesCommand, MissingExportExitsOne) {
  const fs::path directory = fresh_directory("missing");
  const Outcome outcome = run("profiles " + (directory / "nothing").string());
  EXPECT_EQ(outcome.exit_code, 1) << outcome.output;
  EXPECT_FALSE(fs::exists(directory / "profiles"));
  fs::remove_all(directory);
}

}  // namespace
