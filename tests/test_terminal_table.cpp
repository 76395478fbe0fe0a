// The terminal summary of a run: its header, one aligned row per KPI, at most a hundred columns.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "analysis/run_summary.hpp"
#include "cli/terminal_table.hpp"
#include "hand_built_run.hpp"

namespace p2psim {
namespace {

TEST(TerminalSummary, ShowsHeaderAndOneAlignedRowPerKpi) {
  RunResult result = hand_built_run(3);
  RunSummary summary = summarize_run(result);
  std::string text = terminal_summary(result, summary);
  EXPECT_NE(text.find("Scenario baseline"), std::string::npos) << text;
  EXPECT_NE(text.find("seed 42"), std::string::npos) << text;
  EXPECT_NE(text.find("3 replications"), std::string::npos) << text;
  EXPECT_NE(text.find("3 measured days"), std::string::npos) << text;
  const MarketEstimates& ng = summary.estimates[0];
  for (const KpiEstimate& kpi : ng.kpis) {
    EXPECT_NE(text.find("\n" + kpi.name + " "), std::string::npos) << kpi.name;
  }
  EXPECT_EQ(text.find(" \n"), std::string::npos) << "trailing spaces";
}

TEST(TerminalSummary, FitsOneHundredColumnsForOneMarket) {
  RunResult result = hand_built_run(3);
  for (ReplicationOutcome& outcome : result.replications)
    outcome.markets.resize(1);
  std::string text = terminal_summary(result, summarize_run(result));
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 100u) << line;
  }
}

TEST(TerminalSummary, MarksKpisAMarketLacks) {
  RunResult result = hand_built_run(2);
  RunSummary summary;
  summary.estimates = {{"NG", {{"orders_created", {10.0, 9.0, 11.0, 2}}}},
                       {"KE", {{"gmv_usd", {5.0, 4.0, 6.0, 2}}}}};
  std::string text = terminal_summary(result, summary);
  // KE's means are as wide as "5.00", and the missing one is right-aligned with them.
  EXPECT_NE(text.find("\norders_created  10 [9, 11]     -\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace p2psim
