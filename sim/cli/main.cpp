// p2psim: the command line. It parses arguments and hands them to a command (cli/commands.hpp),
// whose exit code it returns.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "version.hpp"

int main(int argc, char** argv) {
  using namespace p2psim;
  CLI::App app{"p2psim: simulate peer-to-peer crypto marketplaces and read their KPIs"};
  app.set_version_flag("--version", std::string("p2psim ") + kVersion);
  app.require_subcommand(1);

  RunArguments run;
  CLI::App* run_app = app.add_subcommand(
      "run",
      "Run a scenario's replications, print its KPIs and write kpis.csv, daily.csv, "
      "fraud_labels.csv, summary.json and report.html");
  run_app->add_option("scenario", run.scenario, "Scenario file (TOML)")->required();
  run_app->add_option("--seed", run.seed, "Seed, overriding simulation.seed");
  run_app
      ->add_option("--replications", run.replications,
                   "Replications, overriding simulation.replications")
      ->check(CLI::Range(1u, 100000u));
  run_app->add_option("--threads", run.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  run_app->add_option("--out", run.out, "Output folder (default: results/runs/<scenario name>)");
  run_app->add_flag("--quiet,-q", run.quiet, "Print nothing but errors");
  run_app
      ->add_option("--export", run.export_tables,
                   "Also write labelled data for risk models, per replication, under "
                   "<out>/export: orders (one row per order attempt), accounts, or both "
                   "(docs/risk-models.md)")
      ->delimiter(',')
      ->check(CLI::IsMember({"orders", "accounts"}));

  RunArguments sweep;
  std::vector<std::string> sweep_sets;
  CLI::App* sweep_app = app.add_subcommand(
      "sweep", "Run a scenario at every point of a grid of settings and write sweep.csv");
  sweep_app->add_option("scenario", sweep.scenario, "Scenario file (TOML)")->required();
  sweep_app
      ->add_option("--set", sweep_sets,
                   "key.path=v1,v2,... (TOML values); repeat for more axes of the grid")
      ->required()
      ->allow_extra_args(false);
  sweep_app->add_option("--seed", sweep.seed, "Seed, overriding simulation.seed");
  sweep_app
      ->add_option("--replications", sweep.replications,
                   "Replications per point, overriding simulation.replications")
      ->check(CLI::Range(1u, 100000u));
  sweep_app->add_option("--threads", sweep.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  sweep_app->add_option("--out", sweep.out,
                        "Output folder (default: results/sweeps/<scenario name>)");
  sweep_app->add_flag("--quiet,-q", sweep.quiet, "Print nothing but errors");

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
  check_app->add_flag("--quiet,-q", check.quiet,
                      "No progress line; print only failing scenarios and the closing line");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version end here with 0; every usage error exits with 2.
    return app.exit(error) == 0 ? kExitOk : kExitUsageError;
  }
  if (*run_app) return guarded([&] { return run_command(run); });
  if (*check_app) return guarded([&] { return check_command(check); });
  if (*sweep_app) return guarded([&] { return sweep_command(sweep, sweep_sets); });
  return guarded([&] { return validate_command(validate_files); });
}
