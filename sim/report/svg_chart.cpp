#include "report/svg_chart.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <limits>

#include "report/kpi_csv.hpp"

namespace p2psim {
namespace {

// The Okabe-Ito palette without its yellow (too pale on white): distinguishable with the
// common forms of colour blindness.
constexpr std::string_view kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                         "#CC79A7", "#56B4E9", "#000000"};
constexpr std::size_t kPaletteSize = std::size(kPalette);

constexpr double kWidth = 640.0;
constexpr double kFontSize = 11.0;
constexpr double kRowHeight = 22.0;

std::string_view colour(std::size_t index) {
  return kPalette[index % kPaletteSize];
}

// Pixel coordinates with two decimals: enough for a screen, short enough for a small file.
std::string px(double value) {
  return fmt::format("{:.2f}", value);
}

// A linear map from a data interval onto a pixel interval.
struct Scale {
  double data_low;
  double data_high;
  double pixel_low;
  double pixel_high;
  double operator()(double value) const {
    const double span = data_high - data_low;
    const double share = span > 0.0 ? (value - data_low) / span : 0.5;
    return pixel_low + share * (pixel_high - pixel_low);
  }
};

struct Extent {
  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();
  void add(double value) {
    if (!std::isfinite(value)) return;
    low = std::min(low, value);
    high = std::max(high, value);
  }
  bool empty() const { return low > high; }
};

void add_estimate(Extent& extent, const Estimate& estimate) {
  extent.add(estimate.mean);
  extent.add(estimate.low);
  extent.add(estimate.high);
}

// Counts and amounts read best from zero unless they vary in a narrow band far from it.
void include_zero_when_close(Extent& extent) {
  if (extent.empty()) extent = {0.0, 1.0};
  if (extent.low >= 0.0 && extent.low <= 0.5 * extent.high) extent.low = 0.0;
  if (extent.high <= 0.0 && extent.high >= 0.5 * extent.low) extent.high = 0.0;
}

std::string data_attributes(const Estimate& estimate) {
  return fmt::format(R"( data-mark="1" data-mean="{}" data-low="{}" data-high="{}")",
                     csv_number(estimate.mean), csv_number(estimate.low),
                     csv_number(estimate.high));
}

std::string interval_text(const Estimate& estimate, AxisFormat format) {
  if (!std::isfinite(estimate.low) || !std::isfinite(estimate.high)) {
    return axis_number(estimate.mean, format) + " (no interval)";
  }
  return fmt::format("{} [{}, {}]", axis_number(estimate.mean, format),
                     axis_number(estimate.low, format), axis_number(estimate.high, format));
}

std::string figure_open(const std::string& id, const std::string& title, double height) {
  return fmt::format(
      "<figure class=\"chart\" id=\"{0}\" data-chart=\"{0}\"><figcaption>{1}</figcaption>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {2} {3}\" role=\"img\" "
      "aria-label=\"{1}\" font-size=\"{4}\">\n",
      html_escape(id), html_escape(title), px(kWidth), px(height), kFontSize);
}

std::string legend_html(const std::vector<std::string>& names) {
  if (names.size() < 2) return "";
  std::string html = "<ul class=\"legend\">";
  for (std::size_t i = 0; i < names.size(); ++i) {
    html += fmt::format("<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
                        colour(i), html_escape(names[i]));
  }
  return html + "</ul>";
}

std::string figure_close(const std::vector<std::string>& legend) {
  return "</svg>" + legend_html(legend) + "</figure>\n";
}

// Horizontal grid lines and labels of a vertical value axis, plus its rotated title.
std::string vertical_axis(const Scale& y, const std::vector<double>& ticks, double left,
                          double right, const std::string& label, AxisFormat format) {
  std::string svg;
  for (double tick : ticks) {
    const double at = y(tick);
    svg += fmt::format(
        "<line class=\"grid\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\"/>"
        "<text x=\"{3}\" y=\"{2}\" text-anchor=\"end\" dominant-baseline=\"middle\">{4}</text>\n",
        px(left), px(right), px(at), px(left - 6), html_escape(axis_number(tick, format)));
  }
  const double middle = (y.pixel_low + y.pixel_high) / 2.0;
  svg += fmt::format(
      "<text class=\"axis-label\" transform=\"translate(14 {}) rotate(-90)\" "
      "text-anchor=\"middle\">{}</text>\n",
      px(middle), html_escape(label));
  return svg;
}

// Vertical grid lines at `ticks` of a horizontal axis, each labelled by `tick_labels`, plus the
// axis title below.
std::string labelled_horizontal_axis(const Scale& x, const std::vector<double>& ticks,
                                     const std::vector<std::string>& tick_labels, double top,
                                     double bottom, const std::string& label) {
  std::string svg;
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    const double at = x(ticks[i]);
    svg += fmt::format(
        "<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
        "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        px(at), px(top), px(bottom), px(bottom + 14), html_escape(tick_labels[i]));
  }
  svg +=
      fmt::format("<text class=\"axis-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                  px((x.pixel_low + x.pixel_high) / 2.0), px(bottom + 32), html_escape(label));
  return svg;
}

// A horizontal axis whose ticks are numbers.
std::string horizontal_axis(const Scale& x, const std::vector<double>& ticks, double top,
                            double bottom, const std::string& label, AxisFormat format) {
  std::vector<std::string> tick_labels;
  for (double tick : ticks)
    tick_labels.push_back(axis_number(tick, format));
  return labelled_horizontal_axis(x, ticks, tick_labels, top, bottom, label);
}

std::string band_polygon(const LineSeries& series, const Scale& x, const Scale& y,
                         std::string_view fill) {
  for (const LinePoint& point : series.points) {
    if (!std::isfinite(point.y.low) || !std::isfinite(point.y.high)) return "";
  }
  std::string points;
  for (const LinePoint& point : series.points) {
    points += px(x(point.x)) + "," + px(y(point.y.high)) + " ";
  }
  for (auto point = series.points.rbegin(); point != series.points.rend(); ++point) {
    points += px(x(point->x)) + "," + px(y(point->y.low)) + " ";
  }
  return fmt::format("<polygon class=\"band\" fill=\"{}\" points=\"{}\"/>\n", fill, points);
}

std::string series_marks(const LineSeries& series, const Scale& x, const Scale& y,
                         std::string_view stroke, AxisFormat format) {
  std::string line;
  std::string marks;
  for (const LinePoint& point : series.points) {
    if (!std::isfinite(point.y.mean)) continue;
    line += px(x(point.x)) + "," + px(y(point.y.mean)) + " ";
    marks += fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{}\" data-x=\"{}\"{}><title>{}: {} = "
        "{}</title></circle>\n",
        px(x(point.x)), px(y(point.y.mean)), stroke, csv_number(point.x), data_attributes(point.y),
        html_escape(series.label), csv_number(point.x),
        html_escape(interval_text(point.y, format)));
  }
  return fmt::format("<polyline class=\"line\" stroke=\"{}\" points=\"{}\"/>\n", stroke, line) +
         marks;
}

// A point's whiskers: across its x interval and along its y interval, where they have a width.
std::string point_whiskers(const XyPoint& point, const Scale& x, const Scale& y) {
  std::string svg;
  if (std::isfinite(point.x.low) && std::isfinite(point.x.high) && point.x.low < point.x.high) {
    svg += fmt::format("<path class=\"whisker\" d=\"M{} {}H{}\"/>", px(x(point.x.low)),
                       px(y(point.y.mean)), px(x(point.x.high)));
  }
  if (std::isfinite(point.y.low) && std::isfinite(point.y.high) && point.y.low < point.y.high) {
    svg += fmt::format("<path class=\"whisker\" d=\"M{} {}V{}\"/>", px(x(point.x.mean)),
                       px(y(point.y.low)), px(y(point.y.high)));
  }
  return svg;
}

// One series of an x-y chart: its line, whiskers and points; points are labelled in text when
// the chart is sparse enough to read them (`labelled`).
std::string xy_series_marks(const XyChart& chart, const XySeries& series, const Scale& x,
                            const Scale& y, std::string_view stroke, bool labelled) {
  std::string line;
  std::string marks;
  for (const XyPoint& point : series.points) {
    const double at_x = x(point.x.mean), at_y = y(point.y.mean);
    line += px(at_x) + "," + px(at_y) + " ";
    const std::string x_text = chart.x_categories.empty()
                                   ? interval_text(point.x, chart.x_format)
                                   : chart.x_categories[static_cast<std::size_t>(point.x.mean)];
    marks += point_whiskers(point, x, y);
    marks += fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\" data-series=\"{}\" "
        "data-label=\"{}\" data-x-mean=\"{}\" data-x-low=\"{}\" data-x-high=\"{}\"{}>"
        "<title>{} \u00b7 {}: x = {}, y = {}</title></circle>\n",
        px(at_x), px(at_y), stroke, html_escape(series.label), html_escape(point.label),
        csv_number(point.x.mean), csv_number(point.x.low), csv_number(point.x.high),
        data_attributes(point.y), html_escape(series.label), html_escape(point.label),
        html_escape(x_text), html_escape(interval_text(point.y, chart.y_format)));
    if (labelled) {
      marks += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\">{}</text>\n", px(at_x + 5),
                           px(at_y - 5), html_escape(point.label));
    }
  }
  return fmt::format("<polyline class=\"line\" stroke=\"{}\" points=\"{}\"/>\n", stroke, line) +
         marks;
}

