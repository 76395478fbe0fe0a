#pragma once
// The files of `p2psim calibrate` (docs/calibration.md): calibrated.toml, a scenario that
// includes the original and sets the fitted values; calibration.json, every figure of the fit;
// calibration.html, the same as a page in the report's style.
#include <filesystem>
#include <string>

#include "analysis/calibration_fit.hpp"

namespace p2psim {

struct CalibrationSource {
  std::filesystem::path scenario_file;
  std::string scenario_name;
};

// `out` is the folder calibrated.toml is written to: its include is relative to it.
std::string calibrated_toml(const CalibrationTargets& calibration, const CalibrationResult& result,
                            const CalibrationSource& source, const std::filesystem::path& out);
std::string calibration_json(const CalibrationTargets& calibration, const CalibrationResult& result,
                             const CalibrationSource& source);
std::string calibration_html(const CalibrationTargets& calibration, const CalibrationResult& result,
                             const CalibrationSource& source);

// A parameter's standard error as the fit report gives it: the number, "not identified" (in a
// flat direction) or "not measured" (interrupted before the curvature).
std::string standard_error_text(const CalibrationResult& result, std::size_t parameter);

// Writes the three files into `out`, all or none.
void write_calibration_files(const CalibrationTargets& calibration, const CalibrationResult& result,
                             const CalibrationSource& source, const std::filesystem::path& out);

}  // namespace p2psim
