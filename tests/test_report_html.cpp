// report.html: its charts, its numbers (the same as summary.json's), and the experiment section
// that an experiment plugs into.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "amount_score_policy.hpp"
#include "experiment/run_experiment.hpp"
#include "experiment/run_replications.hpp"
#include "html_elements.hpp"
#include "report/comparison_csv.hpp"
#include "report/experiment_outputs.hpp"
#include "report/kpi_csv.hpp"
#include "report/report_html.hpp"
#include "report/summary_json.hpp"
#include "report/svg_chart.hpp"
#include "scenario/scenario_loader.hpp"
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
    ng.fraud[FraudTypology::kNonPayment].accounts_per_day = 5.0;
    scenario.world.markets = {ng, small_market("ke", "KES", 130.0)};
    RunOptions options;
    options.threads = 2;
    return run_replications(scenario, options);
  }();
  return result;
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

// The bars of the chart `id` in `html` (none when it is not drawn).
std::vector<std::map<std::string, std::string>> bars_of(const std::string& html,
                                                        const std::string& id) {
  const std::size_t start = html.find("id=\"" + id + "\"");
  if (start == std::string::npos) return {};
  const std::string chart = html.substr(start, html.find("</figure>", start) - start);
  return elements(chart, R"(<rect [^>]*data-mark[^>]*>)");
}

// Blocks orders above 150 USD at creation: fraud and genuine orders of every segment are stopped.
class LargeOrderBlock final : public RiskPolicy {
 public:
  RiskDecision decide(RiskStage stage, const OrderFeatures& features) const override {
    if (stage == RiskStage::kOrderCreation && features[RiskFeature::kAmountUsd] > 150.0) {
      return {.action = RiskAction::kBlock, .reason = 1};
    }
    return {};
  }
};

RunResult risk_run(std::shared_ptr<const RiskPolicy> policy) {
  Scenario scenario;
  scenario.name = "risk_report_test";
  scenario.world.simulation.days = 6;
  scenario.world.simulation.warmup_days = 1;
  scenario.world.simulation.replications = 3;
  scenario.world.simulation.seed = 78;
  MarketConfig ng = small_market("ng", "NGN");
  ng.fraud[FraudTypology::kNonPayment].accounts_per_day = 5.0;
  ng.risk = std::move(policy);
  scenario.world.markets = {ng};
  RunOptions options;
  options.threads = 2;
  return run_replications(scenario, options);
}

TEST(ReportHtml, ScoreCurveIsDrawnOnlyWhenAScoreRanksTheOrders) {
  const RunResult without = risk_run(std::make_shared<LargeOrderBlock>());
  EXPECT_EQ(report_html(without, summarize_run(without)).find("id=\"risk-score-curve\""),
            std::string::npos);
  const RunResult with = risk_run(std::make_shared<AmountScorePolicy>(150.0));
  const std::string html = report_html(with, summarize_run(with));
  const std::size_t start = html.find("id=\"risk-score-curve\"");
  ASSERT_NE(start, std::string::npos);
  const std::string chart = html.substr(start, html.find("</figure>", start) - start);
  const auto points = elements(chart, R"(<circle [^>]*data-x[^>]*>)");
  ASSERT_GT(points.size(), 2u);
  // From the strictest threshold to the loosest both shares only grow, up to every order.
  for (std::size_t i = 1; i < points.size(); ++i) {
    EXPECT_GE(std::stod(points[i].at("data-x")), std::stod(points[i - 1].at("data-x")));
    EXPECT_GE(std::stod(points[i].at("data-mean")), std::stod(points[i - 1].at("data-mean")));
  }
  EXPECT_EQ(points.back().at("data-x"), "100");
  EXPECT_EQ(points.back().at("data-mean"), "1");
}

TEST(ReportHtml, RiskSectionIsLeftOutWithoutAPolicy) {
  const RunResult& result = small_run();
  EXPECT_EQ(report_html(result, summarize_run(result)).find("id=\"risk\""), std::string::npos);
}

