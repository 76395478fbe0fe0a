#pragma once
// What a run will need before any world is built: the accounts, orders and memory its worlds
// hold, from populations, horizon, replications, threads and ranks (docs/cli.md#validate).
// `validate` prints it; `run` refuses a run whose memory exceeds what the machine has free or
// --max-memory allows, instead of being killed for memory halfway.
#include <cstdint>
#include <string>

#include "scenario/scenario.hpp"

namespace p2psim {

struct ResourceEstimate {
  double accounts = 0.0;             // user accounts of one world at its end, all markets
  double merchants = 0.0;            // merchant records of one world, dormant entrants included
  double fraud_orders = 0.0;         // fraudulent orders of one world (each kept as a label)
  std::uint32_t worlds = 0;          // worlds the run simulates (replications x arms)
  std::uint32_t worlds_at_once = 0;  // on this process: min(threads, its share of the worlds)
  std::uint64_t bytes_per_world = 0;
  std::uint64_t bytes_per_outcome = 0;  // what is kept of each world until the run ends
  std::uint64_t peak_bytes = 0;         // of this process
};

ResourceEstimate estimate_resources(const Scenario& scenario, std::uint32_t threads,
                                    std::uint32_t ranks);

// "about 290 MiB at peak (1 world at a time of 270 MiB: 1.24 M accounts, 10,000 merchants; 1
// world in all)".
std::string resource_estimate_text(const ResourceEstimate& estimate);

// The memory this machine has available now (MemAvailable of /proc/meminfo), 0 when unknown.
std::uint64_t available_memory_bytes();

// "1.5 GiB", "275 MiB": for estimates and limits.
std::string memory_text(std::uint64_t bytes);

}  // namespace p2psim
