#pragma once
// The commands of p2psim (docs/cli.md), each taking its parsed arguments and returning its exit
// code (cli/exit_codes.hpp). They throw what guarded() maps to an exit code.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lab/score_training.hpp"
#include "lab/segment_profiles.hpp"

namespace p2psim {

// `run`, `sweep` and `calibrate`.
struct RunArguments {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replications;
  std::uint32_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::string out;
  bool quiet = false;
  std::vector<std::string> export_tables;  // "orders", "accounts"
  std::vector<std::string> settings;       // `run --set key=value`, written over the scenario
  std::optional<std::uint64_t> max_memory_bytes;  // `run --max-memory`
};

// `sweep`, beside its RunArguments.
struct SweepArguments {
  std::vector<std::string> sets;  // key=v1,v2,...
  std::string chart_x;            // "kpi" or "market.kpi"; empty: the default chart's
  std::string chart_y;
};

// `check`.
struct CheckArguments {
  std::vector<std::string> scenarios{"scenarios/regression"};
  std::string baselines = "results/baselines";
  std::string junit = "results/check/junit.xml";
  std::uint32_t threads = std::max(1u, std::thread::hardware_concurrency());
  bool update = false;
  bool exact = false;
  bool quiet = false;
};

// `train`.
struct TrainArguments {
  std::string export_dir;
  std::string out;  // default: the model folder beside the export
  TrainOptions options;
  bool quiet = false;
};

// `profiles`.
struct ProfilesArguments {
  std::string export_dir;
  std::string out;  // default: the profiles folder beside the export
  ProfileOptions options;
  bool quiet = false;
};

// A scenario's replications, or its experiment when it has one: files, then a table on stdout.
int run_command(const RunArguments& arguments);

// Every point of the grid of `sweep.sets` (key=v1,v2,...), each a full run of the base scenario,
// into sweep.csv and report.html.
int sweep_command(const RunArguments& arguments, const SweepArguments& sweep);

// Fits the scenario's parameters named in the targets file to its observed KPIs and writes
// calibrated.toml, calibration.json and calibration.html (docs/calibration.md).
int calibrate_command(const RunArguments& arguments, const std::string& targets_file);

// Loads each file and prints what it describes, without running it.
int validate_command(const std::vector<std::string>& files);

// Runs every regression scenario, prints what moved, writes the JUnit XML, and with --update
// rewrites the baselines.
int check_command(const CheckArguments& arguments);

// Fits a risk score on a labelled export, tests it, and writes the model files.
int train_command(const TrainArguments& arguments);

// Profiles the segments of a labelled export by fraud rate and loss, and writes the profile files.
int profiles_command(const ProfilesArguments& arguments);

}  // namespace p2psim
