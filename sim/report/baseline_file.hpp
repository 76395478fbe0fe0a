#pragma once
// A regression baseline's file, results/baselines/<scenario name>.json, so that `p2psim check`
// can tell whether the simulator still produces what it stores. Readable JSON: a reviewer sees
// in a diff which KPI moved by how much.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/baseline_comparison.hpp"

namespace p2psim {

// The file's text: JSON, two-space indented, numbers at full precision, newline-terminated.
std::string baseline_json_text(const Baseline& baseline);

// Throws std::runtime_error naming `origin` and what is wrong when the text is not a baseline.
Baseline parse_baseline(const std::string& text, const std::string& origin);

// "<scenario>.json", the file a scenario's baseline is kept in.
std::string baseline_file_name(const std::string& scenario);

// The baseline at `path`; nullopt when there is none. Throws std::runtime_error when the file
// cannot be read or is not a baseline.
std::optional<Baseline> read_baseline(const std::filesystem::path& path);

// Rewrites `baselines` in `directory`, all or nothing (report/output_directory). Throws
// std::runtime_error when two share a scenario name, hence a file.
void write_baselines(const std::filesystem::path& directory,
                     const std::vector<Baseline>& baselines);

}  // namespace p2psim
