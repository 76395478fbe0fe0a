#pragma once
// The text of a gzip file, read with zlib: the tests' reader of what the export's compressor
// (ISA-L) wrote. A test program that includes it links ZLIB::ZLIB (tests/CMakeLists.txt).
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <string>

namespace p2psim {

inline std::string gunzip(const std::filesystem::path& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  EXPECT_NE(file, nullptr) << path;
  if (file == nullptr) return "";
  std::string text;
  char buffer[1 << 14];
  int read = 0;
  while ((read = gzread(file, buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<std::size_t>(read));
  gzclose(file);
  return text;
}

}  // namespace p2psim