// The x axis of an x-y chart: numbers, or the categories at 0, 1, 2...
std::string xy_horizontal_axis(const XyChart& chart, const Extent& xs, double left, double right,
                               double top, double bottom, Scale& x) {
  if (chart.x_categories.empty()) {
    const std::vector<double> ticks = axis_ticks(xs.low, xs.high, 8);
    x = Scale{ticks.front(), ticks.back(), left, right};
    return horizontal_axis(x, ticks, top, bottom, chart.x_label, chart.x_format);
  }
  std::vector<double> ticks;
  for (std::size_t i = 0; i < chart.x_categories.size(); ++i)
    ticks.push_back(static_cast<double>(i));
  x = Scale{-0.5, chart.x_categories.size() - 0.5, left, right};
  return labelled_horizontal_axis(x, ticks, chart.x_categories, top, bottom, chart.x_label);
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char character : text) {
    switch (character) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += character;
    }
  }
  return escaped;
}

std::vector<double> axis_ticks(double low, double high, int count) {
  // A span lost in the rounding of its ends (a flat series, or 1e15 + 0.1) is widened around
  // them, so that each step is far above the spacing of doubles there.
  const double magnitude_of_ends = std::max(std::fabs(low), std::fabs(high));
  if (!(high - low > magnitude_of_ends * 1e-9)) {
    const double pad = magnitude_of_ends == 0.0 ? 1.0 : magnitude_of_ends * 0.1;
    low -= pad;
    high += pad;
  }
  const double rough = (high - low) / std::max(1, count);
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  double step = magnitude;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * magnitude;
    if (step >= rough) break;
  }
  // Ticks by index, not by repeated addition: no drift, and a bounded count.
  const double first = std::floor(low / step + 1e-9);
  std::vector<double> ticks;
  for (int index = 0; index <= 2 * count + 2; ++index) {
    const double tick = (first + index) * step;
    ticks.push_back(std::fabs(tick) < step * 1e-9 ? 0.0 : tick);
    if (tick >= high - step * 1e-9) break;
  }
  if (ticks.size() < 2) ticks.push_back(ticks.back() + step);
  return ticks;
}

