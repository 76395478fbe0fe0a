#include "report/calibration_outputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "metrics/kpis.hpp"
#include "report/html_page.hpp"
#include "report/kpi_format.hpp"
#include "report/output_directory.hpp"
#include "report/svg_chart.hpp"
#include "version.hpp"

namespace p2psim {
namespace {

using Json = nlohmann::ordered_json;

std::string status_text(const CalibrationResult& result) {
  return result.interrupted ? "interrupted: best point so far" : "complete";
}

std::optional<std::string> at_bound(const CalibrationTargets& calibration,
                                    const CalibrationResult& result, std::size_t parameter) {
  return bound_reached(calibration.parameters[parameter], result.best_positions[parameter],
                       result.trace[result.best].values[parameter]);
}

// A TOML basic string: quotes and backslashes escaped.
std::string toml_string(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

Json simulated_json(const SimulatedTarget& simulated) {
  if (!simulated.produced) return nullptr;
  return {{"mean", simulated.estimate.mean},
          {"low", simulated.estimate.low},
          {"high", simulated.estimate.high},
          {"standard_error", simulated.standard_error}};
}

Json targets_json(const CalibrationTargets& calibration, const CalibrationResult& result) {
  Json targets = Json::array();
  const CalibrationEvaluation& start = result.trace[result.start];
  const CalibrationEvaluation& best = result.trace[result.best];
  for (std::size_t t = 0; t < calibration.targets.size(); ++t) {
    const CalibrationTarget& target = calibration.targets[t];
    Json entry = {{"market", target.market}, {"kpi", target.kpi}};
    if (target.first_day) entry["days"] = {*target.first_day, *target.last_day};
    entry["value"] = target.value;
    if (target.standard_error) {
      entry["standard_error"] = *target.standard_error;
    } else {
      entry["weight"] = target.weight;
    }
    entry["start"] = simulated_json(start.simulated[t]);
    entry["simulated"] = simulated_json(best.simulated[t]);
    entry["standardised_error"] =
        best.simulated[t].produced ? Json(standardised_error(target, best.simulated[t])) : Json();
    targets.push_back(std::move(entry));
  }
  return targets;
}

Json parameters_json(const CalibrationTargets& calibration, const CalibrationResult& result) {
  Json parameters = Json::array();
  const CalibrationEvaluation& best = result.trace[result.best];
  for (std::size_t p = 0; p < calibration.parameters.size(); ++p) {
    const CalibrationParameter& parameter = calibration.parameters[p];
    Json entry = {{"key", parameter.key},
                  {"lower", parameter.lower},
                  {"upper", parameter.upper},
                  {"scale", parameter.scale == ParameterScale::kLog ? "log" : "linear"},
                  {"start", result.trace[result.start].values[p]},
                  {"value", best.values[p]}};
    const std::optional<std::string> bound = at_bound(calibration, result, p);
    entry["at_bound"] = bound ? Json(*bound) : Json();
    entry["standard_error"] = nullptr;
    entry["interval"] = nullptr;
    if (result.curvature && result.curvature->position_errors[p]) {
      entry["standard_error"] = *result.curvature->standard_errors[p];
      const auto [low, high] = parameter_interval(parameter, result.best_positions[p],
                                                  *result.curvature->position_errors[p]);
      entry["interval"] = {low, high};
    }
    parameters.push_back(std::move(entry));
  }
  return parameters;
}

Json trace_json(const CalibrationResult& result) {
  Json trace = Json::array();
  for (const CalibrationEvaluation& evaluation : result.trace) {
    trace.push_back({{"stage", kCalibrationStageNames[static_cast<int>(evaluation.stage)]},
                     {"objective", evaluation.objective},
                     {"values", evaluation.values}});
  }
  return trace;
}

Json optional_json(const std::optional<double>& value) {
  return value ? Json(*value) : Json();
}

std::string number_text(double value) {
  return fmt::format("{:.6g}", value);
}

std::string target_row(const CalibrationTarget& target, const SimulatedTarget& start,
                       const SimulatedTarget& best, std::uint32_t replications) {
  const std::string_view unit = kpi_unit(target.kpi);
  const auto estimate = [&](const SimulatedTarget& simulated) {
    return simulated.produced ? format_estimate(simulated.estimate, unit, replications)
                              : std::string("not produced");
  };
  const std::string error =
      target.standard_error ? format_kpi_number(*target.standard_error, unit) : "";
  return fmt::format(
      "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
      html_escape(target.label()), format_kpi_number(target.value, unit),
      error.empty() ? fmt::format("weight {}", number_text(target.weight)) : error, estimate(start),
      estimate(best), best.produced ? fmt::format("{:.2f}", standardised_error(target, best)) : "");
}

std::string targets_table(const CalibrationTargets& calibration, const CalibrationResult& result) {
  std::string table =
      "<table><thead><tr><th>target</th><th>observed</th><th>standard error</th>"
      "<th>start: simulated [95% interval]</th><th>fit: simulated [95% interval]</th>"
      "<th>standardised error</th></tr></thead><tbody>\n";
  for (std::size_t t = 0; t < calibration.targets.size(); ++t) {
    table += target_row(calibration.targets[t], result.trace[result.start].simulated[t],
                        result.trace[result.best].simulated[t], calibration.search.replications);
  }
  return table + "</tbody></table>\n";
}

std::string parameters_table(const CalibrationTargets& calibration,
                             const CalibrationResult& result) {
  std::string table =
      "<table><thead><tr><th>parameter</th><th>bounds</th><th>start</th><th>fit</th>"
      "<th>standard error</th><th>95% interval</th><th>at a bound</th></tr></thead><tbody>\n";
  for (std::size_t p = 0; p < calibration.parameters.size(); ++p) {
    const CalibrationParameter& parameter = calibration.parameters[p];
    std::string interval;
    if (result.curvature && result.curvature->position_errors[p]) {
      const auto [low, high] = parameter_interval(parameter, result.best_positions[p],
                                                  *result.curvature->position_errors[p]);
      interval = fmt::format("[{}, {}]", number_text(low), number_text(high));
    }
    table += fmt::format(
        "<tr><th>{}</th><td>{} to {} ({})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>\n",
        html_escape(parameter.key), number_text(parameter.lower), number_text(parameter.upper),
        parameter.scale == ParameterScale::kLog ? "log" : "linear",
        number_text(result.trace[result.start].values[p]),
        number_text(result.trace[result.best].values[p]), standard_error_text(result, p), interval,
        at_bound(calibration, result, p).value_or(""));
  }
  return table + "</tbody></table>\n";
}

std::string trace_chart(const CalibrationResult& result) {
  LineChart chart;
  chart.id = "objective";
  chart.title = "Best objective so far, by evaluation";
  chart.x_label = "evaluation";
  chart.y_label = "objective (log10)";
  LineSeries best{"best so far", {}};
  double lowest = result.trace.front().objective;
  for (std::size_t i = 0; i < result.trace.size(); ++i) {
    // Curvature points are measured around the fit and never become it.
    if (result.trace[i].stage != CalibrationStage::kCurvature)
      lowest = std::min(lowest, result.trace[i].objective);
    // log10: the objective falls by orders of magnitude; +1e-12 keeps an exact fit finite.
    const double y = std::log10(lowest + 1e-12);
    best.points.push_back({static_cast<double>(i + 1), {y, y, y, 1}});
  }
  chart.series.push_back(std::move(best));
  return "<div class=\"charts\">\n" + line_chart_svg(chart) + "</div>\n";
}

std::string warnings_list(const std::vector<std::string>& warnings) {
  if (warnings.empty()) return "<p class=\"note\">No warnings.</p>\n";
  std::string list = "<ul class=\"warnings\">\n";
  for (const std::string& warning : warnings)
    list += "<li>" + html_escape(warning) + "</li>\n";
  return list + "</ul>\n";
}

std::string nrmse_text(const std::optional<double>& nrmse) {
  return nrmse ? fmt::format("{:.2f}%", 100.0 * *nrmse) : "n/a";
}

}  // namespace

std::string calibrated_toml(const CalibrationTargets& calibration, const CalibrationResult& result,
                            const CalibrationSource& source, const std::filesystem::path& out) {
  const std::filesystem::path include = std::filesystem::relative(
      std::filesystem::absolute(source.scenario_file), std::filesystem::absolute(out));
  std::string text = fmt::format(
      "# Calibrated by p2psim calibrate {} {} (seed {}, {} replications, {} evaluations).\n",
      source.scenario_file.generic_string(), calibration.file, calibration.search.seed,
      calibration.search.replications, result.trace.size());
  if (result.interrupted) {
    text += "# INTERRUPTED: the best point found before Ctrl-C, not the end of the search.\n";
  }
  text += "# calibration.json and calibration.html beside this file give the fit's quality.\n";
  text += fmt::format("name = \"{}-calibrated\"\ninclude = [{}]\n", source.scenario_name,
                      toml_string(include.generic_string()));
  text += fmt::format(
      "# The fit's seed and replications: a run of this file reproduces the simulated means\n"
      "# of calibration.json.\nsimulation.seed = {}\nsimulation.replications = {}\n\n",
      calibration.search.seed, calibration.search.replications);
  const CalibrationEvaluation& best = result.trace[result.best];
  for (std::size_t p = 0; p < calibration.parameters.size(); ++p) {
    const CalibrationParameter& parameter = calibration.parameters[p];
    text += fmt::format("{} = {}\n", parameter.key, parameter.value_text(best.values[p]));
  }
  return text;
}

std::string calibration_json(const CalibrationTargets& calibration, const CalibrationResult& result,
                             const CalibrationSource& source) {
  const CalibrationEvaluation& start = result.trace[result.start];
  const CalibrationEvaluation& best = result.trace[result.best];
  Json json = {{"p2psim_version", kVersion},
               {"scenario", source.scenario_file.generic_string()},
               {"targets_file", calibration.file},
               {"status", status_text(result)},
               {"seed", calibration.search.seed},
               {"replications", calibration.search.replications},
               {"evaluations", result.trace.size()},
               {"objective", {{"start", start.objective}, {"fit", best.objective}}},
               {"nrmse",
                {{"start", optional_json(normalised_rmse(calibration.targets, start.simulated))},
                 {"fit", optional_json(normalised_rmse(calibration.targets, best.simulated))}}},
               {"targets", targets_json(calibration, result)},
               {"parameters", parameters_json(calibration, result)}};
  Json flat = Json::array();
  if (result.curvature) {
    for (const FlatDirection& direction : result.curvature->flat_directions) {
      flat.push_back(
          {{"weights", direction.weights},
           {"standard_error",
            std::isfinite(direction.standard_error) ? Json(direction.standard_error) : Json()}});
    }
  }
  json["flat_directions"] = std::move(flat);
  json["warnings"] = calibration_warnings(calibration, result);
  json["trace"] = trace_json(result);
  json["execution"] = {
      {"ranks", result.ranks}, {"threads", result.threads}, {"wall_seconds", result.wall_seconds}};
  return json.dump(2) + "\n";
}

std::string calibration_html(const CalibrationTargets& calibration, const CalibrationResult& result,
                             const CalibrationSource& source) {
  const CalibrationEvaluation& start = result.trace[result.start];
  const CalibrationEvaluation& best = result.trace[result.best];
  std::string body = fmt::format(
      "<header><h1>p2psim calibration: {}</h1>\n<p class=\"description\">{} fitted to {}.</p>\n"
      "<dl class=\"run\"><div><dt>status</dt><dd>{}</dd></div><div><dt>evaluations</dt><dd>{}</dd>"
      "</div><div><dt>seed</dt><dd>{}</dd></div><div><dt>replications</dt><dd>{}</dd></div>"
      "<div><dt>objective</dt><dd>{} to {}</dd></div><div><dt>NRMSE</dt><dd>{} to {}</dd></div>"
      "</dl></header>\n",
      html_escape(source.scenario_name), html_escape(source.scenario_file.generic_string()),
      html_escape(calibration.file), status_text(result), result.trace.size(),
      calibration.search.seed, calibration.search.replications, number_text(start.objective),
      number_text(best.objective),
      nrmse_text(normalised_rmse(calibration.targets, start.simulated)),
      nrmse_text(normalised_rmse(calibration.targets, best.simulated)));
  body += "<section id=\"warnings\"><h2>Warnings</h2>\n" +
          warnings_list(calibration_warnings(calibration, result)) + "</section>\n";
  body += "<section id=\"targets\"><h2>Targets</h2>\n" + targets_table(calibration, result) +
          "<p class=\"note\">The standardised error is (simulated - observed) / standard error "
          "(or times the square root of the weight); the objective is the sum of their squares. "
          "Every evaluation ran the same replications from the same seed. NRMSE is the root mean "
          "square of the relative errors (simulated - observed) / observed, over the targets "
          "whose observed value is not 0.</p></section>\n";
  body += "<section id=\"parameters\"><h2>Parameters</h2>\n" +
          parameters_table(calibration, result) +
          "<p class=\"note\">Standard errors come from the local curvature of the fit (central "
          "differences of the simulated means around the fit, each target weighted by 1 / (its "
          "standard error squared + the simulated mean's), or by its weight when it gives "
          "one); a parameter in a flat direction has none.</p></section>\n";
  body += "<section id=\"trace\"><h2>Search</h2>\n" + trace_chart(result) + "</section>\n";
  return html_page("p2psim calibration: " + source.scenario_name, body);
}

std::string standard_error_text(const CalibrationResult& result, std::size_t parameter) {
  if (!result.curvature) return "not measured";
  const std::optional<double>& error = result.curvature->standard_errors[parameter];
  return error ? number_text(*error) : "not identified";
}

void write_calibration_files(const CalibrationTargets& calibration, const CalibrationResult& result,
                             const CalibrationSource& source, const std::filesystem::path& out) {
  OutputDirectory directory(out);
  directory.write("calibrated.toml", calibrated_toml(calibration, result, source, out));
  directory.write("calibration.json", calibration_json(calibration, result, source));
  directory.write("calibration.html", calibration_html(calibration, result, source));
  directory.commit();
}

}  // namespace p2psim