TEST(ReportHtml, RiskBarsEqualSummaryJson) {
  const RunResult result = risk_run(std::make_shared<LargeOrderBlock>());
  const RunSummary summary = summarize_run(result);
  const std::string html = report_html(result, summary);
  const nlohmann::json kpis =
      nlohmann::json::parse(summary_json_text(result, summary)).at("kpis").at("ng");
  const auto tiers = bars_of(html, "risk-catch-rate-kyc-tier-");
  ASSERT_FALSE(tiers.empty());
  for (const auto& bar : tiers) {
    const nlohmann::json& kpi = kpis.at("catch_rate.kyc_tier." + bar.at("data-label"));
    EXPECT_EQ(bar.at("data-mean"), json_number_text(kpi.at("mean"))) << bar.at("data-label");
  }
  const auto decisions = bars_of(html, "risk-decisions");
  const auto blocked = std::find_if(decisions.begin(), decisions.end(), [](const auto& bar) {
    return bar.at("data-label") == "order blocked: fraud";
  });
  ASSERT_NE(blocked, decisions.end());
  EXPECT_EQ(blocked->at("data-mean"), json_number_text(kpis.at("fraud_orders_blocked").at("mean")));
}

// A small Nigeria-like market (the preset, 2,000 users, 300 visitors a day, 15 merchants) with
// sybil rings, 3 replications of 6 days, then `more` (a campaign, an experiment) as TOML.
Scenario incentive_scenario(const std::string& more) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() /
      ("p2psim_test_report_incentives_" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file) << "name = \"incentive_report_test\"\ninclude = [\"" P2PSIM_SOURCE_DIR
                         "/scenarios/markets/ng.toml\"]\n"
                         "[simulation]\ndays = 6\nwarmup_days = 1\nreplications = 3\nseed = 79\n"
                         "[markets.ng.users]\ninitial_users = 2000\ndaily_visitors = 300\n"
                         "[markets.ng.merchants]\ncount = 15\n"
                         "[markets.ng.fraud.promotion_abuse]\naccounts_per_day = 4\n"
                      << more;
  Scenario scenario = load_scenario(file);
  std::filesystem::remove(file);
  return scenario;
}

constexpr const char* kBonusCampaign =
    "kind = \"new_user_bonus\"\nmarkets = [\"ng\"]\namount_usd = 5\n";

// The KPI behind each bar label of the incentive charts.
const std::map<std::string, std::string> kIncentiveBarKpis = {
    {"incentive cost", "incentive_cost_usd"},
    {"farmed by sybil rings", "fraud_loss_usd.typology.promotion_abuse"},
    {"fee revenue", "fee_revenue_usd"},
    {"net revenue", "net_revenue_usd"},
    {"abuser share of the cost", "incentive_cost_abuser_share"},
    {"first-trade share of GMV", "first_trade_gmv_share"},
    {"incentive ROI", "incentive_roi"}};

TEST(ReportHtml, IncentiveSectionIsLeftOutWithoutACampaign) {
  const RunResult& result = small_run();
  const RunSummary summary = summarize_run(result);
  const std::string html = report_html(result, summary);
  // Fees are modelled in every market; the campaign's KPIs are not, so there is no section.
  const nlohmann::json kpis =
      nlohmann::json::parse(summary_json_text(result, summary)).at("kpis").at("ng");
  EXPECT_TRUE(kpis.contains("fee_revenue_usd"));
  EXPECT_FALSE(kpis.contains("incentive_cost_usd"));
  EXPECT_EQ(html.find("id=\"incentives\""), std::string::npos);
  EXPECT_EQ(html.find("<h2>Incentives</h2>"), std::string::npos);
  EXPECT_EQ(html.find("incentives-"), std::string::npos);
}

