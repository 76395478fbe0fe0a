// The progress line of long runs: replications and simulated days done, rate and time left.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "cli/progress_line.hpp"

namespace p2psim {
namespace {

TEST(ProgressLine, ShowsCountsRateAndTimeLeftInSimulatedDays) {
  // 40 of 160 simulated days in 10 s: 4 days a second, 120 left at that rate: 30 s.
  EXPECT_EQ(progress_text({2, 16, 40, 160}, 10.0),
            "  replications 2/16, simulated days 40/160 (25%), 4.0 days/s, about 30 s left");
  // One long replication: no world is done yet, but its days are.
  EXPECT_EQ(progress_text({0, 1, 3, 28}, 60.0),
            "  replications 0/1, simulated days 3/28 (10%), 0.05 days/s, about 8 min 20 s left");
  EXPECT_EQ(progress_text({16, 16, 448, 448}, 125.0),
            "  replications 16/16, simulated days 448/448 (100%), 3.6 days/s, done in 2 min 05 s");
}

TEST(ProgressLine, HasNoRateBeforeTheFirstDay) {
  EXPECT_EQ(progress_text({0, 16, 0, 448}, 3.0), "  replications 0/16, simulated days 0/448 (0%)");
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
    line.update({0, 2, 0, 4});
    line.update({0, 2, 1, 4});  // the first day always draws; later ones at most 10 times a second
    line.update({2, 2, 4, 4});
  }
  std::fclose(out);
  const std::string text(buffer, size);
  std::free(buffer);
  EXPECT_EQ(text.rfind("\r  replications 0/2, simulated days 0/4 (0%)", 0), 0u) << text;
  EXPECT_NE(text.find("\r  replications 0/2, simulated days 1/4 (25%)"), std::string::npos) << text;
  EXPECT_NE(text.find("\r  replications 2/2, simulated days 4/4 (100%)"), std::string::npos)
      << text;
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

}  // namespace
}  // namespace p2psim
