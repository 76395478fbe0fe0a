#include "lab/model_outputs.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <zlib.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "report/html_page.hpp"
#include "report/output_directory.hpp"
#include "report/svg_chart.hpp"

namespace p2psim {
namespace {

// A number TOML reads back exactly as a float.
std::string toml_float(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

// JSON has no NaN: a metric that does not exist (no positive in the window) is null.
nlohmann::json json_number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

std::string target_text(const TrainedScore& trained) {
  const TrainOptions& options = trained.options;
  if (options.false_positive_ceiling) {
    return fmt::format("at most {}% of the known-genuine orders of the train window reach it",
                       100.0 * *options.false_positive_ceiling);
  }
  return fmt::format("{} attempts a day reach it, on average over the train window",
                     options.capacity);
}

std::string gzip(std::string_view text) {
  z_stream stream{};
  // 15 + 16: a gzip header, as gzip and pandas expect.
  if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: cannot start compressing");
  std::string packed(deflateBound(&stream, text.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(packed.data());
  stream.avail_out = static_cast<uInt>(packed.size());
  const int result = deflate(&stream, Z_FINISH);
  packed.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("zlib: cannot compress the test scores");
  return packed;
}

std::string test_scores_csv(const ExportedOrders& orders, const TrainedScore& trained) {
  std::string csv =
      "replication,attempt,day,probability,truth_model_probability,has_order,known_fraud,"
      "is_fraud\n";
  for (std::size_t i = 0; i < trained.test_rows.size(); ++i) {
    const std::size_t row = trained.test_rows[i];
    fmt::format_to(std::back_inserter(csv), "{},{},{},{},{},{},{},{}\n", orders.replication[row],
                   orders.attempt[row], orders.day[row], trained.test_probability[i],
                   trained.test_truth_probability[i], orders.has_order[row],
                   orders.known_fraud(row, orders.last_day) ? 1 : 0, orders.is_fraud[row]);
  }
  return csv;
}

nlohmann::json model_object(const LogisticModel& model, const std::vector<std::string>& features) {
  nlohmann::json weights = nlohmann::json::object();
  for (std::size_t j = 0; j < features.size(); ++j) {
    weights[features[j]] = {{"weight", model.weights[j]},
                            {"standardised_weight", model.standardised_weights[j]},
                            {"mean", model.mean[j]},
                            {"scale", model.scale[j]}};
  }
  return {{"intercept", model.intercept},
          {"standardised_intercept", model.standardised_intercept},
          {"weights", weights},
          {"iterations", model.iterations},
          {"converged", model.converged}};
}

nlohmann::json evaluation_object(const Evaluation& evaluation) {
  nlohmann::json curve = nlohmann::json::array();
  for (const CatchPoint& point : evaluation.catch_curve) {
    curve.push_back({{"good_stopped_ceiling", point.stopped_ceiling},
                     {"good_stopped", json_number(point.good_stopped)},
                     {"catch_rate", json_number(point.catch_rate)}});
  }
  nlohmann::json calibration = nlohmann::json::array();
  for (const CalibrationBin& bin : evaluation.calibration) {
    calibration.push_back(
        {{"rows", bin.rows}, {"predicted", bin.predicted}, {"observed", bin.observed}});
  }
  return {{"model", evaluation.model},
          {"labels", evaluation.labels},
          {"rows", evaluation.rows},
          {"positives", evaluation.positives},
          {"roc_auc", json_number(evaluation.roc_auc)},
          {"average_precision", json_number(evaluation.average_precision)},
          {"at_capacity",
           {{"reviewed", evaluation.at_capacity.reviewed},
            {"caught", evaluation.at_capacity.caught},
            {"precision", json_number(evaluation.at_capacity.precision())},
            {"recall", json_number(evaluation.at_capacity.recall())}}},
          {"brier", json_number(evaluation.brier)},
          {"catch_curve", curve},
          {"calibration", calibration}};
}

std::string percent(double value) {
  return std::isfinite(value) ? fmt::format("{:.2f}%", 100.0 * value) : "n/a";
}

std::string fixed(double value, int digits) {
  return std::isfinite(value) ? fmt::format("{:.{}f}", value, digits) : "n/a";
}

std::string weights_table(const TrainedScore& trained) {
  std::string html =
      "<table><thead><tr><th>feature</th><th>weight</th><th>standardised weight</th>"
      "<th>mean</th><th>standard deviation</th><th>ground-truth model: standardised weight</th>"
      "</tr></thead><tbody>\n";
  for (std::size_t j = 0; j < trained.features.size(); ++j) {
    html += fmt::format(
        "<tr><th>{}</th><td>{:.6g}</td><td>{:.4f}</td><td>{:.4g}</td><td>{:.4g}</td>"
        "<td>{:.4f}</td></tr>\n",
        html_escape(trained.features[j]), trained.model.weights[j],
        trained.model.standardised_weights[j], trained.model.mean[j], trained.model.scale[j],
        trained.truth_model.standardised_weights[j]);
  }
  html += fmt::format(
      "<tr><th>intercept</th><td>{:.6g}</td><td>{:.4f}</td><td></td><td></td>"
      "<td>{:.4f}</td></tr>\n",
      trained.model.intercept, trained.model.standardised_intercept,
      trained.truth_model.standardised_intercept);
  return html + "</tbody></table>\n";
}

std::string metrics_table(const TrainedScore& trained) {
  std::string html = fmt::format(
      "<table><thead><tr><th>model trained on</th><th>judged against</th><th>rows</th>"
      "<th>fraud</th><th>ROC-AUC</th><th>average precision</th>"
      "<th>precision at {0} a day</th><th>recall at {0} a day</th><th>Brier</th></tr></thead>"
      "<tbody>\n",
      trained.options.capacity);
  for (const Evaluation& evaluation : trained.evaluations) {
    html += fmt::format(
        "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td></tr>\n",
        html_escape(evaluation.model), html_escape(evaluation.labels), evaluation.rows,
        evaluation.positives, fixed(evaluation.roc_auc, 4), fixed(evaluation.average_precision, 4),
        percent(evaluation.at_capacity.precision()), percent(evaluation.at_capacity.recall()),
        fixed(evaluation.brier, 5));
  }
  return html + "</tbody></table>\n";
}

Estimate point(double value) {
  return {value, std::nan(""), std::nan(""), 1};
}

std::string curve_charts(const TrainedScore& trained) {
  LineChart catches{.id = "catch-curve",
                    .title = "Catch rate against good attempts stopped (test window)",
                    .x_label = "share of good attempts stopped (%)",
                    .y_label = "share of fraud caught",
                    .y_format = AxisFormat::kPercent,
                    .series = {}};
  LineChart calibration{.id = "calibration",
                        .title = "Calibration: observed fraud rate against predicted (deciles)",
                        .x_label = "mean predicted probability",
                        .y_label = "observed fraud rate",
                        .y_format = AxisFormat::kPercent,
                        .series = {}};
  for (const Evaluation& evaluation : trained.evaluations) {
    const std::string label = evaluation.model + " vs " + evaluation.labels;
    LineSeries curve{label, {}};
    for (const CatchPoint& at : evaluation.catch_curve)
      curve.points.push_back({100.0 * at.good_stopped, point(at.catch_rate)});
    catches.series.push_back(std::move(curve));
    LineSeries bins{label, {}};
    for (const CalibrationBin& bin : evaluation.calibration)
      bins.points.push_back({bin.predicted, point(bin.observed)});
    calibration.series.push_back(std::move(bins));
  }
  return "<div class=\"charts\">\n" + line_chart_svg(catches) + line_chart_svg(calibration) +
         "</div>\n";
}

std::string labels_table(const TrainedScore& trained) {
  return fmt::format(
      "<table><tbody>\n"
      "<tr><th>attempts scored in the train window</th><td>{}</td></tr>\n"
      "<tr><th>of which orders (the platform can learn their label)</th><td>{}</td></tr>\n"
      "<tr><th>orders known as fraud on day {}</th><td>{}</td></tr>\n"
      "<tr><th>attempts stopped before an order (no label: left out of the platform's "
      "training)</th><td>{}</td></tr>\n"
      "<tr><th>fraudulent attempts in truth</th><td>{}</td></tr>\n"
      "</tbody></table>\n",
      trained.train_attempts, trained.train_orders, trained.label_day, trained.train_known_fraud,
      trained.train_unlabelled, trained.train_true_fraud);
}

}  // namespace

std::string score_fragment(const TrainedScore& trained, const std::string& source) {
  std::string toml = fmt::format(
      "# A logistic risk score for market {0}, written by p2psim train from {1}.\n"
      "# Trained on days {2}-{3} with the labels the platform knew on day {4} (L2 = {5}); tested "
      "on days {6}-{7}.\n"
      "# {8}: {9}.\n"
      "# To use it, include this file and list \"score\" in markets.{0}.risk.strategies.\n"
      "[markets.{0}.risk.score]\n"
      "intercept = {10}\n"
      "{8} = {11}\n\n"
      "[markets.{0}.risk.score.weights]\n",
      trained.market, source, trained.train_days.first, trained.train_days.last, trained.label_day,
      trained.options.l2, trained.test_days.first, trained.test_days.last,
      score_action_key(trained.options.action), target_text(trained),
      toml_float(trained.model.intercept), toml_float(trained.threshold));
  for (std::size_t j = 0; j < trained.features.size(); ++j)
    toml += fmt::format("{} = {}\n", trained.features[j], toml_float(trained.model.weights[j]));
  return toml;
}

std::string model_json(const TrainedScore& trained, const std::string& source) {
  nlohmann::json evaluations = nlohmann::json::array();
  for (const Evaluation& evaluation : trained.evaluations)
    evaluations.push_back(evaluation_object(evaluation));
  const TrainOptions& options = trained.options;
  nlohmann::json json = {{"export", source},
                         {"market", trained.market},
                         {"train_days", {trained.train_days.first, trained.train_days.last}},
                         {"label_day", trained.label_day},
                         {"test_days", {trained.test_days.first, trained.test_days.last}},
                         {"l2", options.l2},
                         {"capacity_per_day", options.capacity},
                         {"features", trained.features},
                         {"dropped_features", trained.dropped},
                         {"train",
                          {{"attempts", trained.train_attempts},
                           {"orders", trained.train_orders},
                           {"known_fraud", trained.train_known_fraud},
                           {"unlabelled_attempts", trained.train_unlabelled},
                           {"true_fraud", trained.train_true_fraud}}},
                         {"model", model_object(trained.model, trained.features)},
                         {"truth_model", model_object(trained.truth_model, trained.features)},
                         {"threshold",
                          {{"key", score_action_key(options.action)},
                           {"probability", trained.threshold},
                           {"target", target_text(trained)},
                           {"train_attempts_per_day", trained.threshold_rows_per_day}}},
                         {"evaluations", evaluations}};
  if (options.false_positive_ceiling)
    json["false_positive_ceiling"] = *options.false_positive_ceiling;
  return json.dump(2) + "\n";
}

std::string model_html(const TrainedScore& trained, const std::string& source) {
  std::string body = fmt::format(
      "<header><h1>p2psim model: a risk score for {}</h1>\n<p class=\"description\">Trained by "
      "p2psim train from {}.</p>\n<dl class=\"run\"><div><dt>train</dt><dd>days {}-{}</dd></div>"
      "<div><dt>labels known on</dt><dd>day {}</dd></div><div><dt>test</dt><dd>days {}-{}</dd>"
      "</div><div><dt>L2</dt><dd>{}</dd></div><div><dt>{}</dt><dd>{:.6g}</dd></div></dl>\n"
      "<p class=\"note\">{}: {}.</p></header>\n",
      html_escape(trained.market), html_escape(source), trained.train_days.first,
      trained.train_days.last, trained.label_day, trained.test_days.first, trained.test_days.last,
      trained.options.l2, score_action_key(trained.options.action), trained.threshold,
      score_action_key(trained.options.action), html_escape(target_text(trained)));
  body += "<section id=\"labels\"><h2>Labels</h2>\n" + labels_table(trained) +
          "<p class=\"note\">The score is fitted on orders with the labels the platform knew on "
          "the label day: fraud not yet revealed counts as genuine. Attempts stopped before an "
          "order (blocked, abandoned at step-up or review) have no label and are left out. The "
          "ground-truth model is fitted on every attempt with its true label: the gap between "
          "the two is what label delay and selection cost.</p></section>\n";
  body += "<section id=\"weights\"><h2>Weights</h2>\n" + weights_table(trained) +
          "<p class=\"note\">A weight multiplies the raw feature in the log-odds; the "
          "standardised weight is per standard deviation of the feature, so weights of "
          "different features compare.</p></section>\n";
  body += "<section id=\"metrics\"><h2>Held-out metrics</h2>\n" + metrics_table(trained) +
          curve_charts(trained) + "</section>\n";
  return html_page("p2psim model: " + trained.market, body);
}

void write_model_files(const ExportedOrders& orders, const TrainedScore& trained,
                       const std::filesystem::path& out, const std::string& source) {
  OutputDirectory directory(out);
  directory.write(kScoreFragmentFile, score_fragment(trained, source));
  directory.write("model.json", model_json(trained, source));
  directory.write("model.html", model_html(trained, source));
  directory.write("test_scores.csv.gz", gzip(test_scores_csv(orders, trained)));
  directory.commit();
}

}  // namespace p2psim
