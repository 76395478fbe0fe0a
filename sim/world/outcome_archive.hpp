#pragma once
// A replication's outcome as bytes and back, so that the ranks of a distributed run (mpirun) can
// send the worlds they ran to each other. Numbers are copied bit for bit: an outcome read back is
// the outcome that was written, so the files written from it are byte-identical to a run in one
// process. The bytes are for processes of the same binary on the same kind of machine (the same
// endianness and layout), not a file format.
#include <string>
#include <string_view>

#include "world/world_outcome.hpp"

namespace p2psim {

std::string pack_outcome(const ReplicationOutcome& outcome);
// Throws std::runtime_error when the bytes end early or run on past the outcome.
ReplicationOutcome unpack_outcome(std::string_view bytes);

}  // namespace p2psim
