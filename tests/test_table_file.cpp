// Tests of a table written on its own thread (report/table_file.hpp) and of the gzip stream under
// it (report/gzip_stream.hpp): every row reaches the file in the order written, whichever thread
// formats it, and failures name the file.
#include "report/table_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "gzip_text.hpp"
#include "report/gzip_stream.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path directory =
      fs::temp_directory_path() / ("p2psim_table_" + std::to_string(getpid()));
  fs::create_directories(directory);
  return directory / name;
}

TEST(GzipStream, WritesWhatZlibReadsBack) {
  const fs::path path = scratch("stream.gz");
  std::string expected;
  {
    GzipStream file(path);
    for (int piece = 0; piece < 300; ++piece) {
      const std::string text = "piece " + std::to_string(piece * 7919) + ",a,b,c\n";
      file.write(text);
      expected += text;
    }
    file.close();
  }
  EXPECT_EQ(gunzip(path), expected);
}

TEST(GzipStream, NamesTheFileItCannotCreate) {
  const fs::path path = scratch("missing-folder") / "x.gz";
  try {
    GzipStream file(path);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "cannot write " + path.string() + ": No such file or directory");
  }
}

// The writer is made slow (it sleeps before each row it formats) so that the world's side finds
// it busy and formats batches itself: the file must hold every row once, in order, either way.
TEST(TableFile, KeepsTheRowsInOrderWhicheverThreadFormatsThem) {
  const fs::path path = scratch("rows.csv.gz");
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> by_caller = 0;
  std::atomic<int> by_writer = 0;
  constexpr int kRows = 20000;  // about five batches
  {
    TableFile<int> table(path, "row\n", [&](const int& row, fmt::memory_buffer& line) {
      if (std::this_thread::get_id() == caller) {
        ++by_caller;
      } else {
        ++by_writer;
        if (row % 512 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      fmt::format_to(fmt::appender(line), "{}\n", row);
    });
    for (int row = 0; row < kRows; ++row)
      table.write(row);
    table.close();
  }
  std::string expected = "row\n";
  for (int row = 0; row < kRows; ++row)
    expected += std::to_string(row) + "\n";
  EXPECT_EQ(gunzip(path), expected);
  EXPECT_EQ(by_caller + by_writer, kRows);
  EXPECT_GT(by_caller, 0);  // the busy writer made the caller format some batches
  EXPECT_GT(by_writer, 0);
}

TEST(TableFile, ReportsAFailedFormatWhenClosed) {
  const fs::path path = scratch("failing.csv.gz");
  TableFile<int> table(path, "row\n", [](const int& row, fmt::memory_buffer& line) {
    if (row == 5000) throw std::runtime_error("cannot format row 5000");
    fmt::format_to(fmt::appender(line), "{}\n", row);
  });
  bool thrown = false;
  try {
    for (int row = 0; row < 10000; ++row)
      table.write(row);
    table.close();
  } catch (const std::runtime_error& error) {
    thrown = true;
    EXPECT_EQ(std::string(error.what()), "cannot format row 5000");
  }
  EXPECT_TRUE(thrown);
}

}  // namespace
}  // namespace p2psim
