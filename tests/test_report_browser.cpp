// report.html in a real browser: headless Chromium opens a run's report, an incentive
// campaign's, an experiment's, a market split's, a user split's and a sweep's; every chart must
// have rendered, the page must have logged nothing to its console (no script error), and a
// screenshot is kept as a test artifact (P2PSIM_ARTIFACTS_DIR/report.png, incentive_report.png,
// experiment_report.png, split_report.png, user_split_report.png and sweep_report.png). Skipped,
// with the reason, where Chromium is not installed (.ci/setup installs Debian's chromium package).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

const fs::path kSource = P2PSIM_SOURCE_DIR;
const std::string kBinary = P2PSIM_BINARY;
const fs::path kArtifacts = P2PSIM_ARTIFACTS_DIR;

std::string find_chromium() {
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (::access(candidate, X_OK) == 0) return candidate;
  }
  return "";
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string attribute(const std::string& html, const std::string& name) {
  std::smatch match;
  const std::regex pattern(name + R"re(="([^"]*)")re");
  return std::regex_search(html, match, pattern) ? match[1].str() : "(absent)";
}

// Opens `report` in headless Chromium, checks that every chart rendered and nothing was logged,
// and keeps a screenshot as kArtifacts / `screenshot_name`.
void check_in_chromium(const std::string& chromium, const fs::path& report,
                       const std::string& screenshot_name, int minimum_charts) {
  const fs::path directory = report.parent_path();
  fs::create_directories(kArtifacts);
  const fs::path screenshot = kArtifacts / screenshot_name;
  fs::remove(screenshot);
  const fs::path dom = directory / "dom.html";
  const fs::path log = directory / "chromium.log";
  // --dump-dom prints the page after its scripts ran (the render check sets its marks then);
  // --enable-logging=stderr writes every console message as a ":CONSOLE" line.
  const std::string command = chromium +
                              " --headless --disable-gpu --no-sandbox --hide-scrollbars "
                              "--window-size=1366,900 --enable-logging=stderr --v=0 --screenshot=" +
                              screenshot.string() + " --dump-dom file://" + report.string() +
                              " > " + dom.string() + " 2> " + log.string();
  ASSERT_EQ(exit_code(std::system(command.c_str())), 0) << slurp(log);

  const std::string page = slurp(dom);
  const std::string planned = attribute(page, "data-charts-planned");
  EXPECT_EQ(attribute(page, "data-report-status"), "ok");
  EXPECT_EQ(attribute(page, "data-charts-rendered"), planned);
  EXPECT_EQ(attribute(page, "data-script-errors"), "0");
  EXPECT_GE(std::stoi(planned), minimum_charts);
  EXPECT_EQ(page.find("data-rendered=\"no\""), std::string::npos);

  std::istringstream lines(slurp(log));
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.find(":CONSOLE"), std::string::npos) << "the page logged: " << line;
  }
  EXPECT_TRUE(fs::exists(screenshot));
  EXPECT_GT(fs::file_size(screenshot), 10000u);  // a blank 1366x900 PNG is far smaller
}

constexpr const char* kNoChromium =
    "Chromium is not installed (looked for /usr/bin/chromium and /usr/bin/chromium-browser): "
    "report.html was not checked in a browser. Install Debian's chromium package (.ci/setup "
    "does) to run this test.";

