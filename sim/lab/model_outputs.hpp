#pragma once
// What `p2psim train` writes (docs/risk-models.md, Training): the model as a scenario fragment
// (score.toml, a [markets.<code>.risk.score] table that `include` pulls into a scenario), the
// model report (model.html, in report.html's style, and model.json) and each test row's scores
// (test_scores.csv.gz). All or nothing: an error leaves no file behind.
#include <filesystem>
#include <string>

#include "lab/score_training.hpp"

namespace p2psim {

inline constexpr const char* kScoreFragmentFile = "score.toml";

std::string score_fragment(const TrainedScore& trained, const std::string& source);
std::string model_json(const TrainedScore& trained, const std::string& source);
std::string model_html(const TrainedScore& trained, const std::string& source);

// Writes the four files into `out` (created if needed). `source` names the export.
void write_model_files(const ExportedOrders& orders, const TrainedScore& trained,
                       const std::filesystem::path& out, const std::string& source);

}  // namespace p2psim
