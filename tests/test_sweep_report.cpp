// A sweep's report.html: the chart's points and the table's cells carry sweep.csv's numbers,
// the default chart follows what was swept, and a KPI a point does not model is left out.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <tuple>

#include "html_elements.hpp"
#include "report/kpi_csv.hpp"
#include "report/sweep_csv.hpp"
#include "report/sweep_report.hpp"

namespace p2psim {
namespace {

// A KPI estimate whose numbers do not print short: the page must carry them unrounded.
KpiEstimate kpi(const std::string& name, double mean, double spread) {
  return {name, {mean, mean - spread, mean + spread, 3}};
}

// A sweep of a score's block threshold over three points of market ng: the stricter the
// threshold, the more fraud and genuine orders stopped. The last point models no catch rate.
struct ThresholdSweep {
  Scenario scenario;
  std::vector<std::string> keys{"simulation.days", "markets.ng.risk.score.block_above"};
  std::vector<std::vector<std::string>> values{{"3", "0.5"}, {"3", "0.7"}, {"3", "0.9"}};
  std::vector<std::vector<MarketEstimates>> estimates;
  std::vector<std::string> hashes{"hash0", "hash1", "hash2"};

  ThresholdSweep() {
    scenario.name = "threshold";
    scenario.description = "A <score> & its threshold";
    scenario.world.simulation.seed = 5;
    scenario.world.simulation.replications = 3;
    for (int point = 0; point < 3; ++point) {
      const double strictness = 1.0 / (point + 3.0);
      MarketEstimates ng{"ng",
                         {kpi("orders_completed", 1000.0 / 3.0 + point, 7.1),
                          kpi("gmv_usd", 123456.789 + point / 7.0, 1234.5678),
                          kpi("false_positive_rate", strictness / 10.0, 0.001 / 3.0),
                          kpi("fraud_loss_usd", 99.0 / 7.0, 2.0 / 3.0)}};
      if (point < 2) ng.kpis.push_back(kpi("catch_rate", 0.9 * strictness + 0.1, 0.02 / 3.0));
      estimates.push_back({ng});
    }
  }

