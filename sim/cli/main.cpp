// p2psim: the command line. It parses arguments and hands them to a command (cli/commands.hpp),
// whose exit code it returns.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "experiment/ranks.hpp"
#include "scenario/key_ranges.hpp"
#include "version.hpp"

namespace {

// "FIRST:LAST", days of the run, e.g. 10:19.
p2psim::DayWindow parse_window(const std::string& text) {
  p2psim::DayWindow window;
  char colon = 0;
  std::istringstream stream(text);
  if (!(stream >> window.first >> colon >> window.last) || colon != ':' || !stream.eof()) {
    throw CLI::ValidationError("expected FIRST:LAST (days, e.g. 10:19), found \"" + text + "\"");
  }
  return window;
}

// A --seed in the range of the scenario's own simulation.seed (kSeed), so that a run's seed can
// always be written back into a scenario; "-1" is refused, not wrapped to 2^64 - 1.
std::uint64_t parse_seed(const std::string& text) {
  std::int64_t seed = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (error != std::errc() || end != text.data() + text.size() ||
      seed < p2psim::scenario_detail::kSeed.low || seed > p2psim::scenario_detail::kSeed.high) {
    throw CLI::ValidationError(
        fmt::format("--seed: expected an integer between {} and {}, found \"{}\"",
                    p2psim::scenario_detail::kSeed.low, p2psim::scenario_detail::kSeed.high,
                    text.substr(0, 40)));
  }
  return static_cast<std::uint64_t>(seed);
}

// A --max-memory: a number of bytes, or of KiB, MiB, GiB or TiB ("1.5GiB", "800MiB").
std::uint64_t parse_memory(const std::string& text) {
  static constexpr std::pair<std::string_view, double> kUnits[] = {
      {"TiB", 1099511627776.0}, {"GiB", 1073741824.0}, {"MiB", 1048576.0}, {"KiB", 1024.0}};
  double scale = 1.0;
  std::string number = text;
  for (const auto& [unit, bytes] : kUnits) {
    if (text.size() > unit.size() && text.ends_with(unit)) {
      scale = bytes;
      number = text.substr(0, text.size() - unit.size());
      break;
    }
  }
  double value = 0.0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (error != std::errc() || end != number.data() + number.size() || !(value > 0.0) ||
      value * scale > 1.8e19) {
    throw CLI::ValidationError(fmt::format(
        "--max-memory: expected a size such as 800MiB or 2GiB (bytes, KiB, MiB, GiB or TiB), "
        "found \"{}\"",
        text.substr(0, 40)));
  }
  return static_cast<std::uint64_t>(value * scale);
}

// What the options of a command that runs a scenario say: run, sweep and calibrate differ only
// in these.
struct ScenarioOptionTexts {
  const char* seed;
  const char* replications;
  unsigned minimum_replications;
  const char* out;
};

// The scenario file, then --seed, --replications, --threads, --out and --quiet.
void add_scenario_options(CLI::App& app, p2psim::RunArguments& arguments,
                          const ScenarioOptionTexts& texts) {
  app.add_option("scenario", arguments.scenario, "Scenario file (TOML)")->required();
  app.add_option_function<std::string>(
      "--seed", [&arguments](const std::string& text) { arguments.seed = parse_seed(text); },
      texts.seed);
  app.add_option("--replications", arguments.replications, texts.replications)
      ->check(CLI::Range(texts.minimum_replications, 100000u));
  app.add_option("--threads", arguments.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--out", arguments.out, texts.out);
  app.add_flag("--quiet,-q", arguments.quiet,
               "Print nothing but errors and the scenario's warnings");
}

CLI::App* add_train(CLI::App& app, p2psim::TrainArguments& train) {
  CLI::App* train_app = app.add_subcommand(
      "train",
      "Fit a logistic risk score on a labelled export (run --export orders), test it out of "
      "time, write it as a scenario fragment and a model report (docs/risk-models.md)");
  train_app->add_option("export", train.export_dir, "The export folder, e.g. results/runs/X/export")
      ->required();
  train_app->add_option("--market", train.options.market,
                        "Market code (default: the export's only market)");
  train_app->add_option_function<std::string>(
      "--train-days",
      [&](const std::string& text) { train.options.train_days = parse_window(text); },
      "Days of the orders to train on, FIRST:LAST (default: the first half)");
  train_app->add_option("--label-day", train.options.label_day,
                        "The day whose known labels train the score: fraud revealed later counts "
                        "as genuine (default: the train window's last day)");
  train_app->add_option_function<std::string>(
      "--test-days", [&](const std::string& text) { train.options.test_days = parse_window(text); },
      "Days to test on, FIRST:LAST (default: the days after the train window)");
  train_app
      ->add_option("--features", train.options.features,
                   "Features to fit, by name (default: every one that varies)")
      ->delimiter(',');
  train_app->add_option("--l2", train.options.l2, "L2 penalty on the standardised weights")
      ->check(CLI::Range(0.0, 1e9));
  train_app
      ->add_option("--capacity", train.options.capacity,
                   "Attempts a day the action can take: sets the threshold and the precision "
                   "and recall at capacity (default: 100)")
      ->check(CLI::Range(1u, 100000000u));
  train_app
      ->add_option("--false-positive-ceiling", train.options.false_positive_ceiling,
                   "Instead of the capacity: the threshold lets at most this share of "
                   "known-genuine orders reach it, e.g. 0.01")
      ->check(CLI::Range(0.0, 1.0));
  train_app
      ->add_option_function<std::string>(
          "--action",
          [&](const std::string& text) {
            train.options.action = text == "block"     ? p2psim::ScoreAction::kBlock
                                   : text == "step_up" ? p2psim::ScoreAction::kStepUp
                                                       : p2psim::ScoreAction::kReview;
          },
          "What the threshold does: review (default), step_up or block")
      ->check(CLI::IsMember({"review", "step_up", "block"}));
  train_app->add_option("--out", train.out, "Output folder (default: <export>/../model)");
  train_app->add_flag("--quiet,-q", train.quiet, "Print nothing but errors");
  return train_app;
}

CLI::App* add_profiles(CLI::App& app, p2psim::ProfilesArguments& profiles) {
  CLI::App* profiles_app = app.add_subcommand(
      "profiles",
      "Profile the segments of a labelled export (run --export orders): fraud rate with its "
      "interval, known fraud rate, lift and share of volume and loss of each, ranked by fraud "
      "rate and by loss (docs/risk-models.md)");
  profiles_app
      ->add_option("export", profiles.export_dir, "The export folder, e.g. results/runs/X/export")
      ->required();
  profiles_app->add_option("--market", profiles.options.market,
                           "Market code: profile only its attempts (default: every market)");
  profiles_app
      ->add_option("--min-support", profiles.options.min_support,
                   "Attempts a segment needs to be listed (default: 30)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 62));
  profiles_app->add_option("--out", profiles.out, "Output folder (default: <export>/../profiles)");
  profiles_app->add_flag("--quiet,-q", profiles.quiet, "Print nothing but errors");
  return profiles_app;
}

}  // namespace

// The lead rank alone prints results: the others run the same command on the same input. Their
// errors still reach standard error, since an input may fail on one host only (a file missing).
void silence_follower_rank() {
  if (p2psim::is_lead_rank()) return;
  if (std::freopen("/dev/null", "w", stdout) == nullptr) {
    std::perror("p2psim: cannot silence a follower rank");
  }
}

// Commands that run no world do not spread over ranks: under mpirun every rank would do the
// whole job and write the same files.
int refuse_ranks(const char* command) {
  if (p2psim::rank_count() == 1) return p2psim::kExitOk;
  std::fprintf(stderr, "error: %s runs in one process: start it without mpirun\n", command);
  return p2psim::kExitUsageError;
}

int command_line(int argc, char** argv) {
  using namespace p2psim;
  CLI::App app{"p2psim: simulate peer-to-peer crypto marketplaces and read their KPIs"};
  app.set_version_flag("--version", std::string("p2psim ") + kVersion);
  app.require_subcommand(1);

  RunArguments run;
  CLI::App* run_app = app.add_subcommand(
      "run",
      "Run a scenario's replications, print its KPIs and write kpis.csv, daily.csv, "
      "fraud_labels.csv, segments.csv, summary.json and report.html");
  add_scenario_options(
      *run_app, run,
      {"Seed, overriding simulation.seed", "Replications, overriding simulation.replications", 1,
       "Output folder (default: results/runs/<scenario name>)"});
  run_app
      ->add_option("--set", run.settings,
                   "key.path=value (a TOML value) written over the scenario, as sweep's one-value "
                   "axes; repeat for more keys")
      ->allow_extra_args(false);
  run_app
      ->add_option("--export", run.export_tables,
                   "Also write labelled data for risk models, per replication, under "
                   "<out>/export: orders (one row per order attempt), accounts, or both "
                   "(docs/risk-models.md)")
      ->delimiter(',')
      ->check(CLI::IsMember({"orders", "accounts"}));
  run_app->add_option_function<std::string>(
      "--max-memory",
      [&run](const std::string& text) { run.max_memory_bytes = parse_memory(text); },
      "Refuse the run when its estimated peak memory (as validate prints it) exceeds this, e.g. "
      "4GiB (default: the memory the machine has available)");

  RunArguments sweep;
  SweepArguments sweep_grid;
  CLI::App* sweep_app = app.add_subcommand(
      "sweep",
      "Run a scenario at every point of a grid of settings and write sweep.csv and report.html");
  add_scenario_options(*sweep_app, sweep,
                       {"Seed, overriding simulation.seed",
                        "Replications per point, overriding simulation.replications", 1,
                        "Output folder (default: results/sweeps/<scenario name>)"});
  sweep_app
      ->add_option("--set", sweep_grid.sets,
                   "key.path=v1,v2,... (TOML values); repeat for more axes of the grid")
      ->required()
      ->allow_extra_args(false);
  sweep_app->add_option("--chart-x", sweep_grid.chart_x,
                        "KPI on the horizontal axis of report.html's chart, kpi or market.kpi "
                        "(default: false_positive_rate for a risk policy sweep, else the first "
                        "swept key)");
  sweep_app->add_option("--chart-y", sweep_grid.chart_y,
                        "KPI on the vertical axis of report.html's chart, kpi or market.kpi "
                        "(default: catch_rate for a risk policy sweep, else gmv_usd)");

  std::vector<std::string> validate_files;
  CLI::App* validate_app =
      app.add_subcommand("validate", "Check scenario files without running them");
  validate_app->add_option("scenarios", validate_files, "Scenario files (TOML)")->required();

  CheckArguments check;
  CLI::App* check_app = app.add_subcommand(
      "check",
      "Run regression scenarios and compare every KPI with its stored baseline (exact and "
      "statistical tiers); exit 4 on a regression");
  check_app->add_option("scenarios", check.scenarios,
                        "Scenario files or folders of them (default: scenarios/regression)");
  check_app->add_option("--baselines", check.baselines,
                        "Folder of baselines, <scenario name>.json (default: results/baselines)");
  check_app->add_option("--junit", check.junit,
                        "JUnit XML report to write (default: results/check/junit.xml)");
  check_app->add_option("--threads", check.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  check_app->add_flag("--update", check.update,
                      "Print the differences, then rewrite the baselines with this run's values");
  check_app->add_flag("--exact", check.exact,
                      "Fail on any difference from the baseline, even within tolerance");
  check_app->add_flag(
      "--quiet,-q", check.quiet,
      "No progress line; print only failing scenarios, the closing line and warnings");

  RunArguments calibrate;
  std::string calibrate_targets;
  CLI::App* calibrate_app = app.add_subcommand(
      "calibrate",
      "Fit scenario keys to a market's observed KPIs with NLopt and write calibrated.toml, "
      "calibration.json and calibration.html (docs/calibration.md)");
  add_scenario_options(*calibrate_app, calibrate,
                       {"Seed of every evaluation, overriding the targets file and the scenario",
                        "Replications per evaluation, overriding the targets file and the scenario",
                        2, "Output folder (default: results/calibrations/<scenario name>)"});
  calibrate_app
      ->add_option("targets", calibrate_targets,
                   "Targets file (TOML): observed KPIs and the keys to fit, with bounds")
      ->required();

  TrainArguments train;
  CLI::App* train_app = add_train(app, train);
  ProfilesArguments profiles;
  CLI::App* profiles_app = add_profiles(app, profiles);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version end here with 0; every usage error exits with 2.
    return app.exit(error) == 0 ? kExitOk : kExitUsageError;
  }
  if (*run_app) return guarded([&] { return run_command(run); });
  if (*check_app) return guarded([&] { return check_command(check); });
  if (*sweep_app) return guarded([&] { return sweep_command(sweep, sweep_grid); });
  if (*calibrate_app) {
    return guarded([&] { return calibrate_command(calibrate, calibrate_targets); });
  }
  if (*train_app) {
    if (int refused = refuse_ranks("train")) return refused;
    return guarded([&] { return train_command(train); });
  }
  if (*profiles_app) {
    if (int refused = refuse_ranks("profiles")) return refused;
    return guarded([&] { return profiles_command(profiles); });
  }
  return guarded([&] { return validate_command(validate_files); });
}

int main(int argc, char** argv) {
  using namespace p2psim;
  if (int failed = guarded([&] {
        join_ranks(argc, argv);
        return kExitOk;
      })) {
    return failed;
  }
  silence_follower_rank();
  const int exit_code = command_line(argc, argv);
  // A failed regression check is a verdict every rank reached after the same exchanges. Any other
  // failure may be one rank's alone (a file missing on its host, its own Ctrl-C): finishing
  // normally there would leave the others waiting in an exchange, so the job is aborted.
  leave_ranks(exit_code, exit_code == kExitRegression);
  return exit_code;
}
