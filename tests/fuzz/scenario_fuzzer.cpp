// libFuzzer target: each input is the text of a scenario file, loaded as `p2psim run` loads one
// and, when the loader accepts it, its first simulated day run. The loader's ScenarioError is the
// expected answer to a bad file; anything else that escapes, a sanitizer report, a timeout or
// running out of memory is a finding (docs/architecture.md, Fuzzing the scenario loader).
//
// Includes resolve against the input's folder, which holds links to the repository's scenario
// trees at their repository paths (scenarios/, tests/scenarios/; tests/fuzz/CMakeLists.txt): the
// seed corpus (make_corpus.py) writes each scenario's includes relative to the repository root,
// so `include = ["scenarios/markets/ng.toml"]` finds the real market files.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "scenario/scenario_loader.hpp"
#include "world/incentives.hpp"
#include "world/world.hpp"

namespace {

namespace fs = std::filesystem;

// One replication, given as `--set` gives it. The horizon stays the file's own, and is validated
// as written, but only its first day is run (run_one_day): with simulation.days set to 1 the
// loader refuses every [experiment], whose default switchback block_hours (4) needs 32 measured
// hours even in the designs that have no blocks.
const std::vector<std::string> kOneReplication = {"simulation.replications=1"};

// A smaller world runs the same code: the presets' tens of thousands of users and thousands of
// visitors a day cost up to seconds an execution under the sanitizers and coverage, and CI's
// 100,000 executions must fit in minutes. Only large values are lowered, so the loader's
// smallest accepted values still reach the world as written.
constexpr std::uint32_t kMostInitialUsers = 200;
constexpr std::uint32_t kMostMerchants = 10;
constexpr double kMostDailyVisitors = 200.0;
constexpr double kMostFraudAccountsPerDay = 20.0;
constexpr double kMostRingSize = 10.0;
constexpr double kMostAttemptsPerAccount = 20.0;
constexpr double kMostReferralsPerUser = 2.0;  // the world reserves for the referred up front
// Campaigns draw promotion-abuse rings at accounts_per_day x farmable bonus / reference bonus:
// the reference is raised so that they draw at most this many times the (shrunk) base rate.
constexpr double kMostRingMultiple = 10.0;

// What is left unshrunk can still ask for much work (a fraud account attempting every second):
// the day runs in slices and stops at the first slice ending past this many events, a few
// seconds under the sanitizers. A loop that never leaves a slice (events that never advance the
// clock) still runs into -timeout.
constexpr std::uint64_t kMostEvents = 200'000;
constexpr p2psim::Seconds kSlice = p2psim::kMinute;

// The input's path is in the loader's messages, so it is the same in every run ("input.toml")
// for a run to be repeated; a fuzzer running beside one that holds it (-fork, -jobs) writes
// "input-<pid>.toml" instead of overwriting it.
fs::path input;

fs::path input_path(const fs::path& folder) {
  // Held until the process ends, however it ends.
  const int lock = open((folder / "input.lock").c_str(), O_CREAT | O_RDWR, 0644);
  if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0) return folder / "input.toml";
  return folder / ("input-" + std::to_string(getpid()) + ".toml");
}

void remove_input() {
  std::error_code ignored;
  fs::remove(input, ignored);
}

// A process that crashed did not remove its input (libFuzzer has kept a copy as the finding):
// the inputs of processes that no longer exist are removed.
void remove_inputs_left_behind(const fs::path& folder) {
  std::error_code ignored;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ignored)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("input-") || !name.ends_with(".toml")) continue;
    const pid_t owner = static_cast<pid_t>(std::atol(name.c_str() + 6));
    if (owner > 0 && kill(owner, 0) != 0 && errno == ESRCH) fs::remove(entry.path(), ignored);
  }
}

// The most an account can farm in `market` on any day of the run.
double most_farmable_usd(const p2psim::WorldConfig& world, std::uint16_t market) {
  double most = 0.0;
  for (std::uint32_t day = 0; day < world.simulation.days; ++day)
    most = std::max(most, p2psim::most_farmable_usd(world, market, static_cast<std::int32_t>(day)));
  return most;
}

void shrink(p2psim::WorldConfig& world) {
  for (std::uint16_t index = 0; index < world.markets.size(); ++index) {
    p2psim::FraudTypologyConfig& abuse =
        world.markets[index].fraud[p2psim::FraudTypology::kPromotionAbuse];
    abuse.reference_bonus_usd =
        std::max(abuse.reference_bonus_usd, most_farmable_usd(world, index) / kMostRingMultiple);
  }
  for (p2psim::MarketConfig& market : world.markets) {
    market.users.referrals_per_user =
        std::min(market.users.referrals_per_user, kMostReferralsPerUser);
    market.users.initial_users = std::min(market.users.initial_users, kMostInitialUsers);
    market.merchants.count = std::min(market.merchants.count, kMostMerchants);
    market.merchants.max_entrants = std::min(market.merchants.max_entrants, kMostMerchants);
    market.users.daily_visitors = std::min(market.users.daily_visitors, kMostDailyVisitors);
    for (int typology = 0; typology < p2psim::kFraudTypologyCount; ++typology) {
      p2psim::FraudTypologyConfig& fraud = market.fraud.typology(typology);
      fraud.accounts_per_day = std::min(fraud.accounts_per_day, kMostFraudAccountsPerDay);
      fraud.ring_size_mean = std::min(fraud.ring_size_mean, kMostRingSize);
      fraud.attempts_per_account = std::min(fraud.attempts_per_account, kMostAttemptsPerAccount);
    }
  }
  for (p2psim::ShockConfig& shock : world.shocks) {
    if (shock.key == p2psim::ShockKey::kDailyVisitors)
      shock.value = std::min(shock.value, kMostDailyVisitors);
    if (shock.key == p2psim::ShockKey::kFraudAccountsPerDay)
      shock.value = std::min(shock.value, kMostFraudAccountsPerDay);
  }
}

void run_one_day(const p2psim::WorldConfig& config) {
  p2psim::World world(config, 0);
  for (p2psim::Seconds end = kSlice; end <= p2psim::kDay; end += kSlice) {
    world.run_until(end);
    if (world.events_processed() > kMostEvents) break;
  }
  static_cast<void>(world.outcome());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const fs::path folder = P2PSIM_FUZZ_INPUTS;
  remove_inputs_left_behind(folder);
  input = input_path(folder);
  std::atexit(remove_input);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream file(input, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  p2psim::Scenario scenario;
  try {
    scenario = p2psim::load_scenario(input, kOneReplication);
  } catch (const p2psim::ScenarioError&) {
    return 0;  // refused with its place in the file: the answer expected
  }
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
