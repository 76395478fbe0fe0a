#pragma once
// A sweep: a grid of scenario settings, each point one full run. `p2psim sweep --set
// key=v1,v2,...` gives one axis per --set; the grid is their Cartesian product, the first axis
// varying slowest.
#include <stdexcept>
#include <string>
#include <vector>

namespace p2psim {

struct SweepAxis {
  std::string key;                  // "markets.ng.users.daily_visitors"
  std::vector<std::string> values;  // each in TOML syntax: 2000, 0.5, "rules", [1, 2]
};

class SweepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "key=v1,v2,...": values are split at commas outside brackets and quotes. Throws SweepError
// when there is no key, no '=', or an empty value.
SweepAxis parse_sweep_axis(const std::string& text);

// One point of the grid: the value of each axis, in axis order.
using SweepPoint = std::vector<std::string>;
std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes);

// The settings of a point, "key=value" each, as load_scenario takes them.
std::vector<std::string> point_settings(const std::vector<SweepAxis>& axes,
                                        const SweepPoint& point);

}  // namespace p2psim
