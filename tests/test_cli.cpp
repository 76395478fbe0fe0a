// End-to-end checks of the p2psim command: reproducible outputs, exit codes, and that failures
// and interruptions leave no result files behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "command_process.hpp"

namespace {

namespace fs = std::filesystem;

using p2psim::end_to_end::kBinary;
using p2psim::end_to_end::kSource;
using p2psim::end_to_end::Outcome;
using p2psim::end_to_end::slurp;

fs::path fresh_directory(const std::string& name) {
  return p2psim::end_to_end::fresh_directory("p2psim_cli", name);
}

Outcome run(const std::string& arguments) {
  return p2psim::end_to_end::run_p2psim(arguments);
}

// summary.json without its "execution" block, which describes how the run went (threads, wall
// time, memory), not what it produced.
std::string summary_without_execution(const fs::path& file) {
  std::string text = slurp(file);
  std::size_t start = text.find("\"execution\"");
  EXPECT_NE(start, std::string::npos);
  std::size_t end = text.find('}', start);
  return text.substr(0, start) + text.substr(end + 1);
}

std::string quickstart_arguments(const fs::path& out, int threads) {
  return "run " + (kSource / "scenarios/quickstart.toml").string() +
         " --replications 3 --seed 11 --quiet --threads " + std::to_string(threads) + " --out " +
         out.string();
}

void expect_same_outputs(const fs::path& a, const fs::path& b) {
  EXPECT_EQ(slurp(a / "kpis.csv"), slurp(b / "kpis.csv"));
  EXPECT_EQ(slurp(a / "daily.csv"), slurp(b / "daily.csv"));
  EXPECT_EQ(slurp(a / "fraud_labels.csv"), slurp(b / "fraud_labels.csv"));
  EXPECT_GT(slurp(a / "fraud_labels.csv").size(), 1000u);  // the quickstart has fraud
  EXPECT_EQ(slurp(a / "segments.csv"), slurp(b / "segments.csv"));
  EXPECT_GT(slurp(a / "segments.csv").size(), 500u);
  EXPECT_EQ(summary_without_execution(a / "summary.json"),
            summary_without_execution(b / "summary.json"));
  EXPECT_GT(slurp(a / "kpis.csv").size(), 1000u);
  // The report holds no time or host detail either: byte-identical too.
  EXPECT_EQ(slurp(a / "report.html"), slurp(b / "report.html"));
}

TEST(Cli, SameSeedGivesByteIdenticalOutputs) {
  fs::path root = fresh_directory("same_seed");
  ASSERT_EQ(run(quickstart_arguments(root / "first", 2)).exit_code, 0);
  ASSERT_EQ(run(quickstart_arguments(root / "second", 2)).exit_code, 0);
  expect_same_outputs(root / "first", root / "second");
}

TEST(Cli, OutputsDoNotDependOnThreadCount) {
  fs::path root = fresh_directory("threads");
  ASSERT_EQ(run(quickstart_arguments(root / "one", 1)).exit_code, 0);
  ASSERT_EQ(run(quickstart_arguments(root / "two", 2)).exit_code, 0);
  expect_same_outputs(root / "one", root / "two");
}

TEST(Cli, ExportWritesCompressedTablesAndChangesNoOtherOutput) {
  fs::path root = fresh_directory("export");
  ASSERT_EQ(run(quickstart_arguments(root / "plain", 2)).exit_code, 0);
  ASSERT_EQ(run(quickstart_arguments(root / "one", 1) + " --export orders,accounts").exit_code, 0);
  ASSERT_EQ(run(quickstart_arguments(root / "two", 2) + " --export orders,accounts").exit_code, 0);
  expect_same_outputs(root / "plain", root / "one");
  for (int replication = 0; replication < 3; ++replication) {
    const fs::path folder = fs::path("export") / ("replication-" + std::to_string(replication));
    for (const char* table : {"orders.csv.gz", "accounts.csv.gz"}) {
      const std::string one = slurp(root / "one" / folder / table);
      EXPECT_GT(one.size(), 10000u) << folder / table;
      // gzip's magic bytes, and the same bytes whatever the thread count.
      EXPECT_EQ(one.substr(0, 2), "\x1f\x8b");
      EXPECT_EQ(one, slurp(root / "two" / folder / table)) << folder / table;
    }
  }
  // Nothing staged is left behind.
  for (const auto& entry : fs::recursive_directory_iterator(root / "one")) {
    EXPECT_NE(entry.path().extension(), ".partial") << entry.path();
  }
}

TEST(Cli, ExportTablesCanBeAskedInTheScenario) {
  fs::path root = fresh_directory("export_scenario");
  {
    std::ofstream scenario(root / "exported.toml");
    scenario << "include = [\"" << (kSource / "scenarios/quickstart.toml").string() << "\"]\n"
             << "name = \"exported\"\n[export]\naccounts = true\n";
  }
  ASSERT_EQ(run("run " + (root / "exported.toml").string() + " --replications 1 --quiet --out " +
                (root / "out").string())
                .exit_code,
            0);
  EXPECT_TRUE(fs::exists(root / "out/export/replication-0/accounts.csv.gz"));
  EXPECT_FALSE(fs::exists(root / "out/export/replication-0/orders.csv.gz"));
}

TEST(Cli, ExportRefusesAnUnknownTable) {
  fs::path root = fresh_directory("export_bad");
  Outcome outcome = run(quickstart_arguments(root, 1) + " --export orders,trades");
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.output.find("trades"), std::string::npos) << outcome.output;
  EXPECT_FALSE(fs::exists(root / "export"));
}

