#pragma once
// Charts as inline SVG, drawn here in C++ so that report.html needs no script library and no
// network: a line chart of means with a shaded 95% band, a horizontal bar chart with interval
// whiskers, a forest plot of effects around zero, and an x-y chart of points that each carry an
// interval in both directions. Every drawn datum carries data-mark and
// its numbers at full precision (data-mean, data-low, data-high) so that tests and readers can
// check a chart against summary.json; hovering one shows its value (an SVG <title>).
#include <string>
#include <string_view>
#include <vector>

#include "analysis/statistics.hpp"

namespace p2psim {

// How an axis writes its numbers: ratios as percentages, everything else as plain numbers
// (1.2k, 3.4M for large ones).
enum class AxisFormat { kNumber, kPercent };

struct LinePoint {
  double x;
  Estimate y;
};

struct LineSeries {
  std::string label;
  std::vector<LinePoint> points;
};

struct LineChart {
  std::string id;  // unique within the page
  std::string title;
  std::string x_label;  // with its unit
  std::string y_label;  // with its unit
  AxisFormat y_format = AxisFormat::kNumber;
  std::vector<LineSeries> series;
};

struct Bar {
  std::string label;
  Estimate value;
  std::size_t color = 0;  // index into the palette: bars of one group share a colour
};

struct BarChart {
  std::string id;
  std::string title;
  std::string value_label;  // the horizontal axis, with its unit
  AxisFormat value_format = AxisFormat::kNumber;
  std::vector<Bar> bars;
  std::vector<std::string> legend;  // names of the colours used, in palette order; may be empty
};

struct Effect {
  std::string label;
  double estimate;
  double low;
  double high;
};

struct ForestPlot {
  std::string id;
  std::string title;
  std::string x_label;  // e.g. "relative difference vs base (%)"
  AxisFormat x_format = AxisFormat::kNumber;
  std::vector<Effect> effects;
};

// A point of an x-y chart: two estimates (a KPI's mean and interval each, or a setting's value
// with no spread) and the label its tooltip and text give it.
struct XyPoint {
  Estimate x;
  Estimate y;
  std::string label;
};

struct XySeries {
  std::string label;
  std::vector<XyPoint> points;  // joined in this order
};

struct XyChart {
  std::string id;
  std::string title;
  std::string x_label;
  std::string y_label;
  AxisFormat x_format = AxisFormat::kNumber;
  AxisFormat y_format = AxisFormat::kNumber;
  // When not empty, x is an index into these and the axis is labelled by them (settings that
  // are not numbers).
  std::vector<std::string> x_categories;
  std::vector<XySeries> series;
};

// Each returns a <figure class="chart"> holding a caption and one <svg>.
std::string line_chart_svg(const LineChart& chart);
std::string bar_chart_svg(const BarChart& chart);
std::string forest_plot_svg(const ForestPlot& chart);
// Each point with whiskers for its x and y intervals; x carries data-x-mean, data-x-low and
// data-x-high beside y's data-mean, data-low and data-high.
std::string xy_chart_svg(const XyChart& chart);

// Text made safe for HTML element content and attribute values.
std::string html_escape(std::string_view text);

// Round numbers spanning [low, high] (steps of 1, 2 or 5 times a power of ten), about `count`
// of them; the first is <= low and the last >= high.
std::vector<double> axis_ticks(double low, double high, int count);

std::string axis_number(double value, AxisFormat format);

}  // namespace p2psim
