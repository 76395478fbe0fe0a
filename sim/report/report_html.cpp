#include "report/report_html.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cassert>
#include <cctype>
#include <cmath>
#include <map>

#include "metrics/kpis.hpp"
#include "report/html_page.hpp"
#include "report/kpi_chart_parts.hpp"
#include "report/kpi_csv.hpp"
#include "report/kpi_format.hpp"
#include "report/svg_chart.hpp"
#include "scenario/scenario_json.hpp"
#include "version.hpp"

namespace p2psim {
namespace {

// The KPIs drawn day by day. Volume and losses first, then the market's liquidity.
const std::vector<std::string> kDailyKpis = {"orders_created",    "orders_completed",
                                             "completion_rate",   "gmv_usd",
                                             "cancellation_rate", "fraud_loss_usd"};
const std::vector<std::string> kLiquidityKpis = {"avg_spread_bps", "fill_rate", "active_merchants",
                                                 "merchant_pnl"};
const std::vector<std::string> kFunnelStages = {"visitors",
                                                "registered",
                                                "kyc_verified",
                                                "placed_first_order",
                                                "completed_first_order",
                                                "repeat_within_7d",
                                                "repeat_within_30d"};

struct Breakdown {
  std::string stem;
  std::string title;
};
const std::vector<Breakdown> kLossBreakdowns = {
    {"fraud_loss_usd.typology.", "Fraud losses by typology"},
    {"fraud_loss_usd.method.", "Fraud losses by payment method"},
    {"fraud_loss_usd.bearer.", "Fraud losses by who bears them"}};
const std::vector<Breakdown> kCatchBreakdowns = {
    {"catch_rate.typology.", "Catch rate by fraud typology"},
    {"catch_rate.kyc_tier.", "Catch rate by KYC tier"},
    {"catch_rate.account_age.", "Catch rate by account age"},
    {"catch_rate.method.", "Catch rate by payment method"}};
const std::vector<Breakdown> kFalsePositiveBreakdowns = {
    {"false_positive_rate.kyc_tier.", "False-positive rate by KYC tier"},
    {"false_positive_rate.account_age.", "False-positive rate by account age"},
    {"false_positive_rate.method.", "False-positive rate by payment method"}};
// A KPI drawn as a bar, with a label short enough for the chart's label column.
struct LabelledKpi {
  std::string kpi;
  std::string label;
};
// The policy's decisions, in the order an attempt meets them.
const std::vector<LabelledKpi> kRiskDecisions = {
    {"signups_blocked_genuine", "sign-up blocked: genuine"},
    {"signups_blocked_fraud", "sign-up blocked: fraud"},
    {"good_orders_blocked", "order blocked: genuine"},
    {"fraud_orders_blocked", "order blocked: fraud"},
    {"orders_limited", "order limited"},
    {"orders_stepped_up", "step-up asked"},
    {"good_orders_abandoned_at_step_up", "step-up: genuine gave up"},
    {"fraud_orders_failed_step_up", "step-up: fraud failed"},
    {"orders_sent_to_review", "sent to review"},
    {"orders_reviewed", "reviewed"},
    {"review_abandoned", "left the review queue"},
    {"orders_held", "release held"},
    {"accounts_banned_genuine", "account banned: genuine"},
    {"accounts_banned_fraud", "account banned: fraud"}};
const std::vector<std::string> kRiskDailyKpis = {"orders_sent_to_review", "review_queue_wait",
                                                 "catch_rate", "false_positive_rate"};
// What the growth incentives cost and brought back (docs/kpis.md, Money), one chart per unit:
// the money in USD, the shares in %, the return as a multiple of the cost.
const std::vector<LabelledKpi> kIncentiveMoney = {
    {"incentive_cost_usd", "incentive cost"},
    {"fraud_loss_usd.typology.promotion_abuse", "farmed by sybil rings"},
    {"fee_revenue_usd", "fee revenue"},
    {"net_revenue_usd", "net revenue"}};
const std::vector<LabelledKpi> kIncentiveShares = {
    {"incentive_cost_abuser_share", "abuser share of the cost"},
    {"first_trade_gmv_share", "first-trade share of GMV"}};
const std::vector<LabelledKpi> kIncentiveReturn = {{"incentive_roi", "incentive ROI"}};
const std::vector<std::string> kIncentiveDailyKpis = {"incentive_cost_usd", "net_revenue_usd"};

std::string_view unit_of(const std::string& kpi) {
  return kpi_unit(kpi);
}

// "ng", "B", or "ng · B": the arm is named only when there are several.
std::string series_label(const ReportInput& input, const std::string& market, const ReportArm& arm,
                         bool several_markets) {
  const bool several_arms = input.arms.size() > 1;
  if (several_arms && several_markets) return market + " \u00b7 " + arm.name;
  if (several_arms) return arm.name;
  return market;
}

// Per market and KPI, the values of each measured day over the replications.
using DailyValues =
    std::map<std::pair<std::string, std::string>, std::map<std::uint32_t, std::vector<double>>>;

DailyValues collect_daily(const RunResult& result, const std::vector<std::string>& kpis) {
  DailyValues values;
  for_each_measured_day(result, [&](const DayKpis& day) {
    for (const MarketKpis& market : day.markets) {
      for (const KpiValue& kpi : market.kpis) {
        if (std::find(kpis.begin(), kpis.end(), kpi.name) == kpis.end()) continue;
        values[{market.market, kpi.name}][day.day].push_back(kpi.value);
      }
    }
  });
  return values;
}

std::vector<LinePoint> daily_points(const DailyValues& values, const std::string& market,
                                    const std::string& kpi) {
  std::vector<LinePoint> points;
  auto found = values.find({market, kpi});
  if (found == values.end()) return points;
  for (const auto& [day, samples] : found->second) {
    points.push_back({static_cast<double>(day), estimate_kpi(samples, kpi)});
  }
  return points;
}

std::string chart_id(std::string_view prefix, const std::string& name) {
  std::string id(prefix);
  id += '-';
  for (char character : name)
    id += std::isalnum(static_cast<unsigned char>(character)) ? character : '-';
  return id;
}

std::string note(const std::string& text) {
  return fmt::format("<p class=\"note\">{}</p>\n", html_escape(text));
}

std::string daily_charts(const ReportInput& input, const std::vector<std::string>& kpis,
                         std::string_view id_prefix) {
  std::vector<DailyValues> per_arm;
  for (const ReportArm& arm : input.arms)
    per_arm.push_back(collect_daily(*arm.result, kpis));
  const std::vector<std::string> markets = drawn_markets(*input.arms[0].summary);
  std::string html = "<div class=\"charts\">\n";
  std::vector<std::string> missing;
  for (const std::string& kpi : kpis) {
    LineChart chart{chart_id(id_prefix, kpi),
                    kpi + " per day, mean and 95% interval over replications",
                    "day of the run (days; warm-up excluded)",
                    kpi_axis_label(kpi, true),
                    kpi_axis_format(kpi),
                    {}};
    for (const std::string& market : markets) {
      for (std::size_t a = 0; a < input.arms.size(); ++a) {
        std::vector<LinePoint> points = daily_points(per_arm[a], market, kpi);
        if (points.empty()) continue;
        chart.series.push_back(
            {series_label(input, market, input.arms[a], markets.size() > 1), std::move(points)});
      }
    }
    if (chart.series.empty()) {
      missing.push_back(kpi);
    } else {
      html += line_chart_svg(chart);
    }
  }
  html += "</div>\n";
  if (!missing.empty()) {
    std::string names;
    for (const std::string& name : missing)
      names += (names.empty() ? "" : ", ") + name;
    html += note("Not drawn, as no measured day produced them: " + names + ".");
  }
  return html;
}

std::string funnel_charts(const ReportInput& input) {
  std::string html = "<div class=\"charts\">\n";
  std::vector<std::string> legend;
  if (input.arms.size() > 1) {
    for (const ReportArm& arm : input.arms)
      legend.push_back(arm.name);
  }
  for (const std::string& market : drawn_markets(*input.arms[0].summary)) {
    BarChart chart{chart_id("funnel", market),
                   "Funnel of market " + market + ", mean and 95% interval over replications",
                   "users reaching the stage (count over the measured period)",
                   AxisFormat::kNumber,
                   {},
                   legend};
    for (const std::string& stage : kFunnelStages) {
      for (std::size_t a = 0; a < input.arms.size(); ++a) {
        const Estimate* estimate = find_estimate(*input.arms[a].summary, market, stage);
        if (estimate != nullptr) chart.bars.push_back({stage, *estimate, a});
      }
    }
    if (!chart.bars.empty()) html += bar_chart_svg(chart);
  }
  return html + "</div>\n";
}

// The categories of a breakdown (typologies, methods, bearers) in a market, in KPI order.
std::vector<std::string> breakdown_kpis(const RunSummary& summary, const std::string& market,
                                        const std::string& stem) {
  std::vector<std::string> names;
  for (const MarketEstimates& estimates : summary.estimates) {
    if (estimates.market != market) continue;
    for (const KpiEstimate& estimate : estimates.kpis) {
      if (estimate.name.rfind(stem, 0) == 0) names.push_back(estimate.name);
    }
  }
  return names;
}

// One bar per category of a breakdown (fraud_loss_usd.typology.<t>, catch_rate.kyc_tier.<k>),
// market and arm; empty when no market produced it.
std::string breakdown_chart(const ReportInput& input, std::string_view section,
                            const Breakdown& breakdown, const std::string& value_label,
                            AxisFormat format) {
  const std::vector<std::string> markets = drawn_markets(*input.arms[0].summary);
  const bool several_markets = markets.size() > 1;
  const bool several_arms = input.arms.size() > 1;
  BarChart chart{chart_id(section, breakdown.stem),
                 breakdown.title + ", mean and 95% interval",
                 value_label,
                 format,
                 {},
                 {}};
  if (several_arms) {
    for (const ReportArm& arm : input.arms)
      chart.legend.push_back(arm.name);
  } else if (several_markets) {
    chart.legend = markets;
  }
  for (std::size_t m = 0; m < markets.size(); ++m) {
    for (const std::string& kpi :
         breakdown_kpis(*input.arms[0].summary, markets[m], breakdown.stem)) {
      const std::string category = kpi.substr(breakdown.stem.size());
      const std::string label = several_markets ? markets[m] + " \u00b7 " + category : category;
      for (std::size_t a = 0; a < input.arms.size(); ++a) {
        const Estimate* estimate = find_estimate(*input.arms[a].summary, markets[m], kpi);
        if (estimate != nullptr) chart.bars.push_back({label, *estimate, several_arms ? a : m});
      }
    }
  }
  return chart.bars.empty() ? "" : bar_chart_svg(chart);
}

std::string loss_charts(const ReportInput& input) {
  std::string html = "<div class=\"charts\">\n";
  for (const Breakdown& breakdown : kLossBreakdowns) {
    html += breakdown_chart(input, "losses", breakdown,
                            "fraud_loss_usd (USD over the measured period)", AxisFormat::kNumber);
  }
  return html + "</div>\n";
}

// One bar per KPI of `kpis`, market and arm (an arm or market without the KPI has no bar);
// empty when none has any. The bars of one KPI stand together.
std::string kpi_bars_chart(const ReportInput& input, BarChart chart,
                           const std::vector<LabelledKpi>& kpis) {
  const std::vector<std::string> markets = drawn_markets(*input.arms[0].summary);
  const bool several_markets = markets.size() > 1;
  const bool several_arms = input.arms.size() > 1;
  if (several_arms) {
    for (const ReportArm& arm : input.arms)
      chart.legend.push_back(arm.name);
  } else if (several_markets) {
    chart.legend = markets;
  }
  for (const LabelledKpi& kpi : kpis) {
    for (std::size_t m = 0; m < markets.size(); ++m) {
      const std::string label = several_markets ? markets[m] + " \u00b7 " + kpi.label : kpi.label;
      for (std::size_t a = 0; a < input.arms.size(); ++a) {
        const Estimate* estimate = find_estimate(*input.arms[a].summary, markets[m], kpi.kpi);
        if (estimate != nullptr) chart.bars.push_back({label, *estimate, several_arms ? a : m});
      }
    }
  }
  return chart.bars.empty() ? "" : bar_chart_svg(chart);
}

// What the policy did, stage by stage.
std::string decisions_chart(const ReportInput& input) {
  return kpi_bars_chart(input,
                        {"risk-decisions",
                         "Decisions by stage, mean and 95% interval",
                         "orders or accounts (count over the measured period)",
                         AxisFormat::kNumber,
                         {},
                         {}},
                        kRiskDecisions);
}

// A market's scores over the measured period, pooled over the arm's replications.
ScoreHistogram pooled_scores(const RunResult& result, const std::string& market) {
  ScoreHistogram pooled;
  for (const ReplicationOutcome& replication : result.replications) {
    for (const MarketTally& tally : replication.markets) {
      if (tally.market == market) pooled.merge(tally.period.order_scores);
    }
  }
  return pooled;
}

// The score's curve, where a market's policy has a score: as its threshold moves, the share of
// fraud orders caught against the share of genuine orders stopped, one line per market and arm;
// empty without a score.
std::string score_curve_chart(const ReportInput& input) {
  LineChart chart{"risk-score-curve",
                  "The score's curve: fraud caught against genuine orders stopped, as the "
                  "threshold moves (orders screened at creation, all replications)",
                  "genuine orders scoring at or above the threshold (%)",
                  "fraud orders scoring at or above it (%)",
                  AxisFormat::kPercent,
                  {}};
  const bool several_arms = input.arms.size() > 1;
  for (const std::string& market : drawn_markets(*input.arms[0].summary)) {
    for (const ReportArm& arm : input.arms) {
      LineSeries series{several_arms ? market + " \u00b7 " + arm.name : market, {}};
      for (const ScoreHistogram::Point& point : pooled_scores(*arm.result, market).curve()) {
        const Estimate caught{point.fraud_caught, point.fraud_caught, point.fraud_caught, 1};
        series.points.push_back({100.0 * point.genuine_stopped, caught});
      }
      if (!series.points.empty()) chart.series.push_back(std::move(series));
    }
  }
  return chart.series.empty() ? "" : line_chart_svg(chart);
}

// Only when some market has a risk policy: without one the risk KPIs are not modelled.
std::string risk_section(const ReportInput& input) {
  bool screened = false;
  for (const std::string& market : drawn_markets(*input.arms[0].summary)) {
    for (const ReportArm& arm : input.arms)
      screened = screened || find_estimate(*arm.summary, market, "fraud_orders_blocked") != nullptr;
  }
  if (!screened) return "";
  std::string html = "<section id=\"risk\"><h2>Risk policy</h2>\n";
  html += note(
      "What the markets' risk policies decided, and how well by segment: the catch rate is "
      "the share of fraudulent orders screened at creation that were stopped (blocked by the "
      "policy or a reviewer, or failed at step-up); the false-positive rate the share of "
      "genuine orders screened that were blocked. Segments: the account's KYC tier and age "
      "(under 7 days, 7-30, older), the order's payment method, the fraud's typology "
      "(docs/kpis.md, Risk by segment).");
  html += "<div class=\"charts\">\n" + decisions_chart(input) + score_curve_chart(input);
  for (const Breakdown& breakdown : kCatchBreakdowns)
    html += breakdown_chart(input, "risk", breakdown, "catch_rate (%)", AxisFormat::kPercent);
  for (const Breakdown& breakdown : kFalsePositiveBreakdowns)
    html +=
        breakdown_chart(input, "risk", breakdown, "false_positive_rate (%)", AxisFormat::kPercent);
  html += "</div>\n";
  html += "<h3>Manual review and the catch rate, day by day</h3>\n";
  html += daily_charts(input, kRiskDailyKpis, "risk");
  return html + "</section>\n";
}

// Whether some arm ran an incentive campaign in a drawn market: without one the incentive KPIs
// are not modelled (absent), and there is nothing to show.
bool any_campaign(const ReportInput& input) {
  for (const std::string& market : drawn_markets(*input.arms[0].summary)) {
    for (const ReportArm& arm : input.arms) {
      if (find_estimate(*arm.summary, market, "incentive_cost_usd") != nullptr) return true;
    }
  }
  return false;
}

std::string incentive_section(const ReportInput& input) {
  if (!any_campaign(input)) return "";
  std::string html = "<section id=\"incentives\"><h2>Incentives</h2>\n";
  html += note(
      "What the growth incentive campaigns cost and brought back over the measured period: the "
      "cost is the taker fees waived plus the bonuses and rebates paid; the sybil rings' farmed "
      "bonuses are part of it; net revenue is the fees charged less the payouts and the fraud "
      "losses the platform bears. The ROI credits the incentives with every fee their "
      "recipients paid; an experiment with and without the campaign gives the incremental "
      "effect (docs/kpis.md, Money). Incentive KPIs are absent where no campaign ran.");
  html += "<div class=\"charts\">\n";
  html += kpi_bars_chart(input,
                         {"incentives-money",
                          "Incentive cost and revenue, mean and 95% interval",
                          "USD over the measured period",
                          AxisFormat::kNumber,
                          {},
                          {}},
                         kIncentiveMoney);
  html += kpi_bars_chart(input,
                         {"incentives-shares",
                          "Abusers' share of the cost and first trades' share of GMV, mean and "
                          "95% interval",
                          "share (%)",
                          AxisFormat::kPercent,
                          {},
                          {}},
                         kIncentiveShares);
  html += kpi_bars_chart(input,
                         {"incentives-roi",
                          "Attribution ROI of the incentives, mean and 95% interval",
                          "incentive_roi (multiple of the cost; -1: no fee came back)",
                          AxisFormat::kNumber,
                          {},
                          {}},
                         kIncentiveReturn);
  html += "</div>\n<h3>Spend and net revenue, day by day</h3>\n";
  html += daily_charts(input, kIncentiveDailyKpis, "incentives");
  return html + "</section>\n";
}

std::string kpi_table(const ReportArm& arm, std::uint32_t replications) {
  const RunSummary& summary = *arm.summary;
  std::vector<std::string> order;
  for (const MarketEstimates& market : summary.estimates) {
    std::vector<std::string> names;
    for (const KpiEstimate& kpi : market.kpis)
      names.push_back(kpi.name);
    merge_name_order(order, names);
  }
  std::string html =
      fmt::format("<table class=\"kpis\" data-arm=\"{}\"><thead><tr><th>KPI</th><th>unit</th>",
                  html_escape(arm.name));
  for (const MarketEstimates& market : summary.estimates)
    html += fmt::format("<th>{}</th>", html_escape(market.market));
  html += "</tr></thead><tbody>\n";
  for (const std::string& kpi : order) {
    html += fmt::format("<tr><th>{}</th><td>{}</td>", html_escape(kpi), unit_of(kpi));
    for (const MarketEstimates& market : summary.estimates) {
      const Estimate* estimate = find_estimate(summary, market.market, kpi);
      if (estimate == nullptr) {
        html += "<td>-</td>";
        continue;
      }
      html += fmt::format(
          "<td data-market=\"{}\" data-kpi=\"{}\" data-mean=\"{}\" data-low=\"{}\" "
          "data-high=\"{}\" data-replications=\"{}\">{}</td>",
          html_escape(market.market), html_escape(kpi), csv_number(estimate->mean),
          csv_number(estimate->low), csv_number(estimate->high), estimate->count,
          html_escape(format_estimate(*estimate, unit_of(kpi), replications)));
    }
    html += "</tr>\n";
  }
  return html + "</tbody></table>\n";
}

std::string header(const ReportInput& input) {
  const RunResult& result = *input.arms[0].result;
  const Scenario& scenario = input.scenario != nullptr ? *input.scenario : result.scenario;
  const SimulationConfig& simulation = scenario.world.simulation;
  std::string markets;
  for (const MarketConfig& market : scenario.world.markets)
    markets += (markets.empty() ? "" : ", ") + market.code;
  std::string html = header_open("p2psim report: " + scenario.name, scenario.description);
  auto item = [&html](std::string_view term, const std::string& value) {
    html += header_item(term, value);
  };
  item("scenario", scenario.name);
  item("seed", std::to_string(simulation.seed));
  item("replications", std::to_string(result.replications.size()));
  item("days",
       fmt::format("{} ({} of warm-up, not measured)", simulation.days, simulation.warmup_days));
  item("markets", markets);
  item("scenario hash", scenario_hash(scenario));
  item("p2psim version", kVersion);
  return html + "</dl></header>\n";
}

// The control's row of the same market and KPI as `row`, whose mean the arm is compared with.
const ComparisonRow* control_row(const ExperimentReport& experiment, const ComparisonRow& row) {
  for (const ComparisonRow& candidate : experiment.comparisons) {
    if (candidate.arm == experiment.control && candidate.market == row.market &&
        candidate.kpi == row.kpi)
      return &candidate;
  }
  return nullptr;
}

std::string p_text(double p) {
  return std::isnan(p) ? "-" : fmt::format("{:.3g}", p);
}

std::string guardrail_text(const ComparisonRow& row) {
  if (!row.guardrail) return "-";
  return fmt::format("{} (worst {:+.1f}%)",
                     kGuardrailVerdictNames[static_cast<int>(row.guardrail->verdict)],
                     100.0 * row.guardrail->worst_change);
}

// One row of the comparison table; the data attributes carry the unrounded numbers (as in
// comparison.csv) for tests and scripts.
std::string comparison_table_row(const ExperimentReport& experiment, const ComparisonRow& row) {
  const Comparison& c = *row.comparison;
  const std::string_view unit = unit_of(row.kpi);
  const ComparisonRow* control = control_row(experiment, row);
  const double control_mean = control != nullptr ? control->value.mean : std::nan("");
  const Estimate difference{c.difference, c.difference_low, c.difference_high, row.value.count};
  const Estimate relative{c.relative, c.relative_low, c.relative_high, row.value.count};
  return fmt::format(
      "<tr data-arm=\"{}\" data-market=\"{}\" data-kpi=\"{}\" data-role=\"{}\" "
      "data-control-mean=\"{}\" data-mean=\"{}\" data-difference=\"{}\" "
      "data-difference-low=\"{}\" data-difference-high=\"{}\" data-relative=\"{}\" "
      "data-relative-low=\"{}\" data-relative-high=\"{}\" data-p=\"{}\" data-adjusted-p=\"{}\" "
      "data-guardrail=\"{}\"><td>{}</td><td>{}</td><th>{}</th><td>{}</td><td>{}</td><td>{}</td>"
      "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
      html_escape(row.arm), html_escape(row.market), html_escape(row.kpi),
      kKpiRoleNames[static_cast<int>(row.role)], csv_number(control_mean),
      csv_number(row.value.mean), csv_number(c.difference), csv_number(c.difference_low),
      csv_number(c.difference_high), csv_number(c.relative), csv_number(c.relative_low),
      csv_number(c.relative_high), csv_number(c.p_value), csv_number(row.adjusted_p_value),
      row.guardrail ? kGuardrailVerdictNames[static_cast<int>(row.guardrail->verdict)] : "",
      html_escape(row.arm), html_escape(row.market), html_escape(row.kpi),
      kKpiRoleNames[static_cast<int>(row.role)], html_escape(format_kpi_number(control_mean, unit)),
      html_escape(format_kpi_number(row.value.mean, unit)),
      html_escape(format_estimate(difference, unit, difference.count)),
      html_escape(format_estimate(relative, "ratio", relative.count)), p_text(c.p_value),
      p_text(row.adjusted_p_value), html_escape(guardrail_text(row)));
}

// The rows with a comparison whose role is declared (`declared`) or not.
std::string comparison_table(const ExperimentReport& experiment, bool declared) {
  std::string html = fmt::format(
      "<table class=\"comparison\" data-declared=\"{}\"><thead><tr><th>arm</th><th>market</th>"
      "<th>KPI</th><th>role</th><th>mean of {} (control)</th><th>mean of arm</th>"
      "<th>difference [95% interval]</th><th>relative [95% interval]</th><th>p</th>"
      "<th>adjusted p</th><th>guardrail</th></tr></thead><tbody>\n",
      declared ? "yes" : "no", html_escape(experiment.control));
  for (const ComparisonRow& row : experiment.comparisons) {
    if (!row.comparison || (row.role != KpiRole::kOther) != declared) continue;
    html += comparison_table_row(experiment, row);
  }
  return html + "</tbody></table>\n";
}

std::string effects_plot(const ExperimentReport& experiment) {
  ForestPlot plot{"forest-effects",
                  "Effects of each arm on the declared KPIs, relative to " + experiment.control +
                      ", with 95% intervals",
                  "relative difference vs " + experiment.control + " (%)",
                  AxisFormat::kPercent,
                  {}};
  for (const ComparisonRow& row : experiment.comparisons) {
    if (!row.comparison || row.role == KpiRole::kOther) continue;
    const Comparison& c = *row.comparison;
    // Without a finite interval (control mean 0, or no spread) there is nothing to draw.
    if (!std::isfinite(c.relative) || !std::isfinite(c.relative_low) ||
        !std::isfinite(c.relative_high))
      continue;
    plot.effects.push_back({fmt::format("{} \u00b7 {} \u00b7 {}", row.arm, row.market, row.kpi),
                            c.relative, c.relative_low, c.relative_high});
  }
  if (plot.effects.empty()) return "";
  return "<div class=\"charts\">\n" + forest_plot_svg(plot) + "</div>\n";
}

std::string split_number(double value, const std::string& kpi) {
  return format_kpi_number(value, unit_of(kpi));
}

// A split design's estimates, each beside the true effect when the worlds design ran too.
std::string split_table(const SplitAnalysis& split) {
  std::string html = note(fmt::format(
      "{}: {}; interval across replications. {} treated and {} control {}-replications; "
      "sample-ratio check p = {}{}.",
      split.design, split.method, split.treated_units, split.control_units, split.unit,
      p_text(split.sample_ratio_p_value),
      split.sample_ratio_mismatch ? " (MISMATCH: the split is not the planned allocation)" : ""));
  html +=
      "<table class=\"split\"><thead><tr><th>KPI</th><th>role</th><th>split estimate [95% "
      "interval]</th><th>relative</th><th>true effect (worlds)</th><th>bias</th>"
      "<th>standard error</th><th>unit standard error</th><th>RMSE</th><th>coverage</th></tr>"
      "</thead><tbody>\n";
  for (const SplitRow& row : split.rows) {
    const std::string coverage =
        std::isnan(row.coverage) ? "-" : fmt::format("{:.0f}%", 100.0 * row.coverage);
    html += fmt::format(
        "<tr data-market=\"{}\" data-kpi=\"{}\" data-estimate=\"{}\" data-low=\"{}\" "
        "data-high=\"{}\" data-true-effect=\"{}\"><th>{}</th><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        html_escape(row.market), html_escape(row.kpi), csv_number(row.estimate.mean),
        csv_number(row.estimate.low), csv_number(row.estimate.high), csv_number(row.true_effect),
        html_escape(row.market + "." + row.kpi), kKpiRoleNames[static_cast<int>(row.role)],
        html_escape(format_estimate(row.estimate, unit_of(row.kpi), row.replications)),
        std::isnan(row.relative) ? "-" : fmt::format("{:+.2f}%", 100.0 * row.relative),
        html_escape(split_number(row.true_effect, row.kpi)),
        html_escape(split_number(row.bias, row.kpi)),
        html_escape(split_number(row.standard_error, row.kpi)),
        html_escape(split_number(row.unit_standard_error, row.kpi)),
        html_escape(split_number(row.rmse, row.kpi)), coverage);
  }
  return html + "</tbody></table>\n";
}

std::string experiment_section(const ReportInput& input) {
  std::string html = "<section id=\"experiment\"><h2>Experiment</h2>\n";
  if (input.experiment == nullptr) {
    return html +
           note(
               "No experiment: this scenario has one arm (the base world), so there is no "
               "decision, comparison table or forest plot of effects.") +
           "</section>\n";
  }
  const ExperimentReport& experiment = *input.experiment;
  if (!experiment.design.empty()) html += note("Design: " + experiment.design + ".");
  if (!experiment.decision.empty())
    html += fmt::format("<p class=\"decision\">{}</p>\n", html_escape(experiment.decision));
  if (experiment.split != nullptr) html += split_table(*experiment.split);
  const bool compared = std::any_of(experiment.comparisons.begin(), experiment.comparisons.end(),
                                    [](const ComparisonRow& row) { return row.comparison; });
  if (!compared) return html + "</section>\n";
  html += "<h3>Declared KPIs</h3>\n" + comparison_table(experiment, true);
  html += effects_plot(experiment);
  html +=
      "<details><summary>Every other KPI (exploratory: p not adjusted for multiplicity)"
      "</summary>\n" +
      comparison_table(experiment, false) + "</details>\n";
  return html + "</section>\n";
}

}  // namespace

std::string report_html(const ReportInput& input) {
  assert(!input.arms.empty() && "a report needs at least the base arm");
  const std::uint32_t replications =
      static_cast<std::uint32_t>(input.arms[0].result->replications.size());
  std::string body = header(input);
  body += experiment_section(input);
  body += "<section id=\"daily\"><h2>KPIs per day</h2>\n";
  body += note(
      "Each point is the mean over replications of the KPI on that day; the shaded "
      "band is its 95% interval (Student t). Day numbers count from the start of the "
      "run, so the first measured day is the first after the warm-up.");
  body += daily_charts(input, kDailyKpis, "daily") + "</section>\n";
  body += "<section id=\"funnel\"><h2>Funnel</h2>\n";
  body += note(
      "Users at each stage over the measured period; whiskers show the 95% interval "
      "over replications. Definitions of the stages: docs/kpis.md.");
  body += funnel_charts(input) + "</section>\n";
  body += "<section id=\"losses\"><h2>Fraud losses</h2>\n";
  body += note(
      "USD lost to successful fraud over the measured period, by typology, by the "
      "payment method it was paid with, and by who bears it.");
  body += loss_charts(input) + "</section>\n";
  body += risk_section(input);
  body += incentive_section(input);
  body += "<section id=\"liquidity\"><h2>Merchant liquidity and spread</h2>\n";
  body += daily_charts(input, kLiquidityKpis, "liquidity") + "</section>\n";
  body += "<section id=\"kpis\"><h2>All KPIs: mean [95% interval]</h2>\n";
  for (const ReportArm& arm : input.arms) {
    if (input.arms.size() > 1) body += fmt::format("<h3>Arm {}</h3>\n", html_escape(arm.name));
    body += kpi_table(arm, replications);
  }
  body += "</section>\n";

  return html_page(
      "p2psim report: " +
          (input.scenario != nullptr ? input.scenario->name : input.arms[0].result->scenario.name),
      body);
}

std::string report_html(const RunResult& result, const RunSummary& summary) {
  ReportInput input;
  input.arms.push_back({"base", &result, &summary});
  return report_html(input);
}

std::string report_html(const ExperimentResult& result, const ExperimentAnalysis& analysis) {
  const ExperimentConfig& config = *result.scenario.experiment;
  std::vector<RunSummary> summaries;
  for (const RunResult& arm : result.arms)
    summaries.push_back(summarize_run(arm));
  ReportInput input;
  for (std::size_t arm = 0; arm < result.arms.size(); ++arm)
    input.arms.push_back({config.arms[arm].name, &result.arms[arm], &summaries[arm]});
  ExperimentReport experiment{analysis.paired ? "worlds (common random numbers, paired t test)"
                                              : "worlds (independent seeds, Welch t test)",
                              "", config.arms.front().name, analysis.rows, nullptr};
  if (!config.decides()) {
    experiment.decision =
        "What-if: no primary KPI, so no arm gets a ship / do not ship decision; the effects "
        "below are what the arms change.";
  }
  for (const ArmDecision& decision : analysis.decisions) {
    experiment.decision += fmt::format(
        "{}Decision for {}: {} ({}).", experiment.decision.empty() ? "" : " ", decision.arm,
        kDecisionNames[static_cast<int>(decision.decision)], decision.reason);
  }
  input.experiment = &experiment;
  input.scenario = &result.scenario;
  return report_html(input);
}

std::string report_html(const ExperimentResult& result, const SplitAnalysis& split) {
  const ExperimentConfig& config = *result.scenario.experiment;
  std::vector<RunSummary> summaries;
  for (const RunResult& arm : result.arms)
    summaries.push_back(summarize_run(arm));
  summaries.push_back(summarize_run(result.split->run));
  ReportInput input;
  for (std::size_t arm = 0; arm < result.arms.size(); ++arm)
    input.arms.push_back({config.arms[arm].name + " (world)", &result.arms[arm], &summaries[arm]});
  input.arms.push_back({"split", &result.split->run, &summaries.back()});
  ExperimentReport experiment{
      fmt::format("{}: each {} runs {} or {}, drawn per replication "
                  "(allocation {:.2f} to {}); the split world is drawn as the arm \"split\"{}",
                  split.design, split.unit, config.arms[0].name, config.arms[1].name,
                  config.allocation, config.arms[1].name,
                  split.with_worlds ? ", each arm's own world beside it for the true effect" : ""),
      "",
      config.arms.front().name,
      {},
      &split};
  input.experiment = &experiment;
  input.scenario = &result.scenario;
  return report_html(input);
}

}  // namespace p2psim