TEST(Cli, DifferentSeedsGiveDifferentOutputs) {
  fs::path root = fresh_directory("seeds");
  ASSERT_EQ(run(quickstart_arguments(root / "a", 2)).exit_code, 0);
  std::string other = "run " + (kSource / "scenarios/quickstart.toml").string() +
                      " --replications 3 --seed 12 --quiet --out " + (root / "b").string();
  ASSERT_EQ(run(other).exit_code, 0);
  EXPECT_NE(slurp(root / "a" / "kpis.csv"), slurp(root / "b" / "kpis.csv"));
}

// A run whose estimated peak memory exceeds --max-memory is refused before any world is built
// and before its output folder is made; a malformed size is a usage error.
TEST(Cli, RefusesARunNeedingMoreMemoryThanMaxMemory) {
  fs::path root = fresh_directory("max_memory");
  const std::string quickstart = (kSource / "scenarios/quickstart.toml").string();
  Outcome refused = run("run " + quickstart + " --threads 2 --max-memory 1MiB --quiet --out " +
                        (root / "out").string());
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.output.find(quickstart + ": the run would need about "), std::string::npos)
      << refused.output;
  EXPECT_NE(refused.output.find(", more than the 1 MiB --max-memory allows; lower the "
                                "populations, days or replications, or run fewer worlds at a time "
                                "(--threads)"),
            std::string::npos)
      << refused.output;
  EXPECT_FALSE(fs::exists(root / "out"));
  Outcome malformed =
      run("run " + quickstart + " --max-memory 2GB --quiet --out " + (root / "out").string());
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.output.find("--max-memory: expected a size such as 800MiB or 2GiB (bytes, "
                                  "KiB, MiB, GiB or TiB), found \"2GB\""),
            std::string::npos)
      << malformed.output;
  EXPECT_EQ(run("run " + quickstart + " --replications 1 --max-memory 4GiB --quiet --out " +
                (root / "out").string())
                .exit_code,
            0);
}