std::string axis_number(double value, AxisFormat format) {
  if (!std::isfinite(value)) return "n/a";
  if (format == AxisFormat::kPercent) return fmt::format("{:.3g}%", value * 100.0);
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e9) return fmt::format("{:.3g}G", value / 1e9);
  if (magnitude >= 1e6) return fmt::format("{:.3g}M", value / 1e6);
  if (magnitude >= 1e4) return fmt::format("{:.3g}k", value / 1e3);
  return fmt::format("{:.4g}", value);
}

std::string line_chart_svg(const LineChart& chart) {
  constexpr double kHeight = 290.0;
  constexpr double kLeft = 72.0, kRight = kWidth - 16.0, kTop = 12.0, kBottom = kHeight - 46.0;
  Extent xs;
  Extent ys;
  for (const LineSeries& series : chart.series) {
    for (const LinePoint& point : series.points) {
      xs.add(point.x);
      add_estimate(ys, point.y);
    }
  }
  if (xs.empty()) xs = {0.0, 1.0};
  include_zero_when_close(ys);
  const std::vector<double> y_ticks = axis_ticks(ys.low, ys.high, 5);
  const Scale y{y_ticks.front(), y_ticks.back(), kBottom, kTop};
  std::vector<double> x_ticks = axis_ticks(xs.low, xs.high, 8);
  // Days are whole: a step below one day would label the same day twice.
  if (x_ticks.size() > 1 && x_ticks[1] - x_ticks[0] < 1.0) x_ticks = axis_ticks(xs.low, xs.high, 1);
  const Scale x{x_ticks.front(), x_ticks.back(), kLeft, kRight};

  std::string svg = figure_open(chart.id, chart.title, kHeight);
  svg += vertical_axis(y, y_ticks, kLeft, kRight, chart.y_label, chart.y_format);
  svg += horizontal_axis(x, x_ticks, kTop, kBottom, chart.x_label, AxisFormat::kNumber);
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    svg += band_polygon(chart.series[i], x, y, colour(i));
  }
  std::vector<std::string> legend;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    svg += series_marks(chart.series[i], x, y, colour(i), chart.y_format);
    legend.push_back(chart.series[i].label);
  }
  return svg + figure_close(legend);
}