TEST(ReportHtml, IncentiveBarsAndDailyPointsEqualSummaryJson) {
  RunOptions options;
  options.threads = 2;
  const RunResult result = run_replications(
      incentive_scenario(std::string("[[incentives]]\n") + kBonusCampaign), options);
  const RunSummary summary = summarize_run(result);
  const std::string html = report_html(result, summary);
  const nlohmann::json kpis =
      nlohmann::json::parse(summary_json_text(result, summary)).at("kpis").at("ng");
  EXPECT_NE(html.find("<section id=\"incentives\"><h2>Incentives</h2>"), std::string::npos);
  std::size_t compared = 0;
  for (const auto& [id, count] : std::map<std::string, std::size_t>{
           {"incentives-money", 4}, {"incentives-shares", 2}, {"incentives-roi", 1}}) {
    const auto bars = bars_of(html, id);
    ASSERT_EQ(bars.size(), count) << id;
    for (const auto& bar : bars) {
      const nlohmann::json& kpi = kpis.at(kIncentiveBarKpis.at(bar.at("data-label")));
      EXPECT_EQ(bar.at("data-mean"), json_number_text(kpi.at("mean"))) << bar.at("data-label");
      EXPECT_EQ(bar.at("data-low"), json_number_text(kpi.at("low"))) << bar.at("data-label");
      EXPECT_EQ(bar.at("data-high"), json_number_text(kpi.at("high"))) << bar.at("data-label");
      ++compared;
    }
  }
  EXPECT_EQ(compared, 7u);
  EXPECT_GT(kpis.at("incentive_cost_usd").at("mean").get<double>(), 0.0);
  // incentive_cost_usd of each measured day: the mean over replications of daily_kpis.
  std::map<std::uint32_t, std::vector<double>> values;
  for (const DayKpis& day : daily_kpis(result)) {
    for (const MarketKpis& market : day.markets) {
      for (const KpiValue& kpi : market.kpis) {
        if (market.market == "ng" && kpi.name == "incentive_cost_usd")
          values[day.day].push_back(kpi.value);
      }
    }
  }
  const std::size_t start = html.find("id=\"incentives-incentive-cost-usd\"");
  ASSERT_NE(start, std::string::npos);
  const auto points =
      elements(html.substr(start, html.find("</figure>", start) - start), R"(<circle [^>]*>)");
  ASSERT_EQ(points.size(), values.size());
  std::size_t index = 0;
  for (const auto& [day, samples] : values) {
    EXPECT_EQ(points[index].at("data-x"), std::to_string(day));
    EXPECT_EQ(points[index].at("data-mean"), csv_number(estimate_mean(samples).mean));
    ++index;
  }
  EXPECT_NE(html.find("id=\"incentives-net-revenue-usd\""), std::string::npos);
  // 6 daily, 1 funnel, 3 losses, 4 liquidity and the 5 incentive charts.
  EXPECT_NE(html.find("data-charts-planned=\"19\""), std::string::npos);
  EXPECT_FALSE(has_nan(html));
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

// A small worlds-design experiment: control against 1.5 x the visitors, 3 replications of 5 days,
// fill_rate secondary and cancellation_rate a guardrail, so every part of the section has rows.
const ExperimentResult& small_experiment() {
  static const ExperimentResult result = [] {
    Scenario scenario;
    scenario.name = "experiment_report_test";
    scenario.world.simulation.days = 5;
    scenario.world.simulation.warmup_days = 1;
    scenario.world.simulation.seed = 17;
    scenario.world.markets = {small_market("ng", "NGN")};
    ExperimentConfig experiment;
    experiment.replications = 3;
    experiment.primary = {"ng", "gmv_usd"};
    experiment.secondary = {{"ng", "fill_rate"}, {"ng", "orders_created"}};
    experiment.guardrails = {{{"ng", "cancellation_rate"}, 0.10}};
    experiment.arms.push_back({"control", scenario.world});
    experiment.arms.push_back({"more_visitors", scenario.world});
    experiment.arms[1].world.markets[0].users.daily_visitors *= 1.5;
    scenario.experiment = experiment;
    RunOptions options;
    options.threads = 2;
    return run_experiment(scenario, options);
  }();
  return result;
}

// An attribute of the report ("" is NaN, as in comparison.csv) or a JSON number (null is NaN).
double number(const std::string& text) {
  return text.empty() ? kNaN : std::stod(text);
}
double number(const nlohmann::json& value) {
  return value.is_null() ? kNaN : value.get<double>();
}

// Equal as numbers, NaN equal to NaN; both sides print the same double in shortest form.
void expect_same(double report, double expected, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(report)) << what;
  } else {
    EXPECT_DOUBLE_EQ(report, expected) << what;
  }
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t comma = line.find(','); comma != std::string::npos;
       comma = line.find(',', start)) {
    fields.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
  fields.push_back(line.substr(start));
  return fields;
}