TEST(Cli, RefusesASeedOutsideTheScenariosRange) {
  // simulation.seed is 0 to 2^63 - 1; "-1" used to wrap to 2^64 - 1 and be written to summary.json.
  fs::path root = fresh_directory("seed_range");
  for (const char* seed : {"-1", "9223372036854775808", "12x"}) {
    Outcome outcome = run("run " + (kSource / "scenarios/quickstart.toml").string() + " --seed " +
                          seed + " --quiet --out " + (root / "out").string());
    EXPECT_EQ(outcome.exit_code, 2) << seed;
    EXPECT_NE(outcome.output.find(std::string("--seed: expected an integer between 0 and "
                                              "9223372036854775807, found \"") +
                                  seed + "\""),
              std::string::npos)
        << outcome.output;
    EXPECT_FALSE(fs::exists(root / "out")) << seed;
  }
}

TEST(Cli, ScenarioErrorExitsWithOneAndWritesNothing) {
  fs::path root = fresh_directory("bad_scenario");
  std::ofstream(root / "bad.toml") << "name = \"bad\"\n[simulation]\ndayz = 3\n";
  Outcome outcome =
      run("run " + (root / "bad.toml").string() + " --out " + (root / "out").string());
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("bad.toml:3:1: simulation.dayz: unknown key"), std::string::npos)
      << outcome.output;
  EXPECT_FALSE(fs::exists(root / "out"));
}