  SweepReportInput input(SweepChart chart) const {
    return {&scenario, keys, values, estimates, hashes, chart};
  }
};

// sweep.csv of the same grid, read back: (point, market, kpi) -> mean, low, high as written.
std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string>> csv_numbers(
    const ThresholdSweep& sweep) {
  std::ostringstream csv;
  write_sweep_csv_header(csv, sweep.keys);
  for (std::size_t point = 0; point < sweep.values.size(); ++point)
    write_sweep_csv_rows(csv, point, sweep.values[point], sweep.estimates[point]);
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string>> numbers;
  std::istringstream lines(csv.str());
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::istringstream row(line);
    for (std::string field; std::getline(row, field, ',');)
      fields.push_back(field);
    // point, two keys, market, kpi, replications, mean, low, high
    numbers[{fields[0], fields[3], fields[4]}] = {fields[6], fields[7], fields[8]};
  }
  return numbers;
}

TEST(SweepReport, ARiskPolicySweepDrawsTheCatchRateAgainstGoodOrdersStopped) {
  const ThresholdSweep sweep;
  const SweepChart chart = default_sweep_chart(sweep.keys, sweep.values);
  ASSERT_TRUE(chart.x.has_value());
  EXPECT_EQ(chart.x->kpi, "false_positive_rate");
  EXPECT_EQ(chart.x->market, "");
  EXPECT_EQ(chart.y.kpi, "catch_rate");
  // A risk key fixed at one value is not swept: the first key that varies is drawn, with GMV.
  const std::vector<std::string> keys{"markets.ng.risk.score.block_above",
                                      "markets.ng.merchants.count"};
  const std::vector<std::vector<std::string>> values{{"0.9", "40"}, {"0.9", "60"}};
  const SweepChart other = default_sweep_chart(keys, values);
  EXPECT_FALSE(other.x.has_value());
  EXPECT_EQ(other.y.kpi, "gmv_usd");
  // markets.<code>.riskier is not the risk policy.
  const std::vector<std::string> lookalike{"markets.ng.riskier.x"};
  const std::vector<std::vector<std::string>> two{{"1"}, {"2"}};
  EXPECT_FALSE(default_sweep_chart(lookalike, two).x.has_value());
}

TEST(SweepReport, DrawnPointsAndTableCellsEqualSweepCsv) {
  const ThresholdSweep sweep;
  const std::string html =
      sweep_report_html(sweep.input(default_sweep_chart(sweep.keys, sweep.values)));
  const auto numbers = csv_numbers(sweep);
  const auto points = elements(html, R"(<circle [^>]*data-mark[^>]*>)");
  // The third point models no catch rate: it is not drawn.
  ASSERT_EQ(points.size(), 2u);
  for (std::size_t point = 0; point < points.size(); ++point) {
    const std::string index = std::to_string(point);
    const auto& x = numbers.at({index, "ng", "false_positive_rate"});
    const auto& y = numbers.at({index, "ng", "catch_rate"});
    EXPECT_EQ(points[point].at("data-x-mean"), x[0]);
    EXPECT_EQ(points[point].at("data-x-low"), x[1]);
    EXPECT_EQ(points[point].at("data-x-high"), x[2]);
    EXPECT_EQ(points[point].at("data-mean"), y[0]);
    EXPECT_EQ(points[point].at("data-low"), y[1]);
    EXPECT_EQ(points[point].at("data-high"), y[2]);
    EXPECT_EQ(points[point].at("data-series"), "ng");
  }
  // Only the swept key that varies labels a point.
  EXPECT_EQ(points[0].at("data-label"), "block_above=0.5");
  const auto cells = elements(html, R"(<td data-point="[^>]*>)");
  // 3 points x (false_positive_rate, catch_rate, gmv_usd, orders_completed, fraud_loss_usd),
  // less the catch rate the last point lacks.
  EXPECT_EQ(cells.size(), 14u);
  for (const auto& cell : cells) {
    const auto& csv =
        numbers.at({cell.at("data-point"), cell.at("data-market"), cell.at("data-kpi")});
    EXPECT_EQ(cell.at("data-mean"), csv[0]) << cell.at("data-kpi");
    EXPECT_EQ(cell.at("data-low"), csv[1]) << cell.at("data-kpi");
    EXPECT_EQ(cell.at("data-high"), csv[2]) << cell.at("data-kpi");
  }
  // Absent, not zero: the missing catch rate is a dash.
  EXPECT_NE(html.find("<td>-</td>"), std::string::npos);
  EXPECT_EQ(html.find("net_revenue_usd"), std::string::npos);  // no point models it
  EXPECT_NE(html.find("data-charts-planned=\"1\""), std::string::npos);
}

TEST(SweepReport, TheHeaderNamesTheScenarioTheKeysAndEachPointsHash) {
  const ThresholdSweep sweep;
  const std::string html =
      sweep_report_html(sweep.input(default_sweep_chart(sweep.keys, sweep.values)));
  EXPECT_NE(html.find("<h1>p2psim sweep report: threshold</h1>"), std::string::npos);
  EXPECT_NE(html.find("A &lt;score&gt; &amp; its threshold"), std::string::npos);
  EXPECT_NE(html.find("<dt>seed</dt><dd>5</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dt>replications per point</dt><dd>3</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dt>markets.ng.risk.score.block_above</dt><dd>0.5, 0.7, 0.9</dd>"),
            std::string::npos);
  EXPECT_NE(html.find("<dt>simulation.days</dt><dd>3</dd>"), std::string::npos);
  EXPECT_NE(html.find("<td>hash2</td>"), std::string::npos);
  EXPECT_NE(html.find("<dt>p2psim version</dt>"), std::string::npos);
}

TEST(SweepReport, WithoutAKpiOnXTheSweptValueIsTheHorizontalAxis) {
  const ThresholdSweep sweep;
  const std::string html = sweep_report_html(sweep.input({std::nullopt, {"", "gmv_usd"}}));
  const auto points = elements(html, R"(<circle [^>]*data-mark[^>]*>)");
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[2].at("data-x-mean"), "0.9");
  EXPECT_EQ(points[2].at("data-mean"), csv_number(123456.789 + 2 / 7.0));
  EXPECT_NE(html.find(">markets.ng.risk.score.block_above</text>"), std::string::npos);
}

