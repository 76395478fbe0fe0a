#pragma once
// The processes of one run: one process alone (the usual case), or the ranks `mpirun -np N`
// started when p2psim is built with Open MPI (docs/scale.md). Every rank reads the same scenario
// and runs the same command; run_worlds gives each rank its share of the worlds, and every rank
// receives every world's outcome, so all ranks carry on identically from there. Only the lead
// rank (rank 0) prints and writes files.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace p2psim {

// Joins the ranks when the process was started by mpirun (or srun), else stays alone. Throws
// std::runtime_error when started by mpirun with several ranks but built without Open MPI: each
// process would otherwise run the whole job and write the same files.
void join_ranks(int& argc, char**& argv);
// Leaves the ranks with the command's exit code. Every rank finishes together after a success, or
// after a failure every rank is known to have met alike (a failed regression check). After any
// other failure with several ranks the job is aborted: a rank that stopped alone must not leave
// the others waiting for it.
void leave_ranks(int exit_code, bool same_on_every_rank);

std::uint32_t rank_count();
std::uint32_t this_rank();
inline bool is_lead_rank() {
  return this_rank() == 0;
}
// Whether this binary can join mpirun's ranks.
bool built_with_mpi();

// Every rank's bytes, in rank order, on every rank: a collective that every rank must reach.
std::vector<std::string> gather_from_all_ranks(std::string_view bytes);

}  // namespace p2psim
