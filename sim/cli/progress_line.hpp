#pragma once
// The progress line of a long run on a terminal: replications done, simulated days done (over
// all the run's worlds, so that one long replication moves too), their rate and the time left,
// redrawn in place on one line. Callers decide whether to show it at all (a terminal,
// not --quiet); this class only formats and throttles.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "experiment/run_replications.hpp"

namespace p2psim {

// "  replications 3/16, simulated days 120/448 (26%), 4.1 days/s, about 1 min 20 s left": the
// rate is simulated days per second of wall time so far; the time left assumes the remaining
// days go at the same rate. Before the first day ends there is no rate to extrapolate from, so
// only the counts are shown.
std::string progress_text(const RunProgress& progress, double elapsed_seconds);

// "12 s", "3 min 05 s", "2 h 07 min".
std::string duration_text(double seconds);

class ProgressLine {
 public:
  explicit ProgressLine(std::FILE* out);
  // Redraws the line, at most ten times a second (a run of thousands of short replications
  // would otherwise spend its time printing); the last update always draws and ends the line.
  void update(const RunProgress& progress);

 private:
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::size_t last_width_ = 0;
};

}  // namespace p2psim