TEST(Cli, ValidateAcceptsEveryShippedScenario) {
  for (const auto& entry : fs::recursive_directory_iterator(kSource / "scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    if (entry.path().parent_path().filename() == "markets") continue;  // presets, not scenarios
    // A score written by `p2psim train` is a fragment, checked through the scenario including it.
    if (entry.path().filename() == "trained_score.toml") continue;
    // A calibration's targets file is not a scenario; docs/calibration.py runs the shipped one.
    if (entry.path().filename().string().ends_with(".targets.toml")) continue;
    Outcome outcome = run("validate " + entry.path().string());
    EXPECT_EQ(outcome.exit_code, 0) << entry.path() << "\n" << outcome.output;
  }
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(Cli, RunSetWritesValuesOverTheScenario) {
  fs::path root = fresh_directory("run_set");
  Outcome outcome = run("run " + (kSource / "scenarios/quickstart.toml").string() +
                        " --set simulation.days=3 --set simulation.warmup_days=1 --set "
                        "markets.ng.users.daily_visitors=500 --replications 1 --quiet --out " +
                        (root / "out").string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const std::string summary = slurp(root / "out" / "summary.json");
  EXPECT_NE(summary.find("\"days\": 3,"), std::string::npos);
  EXPECT_NE(summary.find("\"daily_visitors\": 500.0,"), std::string::npos);
}

TEST(Cli, RunSetWithAnUnknownKeyFailsBeforeAnyRun) {
  fs::path root = fresh_directory("run_set_bad");
  Outcome outcome =
      run("run " + (kSource / "scenarios/quickstart.toml").string() +
          " --set markets.ng.users.daily_visitorz=500 --out " + (root / "out").string());
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("--set:1:18: markets.ng.users.daily_visitorz: unknown key"),
            std::string::npos)
      << outcome.output;
  EXPECT_FALSE(fs::exists(root / "out"));
}

TEST(Cli, SweepWritesOneRowPerPointAndKpi) {
  fs::path root = fresh_directory("sweep");
  // Single-value axes shorten the run; the merchant count is the swept key.
  Outcome outcome = run("sweep " + (kSource / "scenarios/quickstart.toml").string() +
                        " --set simulation.days=3 --set simulation.warmup_days=1 --set "
                        "markets.ng.merchants.count=40,60 --replications 2 --quiet --out " +
                        (root / "out").string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  std::string csv = slurp(root / "out" / "sweep.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "point,simulation.days,simulation.warmup_days,markets.ng.merchants.count,market,kpi,"
            "replications,mean,low,high");
  EXPECT_NE(csv.find("\n0,3,1,40,ng,gmv_usd,2,"), std::string::npos);
  EXPECT_NE(csv.find("\n1,3,1,60,ng,gmv_usd,2,"), std::string::npos);
  // Both points have the same KPI rows.
  std::size_t rows = line_count(csv) - 1;
  EXPECT_EQ(rows % 2, 0u);
  EXPECT_EQ(csv.find("\n2,"), std::string::npos);
  // report.html beside it: GMV against the merchant count, the key that varies.
  const std::string report = slurp(root / "out" / "report.html");
  EXPECT_NE(report.find(">markets.ng.merchants.count</text>"), std::string::npos);
  EXPECT_NE(report.find("data-label=\"count=60\""), std::string::npos);
}

TEST(Cli, SweepReportsABadSettingAndWritesNothing) {
  fs::path root = fresh_directory("sweep_bad");
  Outcome outcome = run("sweep " + (kSource / "scenarios/quickstart.toml").string() +
                        " --set markets.ng.merchants.count=40,-1 --out " + (root / "out").string());
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("--set:1:28: markets.ng.merchants.count: expected an integer"),
            std::string::npos)
      << outcome.output;
  EXPECT_FALSE(fs::exists(root / "out"));
  EXPECT_EQ(run("sweep x.toml --set novalue").exit_code, 2);
}

// A sweep of the score's block threshold of a shipped example, shortened to 3 days.
std::string threshold_sweep_arguments(const fs::path& out, int threads) {
  return "sweep " + (kSource / "scenarios/examples/rules_block_large_new_accounts.toml").string() +
         " --set simulation.days=3 --set simulation.warmup_days=1 --set "
         "markets.ng.risk.score.block_above=0.5,0.9 --replications 2 --quiet --threads " +
         std::to_string(threads) + " --out " + out.string();
}

TEST(Cli, SweepWritesTheSameReportAtAnyThreadCount) {
  fs::path root = fresh_directory("sweep_report");
  Outcome one = run(threshold_sweep_arguments(root / "one", 1));
  ASSERT_EQ(one.exit_code, 0) << one.output;
  ASSERT_EQ(run(threshold_sweep_arguments(root / "two", 2)).exit_code, 0);
  const std::string report = slurp(root / "one" / "report.html");
  EXPECT_EQ(report, slurp(root / "two" / "report.html"));
  EXPECT_EQ(slurp(root / "one" / "sweep.csv"), slurp(root / "two" / "sweep.csv"));
  // A risk threshold sweep draws the catch rate against good orders stopped, point by point.
  EXPECT_NE(report.find(">false_positive_rate (%)</text>"), std::string::npos);
  EXPECT_NE(report.find("catch_rate against false_positive_rate"), std::string::npos);
  EXPECT_NE(report.find("data-label=\"block_above=0.9\""), std::string::npos);
}

TEST(Cli, SweepRejectsAChartKpiItDoesNotKnowAndWritesNothing) {
  fs::path root = fresh_directory("sweep_bad_chart");
  Outcome outcome =
      run("sweep " + (kSource / "scenarios/quickstart.toml").string() +
          " --set markets.ng.merchants.count=40,60 --chart-y gmv --out " + (root / "out").string());
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_EQ(outcome.output,
            "error: --chart-y gmv: not a KPI; write a KPI of docs/kpis.md (e.g. catch_rate) for "
            "each market, or market.kpi (e.g. ng.catch_rate)\n");
  EXPECT_FALSE(fs::exists(root / "out"));
  Outcome market = run("sweep " + (kSource / "scenarios/quickstart.toml").string() +
                       " --set markets.ng.merchants.count=40,60 --chart-x ke.gmv_usd --out " +
                       (root / "out").string());
  EXPECT_EQ(market.exit_code, 2);
  EXPECT_EQ(market.output,
            "error: --chart-x ke.gmv_usd: the scenario has no market \"ke\" (its markets: ng)\n");
  EXPECT_FALSE(fs::exists(root / "out"));
}

// The quickstart shortened to 3 days (days 0 to 2), with a campaign written to end on day 20.
fs::path late_campaign_scenario(const fs::path& folder) {
  fs::create_directories(folder);
  const fs::path file = folder / "late_campaign.toml";
  std::ofstream(file) << "name = \"late_campaign\"\n"
                         "include = [\"" +
                             (kSource / "scenarios/quickstart.toml").string() +
                             "\"]\n"
                             "[simulation]\ndays = 3\nwarmup_days = 1\n"
                             "[markets.ng.users]\ndaily_visitors = 500\n"
                             "[[incentives]]\nkind = \"fee_waiver\"\nmarkets = [\"ng\"]\n"
                             "end_day = 20\n";
  return file;
}

std::string late_campaign_warning(const fs::path& file) {
  return "warning: " + file.string() +
         ":11:11: incentives[0].end_day: 20 is past the last simulated day (2); the campaign "
         "ends on day 2\n";
}

TEST(Cli, ValidatePrintsTheScenariosWarningsOnStandardErrorBeforeItsOkLine) {
  const fs::path file = late_campaign_scenario(fresh_directory("validate_warnings"));
  Outcome both = run("validate " + file.string());
  EXPECT_EQ(both.exit_code, 0);
  const std::string expected = late_campaign_warning(file) + "ok: " + file.string() +
                               ": scenario 'late_campaign', 1 market(s), 3 days (1 warm-up), 4 "
                               "replication(s)\n  memory: about ";
  // The memory estimate follows; its figures depend on the machine's cores.
  EXPECT_EQ(both.output.substr(0, expected.size()), expected);
  Outcome standard_output =
      p2psim::end_to_end::run_p2psim("validate " + file.string(), "2>/dev/null");
  EXPECT_EQ(standard_output.output.find("warning:"), std::string::npos) << standard_output.output;
}

TEST(Cli, RunSweepAndCheckPrintTheScenariosWarningsBeforeTheyRun) {
  const fs::path root = fresh_directory("run_warnings");
  const fs::path file = late_campaign_scenario(root / "suite");
  Outcome ran =
      run("run " + file.string() + " --replications 1 --quiet --out " + (root / "run").string());
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  EXPECT_EQ(ran.output, late_campaign_warning(file));
  // The resolved scenario is the one that ran: the campaign ends on the last day.
  EXPECT_NE(slurp(root / "run" / "summary.json").find("\"end_day\": 2,"), std::string::npos);
  // Two points with the same warning print it once.
  Outcome swept = run("sweep " + file.string() + " --set simulation.seed=1,2 --replications 1 " +
                      "--quiet --out " + (root / "sweep").string());
  ASSERT_EQ(swept.exit_code, 0) << swept.output;
  EXPECT_EQ(swept.output, late_campaign_warning(file));
  Outcome checked =
      run("check " + (root / "suite").string() + " --quiet --baselines " +
          (root / "baselines").string() + " --junit " + (root / "junit.xml").string());
  EXPECT_EQ(checked.exit_code, 4) << checked.output;  // no baseline yet
  EXPECT_EQ(checked.output.rfind(late_campaign_warning(file), 0), 0u) << checked.output;
}

TEST(Cli, ExperimentRunWritesComparisonAndDecisions) {
  fs::path root = fresh_directory("experiment");
  // The shipped example, shortened to 3 days.
  std::ofstream(root / "short.toml")
      << "name = \"short\"\ninclude = [\""
      << (kSource / "scenarios/examples/experiment_growth.toml").string()
      << "\"]\n[simulation]\ndays = 3\nwarmup_days = 1\n";
  Outcome outcome = run("run " + (root / "short.toml").string() + " --replications 2 --out " +
                        (root / "out").string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("Decision for campaign: "), std::string::npos) << outcome.output;
  std::string csv = slurp(root / "out" / "comparison.csv");
  EXPECT_EQ(csv.substr(0, csv.find(',')), "arm");
  EXPECT_NE(csv.find("\ncampaign,ng,gmv_usd,primary,2,"), std::string::npos);
  std::string summary = slurp(root / "out" / "summary.json");
  EXPECT_NE(summary.find("\"decision_rule\""), std::string::npos);
  EXPECT_NE(summary.find("\"correction\": \"holm\""), std::string::npos);
  // The report shows the decision, every arm and the comparison table (its numbers are checked
  // against summary.json in test_report_html.cpp).
  std::string report = slurp(root / "out" / "report.html");
  EXPECT_NE(report.find("<p class=\"decision\">Decision for campaign: "), std::string::npos);
  EXPECT_NE(report.find("<table class=\"kpis\" data-arm=\"more_merchants\">"), std::string::npos);
  EXPECT_NE(report.find("<tr data-arm=\"campaign\" data-market=\"ng\" data-kpi=\"gmv_usd\" "
                        "data-role=\"primary\""),
            std::string::npos);
  EXPECT_NE(report.find("id=\"forest-effects\""), std::string::npos);
}

TEST(Cli, UsageErrorsAreReported) {
  EXPECT_EQ(run("run").exit_code, 2);
  EXPECT_EQ(run("run x.toml --threads 0").exit_code, 2);
  EXPECT_EQ(run("run x.toml --no-such-option").exit_code, 2);
  Outcome missing = run("validate /nonexistent/scenario.toml");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("/nonexistent/scenario.toml"), std::string::npos);
}

TEST(Cli, VersionAndHelpAreAvailable) {
  Outcome version = run("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.output.find("p2psim "), std::string::npos);
  for (const char* command : {"--help", "run --help", "validate --help", "check --help"}) {
    Outcome help = run(command);
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.output.find("Usage"), std::string::npos) << command;
  }
}

TEST(Cli, InterruptedRunLeavesNoFiles) {
  fs::path root = fresh_directory("interrupt");
  // Enough replications of the quickstart to still be running when the signal arrives.
  std::string scenario = (kSource / "scenarios/quickstart.toml").string();
  std::string out = (root / "out").string();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    execl(kBinary.c_str(), kBinary.c_str(), "run", scenario.c_str(), "--replications", "400",
          "--threads", "1", "--quiet", "--out", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  kill(child, SIGINT);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_FALSE(fs::exists(root / "out" / "kpis.csv"));
  EXPECT_FALSE(fs::exists(root / "out" / "summary.json"));
  if (fs::exists(root / "out")) {
    EXPECT_TRUE(fs::is_empty(root / "out"));
  }
}

// A copy of a regression scenario in `directory`, with its preset included by absolute path and
// `replace` applied to its text (from, to).
fs::path regression_scenario_copy(const fs::path& directory, const std::string& name,
                                  const std::string& from = "", const std::string& to = "") {
  std::string text = slurp(kSource / "scenarios/regression" / name);
  auto substitute = [&text](const std::string& a, const std::string& b) {
    std::size_t at = text.find(a);
    ASSERT_NE(at, std::string::npos) << a;
    text.replace(at, a.size(), b);
  };
  substitute("\"../markets/", "\"" + (kSource / "scenarios/markets").string() + "/");
  if (!from.empty()) substitute(from, to);
  fs::create_directories(directory);
  std::ofstream(directory / name) << text;
  return directory / name;
}

// xmllint's verdict on a JUnit file against tests/junit.xsd; true when xmllint is missing
// (test_baseline_check reports that skip).
bool junit_is_valid(const fs::path& file) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) return true;
  const std::string command = "xmllint --noout --schema " + (kSource / "tests/junit.xsd").string() +
                              " " + file.string() + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

TEST(Cli, CheckPassesUnchangedAndFailsWhenAScenarioChangeMovesAKpi) {
  const fs::path root = fresh_directory("check");
  const fs::path suite = root / "suite";
  regression_scenario_copy(suite, "orders_funnel.toml");
  const std::string options = " --threads 2 --baselines " + (root / "baselines").string() +
                              " --junit " + (root / "junit.xml").string();

  Outcome first = run("check " + suite.string() + options);
  EXPECT_EQ(first.exit_code, 4) << first.output;
  EXPECT_NE(first.output.find("FAILED: no baseline"), std::string::npos) << first.output;

  Outcome update = run("check " + suite.string() + options + " --update");
  ASSERT_EQ(update.exit_code, 0) << update.output;
  EXPECT_TRUE(fs::exists(root / "baselines" / "regression_orders_funnel.json"));

  Outcome unchanged = run("check " + suite.string() + options);
  EXPECT_EQ(unchanged.exit_code, 0) << unchanged.output;
  EXPECT_NE(unchanged.output.find(" identical, 0 changed within tolerance, 0 moved, 0 missing"),
            std::string::npos)
      << unchanged.output;
  EXPECT_EQ(slurp(root / "junit.xml").find("<failure"), std::string::npos);
  EXPECT_TRUE(junit_is_valid(root / "junit.xml"));

  // A deliberate change: half as many visitors again. visitors moves by about 50%, far beyond
  // its 5% tolerance and the noise between 6 replications (about 1.5%).
  regression_scenario_copy(suite, "orders_funnel.toml", "daily_visitors = 800",
                           "daily_visitors = 1200");
  Outcome moved = run("check " + suite.string() + options);
  EXPECT_EQ(moved.exit_code, 4) << moved.output;
  EXPECT_NE(moved.output.find("setup    scenario hash"), std::string::npos) << moved.output;
  EXPECT_NE(moved.output.find("MOVED    ng  visitors"), std::string::npos) << moved.output;
  const std::string junit = slurp(root / "junit.xml");
  EXPECT_NE(junit.find("<testcase name=\"ng.visitors\" classname=\"p2psim.check.regression_"
                       "orders_funnel\" time=\"0\">\n      <failure message=\"MOVED"),
            std::string::npos)
      << junit;
  EXPECT_TRUE(junit_is_valid(root / "junit.xml"));
  // The baseline is untouched until --update.
  EXPECT_EQ(run("check " + suite.string() + options).exit_code, 4);
  fs::remove_all(root);
}

TEST(Cli, InterruptedCheckWritesNeitherBaselinesNorJunit) {
  const fs::path root = fresh_directory("check_interrupt");
  std::ofstream(root / "long.toml")
      << "include = [\"" << (kSource / "scenarios/quickstart.toml").string()
      << "\"]\nname = \"long\"\n[simulation]\nreplications = 400\n";
  const std::string scenario = (root / "long.toml").string();
  const std::string baselines = (root / "baselines").string();
  const std::string junit = (root / "junit.xml").string();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    execl(kBinary.c_str(), kBinary.c_str(), "check", scenario.c_str(), "--threads", "1",
          "--baselines", baselines.c_str(), "--junit", junit.c_str(), "--update",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  kill(child, SIGINT);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_FALSE(fs::exists(root / "baselines"));
  EXPECT_FALSE(fs::exists(root / "junit.xml"));
  fs::remove_all(root);
}

}  // namespace

namespace {

// A small market on the Nigeria preset and a targets file fitting its cancellation rate.
fs::path calibration_files(const fs::path& root, const std::string& search) {
  std::ofstream(root / "scenario.toml")
      << "name = \"calibrate_cli\"\ninclude = [\""
      << (kSource / "scenarios/markets/ng.toml").string()
      << "\"]\n[simulation]\ndays = 4\nwarmup_days = 1\nreplications = 2\n"
         "[markets.ng.users]\ninitial_users = 1000\ndaily_visitors = 200\n"
         "[markets.ng.merchants]\ncount = 10\n";
  std::ofstream(root / "targets.toml")
      << "[calibration]\n"
      << search
      << "\n[[targets]]\nmarket = \"ng\"\nkpi = \"cancellation_rate\"\nvalue = 0.04\n"
         "standard_error = 0.005\n"
         "[[parameters]]\nkey = \"markets.ng.users.cancel_probability\"\nlower = 0.01\n"
         "upper = 0.2\nscale = \"log\"\n";
  return root / "targets.toml";
}

TEST(Cli, CalibrateWritesTheFitAndAScenarioThatRuns) {
  const fs::path root = fresh_directory("calibrate");
  const fs::path targets = calibration_files(root, "global_evaluations = 4\nlocal_evaluations = 6");
  const Outcome outcome = run("calibrate " + (root / "scenario.toml").string() + " " +
                              targets.string() + " --threads 2 --out " + (root / "out").string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("ng.cancellation_rate"), std::string::npos) << outcome.output;
  EXPECT_NE(slurp(root / "out" / "calibration.json").find("\"status\": \"complete\""),
            std::string::npos);
  EXPECT_NE(slurp(root / "out" / "calibration.html").find("p2psim calibration"), std::string::npos);
  const Outcome validate = run("validate " + (root / "out" / "calibrated.toml").string());
  EXPECT_EQ(validate.exit_code, 0) << validate.output;
}

// The execution block (threads, wall time) is the only part of calibration.json that may differ.
std::string without_execution(const std::string& json) {
  return json.substr(0, json.find("\"execution\""));
}

TEST(Cli, CalibrateGivesTheSameFilesAtAnyThreadCount) {
  const fs::path root = fresh_directory("calibrate_threads");
  const fs::path targets = calibration_files(root, "global_evaluations = 6\nlocal_evaluations = 6");
  for (const char* threads : {"1", "2"}) {
    const Outcome outcome =
        run("calibrate " + (root / "scenario.toml").string() + " " + targets.string() +
            " --quiet --threads " + threads + " --out " + (root / threads).string());
    ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  }
  EXPECT_EQ(slurp(root / "1" / "calibrated.toml"), slurp(root / "2" / "calibrated.toml"));
  EXPECT_EQ(without_execution(slurp(root / "1" / "calibration.json")),
            without_execution(slurp(root / "2" / "calibration.json")));
}

TEST(Cli, CalibrateRejectsBadTargetsBeforeAnyRun) {
  const fs::path root = fresh_directory("calibrate_bad");
  const fs::path targets = calibration_files(root, "local_method = \"newton\"");
  const Outcome outcome = run("calibrate " + (root / "scenario.toml").string() + " " +
                              targets.string() + " --out " + (root / "out").string());
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("targets.toml:2:16: calibration.local_method: expected \"sbplx\" "
                                "or \"bobyqa\", found \"newton\""),
            std::string::npos)
      << outcome.output;
  EXPECT_FALSE(fs::exists(root / "out"));
}

TEST(Cli, InterruptedCalibrationWritesTheBestPointSoFarLabelledAsSuch) {
  const fs::path root = fresh_directory("calibrate_interrupt");
  // A budget far beyond what runs before the signal.
  const std::string targets = calibration_files(root, "global_evaluations = 100000").string();
  const std::string scenario = (root / "scenario.toml").string();
  const std::string out = (root / "out").string();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    execl(kBinary.c_str(), kBinary.c_str(), "calibrate", scenario.c_str(), targets.c_str(),
          "--threads", "1", "--quiet", "--out", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Long enough for a few evaluations of the small market, even under the sanitizers.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  kill(child, SIGINT);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_NE(slurp(root / "out" / "calibration.json")
                .find("\"status\": \"interrupted: best point so far\""),
            std::string::npos);
  EXPECT_NE(slurp(root / "out" / "calibrated.toml").find("# INTERRUPTED"), std::string::npos);
}

}  // namespace