std::string bar_chart_svg(const BarChart& chart) {
  constexpr double kLeft = 200.0, kRight = kWidth - 80.0, kTop = 8.0;
  const double bottom = kTop + kRowHeight * std::max<std::size_t>(1, chart.bars.size());
  const double height = bottom + 44.0;
  Extent values;
  for (const Bar& bar : chart.bars)
    add_estimate(values, bar.value);
  // Bars grow from 0, so the axis reaches 0 from either side (all-negative bars, e.g. a loss).
  values.low = std::min(values.low, 0.0);
  values.high = std::max(values.high, 0.0);
  const std::vector<double> ticks = axis_ticks(values.low, values.high, 5);
  const Scale x{ticks.front(), ticks.back(), kLeft, kRight};

  std::string svg = figure_open(chart.id, chart.title, height);
  svg += horizontal_axis(x, ticks, kTop, bottom, chart.value_label, chart.value_format);
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& bar = chart.bars[i];
    const double middle = kTop + kRowHeight * (i + 0.5);
    const double zero = x(0.0);
    const double end = std::isfinite(bar.value.mean) ? x(bar.value.mean) : zero;
    const std::string text = interval_text(bar.value, chart.value_format);
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" data-label=\"{}\"{}>"
        "<title>{}: {}</title></rect>\n",
        px(kLeft - 6), px(middle), html_escape(bar.label), px(std::min(zero, end)),
        px(middle - kRowHeight * 0.35), px(std::fabs(end - zero)), px(kRowHeight * 0.7),
        colour(bar.color), html_escape(bar.label), data_attributes(bar.value),
        html_escape(bar.label), html_escape(text));
    double label_at = std::max(zero, end);
    if (std::isfinite(bar.value.low) && std::isfinite(bar.value.high)) {
      const double low = x(bar.value.low), high = x(bar.value.high);
      svg += fmt::format("<path class=\"whisker\" d=\"M{0} {2}V{3}M{0} {4}H{1}M{1} {2}V{3}\"/>\n",
                         px(low), px(high), px(middle - 5), px(middle + 5), px(middle));
      label_at = std::max(label_at, high);
    }
    svg += fmt::format(
        "<text class=\"value\" x=\"{}\" y=\"{}\" dominant-baseline=\"middle\">{}</text>\n",
        px(label_at + 4), px(middle), html_escape(axis_number(bar.value.mean, chart.value_format)));
  }
  return svg + figure_close(chart.legend);
}

// A forest plot's horizontal axis. Linear, unless one effect dwarfs the others (an interval end
// beyond kSymmetricLogSpread times the median effect): a linear axis would leave every other
// effect a dot on the zero line, so the axis turns to a symmetric log, sign(v) log10(1 + |v| / c)
// with c the smallest non-zero effect, which puts each effect at least log10(2) of the way to the
// next power of ten off zero, and still shows the sign and order of all.
struct EffectAxis {
  double threshold = 0.0;  // c; 0 for a linear axis
  double operator()(double value) const {
    if (threshold <= 0.0) return value;
    return std::copysign(std::log10(1.0 + std::fabs(value) / threshold), value);
  }
};

constexpr double kSymmetricLogSpread = 50.0;

EffectAxis effect_axis(const std::vector<Effect>& effects) {
  std::vector<double> sizes;
  double largest = 0.0;
  for (const Effect& effect : effects) {
    if (std::isfinite(effect.estimate) && effect.estimate != 0.0)
      sizes.push_back(std::fabs(effect.estimate));
    for (double value : {effect.estimate, effect.low, effect.high})
      if (std::isfinite(value)) largest = std::max(largest, std::fabs(value));
  }
  if (sizes.size() < 2) return {};
  std::sort(sizes.begin(), sizes.end());
  if (largest <= kSymmetricLogSpread * sizes[sizes.size() / 2]) return {};
  return {sizes.front()};
}

