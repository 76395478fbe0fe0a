#pragma once
// What `p2psim profiles` writes (docs/risk-models.md, Profiles): profiles.csv (one row per
// segment, tidy), profiles.json (the same rows and the whole they are measured against) and
// profiles.html (the top segments by fraud rate and by loss, in report.html's style). All or
// nothing: an error leaves no file behind.
#include <filesystem>
#include <string>

#include "lab/segment_profiles.hpp"

namespace p2psim {

std::string profiles_csv(const SegmentProfiles& profiles);
std::string profiles_json(const SegmentProfiles& profiles, const std::string& source);
std::string profiles_html(const SegmentProfiles& profiles, const std::string& source);

// Writes the three files into `out` (created if needed). `source` names the export.
void write_profile_files(const SegmentProfiles& profiles, const std::filesystem::path& out,
                         const std::string& source);

}  // namespace p2psim