fs::path fresh_directory(const std::string& name) {
  const fs::path directory =
      fs::temp_directory_path() / ("p2psim_browser_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

// Runs scenarios/examples/`example` shortened to `days` days (the first `warmup_days` of them
// not measured) and 2 replications (a scenario named `name` in `directory` that includes it)
// into `run`; returns p2psim's exit code.
int run_shortened(const std::string& name, const std::string& example, const fs::path& directory,
                  const fs::path& run, int days = 3, int warmup_days = 1) {
  std::ofstream(directory / "short.toml")
      << "name = \"" << name << "\"\ninclude = [\""
      << (kSource / "scenarios/examples" / example).string() << "\"]\n[simulation]\ndays = " << days
      << "\nwarmup_days = " << warmup_days << "\n";
  return exit_code(std::system((kBinary + " run " + (directory / "short.toml").string() +
                                " --replications 2 --threads 2 --quiet --out " + run.string())
                                   .c_str()));
}

TEST(ReportBrowser, ChromiumRendersEveryChartWithoutErrors) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << kNoChromium;
  const fs::path directory = fresh_directory("run");
  const fs::path run = directory / "run";
  // Two markets, so that every chart has several series; short, so that it runs in a second.
  ASSERT_EQ(exit_code(std::system((kBinary + " run " +
                                   (kSource / "scenarios/examples/two_markets.toml").string() +
                                   " --replications 3 --threads 2 --quiet --out " + run.string())
                                      .c_str())),
            0);
  check_in_chromium(chromium, run / "report.html", "report.png", 14);
  fs::remove_all(directory);
}

TEST(ReportBrowser, ChromiumRendersTheIncentiveSection) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << kNoChromium;
  const fs::path directory = fresh_directory("incentives");
  // The shipped new-user bonus, measured on its campaign's first two days (it starts on day 7).
  const fs::path run = directory / "run";
  ASSERT_EQ(run_shortened("short_bonus", "new_user_bonus.toml", directory, run, 9, 7), 0);
  // The daily, funnel, loss and liquidity charts, and the incentive section's five.
  check_in_chromium(chromium, run / "report.html", "incentive_report.png", 19);
  const std::string html = slurp(run / "report.html");
  EXPECT_NE(html.find("<section id=\"incentives\">"), std::string::npos);
  EXPECT_NE(html.find("id=\"incentives-incentive-cost-usd\""), std::string::npos);
  fs::remove_all(directory);
}

TEST(ReportBrowser, ChromiumRendersAnExperimentReport) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << kNoChromium;
  const fs::path directory = fresh_directory("experiment");
  // The shipped three-arm example.
  const fs::path run = directory / "run";
  ASSERT_EQ(run_shortened("short", "experiment_growth.toml", directory, run), 0);
  // The daily, funnel, loss and liquidity charts, and the forest plot of effects.
  check_in_chromium(chromium, run / "report.html", "experiment_report.png", 15);
  EXPECT_NE(slurp(run / "report.html").find("id=\"forest-effects\""), std::string::npos);
  fs::remove_all(directory);
}

TEST(ReportBrowser, ChromiumRendersAMarketSplitReport) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << kNoChromium;
  const fs::path directory = fresh_directory("split");
  // The shipped six-market split (with its worlds).
  const fs::path run = directory / "run";
  ASSERT_EQ(run_shortened("short_split", "experiment_market_split.toml", directory, run), 0);
  check_in_chromium(chromium, run / "report.html", "split_report.png", 14);
  EXPECT_NE(slurp(run / "report.html").find("<table class=\"split\">"), std::string::npos);
  fs::remove_all(directory);
}

TEST(ReportBrowser, ChromiumRendersASweepReport) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << kNoChromium;
  const fs::path directory = fresh_directory("sweep");
  // Three block thresholds of the shipped rules-and-score example, shortened to 3 days.
  const fs::path run = directory / "run";
  ASSERT_EQ(exit_code(std::system(
                (kBinary + " sweep " +
                 (kSource / "scenarios/examples/rules_block_large_new_accounts.toml").string() +
                 " --set simulation.days=3 --set simulation.warmup_days=1 --set "
                 "markets.ng.risk.score.block_above=0.5,0.7,0.9 --replications 2 --threads 2 "
                 "--quiet --out " +
                 run.string())
                    .c_str())),
            0);
  check_in_chromium(chromium, run / "report.html", "sweep_report.png", 1);
  EXPECT_NE(slurp(run / "report.html").find("id=\"sweep-chart\""), std::string::npos);
  fs::remove_all(directory);
}

TEST(ReportBrowser, ChromiumRendersAUserSplitReport) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << kNoChromium;
  const fs::path directory = fresh_directory("user_split");
  // The shipped fee waiver split by user (with its worlds and CUPED).
  const fs::path run = directory / "run";
  ASSERT_EQ(run_shortened("short_user_split", "experiment_user_split.toml", directory, run), 0);
  check_in_chromium(chromium, run / "report.html", "user_split_report.png", 14);
  const std::string html = slurp(run / "report.html");
  EXPECT_NE(html.find("<table class=\"split\">"), std::string::npos);
  EXPECT_NE(html.find("data-market=\"ng\" data-kpi=\"gmv_usd\""), std::string::npos);
  fs::remove_all(directory);
}

}  // namespace