TEST(ExperimentReport, ComparisonTableHasSummaryJsonNumbers) {
  const ExperimentResult& result = small_experiment();
  const ExperimentAnalysis analysis = analyze_experiment(result);
  const nlohmann::json summary =
      nlohmann::json::parse(experiment_summary_json(result, analysis).dump());
  const std::string html = report_html(result, analysis);
  const auto rows = elements(html, R"(<tr data-arm="[^>]*>)");
  std::size_t compared = 0;
  for (const nlohmann::json& expected : summary.at("comparisons")) {
    if (!expected.contains("difference")) continue;  // the control's own rows
    ++compared;
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& attributes) {
      return attributes.at("data-arm") == expected.at("arm") &&
             attributes.at("data-market") == expected.at("market") &&
             attributes.at("data-kpi") == expected.at("kpi");
    });
    const std::string what = expected.at("kpi").get<std::string>();
    ASSERT_NE(row, rows.end()) << what;
    EXPECT_EQ(row->at("data-role"), expected.at("role")) << what;
    expect_same(number(row->at("data-mean")), number(expected.at("mean")), what);
    for (const char* field : {"difference", "difference_low", "difference_high", "relative",
                              "relative_low", "relative_high"}) {
      std::string attribute = std::string("data-") + field;
      std::replace(attribute.begin(), attribute.end(), '_', '-');
      expect_same(number(row->at(attribute)), number(expected.at(field)), what + " " + field);
    }
    expect_same(number(row->at("data-p")), number(expected.at("p_value")), what);
    expect_same(number(row->at("data-adjusted-p")), number(expected.at("adjusted_p_value")), what);
    // The control mean is the control arm's mean of the same KPI.
    for (const nlohmann::json& control : summary.at("comparisons")) {
      if (control.at("arm") == "control" && control.at("market") == expected.at("market") &&
          control.at("kpi") == expected.at("kpi"))
        expect_same(number(row->at("data-control-mean")), number(control.at("mean")), what);
    }
    if (expected.contains("guardrail")) {
      EXPECT_EQ(row->at("data-guardrail"),
                expected.at("guardrail").at("verdict").get<std::string>());
    }
  }
  EXPECT_EQ(rows.size(), compared);
  EXPECT_GT(compared, 20u);
  for (const nlohmann::json& decision : summary.at("decisions")) {
    EXPECT_NE(
        html.find(fmt::format("Decision for {}: {} ({}).", decision.at("arm").get<std::string>(),
                              decision.at("decision").get<std::string>(),
                              html_escape(decision.at("reason").get<std::string>()))),
        std::string::npos);
  }
  EXPECT_FALSE(has_nan(html));
}

