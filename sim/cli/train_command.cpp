// `p2psim train EXPORT_DIR`: a logistic risk score fitted on a labelled export, tested out of
// time, written as a scenario fragment and a model report (docs/cli.md#train).
#include <fmt/format.h>

#include <cmath>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/terminal_table.hpp"
#include "lab/exported_orders.hpp"
#include "lab/model_outputs.hpp"
#include "lab/score_training.hpp"

namespace p2psim {
namespace {

std::string metric(double value) {
  return std::isfinite(value) ? fmt::format("{:.4f}", value) : "n/a";
}

std::string evaluation_table(const TrainedScore& trained) {
  std::vector<std::vector<std::string>> rows = {
      {"model trained on", "judged against", "rows", "fraud", "ROC-AUC", "avg precision",
       fmt::format("precision@{}/day", trained.options.capacity),
       fmt::format("recall@{}/day", trained.options.capacity)}};
  for (const Evaluation& evaluation : trained.evaluations) {
    rows.push_back({evaluation.model, evaluation.labels, std::to_string(evaluation.rows),
                    std::to_string(evaluation.positives), metric(evaluation.roc_auc),
                    metric(evaluation.average_precision),
                    metric(evaluation.at_capacity.precision()),
                    metric(evaluation.at_capacity.recall())});
  }
  return left_aligned_columns(rows);
}

}  // namespace

int train_command(const TrainArguments& arguments) {
  const ExportedOrders orders = read_exported_orders(arguments.export_dir);
  const TrainedScore trained = train_score(orders, arguments.options);
  const std::filesystem::path out = lab_output_folder(arguments.export_dir, arguments.out, "model");
  write_model_files(orders, trained, out, arguments.export_dir);
  if (arguments.quiet) return kExitOk;
  fmt::print(
      "market {}: trained on days {}-{} ({} orders, {} known as fraud on day {}; {} attempts "
      "stopped before an order left out), tested on days {}-{}\n",
      trained.market, trained.train_days.first, trained.train_days.last, trained.train_orders,
      trained.train_known_fraud, trained.label_day, trained.train_unlabelled,
      trained.test_days.first, trained.test_days.last);
  fmt::print("{} = {:.6g}: {} attempts a day reach it in the train window\n\n",
             score_action_key(trained.options.action), trained.threshold,
             fmt::format("{:.1f}", trained.threshold_rows_per_day));
  fmt::print("{}\n", evaluation_table(trained));
  fmt::print("model: {}\n", (out / kScoreFragmentFile).string());
  fmt::print("report: {}\n", (out / "model.html").string());
  return kExitOk;
}

}  // namespace p2psim
