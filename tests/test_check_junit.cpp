// The JUnit XML of `p2psim check`, validated against tests/junit.xsd with xmllint.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hand_built_baseline.hpp"
#include "report/check_junit.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;

int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class JunitXml : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v xmllint >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "xmllint is not installed (Debian's libxml2-utils, installed by .ci/setup): "
                      "the JUnit XML was not validated against tests/junit.xsd";
    }
    directory_ = fs::temp_directory_path() / ("p2psim_junit_" + std::to_string(::getpid()));
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  // xmllint's exit code validating `xml` against tests/junit.xsd; its messages go to `log`.
  int validate(const std::string& xml) {
    const fs::path file = directory_ / "junit.xml";
    std::ofstream(file) << xml;
    const std::string command = "xmllint --noout --schema " P2PSIM_SOURCE_DIR "/tests/junit.xsd " +
                                file.string() + " 2>" + (directory_ / "log").string();
    return exit_code(std::system(command.c_str()));
  }

  fs::path directory_;
};

TEST_F(JunitXml, ValidatesWithFailuresChangesAndMissingBaselines) {
  const Baseline before =
      baseline_with({kpi("orders_created", {100, 104, 98, 101}),
                     kpi("gmv_usd", {1000, 1010, 990, 1000}), kpi("catch_rate", {1, 1, 1, 1})});
  Baseline after = baseline_with({kpi("orders_created", {131, 133, 129, 130}),
                                  kpi("gmv_usd", {1010, 1020, 1000, 1010}),
                                  kpi("fill_rate<&\">", {1, 1, 1, 1})});
  after.scenario_hash = "fedcba9876543210";
  std::vector<ScenarioComparison> comparisons{compare_with_baseline(after, &before, CheckConfig{}),
                                              compare_with_baseline(after, nullptr, CheckConfig{})};
  const std::string xml = junit_xml(comparisons, false);
  EXPECT_EQ(validate(xml), 0) << xml;
  // One test case per scenario and KPI; failures for the moved, missing and baseline-less ones.
  EXPECT_NE(xml.find("<testsuites name=\"p2psim check\" tests=\"7\" failures=\"5\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase name=\"ng.orders_created\" classname=\"p2psim.check.regression_"
                     "test\" time=\"0\">\n      <failure message=\"MOVED: 100.75 -&gt; 130.75"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("name=\"ng.fill_rate&lt;&amp;&quot;&gt;\""), std::string::npos);
  EXPECT_NE(xml.find("<system-out>changed: 1000 -&gt; 1010"), std::string::npos);
  // --exact makes the change within tolerance (and the new KPI) fail too.
  EXPECT_NE(junit_xml(comparisons, true).find("tests=\"7\" failures=\"7\""), std::string::npos);
}

TEST_F(JunitXml, TheSchemaRejectsWhatCiCouldNotRead) {
  // A test case without its name, and a failure outside a test case: both invalid.
  EXPECT_NE(validate("<testsuites><testsuite name=\"s\" tests=\"1\"><testcase classname=\"c\"/>"
                     "</testsuite></testsuites>"),
            0);
  EXPECT_NE(validate("<testsuites><testsuite name=\"s\" tests=\"1\"><failure/></testsuite>"
                     "</testsuites>"),
            0);
}

}  // namespace
}  // namespace p2psim