TEST(ExperimentReport, TableAndForestPlotMatchComparisonCsv) {
  const ExperimentResult& result = small_experiment();
  const ExperimentAnalysis analysis = analyze_experiment(result);
  const std::string html = report_html(result, analysis);
  const auto rows = elements(html, R"(<tr data-arm="[^>]*>)");
  const std::size_t forest = html.find("id=\"forest-effects\"");
  ASSERT_NE(forest, std::string::npos);
  const std::string plot = html.substr(forest, html.find("</figure>", forest) - forest);
  const auto effects = elements(plot, R"(<rect [^>]*data-mark[^>]*>)");
  std::istringstream csv(comparison_csv(analysis));
  std::string line;
  std::getline(csv, line);
  const std::vector<std::string> header = split_csv_line(line);
  auto column = [&header](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  std::size_t drawn = 0;
  std::size_t compared = 0;
  while (std::getline(csv, line)) {
    const std::vector<std::string> fields = split_csv_line(line);
    if (fields[column("difference")].empty()) continue;
    ++compared;
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& attributes) {
      return attributes.at("data-arm") == fields[column("arm")] &&
             attributes.at("data-market") == fields[column("market")] &&
             attributes.at("data-kpi") == fields[column("kpi")];
    });
    ASSERT_NE(row, rows.end()) << line;
    EXPECT_EQ(row->at("data-role"), fields[column("role")]);
    EXPECT_EQ(row->at("data-difference-low"), fields[column("difference_low")]);
    EXPECT_EQ(row->at("data-relative"), fields[column("relative")]);
    EXPECT_EQ(row->at("data-relative-high"), fields[column("relative_high")]);
    EXPECT_EQ(row->at("data-p"), fields[column("p_value")]);
    EXPECT_EQ(row->at("data-adjusted-p"), fields[column("adjusted_p_value")]);
    EXPECT_EQ(row->at("data-guardrail"), fields[column("guardrail")]);
    // Each declared KPI with a finite relative interval is one effect of the forest plot, in
    // the order of comparison.csv.
    if (fields[column("role")] == "other" || fields[column("relative_low")].empty()) continue;
    ASSERT_LT(drawn, effects.size());
    EXPECT_EQ(effects[drawn].at("data-mean"), fields[column("relative")]);
    EXPECT_EQ(effects[drawn].at("data-low"), fields[column("relative_low")]);
    EXPECT_EQ(effects[drawn].at("data-high"), fields[column("relative_high")]);
    ++drawn;
  }
  EXPECT_EQ(compared, rows.size());
  EXPECT_EQ(drawn, effects.size());
  EXPECT_EQ(drawn, 4u);  // gmv_usd, fill_rate, orders_created, cancellation_rate
}

TEST(ExperimentReport, EachArmHasItsSeriesFunnelAndKpis) {
  const ExperimentResult& result = small_experiment();
  const ExperimentAnalysis analysis = analyze_experiment(result);
  const std::string html = report_html(result, analysis);
  EXPECT_EQ(html.find("No experiment"), std::string::npos);
  // The header names the experiment's scenario, not the control arm's world.
  EXPECT_NE(html.find("<h1>p2psim report: experiment_report_test</h1>"), std::string::npos);
  // Per arm, the KPI table holds the arm's mean over its replications: the analysis' value.
  for (const ComparisonRow& row : analysis.rows) {
    if (row.kpi != "gmv_usd" && row.kpi != "completed_first_order") continue;
    const auto cells =
        elements(html, fmt::format(R"(<td data-market="ng" data-kpi="{}"[^>]*>)", row.kpi));
    ASSERT_EQ(cells.size(), 2u);  // one table per arm, control first
    expect_same(number(cells[row.arm == "control" ? 0 : 1].at("data-mean")), row.value.mean,
                row.arm + " " + row.kpi);
  }
  // The funnel draws a bar per stage and arm, each with the arm's interval.
  const std::size_t funnel = html.find("id=\"funnel-ng\"");
  ASSERT_NE(funnel, std::string::npos);
  const std::string chart = html.substr(funnel, html.find("</figure>", funnel) - funnel);
  const auto bars = elements(chart, R"(<rect [^>]*data-mark[^>]*>)");
  EXPECT_GE(bars.size(), 2u * 5u);  // at least visitors to completed_first_order, both arms
  EXPECT_EQ(bars.size() % 2, 0u);
  // The daily charts have one series per arm.
  EXPECT_NE(html.find(">more_visitors<"), std::string::npos);
  EXPECT_NE(html.find("data-charts-planned=\""), std::string::npos);
}

