#include "experiment/ranks.hpp"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#ifdef P2PSIM_WITH_MPI
#include <mpi.h>
#endif

namespace p2psim {
namespace {

std::uint32_t rank_total = 1;
std::uint32_t rank_index = 0;

// The number of ranks a launcher started, from its environment: mpirun's, then a PMI launcher's
// such as srun (a PMIx launcher names only the rank; Slurm's step then gives the size). 1 when
// not started by a launcher.
std::uint32_t launched_ranks() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* value = std::getenv(variable)) return std::strtoul(value, nullptr, 10);
  }
  const char* step_tasks = std::getenv("SLURM_STEP_NUM_TASKS");
  if (std::getenv("PMIX_RANK") != nullptr && step_tasks != nullptr) {
    return std::strtoul(step_tasks, nullptr, 10);
  }
  return 1;
}

}  // namespace

bool built_with_mpi() {
#ifdef P2PSIM_WITH_MPI
  return true;
#else
  return false;
#endif
}

std::uint32_t rank_count() {
  return rank_total;
}

std::uint32_t this_rank() {
  return rank_index;
}

#ifdef P2PSIM_WITH_MPI

void join_ranks(int& argc, char**& argv) {
  if (launched_ranks() <= 1) return;  // alone, or mpirun -np 1: no ranks to exchange with
  int provided = 0;
  // Only the main thread calls MPI; the worker threads only run worlds.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int size = 1;
  int rank = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  rank_total = static_cast<std::uint32_t>(size);
  rank_index = static_cast<std::uint32_t>(rank);
}

void leave_ranks(int exit_code, bool same_on_every_rank) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) return;
  if (exit_code != 0 && !same_on_every_rank && rank_total > 1) {
    // The abort ends the process at once: what is buffered would be lost.
    std::fflush(stdout);
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, exit_code);
  }
  MPI_Finalize();
}

std::vector<std::string> gather_from_all_ranks(std::string_view bytes) {
  if (rank_total == 1) return {std::string(bytes)};
  const auto size = static_cast<std::uint64_t>(bytes.size());
  std::vector<std::uint64_t> sizes(rank_total);
  MPI_Allgather(&size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
  std::vector<int> counts(rank_total);
  std::vector<int> offsets(rank_total);
  std::uint64_t total = 0;
  for (std::uint32_t rank = 0; rank < rank_total; ++rank) {
    // MPI counts bytes in int: every rank sees the same sizes, so every rank throws together.
    if (total + sizes[rank] > INT_MAX) {
      throw std::runtime_error(
          "the outcomes the ranks exchange exceed 2 GiB at once: run fewer replications per "
          "command, or fewer days or markets per world");
    }
    counts[rank] = static_cast<int>(sizes[rank]);
    offsets[rank] = static_cast<int>(total);
    total += sizes[rank];
  }
  std::string all(total, '\0');
  MPI_Allgatherv(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, all.data(), counts.data(),
                 offsets.data(), MPI_BYTE, MPI_COMM_WORLD);
  std::vector<std::string> pieces;
  for (std::uint32_t rank = 0; rank < rank_total; ++rank)
    pieces.push_back(all.substr(offsets[rank], sizes[rank]));
  return pieces;
}

#else

void join_ranks(int&, char**&) {
  if (launched_ranks() > 1) {
    throw std::runtime_error(
        "started by mpirun with several ranks, but this p2psim was built without Open MPI: each "
        "rank would run the whole job. Install libopenmpi-dev and rebuild (docs/scale.md), or run "
        "one process");
  }
}

void leave_ranks(int, bool) {}

std::vector<std::string> gather_from_all_ranks(std::string_view bytes) {
  return {std::string(bytes)};
}

#endif

}  // namespace p2psim
