// Tests of the scenario's warnings on the terminal: their form, and each printed once.
#include "cli/scenario_warnings.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace p2psim {
namespace {

// What print_scenario_warnings writes for `warnings`.
std::string printed(const std::vector<std::string>& warnings) {
  std::FILE* stream = std::tmpfile();
  print_scenario_warnings(warnings, stream);
  std::rewind(stream);
  std::string text;
  for (int c = std::fgetc(stream); c != EOF; c = std::fgetc(stream))
    text.push_back(static_cast<char>(c));
  std::fclose(stream);
  return text;
}

TEST(ScenarioWarnings, PrintsEachWarningOnceInTheOrderFirstGiven) {
  EXPECT_EQ(printed({"a.toml:3:7: shocks[0].day: late", "a.toml:9:11: incentives[0].end_day: late",
                     "a.toml:3:7: shocks[0].day: late"}),
            "warning: a.toml:3:7: shocks[0].day: late\n"
            "warning: a.toml:9:11: incentives[0].end_day: late\n");
}

TEST(ScenarioWarnings, PrintsNothingWithoutWarnings) {
  EXPECT_EQ(printed({}), "");
}

}  // namespace
}  // namespace p2psim