TEST(ExperimentReport, IncentiveSectionShowsEachArmAndNoCostWhereNoCampaignRan) {
  Scenario scenario = incentive_scenario(
      std::string("[experiment]\ndesign = \"worlds\"\nreplications = 3\n"
                  "[experiment.arms.control]\n[[experiment.arms.bonus.incentives]]\n") +
      kBonusCampaign);
  RunOptions options;
  options.threads = 2;
  const ExperimentResult result = run_experiment(scenario, options);
  const ExperimentAnalysis analysis = analyze_experiment(result);
  const std::string html = report_html(result, analysis);
  const nlohmann::json summary =
      nlohmann::json::parse(experiment_summary_json(result, analysis).dump());
  // The mean of `kpi` in `arm` as summary.json's comparison rows give it.
  const auto json_mean = [&summary](const std::string& arm, const std::string& kpi) {
    for (const nlohmann::json& row : summary.at("comparisons")) {
      if (row.at("arm") == arm && row.at("market") == "ng" && row.at("kpi") == kpi)
        return json_number_text(row.at("mean"));
    }
    return std::string("(absent)");
  };
  ASSERT_NE(html.find("<section id=\"incentives\">"), std::string::npos);
  const auto money = bars_of(html, "incentives-money");
  std::vector<std::string> labels;
  for (const auto& bar : money)
    labels.push_back(bar.at("data-label"));
  // The control ran no campaign: its cost is absent, not 0; fees and losses are in both arms.
  EXPECT_EQ(labels, (std::vector<std::string>{"incentive cost", "farmed by sybil rings",
                                              "farmed by sybil rings", "fee revenue", "fee revenue",
                                              "net revenue", "net revenue"}));
  ASSERT_EQ(money.size(), 7u);
  EXPECT_EQ(money[0].at("data-mean"), json_mean("bonus", "incentive_cost_usd"));
  EXPECT_EQ(money[3].at("data-mean"), json_mean("control", "fee_revenue_usd"));
  EXPECT_EQ(money[4].at("data-mean"), json_mean("bonus", "fee_revenue_usd"));
  EXPECT_EQ(money[6].at("data-mean"), json_mean("bonus", "net_revenue_usd"));
  // Bars are coloured by arm, and the legend names both.
  EXPECT_NE(money[3].at("fill"), money[4].at("fill"));
  EXPECT_EQ(money[0].at("fill"), money[4].at("fill"));
  const auto roi = bars_of(html, "incentives-roi");
  ASSERT_EQ(roi.size(), 1u);
  EXPECT_EQ(roi[0].at("data-mean"), json_mean("bonus", "incentive_roi"));
  EXPECT_FALSE(has_nan(html));
}

