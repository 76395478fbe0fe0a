#include "report/sweep_report.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "metrics/kpis.hpp"
#include "report/html_page.hpp"
#include "report/kpi_chart_parts.hpp"
#include "report/kpi_csv.hpp"
#include "report/kpi_format.hpp"
#include "report/svg_chart.hpp"
#include "version.hpp"

namespace p2psim {
namespace {

// The table's KPIs after the charted ones: volume, then what fraud cost and what was left.
const std::vector<std::string> kTableKpis = {"gmv_usd", "orders_completed", "fraud_loss_usd",
                                             "net_revenue_usd"};

// A swept key with several values: a key given one value fixes it for every point.
bool varies(std::span<const std::vector<std::string>> values, std::size_t axis) {
  return std::any_of(values.begin(), values.end(), [&](const std::vector<std::string>& point) {
    return point[axis] != values.front()[axis];
  });
}

std::vector<std::size_t> varying_axes(std::span<const std::string> keys,
                                      std::span<const std::vector<std::string>> values) {
  std::vector<std::size_t> axes;
  for (std::size_t axis = 0; axis < keys.size(); ++axis) {
    if (!values.empty() && varies(values, axis)) axes.push_back(axis);
  }
  return axes;
}

// The axis the curve follows: the first swept key with several values (the first key when none
// varies).
std::size_t curve_axis(std::span<const std::string> keys,
                       std::span<const std::vector<std::string>> values) {
  const std::vector<std::size_t> axes = varying_axes(keys, values);
  return axes.empty() ? 0 : axes.front();
}

bool is_risk_policy_key(const std::string& key) {
  constexpr std::string_view kMarkets = "markets.";
  if (key.rfind(kMarkets, 0) != 0) return false;
  const std::size_t code_end = key.find('.', kMarkets.size());
  return code_end != std::string::npos && key.compare(code_end, 6, ".risk.") == 0;
}

std::optional<double> setting_number(const std::string& value) {
  double number = 0.0;
  const char* end = value.data() + value.size();
  const auto [parsed_to, error] = std::from_chars(value.data(), end, number);
  if (error != std::errc() || parsed_to != end) return std::nullopt;
  return number;
}

// The distinct values of a key in grid order.
std::vector<std::string> distinct_values(std::span<const std::vector<std::string>> values,
                                         std::size_t axis) {
  std::vector<std::string> distinct;
  for (const std::vector<std::string>& point : values) {
    if (std::find(distinct.begin(), distinct.end(), point[axis]) == distinct.end())
      distinct.push_back(point[axis]);
  }
  return distinct;
}

// The last part of a key, short enough for a label: "block_above" of
// "markets.ng.risk.score.block_above".
std::string short_key(const std::string& key) {
  const std::size_t dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

// "block_above=0.5 count=40": the point's values of `axes`.
std::string settings_text(const SweepReportInput& input, std::size_t point,
                          const std::vector<std::size_t>& axes) {
  std::string text;
  for (std::size_t axis : axes) {
    text += fmt::format("{}{}={}", text.empty() ? "" : " ", short_key(input.keys[axis]),
                        input.values[point][axis]);
  }
  return text;
}

// The horizontal axis when it is a swept key: its value, or its index among the key's values
// when some value is not a number (`categories` then names them).
struct SettingAxis {
  std::size_t axis;
  std::vector<std::string> categories;
};

SettingAxis setting_axis(const SweepReportInput& input) {
  SettingAxis setting{curve_axis(input.keys, input.values), {}};
  for (const std::vector<std::string>& point : input.values) {
    if (!setting_number(point[setting.axis])) {
      setting.categories = distinct_values(input.values, setting.axis);
      break;
    }
  }
  return setting;
}

Estimate setting_estimate(const SettingAxis& setting, const std::string& value) {
  double x = 0.0;
  if (setting.categories.empty()) {
    x = *setting_number(value);
  } else {
    x = static_cast<double>(std::find(setting.categories.begin(), setting.categories.end(), value) -
                            setting.categories.begin());
  }
  return {x, x, x, 1};
}

// A charted KPI's estimate at a point, for the series' market unless the axis names its own;
// nullopt where the point does not model it.
std::optional<Estimate> kpi_estimate(const SweepReportInput& input, std::size_t point,
                                     const ChartKpi& axis, const std::string& market) {
  const Estimate* estimate =
      find_estimate(input.estimates[point], axis.market.empty() ? market : axis.market, axis.kpi);
  if (estimate == nullptr || !std::isfinite(estimate->mean)) return std::nullopt;
  return *estimate;
}

// The markets of the series: the one a charted KPI names, else each drawn market.
std::vector<std::string> series_markets(const SweepReportInput& input) {
  if (!input.chart.y.market.empty()) return {input.chart.y.market};
  if (input.chart.x && !input.chart.x->market.empty()) return {input.chart.x->market};
  return drawn_markets(input.estimates.front());
}

// One series per market and setting of the swept keys other than the curve's: the curve's key
// moves along a series, the others tell series apart.
std::vector<XySeries> chart_series(const SweepReportInput& input, const SettingAxis& setting) {
  std::vector<std::size_t> others = varying_axes(input.keys, input.values);
  std::erase(others, setting.axis);
  std::vector<std::size_t> labelled = varying_axes(input.keys, input.values);
  std::vector<XySeries> series;
  for (const std::string& market : series_markets(input)) {
    std::map<std::string, std::size_t> index_of_setting;
    for (std::size_t point = 0; point < input.values.size(); ++point) {
      const std::optional<Estimate> y = kpi_estimate(input, point, input.chart.y, market);
      const std::optional<Estimate> x =
          input.chart.x ? kpi_estimate(input, point, *input.chart.x, market)
                        : setting_estimate(setting, input.values[point][setting.axis]);
      if (!x || !y) continue;  // a KPI the point does not model is not drawn
      const std::string group = settings_text(input, point, others);
      auto [found, added] = index_of_setting.try_emplace(group, series.size());
      if (added) series.push_back({group.empty() ? market : market + " \u00b7 " + group, {}});
      series[found->second].points.push_back({*x, *y, settings_text(input, point, labelled)});
    }
  }
  return series;
}

std::string chart_kpi_name(const ChartKpi& axis) {
  return axis.market.empty() ? axis.kpi : axis.market + "." + axis.kpi;
}

std::string chart_axis_label(const ChartKpi& axis) {
  return (axis.market.empty() ? "" : axis.market + ".") + kpi_axis_label(axis.kpi, false);
}

std::string note(const std::string& text) {
  return fmt::format("<p class=\"note\">{}</p>\n", html_escape(text));
}

std::string sweep_chart(const SweepReportInput& input) {
  const SettingAxis setting = setting_axis(input);
  const std::string x_name =
      input.chart.x ? chart_kpi_name(*input.chart.x) : input.keys[setting.axis];
  const std::string y_name = chart_kpi_name(input.chart.y);
  XyChart chart{"sweep-chart",
                fmt::format("{} against {}, one point per grid point: mean, whiskers for the 95% "
                            "intervals over replications",
                            y_name, x_name),
                input.chart.x ? chart_axis_label(*input.chart.x) : x_name,
                chart_axis_label(input.chart.y),
                input.chart.x ? kpi_axis_format(input.chart.x->kpi) : AxisFormat::kNumber,
                kpi_axis_format(input.chart.y.kpi),
                input.chart.x ? std::vector<std::string>{} : setting.categories,
                chart_series(input, setting)};
  if (chart.series.empty()) {
    return note(fmt::format("No chart: no point models both {} and {}.", x_name, y_name));
  }
  return "<div class=\"charts\">\n" + xy_chart_svg(chart) + "</div>\n";
}

// The charted KPIs, then the table's own, each once; those no point models are left out.
std::vector<std::string> table_kpis(const SweepReportInput& input) {
  std::vector<std::string> kpis;
  if (input.chart.x) kpis.push_back(input.chart.x->kpi);
  if (kpis.empty() || kpis.front() != input.chart.y.kpi) kpis.push_back(input.chart.y.kpi);
  for (const std::string& kpi : kTableKpis) {
    if (std::find(kpis.begin(), kpis.end(), kpi) != kpis.end()) continue;
    for (const std::vector<MarketEstimates>& point : input.estimates) {
      const bool modelled = std::any_of(point.begin(), point.end(), [&](const MarketEstimates& m) {
        return find_estimate(point, m.market, kpi) != nullptr;
      });
      if (modelled) {
        kpis.push_back(kpi);
        break;
      }
    }
  }
  return kpis;
}

// The replications of a point: those behind its most often produced KPI.
std::uint32_t point_replications(std::span<const MarketEstimates> estimates) {
  std::uint32_t replications = 0;
  for (const MarketEstimates& market : estimates) {
    for (const KpiEstimate& kpi : market.kpis)
      replications = std::max(replications, kpi.estimate.count);
  }
  return replications;
}

std::string estimate_cell(std::size_t point, const std::string& market, const std::string& kpi,
                          const Estimate* estimate, std::uint32_t replications) {
  if (estimate == nullptr) return "<td>-</td>";
  return fmt::format(
      "<td data-point=\"{}\" data-market=\"{}\" data-kpi=\"{}\" data-mean=\"{}\" data-low=\"{}\" "
      "data-high=\"{}\" data-replications=\"{}\">{}</td>",
      point, html_escape(market), html_escape(kpi), csv_number(estimate->mean),
      csv_number(estimate->low), csv_number(estimate->high), estimate->count,
      html_escape(format_estimate(*estimate, kpi_unit(kpi), replications)));
}

// The swept keys a table shows: every key, or (the KPI table, which is wide) those that vary.
std::vector<std::size_t> shown_axes(const SweepReportInput& input, bool varying_only) {
  std::vector<std::size_t> axes = varying_axes(input.keys, input.values);
  if (varying_only && !axes.empty()) return axes;
  axes.clear();
  for (std::size_t axis = 0; axis < input.keys.size(); ++axis)
    axes.push_back(axis);
  return axes;
}

std::string point_values(const SweepReportInput& input, std::size_t point,
                         const std::vector<std::size_t>& axes) {
  std::string html = fmt::format("<td>{}</td>", point);
  for (std::size_t axis : axes)
    html += fmt::format("<td>{}</td>", html_escape(input.values[point][axis]));
  return html;
}

std::string key_headings(const SweepReportInput& input, const std::vector<std::size_t>& axes) {
  std::string html = "<th>point</th>";
  for (std::size_t axis : axes)
    html += fmt::format("<th>{}</th>", html_escape(input.keys[axis]));
  return html;
}

std::string kpi_table(const SweepReportInput& input) {
  const std::vector<std::string> kpis = table_kpis(input);
  const std::vector<std::size_t> axes = shown_axes(input, true);
  std::string html = "<div class=\"wide\"><table class=\"sweep\"><thead><tr>" +
                     key_headings(input, axes) + "<th>market</th>";
  for (const std::string& kpi : kpis)
    html += fmt::format("<th>{}</th>", html_escape(kpi));
  html += "</tr></thead><tbody>\n";
  for (std::size_t point = 0; point < input.estimates.size(); ++point) {
    const std::uint32_t replications = point_replications(input.estimates[point]);
    for (const MarketEstimates& market : input.estimates[point]) {
      html += fmt::format("<tr>{}<th>{}</th>", point_values(input, point, axes),
                          html_escape(market.market));
      for (const std::string& kpi : kpis) {
        html +=
            estimate_cell(point, market.market, kpi,
                          find_estimate(input.estimates[point], market.market, kpi), replications);
      }
      html += "</tr>\n";
    }
  }
  return html + "</tbody></table></div>\n";
}

std::string points_table(const SweepReportInput& input) {
  const std::vector<std::size_t> axes = shown_axes(input, false);
  std::string html =
      "<table class=\"points\"><thead><tr>" + key_headings(input, axes) + "<th>scenario hash</th>";
  html += "</tr></thead><tbody>\n";
  for (std::size_t point = 0; point < input.values.size(); ++point) {
    html += fmt::format("<tr>{}<td>{}</td></tr>\n", point_values(input, point, axes),
                        html_escape(input.scenario_hashes[point]));
  }
  return html + "</tbody></table>\n";
}

std::string header(const SweepReportInput& input) {
  const Scenario& scenario = *input.scenario;
  std::string html = header_open("p2psim sweep report: " + scenario.name, scenario.description);
  auto item = [&html](std::string_view term, const std::string& value) {
    html += header_item(term, value);
  };
  item("scenario", scenario.name);
  item("seed", std::to_string(scenario.world.simulation.seed));
  item("replications per point", std::to_string(scenario.world.simulation.replications));
  item("points", std::to_string(input.values.size()));
  for (std::size_t axis = 0; axis < input.keys.size(); ++axis)
    item(input.keys[axis], fmt::format("{}", fmt::join(distinct_values(input.values, axis), ", ")));
  item("p2psim version", kVersion);
  return html + "</dl></header>\n";
}

}  // namespace

ChartKpi parse_chart_kpi(std::string_view option, const std::string& text,
                         std::span<const std::string> markets) {
  if (find_kpi(text) != nullptr) return {"", text};
  const std::size_t dot = text.find('.');
  if (dot != std::string::npos && find_kpi(text.substr(dot + 1)) != nullptr) {
    const std::string market = text.substr(0, dot);
    if (std::find(markets.begin(), markets.end(), market) != markets.end()) {
      return {market, text.substr(dot + 1)};
    }
    throw ChartKpiError(fmt::format("{} {}: the scenario has no market \"{}\" (its markets: {})",
                                    option, text, market, fmt::join(markets, ", ")));
  }
  throw ChartKpiError(fmt::format(
      "{} {}: not a KPI; write a KPI of docs/kpis.md (e.g. catch_rate) for each market, or "
      "market.kpi (e.g. {}.catch_rate)",
      option, text, markets.empty() ? std::string("ng") : markets.front()));
}

SweepChart default_sweep_chart(std::span<const std::string> keys,
                               std::span<const std::vector<std::string>> values) {
  for (std::size_t axis : varying_axes(keys, values)) {
    if (is_risk_policy_key(keys[axis]))
      return {ChartKpi{"", "false_positive_rate"}, ChartKpi{"", "catch_rate"}};
  }
  return {std::nullopt, ChartKpi{"", "gmv_usd"}};
}

std::string sweep_report_html(const SweepReportInput& input) {
  std::string body = header(input);
  body += "<section id=\"chart\"><h2>Across the grid</h2>\n";
  body += note(
      "One point per grid point and market: the mean over the point's replications, with "
      "whiskers for the 95% intervals (Student t) of both axes. Points of a series are joined "
      "in grid order; hovering one gives its settings and values.");
  body += sweep_chart(input) + "</section>\n";
  body += "<section id=\"table\"><h2>Main KPIs per point: mean [95% interval]</h2>\n";
  body += note("- where a point does not model the KPI. Every KPI of every point: sweep.csv.");
  body += kpi_table(input) + "</section>\n";
  body += "<section id=\"points\"><h2>Points</h2>\n" + points_table(input) + "</section>\n";
  return html_page("p2psim sweep report: " + input.scenario->name, body);
}

}  // namespace p2psim
