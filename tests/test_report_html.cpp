// report.html: its charts, its numbers (the same as summary.json's), and the experiment section
// that an experiment plugs into.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "experiment/run_replications.hpp"
#include "report/kpi_tables.hpp"
#include "report/report_html.hpp"
#include "report/summary_json.hpp"
#include "report/svg_chart.hpp"
#include "small_market.hpp"

namespace p2psim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Two small markets with some fraud, 3 replications of 6 days: every section has data.
const RunResult& small_run() {
  static const RunResult result = [] {
    Scenario scenario;
    scenario.name = "report_test";
    scenario.description = "Two small markets <with> \"quotes\" & ampersands";
    scenario.world.simulation.days = 6;
    scenario.world.simulation.warmup_days = 1;
    scenario.world.simulation.replications = 3;
    scenario.world.simulation.seed = 77;
    MarketConfig ng = small_market("ng", "NGN");
    ng.fraud.non_payment.accounts_per_day = 5.0;
    scenario.world.markets = {ng, small_market("ke", "KES", 130.0)};
    RunOptions options;
    options.threads = 2;
    return run_replications(scenario, options);
  }();
  return result;
}

// Every attribute `name="..."` of the elements matching `element_pattern`, in page order.
std::vector<std::map<std::string, std::string>> elements(const std::string& html,
                                                         const std::string& element_pattern) {
  std::vector<std::map<std::string, std::string>> found;
  const std::regex element(element_pattern);
  const std::regex attribute(R"re(([a-z-]+)="([^"]*)")re");
  for (auto match = std::sregex_iterator(html.begin(), html.end(), element);
       match != std::sregex_iterator(); ++match) {
    std::map<std::string, std::string> attributes;
    const std::string text = match->str();
    for (auto pair = std::sregex_iterator(text.begin(), text.end(), attribute);
         pair != std::sregex_iterator(); ++pair) {
      attributes[(*pair)[1]] = (*pair)[2];
    }
    found.push_back(attributes);
  }
  return found;
}

// Whether "nan" appears as a word (a number printed from NaN), not inside "dominant-baseline".
bool has_nan(const std::string& text) {
  return std::regex_search(text, std::regex(R"([^a-z]nan[^a-z])", std::regex::icase));
}

// A JSON number or null, read the way the report writes it: shortest round trip, empty for NaN.
std::string json_number_text(const nlohmann::json& value) {
  return value.is_null() ? "" : csv_number(value.get<double>());
}

TEST(ReportHtml, EveryKpiCellEqualsSummaryJson) {
  const RunResult& result = small_run();
  const RunSummary summary = summarize_run(result);
  const std::string html = report_html(result, summary);
  const nlohmann::json json = nlohmann::json::parse(summary_json_text(result, summary));

  std::size_t compared = 0;
  for (const auto& cell : elements(html, R"(<td data-market="[^>]*>)")) {
    const nlohmann::json& kpi = json.at("kpis").at(cell.at("data-market")).at(cell.at("data-kpi"));
    EXPECT_EQ(cell.at("data-mean"), json_number_text(kpi.at("mean"))) << cell.at("data-kpi");
    EXPECT_EQ(cell.at("data-low"), json_number_text(kpi.at("low"))) << cell.at("data-kpi");
    EXPECT_EQ(cell.at("data-high"), json_number_text(kpi.at("high"))) << cell.at("data-kpi");
    EXPECT_EQ(std::stoul(cell.at("data-replications")), kpi.at("replications").get<unsigned>());
    ++compared;
  }
  // Every KPI of every market in summary.json has its cell, no more and no less.
  std::size_t in_json = 0;
  for (const auto& [market, kpis] : json.at("kpis").items())
    in_json += kpis.size();
  EXPECT_EQ(compared, in_json);
  EXPECT_GT(compared, 100u);
}

TEST(ReportHtml, FunnelAndLossBarsEqualSummaryJson) {
  const RunResult& result = small_run();
  const RunSummary summary = summarize_run(result);
  const std::string html = report_html(result, summary);
  const nlohmann::json json = nlohmann::json::parse(summary_json_text(result, summary));

  // The funnel of ng: its bars are labelled by stage.
  const std::size_t start = html.find("id=\"funnel-ng\"");
  ASSERT_NE(start, std::string::npos);
  const std::string funnel = html.substr(start, html.find("</figure>", start) - start);
  const auto bars = elements(funnel, R"(<rect [^>]*data-mark[^>]*>)");
  ASSERT_EQ(bars.size(), 7u);
  EXPECT_EQ(bars[0].at("data-label"), "visitors");
  for (const auto& bar : bars) {
    const nlohmann::json& kpi = json.at("kpis").at("ng").at(bar.at("data-label"));
    EXPECT_EQ(bar.at("data-mean"), json_number_text(kpi.at("mean"))) << bar.at("data-label");
    EXPECT_EQ(bar.at("data-high"), json_number_text(kpi.at("high"))) << bar.at("data-label");
  }
  // Losses by bearer, two markets: labelled "<market> · <bearer>".
  const std::size_t losses = html.find("id=\"losses-fraud-loss-usd-bearer-\"");
  ASSERT_NE(losses, std::string::npos);
  const std::string chart = html.substr(losses, html.find("</figure>", losses) - losses);
  const auto loss_bars = elements(chart, R"(<rect [^>]*data-mark[^>]*>)");
  ASSERT_EQ(loss_bars.size(), 6u);  // 2 markets x 3 bearers
  EXPECT_EQ(loss_bars[0].at("data-label"), "ng \u00b7 merchant");
  EXPECT_EQ(
      loss_bars[0].at("data-mean"),
      json_number_text(json.at("kpis").at("ng").at("fraud_loss_usd.bearer.merchant").at("mean")));
}

TEST(ReportHtml, DailyPointsAreMeansOverReplicationsOfDailyCsv) {
  const RunResult& result = small_run();
  const RunSummary summary = summarize_run(result);
  const std::string html = report_html(result, summary);
  // orders_created of ke on each measured day, from daily_kpis.
  std::map<std::uint32_t, std::vector<double>> values;
  for (const DayKpis& day : daily_kpis(result)) {
    for (const MarketKpis& market : day.markets) {
      if (market.market != "ke") continue;
      for (const KpiValue& kpi : market.kpis) {
        if (kpi.name == "orders_created") values[day.day].push_back(kpi.value);
      }
    }
  }
  const std::size_t start = html.find("id=\"daily-orders-created\"");
  ASSERT_NE(start, std::string::npos);
  const std::string chart = html.substr(start, html.find("</figure>", start) - start);
  std::vector<std::map<std::string, std::string>> ke_points;
  // The series are drawn market by market: ng first, then ke.
  const auto points = elements(chart, R"(<circle [^>]*>)");
  ASSERT_EQ(points.size(), 2 * values.size());
  for (std::size_t i = values.size(); i < points.size(); ++i)
    ke_points.push_back(points[i]);
  std::size_t index = 0;
  for (const auto& [day, samples] : values) {
    EXPECT_EQ(ke_points[index].at("data-x"), std::to_string(day));
    EXPECT_EQ(ke_points[index].at("data-mean"), csv_number(estimate_mean(samples).mean));
    ++index;
  }
  EXPECT_EQ(values.begin()->first, 1u);  // the warm-up day is not drawn
}

TEST(ReportHtml, HeaderEscapesTextAndSaysThereIsNoExperiment) {
  const RunResult& result = small_run();
  const RunSummary summary = summarize_run(result);
  const std::string html = report_html(result, summary);
  EXPECT_NE(html.find("Two small markets &lt;with&gt; &quot;quotes&quot; &amp; ampersands"),
            std::string::npos);
  EXPECT_EQ(html.find("<with>"), std::string::npos);
  EXPECT_NE(html.find("<dt>seed</dt><dd>77</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dt>replications</dt><dd>3</dd>"), std::string::npos);
  EXPECT_NE(html.find("No experiment: this scenario has one arm"), std::string::npos);
  EXPECT_EQ(html.find("forest-effects"), std::string::npos);
  // Self-contained: nothing is fetched when the page opens.
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));
  EXPECT_EQ(html.find("https://"), std::string::npos);
  // No NaN reaches an SVG coordinate (a browser would log an error for it).
  // The planned chart count matches the figures: 6 daily, 2 funnels, 3 losses, 4 liquidity.
  EXPECT_NE(html.find("data-charts-planned=\"15\""), std::string::npos);
  EXPECT_FALSE(has_nan(html));
}