TEST(ExperimentReport, MarketSplitShowsItsEstimateAgainstTheTrueEffect) {
  Scenario scenario;
  scenario.name = "split_report_test";
  scenario.world.simulation.days = 4;
  scenario.world.simulation.warmup_days = 1;
  scenario.world.simulation.seed = 5;
  for (const char* code : {"aa", "bb", "cc", "dd"})
    scenario.world.markets.push_back(small_market(code, "NGN"));
  ExperimentConfig experiment;
  experiment.design = ExperimentDesign::kMarketSplit;
  experiment.compare_with_worlds = true;
  experiment.replications = 2;
  experiment.primary = {"all", "gmv_usd"};
  experiment.arms.push_back({"control", scenario.world});
  experiment.arms.push_back({"campaign", scenario.world});
  for (MarketConfig& market : experiment.arms[1].world.markets)
    market.users.daily_visitors *= 1.5;
  scenario.experiment = experiment;
  RunOptions options;
  options.threads = 2;
  const ExperimentResult result = run_experiment(scenario, options);
  const SplitAnalysis split = analyze_split(result);
  const std::string html = report_html(result, split);
  const auto rows = elements(html, R"(<tr data-market="[^>]*>)");
  ASSERT_EQ(rows.size(), split.rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    EXPECT_EQ(rows[r].at("data-market"), split.rows[r].market);
    EXPECT_EQ(rows[r].at("data-kpi"), split.rows[r].kpi);
    expect_same(number(rows[r].at("data-estimate")), split.rows[r].estimate.mean,
                split.rows[r].kpi);
    expect_same(number(rows[r].at("data-true-effect")), split.rows[r].true_effect,
                split.rows[r].kpi);
  }
  // The arms' worlds and the split world are the report's arms.
  EXPECT_NE(html.find("<table class=\"kpis\" data-arm=\"split\">"), std::string::npos);
  EXPECT_NE(html.find("<table class=\"kpis\" data-arm=\"campaign (world)\">"), std::string::npos);
  EXPECT_FALSE(has_nan(html));
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

TEST(SvgChart, NegativeBarsGrowFromZeroWithinTheAxis) {
  BarChart chart{"negative", "ROI", "multiple", AxisFormat::kNumber, {}, {}};
  chart.bars.push_back({"roi", {-0.965, -0.97, -0.96, 2}, 0});
  const std::string svg = bar_chart_svg(chart);
  // The axis ends at 0, so the bar runs from x(-0.965) to x(0) inside the plot, no further.
  EXPECT_NE(svg.find(">0</text>"), std::string::npos);
  const auto bars = elements(svg, R"(<rect [^>]*data-mark[^>]*>)");
  ASSERT_EQ(bars.size(), 1u);
  const double right = std::stod(bars[0].at("x")) + std::stod(bars[0].at("width"));
  std::smatch view_box;
  ASSERT_TRUE(std::regex_search(svg, view_box, std::regex(R"(viewBox="0 0 ([0-9.]+) )")));
  EXPECT_LE(right, std::stod(view_box[1]));
  EXPECT_GT(std::stod(bars[0].at("width")), 0.0);
}

// The x of each effect's square (its centre) and of the zero line in a forest plot.
std::vector<double> effect_centres(const std::string& svg) {
  std::vector<double> centres;
  for (const auto& square : elements(svg, R"(<rect [^>]*data-label[^>]*>)"))
    centres.push_back(std::stod(square.at("x")) + 4.0);
  return centres;
}

double zero_line(const std::string& svg) {
  std::smatch line;
  EXPECT_TRUE(
      std::regex_search(svg, line, std::regex(R"re(<line class="zero" x1="([-0-9.]+)")re")));
  return line.empty() ? std::nan("") : std::stod(line[1]);
}

TEST(SvgChart, AForestPlotWithAnOutlierKeepsEveryOtherEffectOffTheZeroLine) {
  // One KPI with a control near 0 moves +493,200%; the others move by -2% to +5%. On a linear
  // axis they would all sit within a pixel of 0; on the symmetric log axis each is more than its
  // square's half-width (4 px) off the line, on its own side.
  ForestPlot chart{"effects", "Effects", "relative difference (%)", AxisFormat::kPercent, {}};
  chart.effects = {{"outlier", 4932.0, 4000.0, 5900.0},
                   {"gmv", 0.05, 0.04, 0.06},
                   {"fill", -0.02, -0.03, -0.01},
                   {"completion", 0.003, 0.001, 0.005}};
  const std::string svg = forest_plot_svg(chart);
  EXPECT_NE(svg.find("symmetric log scale"), std::string::npos);
  const std::vector<double> centres = effect_centres(svg);
  ASSERT_EQ(centres.size(), 4u);
  const double zero = zero_line(svg);
  for (std::size_t i = 0; i < centres.size(); ++i) {
    const double offset = centres[i] - zero;
    EXPECT_GT(std::fabs(offset), 4.0) << chart.effects[i].label;
    EXPECT_EQ(offset > 0.0, chart.effects[i].estimate > 0.0) << chart.effects[i].label;
  }
  // Order is kept: the outlier furthest right, then gmv, completion, and fill left of 0.
  EXPECT_GT(centres[0], centres[1]);
  EXPECT_GT(centres[1], centres[3]);
  EXPECT_GT(centres[3], centres[2]);
  // Without the outlier the axis stays linear.
  chart.effects.erase(chart.effects.begin());
  EXPECT_EQ(forest_plot_svg(chart).find("symmetric log scale"), std::string::npos);
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