TEST(SweepReport, ASettingThatIsNotANumberIsDrawnByItsIndexAndLabelled) {
  ThresholdSweep sweep;
  sweep.keys = {"markets.ng.risk.strategies"};
  sweep.values = {{"[\"rules\"]"}, {"[\"score\"]"}, {"[\"rules\", \"score\"]"}};
  const std::string html = sweep_report_html(sweep.input({std::nullopt, {"ng", "gmv_usd"}}));
  const auto points = elements(html, R"(<circle [^>]*data-mark[^>]*>)");
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[1].at("data-x-mean"), "1");
  EXPECT_NE(html.find(">[&quot;rules&quot;, &quot;score&quot;]</text>"), std::string::npos);
}

TEST(SweepReport, SeveralSweptKeysGiveOneSeriesPerSettingOfTheOthers) {
  ThresholdSweep sweep;
  sweep.keys = {"markets.ng.risk.score.block_above", "markets.ng.merchants.count"};
  sweep.values = {{"0.5", "40"}, {"0.5", "60"}, {"0.9", "40"}};
  const std::string html = sweep_report_html(sweep.input({std::nullopt, {"", "gmv_usd"}}));
  const auto points = elements(html, R"(<circle [^>]*data-mark[^>]*>)");
  ASSERT_EQ(points.size(), 3u);
  // Drawn series by series: the two points of count=40, joined, then the one of count=60.
  EXPECT_EQ(points[0].at("data-series"), "ng \u00b7 count=40");
  EXPECT_EQ(points[1].at("data-series"), "ng \u00b7 count=40");
  EXPECT_EQ(points[1].at("data-label"), "block_above=0.9 count=40");
  EXPECT_EQ(points[2].at("data-series"), "ng \u00b7 count=60");
}

TEST(SweepReport, NoPointWithBothKpisWritesANoteInsteadOfAnEmptyChart) {
  const ThresholdSweep sweep;
  const std::string html =
      sweep_report_html(sweep.input({ChartKpi{"", "gmv_usd"}, ChartKpi{"", "net_revenue_usd"}}));
  EXPECT_NE(html.find("No chart: no point models both gmv_usd and net_revenue_usd."),
            std::string::npos);
  EXPECT_NE(html.find("data-charts-planned=\"0\""), std::string::npos);
}

TEST(SweepReport, AKpiOnBothAxesHasOneColumn) {
  const ThresholdSweep sweep;
  const std::string html =
      sweep_report_html(sweep.input({ChartKpi{"", "gmv_usd"}, ChartKpi{"", "gmv_usd"}}));
  const std::size_t first = html.find("<th>gmv_usd</th>");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(html.find("<th>gmv_usd</th>", first + 1), std::string::npos);
}

// What parse_chart_kpi says of `text`, or "(accepted)".
std::string chart_kpi_error(std::string_view option, const std::string& text,
                            std::span<const std::string> markets) {
  try {
    parse_chart_kpi(option, text, markets);
  } catch (const ChartKpiError& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(SweepReport, ChartKpisAreCatalogueKpisOfEachMarketOrOfOne) {
  const std::vector<std::string> markets{"ng", "ke", "all"};
  const ChartKpi each = parse_chart_kpi("--chart-x", "catch_rate", markets);
  EXPECT_EQ(each.market, "");
  EXPECT_EQ(each.kpi, "catch_rate");
  const ChartKpi one =
      parse_chart_kpi("--chart-y", "ke.fraud_loss_usd.typology.non_payment", markets);
  EXPECT_EQ(one.market, "ke");
  EXPECT_EQ(one.kpi, "fraud_loss_usd.typology.non_payment");
  EXPECT_EQ(chart_kpi_error("--chart-x", "gmv", markets),
            "--chart-x gmv: not a KPI; write a KPI of docs/kpis.md (e.g. catch_rate) for each "
            "market, or market.kpi (e.g. ng.catch_rate)");
  EXPECT_EQ(chart_kpi_error("--chart-y", "tz.gmv_usd", markets),
            "--chart-y tz.gmv_usd: the scenario has no market \"tz\" (its markets: ng, ke, all)");
}

}  // namespace
}  // namespace p2psim
