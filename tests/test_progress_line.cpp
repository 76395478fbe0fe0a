// The progress line of long runs: replications done, rate and time left.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "cli/progress_line.hpp"

namespace p2psim {
namespace {

TEST(ProgressLine, ShowsCountRateAndTimeLeft) {
  // 4 of 16 in 10 s: 0.4 per second, 12 left at that rate: 30 s.
  EXPECT_EQ(progress_text(4, 16, 10.0), "  replications 4/16 (25%), 0.40/s, about 30 s left");
  EXPECT_EQ(progress_text(300, 1000, 60.0),
            "  replications 300/1000 (30%), 5.0/s, about 2 min 20 s left");
  EXPECT_EQ(progress_text(16, 16, 125.0),
            "  replications 16/16 (100%), 0.13/s, done in 2 min 05 s");
}

TEST(ProgressLine, HasNoRateBeforeTheFirstReplication) {
  EXPECT_EQ(progress_text(0, 16, 3.0), "  replications 0/16 (0%)");
}

TEST(ProgressLine, DurationsReadNaturally) {
  EXPECT_EQ(duration_text(0.2), "1 s");
  EXPECT_EQ(duration_text(59.0), "59 s");
  EXPECT_EQ(duration_text(3600.0 * 2 + 7 * 60), "2 h 07 min");
}

TEST(ProgressLine, RedrawsInPlaceAndEndsTheLineWhenDone) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  ASSERT_NE(out, nullptr);
  {
    ProgressLine line(out);
    line.update(0, 2);
    line.update(1, 2);
    line.update(2, 2);
  }
  std::fclose(out);
  const std::string text(buffer, size);
  std::free(buffer);
  EXPECT_EQ(text.rfind("\r  replications 0/2 (0%)", 0), 0u) << text;
  EXPECT_NE(text.find("\r  replications 1/2 (50%)"), std::string::npos) << text;
  EXPECT_NE(text.find("\r  replications 2/2 (100%)"), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

}  // namespace
}  // namespace p2psim
