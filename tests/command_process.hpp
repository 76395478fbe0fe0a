#pragma once
// Running the p2psim binary from an end-to-end test: its exit code and output, fresh scratch
// folders, and files read whole.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace p2psim::end_to_end {

inline const std::filesystem::path kSource = P2PSIM_SOURCE_DIR;
inline const std::string kBinary = P2PSIM_BINARY;

// An empty folder under the system's temporary folder; the process id keeps concurrent test
// runs (several worktrees on one machine) apart.
inline std::filesystem::path fresh_directory(const std::string& prefix, const std::string& name) {
  std::filesystem::path directory = std::filesystem::temp_directory_path() /
                                    (prefix + "_" + std::to_string(getpid()) + "_" + name);
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  return directory;
}

struct Outcome {
  int exit_code;
  std::string output;  // stdout and stderr together, unless asked otherwise
};

// Runs `p2psim <arguments>` through the shell; `streams` says which output is kept.
inline Outcome run_p2psim(const std::string& arguments, const std::string& streams = "2>&1") {
  const std::string command = kBinary + " " + arguments + " " + streams;
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  while (std::size_t read = fread(buffer, 1, sizeof buffer, pipe))
    output.append(buffer, read);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

inline std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace p2psim::end_to_end