TEST(ReportHtml, AnExperimentAddsItsDecisionTableAndForestPlot) {
  const RunResult& result = small_run();
  const RunSummary summary = summarize_run(result);
  // Arm "B" is the same results under another name: this tests the plumbing, not an effect.
  ExperimentReport experiment{"worlds", "Ship B: gmv_usd +3.0% [1.0%, 5.0%], no guardrail hit", {}};
  experiment.comparisons.push_back({"B",
                                    "ng",
                                    "gmv_usd",
                                    {100, 90, 110, 3},
                                    {103, 93, 113, 3},
                                    {3, 1, 5, 3},
                                    {0.03, 0.01, 0.05, 3},
                                    0.004,
                                    "better"});
  experiment.comparisons.push_back({"B",
                                    "ng",
                                    "fraud_loss_usd",
                                    {0, 0, 0, 3},
                                    {1, 0, 2, 3},
                                    {1, 0, 2, 3},
                                    {kNaN, kNaN, kNaN, 3},
                                    0.5,
                                    "no change"});
  ReportInput input{{{"base", &result, &summary}, {"B", &result, &summary}}, &experiment};
  const std::string html = report_html(input);
  EXPECT_EQ(html.find("No experiment"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"decision\">Ship B: gmv_usd +3.0% [1.0%, 5.0%]"),
            std::string::npos);
  const std::size_t forest = html.find("id=\"forest-effects\"");
  ASSERT_NE(forest, std::string::npos);
  const std::string plot = html.substr(forest, html.find("</figure>", forest) - forest);
  // The effect without a relative difference (base 0) is left out of the forest plot.
  const auto effects = elements(plot, R"(<rect [^>]*data-mark[^>]*>)");
  ASSERT_EQ(effects.size(), 1u);
  EXPECT_EQ(effects[0].at("data-mean"), "0.03");
  EXPECT_EQ(effects[0].at("data-low"), "0.01");
  // Each arm is a series of its own: "<market> · <arm>".
  EXPECT_NE(html.find("ng \u00b7 B"), std::string::npos);
  EXPECT_NE(html.find("<table class=\"kpis\" data-arm=\"B\">"), std::string::npos);
}

