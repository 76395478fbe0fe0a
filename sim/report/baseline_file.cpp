#include "report/baseline_file.hpp"

#include <fmt/format.h>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "report/output_directory.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

Json values_json(const BaselineKpi& kpi) {
  Json values = Json::array();
  for (const std::optional<double>& value : kpi.values) {
    values.push_back(value && std::isfinite(*value) ? Json(*value) : Json(nullptr));
  }
  return values;
}

std::optional<double> mean_of(const BaselineKpi& kpi) {
  const std::vector<double> present = kpi.present();
  if (present.empty()) return std::nullopt;
  double sum = 0.0;
  for (double value : present)
    sum += value;
  return sum / static_cast<double>(present.size());
}

}  // namespace

std::string baseline_json_text(const Baseline& baseline) {
  Json json = Json::object();
  json["scenario"] = baseline.scenario;
  json["scenario_file"] = baseline.scenario_file;
  json["scenario_hash"] = baseline.scenario_hash;
  json["seed"] = baseline.seed;
  json["replications"] = baseline.replications;
  json["p2psim_version"] = baseline.p2psim_version;
  Json markets = Json::object();
  for (const BaselineKpi& kpi : baseline.kpis) {
    const std::optional<double> mean = mean_of(kpi);
    markets[kpi.market][kpi.kpi] = {{"mean", mean ? Json(*mean) : Json(nullptr)},
                                    {"values", values_json(kpi)}};
  }
  json["kpis"] = std::move(markets);
  return json.dump(2) + "\n";
}

Baseline parse_baseline(const std::string& text, const std::string& origin) {
  try {
    const Json json = Json::parse(text);
    Baseline baseline;
    baseline.scenario = json.at("scenario").get<std::string>();
    baseline.scenario_file = json.value("scenario_file", "");
    baseline.scenario_hash = json.at("scenario_hash").get<std::string>();
    baseline.seed = json.at("seed").get<std::uint64_t>();
    baseline.replications = json.at("replications").get<std::uint32_t>();
    baseline.p2psim_version = json.value("p2psim_version", "");
    for (const auto& [market, kpis] : json.at("kpis").items()) {
      for (const auto& [name, entry] : kpis.items()) {
        BaselineKpi kpi{market, name, {}};
        for (const Json& value : entry.at("values")) {
          kpi.values.push_back(value.is_null() ? std::nullopt
                                               : std::optional<double>(value.get<double>()));
        }
        baseline.kpis.push_back(std::move(kpi));
      }
    }
    return baseline;
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(
        fmt::format("cannot read baseline '{}': {} (rewrite it with `p2psim check --update`)",
                    origin, error.what()));
  }
}

std::string baseline_file_name(const std::string& scenario) {
  return scenario + ".json";
}

std::optional<Baseline> read_baseline(const fs::path& path) {
  if (!fs::exists(path)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw std::runtime_error(fmt::format("cannot read '{}'", path.string()));
  return parse_baseline(text.str(), path.string());
}

void write_baselines(const fs::path& directory, const std::vector<Baseline>& baselines) {
  std::set<std::string> names;
  for (const Baseline& baseline : baselines) {
    if (!names.insert(baseline.scenario).second) {
      throw std::runtime_error(fmt::format(
          "two regression scenarios are named '{}': their baselines would share one file",
          baseline.scenario));
    }
  }
  OutputDirectory output(directory);
  for (const Baseline& baseline : baselines) {
    output.write(baseline_file_name(baseline.scenario), baseline_json_text(baseline));
  }
  output.commit();
}

}  // namespace p2psim
