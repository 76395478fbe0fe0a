#include "experiment/sweep.hpp"

#include <algorithm>

namespace p2psim {
namespace {

std::string trimmed(const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> split_values(const std::string& text) {
  std::vector<std::string> values;
  std::string current;
  int depth = 0;
  char quote = 0;
  for (char c : text) {
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      values.push_back(trimmed(current));
      current.clear();
      continue;
    }
    current += c;
  }
  values.push_back(trimmed(current));
  return values;
}

}  // namespace

SweepAxis parse_sweep_axis(const std::string& text) {
  std::size_t equals = text.find('=');
  if (equals == std::string::npos || trimmed(text.substr(0, equals)).empty()) {
    throw SweepError("--set " + text + ": expected key.path=value1,value2,...");
  }
  SweepAxis axis{trimmed(text.substr(0, equals)), split_values(text.substr(equals + 1))};
  if (std::any_of(axis.values.begin(), axis.values.end(),
                  [](const std::string& value) { return value.empty(); })) {
    throw SweepError("--set " + text + ": expected values separated by commas, found an empty one");
  }
  return axis;
}

std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes) {
  std::vector<SweepPoint> points = {{}};
  for (const SweepAxis& axis : axes) {
    std::vector<SweepPoint> next;
    for (const SweepPoint& point : points) {
      for (const std::string& value : axis.values) {
        SweepPoint extended = point;
        extended.push_back(value);
        next.push_back(std::move(extended));
      }
    }
    points = std::move(next);
  }
  return points;
}

std::vector<std::string> point_settings(const std::vector<SweepAxis>& axes,
                                        const SweepPoint& point) {
  std::vector<std::string> settings;
  for (std::size_t i = 0; i < axes.size(); ++i)
    settings.push_back(axes[i].key + "=" + point[i]);
  return settings;
}

}  // namespace p2psim