TEST(SvgChart, AxisTicksAreRoundAndCoverTheRange) {
  EXPECT_EQ(axis_ticks(0.0, 9.3, 5), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(axis_ticks(3512.0, 4820.0, 5), (std::vector<double>{3500, 4000, 4500, 5000}));
  const std::vector<double> small = axis_ticks(0.881, 0.915, 4);
  EXPECT_LE(small.front(), 0.881);
  EXPECT_GE(small.back(), 0.915);
  EXPECT_NEAR(small[1] - small[0], 0.01, 1e-12);
  // A span below the precision of its ends still gets a few ticks, not an endless loop.
  const std::vector<double> huge = axis_ticks(1e15, 1e15 + 0.125, 5);
  EXPECT_GE(huge.size(), 2u);
  EXPECT_LE(huge.size(), 12u);
  EXPECT_LE(huge.front(), 1e15);
  EXPECT_GE(huge.back(), 1e15 + 0.125);
  // A flat series still gets an axis around its value.
  const std::vector<double> flat = axis_ticks(5.0, 5.0, 5);
  EXPECT_LT(flat.front(), 5.0);
  EXPECT_GT(flat.back(), 5.0);
}

TEST(SvgChart, AxisNumbersUseUnits) {
  EXPECT_EQ(axis_number(0.25, AxisFormat::kPercent), "25%");
  EXPECT_EQ(axis_number(650000.0, AxisFormat::kNumber), "650k");
  EXPECT_EQ(axis_number(2.5e6, AxisFormat::kNumber), "2.5M");
  EXPECT_EQ(axis_number(4500.0, AxisFormat::kNumber), "4500");
  EXPECT_EQ(axis_number(kNaN, AxisFormat::kNumber), "n/a");
}

TEST(SvgChart, LineChartDrawsNoBandWithoutIntervals) {
  LineChart chart{"one",
                  "One replication",
                  "day (days)",
                  "orders (count per day)",
                  AxisFormat::kNumber,
                  {{"ng", {{2, {10, kNaN, kNaN, 1}}, {3, {12, kNaN, kNaN, 1}}}}}};
  const std::string svg = line_chart_svg(chart);
  EXPECT_EQ(svg.find("<polygon"), std::string::npos);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_FALSE(has_nan(svg));
  EXPECT_NE(svg.find("orders (count per day)"), std::string::npos);
  EXPECT_NE(svg.find("day (days)"), std::string::npos);
}

}  // namespace
}  // namespace p2psim
