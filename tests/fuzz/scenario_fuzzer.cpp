// libFuzzer target: each input is the text of a scenario file, loaded as `p2psim run` loads one
// and, when the loader accepts it, run for one simulated day. The loader's ScenarioError is the
// expected answer to a bad file; anything else that escapes, a sanitizer report, a timeout or
// running out of memory is a finding (docs/architecture.md, Fuzzing the scenario loader).
//
// Includes resolve against the input's folder, which holds a copy of the repository's scenario
// trees at their repository paths (scenarios/, tests/scenarios/): the seed corpus
// (make_corpus.py) writes each scenario's includes relative to the repository root, so
// `include = ["scenarios/markets/ng.toml"]` finds the real market files.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "scenario/scenario_json.hpp"
#include "scenario/scenario_loader.hpp"
#include "world/world.hpp"

namespace {

namespace fs = std::filesystem;

// One day, one replication and no warm-up, given as `--set` gives them so the loader validates
// the rest of the file against that horizon (shocks and campaigns after day 1 are warnings, as
// they are for such a run on the command line).
const std::vector<std::string> kOneDay = {"simulation.days=1", "simulation.warmup_days=0",
                                          "simulation.replications=1"};

// A smaller world runs the same code: the presets' tens of thousands of users and thousands of
// visitors a day cost up to seconds an execution under the sanitizers and coverage, and CI's
// 100,000 executions must fit in minutes. Only large values are lowered, so the loader's
// smallest accepted values still reach the world as written.
constexpr std::uint32_t kMostInitialUsers = 200;
constexpr std::uint32_t kMostMerchants = 10;
constexpr double kMostDailyVisitors = 200.0;

fs::path scratch;
fs::path input;

void remove_scratch() {
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
}

void shrink(p2psim::WorldConfig& world) {
  for (p2psim::MarketConfig& market : world.markets) {
    market.users.initial_users = std::min(market.users.initial_users, kMostInitialUsers);
    market.merchants.count = std::min(market.merchants.count, kMostMerchants);
    market.users.daily_visitors = std::min(market.users.daily_visitors, kMostDailyVisitors);
  }
}

void run_one_day(const p2psim::WorldConfig& config) {
  p2psim::World world(config, 0);
  world.run();
  static_cast<void>(world.outcome());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string folder = (fs::temp_directory_path() / "p2psim-fuzz-XXXXXX").string();
  if (mkdtemp(folder.data()) == nullptr) std::abort();
  scratch = folder;
  std::atexit(remove_scratch);
  const fs::path source = P2PSIM_SOURCE_DIR;
  for (const char* tree : {"scenarios", "tests/scenarios"}) {
    fs::create_directories(scratch / tree);
    fs::copy(source / tree, scratch / tree, fs::copy_options::recursive);
  }
  input = scratch / "input.toml";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream file(input, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  p2psim::Scenario scenario;
  try {
    scenario = p2psim::load_scenario(input, kOneDay);
  } catch (const p2psim::ScenarioError&) {
    return 0;  // refused with its place in the file: the answer expected
  }
  // What `p2psim run` computes of every scenario before running it (summary.json's).
  static_cast<void>(p2psim::scenario_hash(scenario));
  if (!scenario.experiment) {
    shrink(scenario.world);
    run_one_day(scenario.world);
    return 0;
  }
  // The control arm is the scenario's own world; the others have its overrides applied.
  for (p2psim::ExperimentArm& arm : scenario.experiment->arms) {
    shrink(arm.world);
    run_one_day(arm.world);
  }
  return 0;
}
