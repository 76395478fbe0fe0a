// Tests of a table written on its own thread (report/table_file.hpp) and of the gzip stream under
// it (report/gzip_stream.hpp): every row reaches the file in the order written, whichever thread
// formats it, and failures name the file.
#include "report/table_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
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

// The writer formats the first batch but holds on until the caller has formatted a batch itself
// (which it does because it finds the writer busy): the file must hold every row once, in order,
// whichever thread formatted it.
TEST(TableFile, KeepsTheRowsInOrderWhicheverThreadFormatsThem) {
  const fs::path path = scratch("rows.csv.gz");
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> by_caller = 0;
  std::atomic<int> by_writer = 0;
  std::atomic<bool> caller_formatted = false;
  constexpr int kRows = 20000;  // about five batches
  {
    TableFile<int> table(path, "row\n", [&](const int& row, fmt::memory_buffer& line) {
      if (std::this_thread::get_id() == caller) {
        ++by_caller;
        caller_formatted = true;
      } else {
        ++by_writer;
        while (!caller_formatted)
          std::this_thread::yield();
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
  EXPECT_GE(by_caller, 4096);  // at least the second batch
  EXPECT_GE(by_writer, 4096);  // at least the first
}

// Fewer rows than a batch: close() hands the only batch over, and the writer formats it.
TEST(TableFile, ReportsAFailedFormatWhenClosed) {
  const fs::path path = scratch("failing.csv.gz");
  TableFile<int> table(path, "row\n", [](const int& row, fmt::memory_buffer& line) {
    if (row == 50) throw std::runtime_error("cannot format row 50");
    fmt::format_to(fmt::appender(line), "{}\n", row);
  });
  bool thrown = false;
  try {
    for (int row = 0; row < 100; ++row)
      table.write(row);
    table.close();
  } catch (const std::runtime_error& error) {
    thrown = true;
    EXPECT_EQ(std::string(error.what()), "cannot format row 50");
  }
  EXPECT_TRUE(thrown);
}

}  // namespace
}  // namespace p2psim