// The ticks of a symmetric log axis: 0 and +-c x 10^k out to the largest value either side.
std::vector<double> symmetric_log_ticks(double threshold, double low, double high) {
  std::vector<double> ticks = {0.0};
  for (double tick = threshold; tick <= 10.0 * high && tick < 1e300; tick *= 10.0)
    ticks.push_back(tick);
  for (double tick = threshold; - tick >= 10.0 * low && tick < 1e300; tick *= 10.0)
    ticks.insert(ticks.begin(), -tick);
  return ticks;
}

std::string forest_plot_svg(const ForestPlot& chart) {
  constexpr double kLeft = 220.0, kRight = kWidth - 24.0, kTop = 8.0;
  const double bottom = kTop + kRowHeight * std::max<std::size_t>(1, chart.effects.size());
  const double height = bottom + 44.0;
  const EffectAxis axis = effect_axis(chart.effects);
  Extent values;
  values.add(0.0);
  for (const Effect& effect : chart.effects) {
    values.add(effect.estimate);
    values.add(effect.low);
    values.add(effect.high);
  }
  std::vector<double> ticks = axis.threshold > 0.0
                                  ? symmetric_log_ticks(axis.threshold, values.low, values.high)
                                  : axis_ticks(values.low, values.high, 6);
  std::vector<double> tick_positions;
  std::vector<std::string> tick_labels;
  for (double tick : ticks) {
    tick_positions.push_back(axis(tick));
    tick_labels.push_back(axis_number(tick, chart.x_format));
  }
  const Scale scale{tick_positions.front(), tick_positions.back(), kLeft, kRight};
  auto x = [&](double value) { return scale(axis(value)); };

  std::string svg =
      figure_open(chart.id,
                  axis.threshold > 0.0 ? chart.title +
                                             " (symmetric log scale: one effect is far "
                                             "larger than the others)"
                                       : chart.title,
                  height);
  svg += labelled_horizontal_axis(scale, tick_positions, tick_labels, kTop, bottom, chart.x_label);
  svg += fmt::format("<line class=\"zero\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>\n",
                     px(x(0.0)), px(kTop), px(bottom));
  for (std::size_t i = 0; i < chart.effects.size(); ++i) {
    const Effect& effect = chart.effects[i];
    const double middle = kTop + kRowHeight * (i + 0.5);
    const Estimate estimate{effect.estimate, effect.low, effect.high, 0};
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>",
        px(kLeft - 6), px(middle), html_escape(effect.label));
    if (std::isfinite(effect.low) && std::isfinite(effect.high)) {
      svg += fmt::format("<path class=\"whisker\" d=\"M{} {}H{}\"/>", px(x(effect.low)), px(middle),
                         px(x(effect.high)));
    }
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{}\" data-label=\"{}\"{}>"
        "<title>{}: {}</title></rect>\n",
        px(x(effect.estimate) - 4), px(middle - 4), colour(0), html_escape(effect.label),
        data_attributes(estimate), html_escape(effect.label),
        html_escape(interval_text(estimate, chart.x_format)));
  }
  return svg + figure_close({});
}

std::string xy_chart_svg(const XyChart& chart) {
  constexpr double kHeight = 340.0;
  constexpr double kLeft = 72.0, kRight = kWidth - 24.0, kTop = 12.0, kBottom = kHeight - 46.0;
  constexpr std::size_t kMostLabelledPoints = 24;
  Extent xs;
  Extent ys;
  std::size_t points = 0;
  for (const XySeries& series : chart.series) {
    for (const XyPoint& point : series.points) {
      add_estimate(xs, point.x);
      add_estimate(ys, point.y);
      ++points;
    }
  }
  include_zero_when_close(xs);
  include_zero_when_close(ys);
  const std::vector<double> y_ticks = axis_ticks(ys.low, ys.high, 5);
  const Scale y{y_ticks.front(), y_ticks.back(), kBottom, kTop};
  Scale x{0.0, 1.0, kLeft, kRight};
  std::string svg = figure_open(chart.id, chart.title, kHeight);
  svg += vertical_axis(y, y_ticks, kLeft, kRight, chart.y_label, chart.y_format);
  svg += xy_horizontal_axis(chart, xs, kLeft, kRight, kTop, kBottom, x);
  std::vector<std::string> legend;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    svg += xy_series_marks(chart, chart.series[i], x, y, colour(i), points <= kMostLabelledPoints);
    legend.push_back(chart.series[i].label);
  }
  return svg + figure_close(legend);
}

}  // namespace p2psim
