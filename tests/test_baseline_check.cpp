// `p2psim check`'s comparison of a run with its baseline: the exact tier, the statistical tier
// with Holm's correction, missing and new KPIs, the baseline file, and the JUnit XML (validated
// against tests/junit.xsd with xmllint).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "analysis/baseline_comparison.hpp"
#include "cli/check_text.hpp"
#include "report/baseline_file.hpp"
#include "report/check_junit.hpp"

namespace p2psim {
namespace {

namespace fs = std::filesystem;

// A baseline of one market with the given KPIs, each with its per-replication values.
Baseline baseline_with(std::vector<BaselineKpi> kpis) {
  Baseline baseline;
  baseline.scenario = "regression_test";
  baseline.scenario_file = "scenarios/regression/test.toml";
  baseline.scenario_hash = "0123456789abcdef";
  baseline.seed = 7;
  baseline.replications = 4;
  baseline.p2psim_version = "0.1.0";
  baseline.kpis = std::move(kpis);
  return baseline;
}

BaselineKpi kpi(const std::string& name, std::vector<std::optional<double>> values) {
  return {"ng", name, std::move(values)};
}

const KpiComparison& find(const ScenarioComparison& comparison, const std::string& name) {
  for (const KpiComparison& kpi : comparison.kpis) {
    if (kpi.kpi == name) return kpi;
  }
  throw std::logic_error("no KPI " + name);
}

TEST(BaselineCheck, IdenticalValuesPass) {
  const Baseline baseline = baseline_with({kpi("orders_created", {100, 104, 98, 101}),
                                           kpi("catch_rate", {0.5, std::nullopt, 0.4, 0.6})});
  const ScenarioComparison comparison = compare_with_baseline(baseline, &baseline, CheckConfig{});
  EXPECT_FALSE(comparison.failed());
  EXPECT_FALSE(comparison.changed());
  EXPECT_EQ(comparison.count(KpiStatus::kIdentical), 2u);
}

TEST(BaselineCheck, ExactTierReportsTheSmallestChangeWithoutFailing) {
  const Baseline before = baseline_with({kpi("orders_created", {100, 104, 98, 101})});
  const Baseline after = baseline_with({kpi("orders_created", {100, 104, 98, 101.000001})});
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  EXPECT_EQ(find(comparison, "orders_created").status, KpiStatus::kChanged);
  EXPECT_TRUE(comparison.changed());
  EXPECT_FALSE(comparison.failed());
  EXPECT_NE(comparison_text(comparison).find("changed  ng  orders_created  100.75 -> 100.75"),
            std::string::npos);
}

TEST(BaselineCheck, AMoveBeyondToleranceAndNoiseFails) {
  const Baseline before = baseline_with(
      {kpi("orders_created", {100, 104, 98, 101}), kpi("gmv_usd", {1000, 1010, 990, 1000})});
  // orders +30% with little noise; gmv +1%, within its 5% tolerance.
  const Baseline after = baseline_with(
      {kpi("orders_created", {131, 133, 129, 130}), kpi("gmv_usd", {1010, 1020, 1000, 1010})});
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  const KpiComparison& orders = find(comparison, "orders_created");
  EXPECT_EQ(orders.status, KpiStatus::kMoved);
  EXPECT_LT(orders.adjusted_p, 0.01);
  EXPECT_EQ(find(comparison, "gmv_usd").status, KpiStatus::kChanged);
  EXPECT_TRUE(comparison.failed());
  const std::string text = comparison_text(comparison);
  EXPECT_NE(text.find("MOVED    ng  orders_created  100.75 -> 130.75 (+29.78%; tolerance 5%;"),
            std::string::npos)
      << text;
}

TEST(BaselineCheck, AWiderToleranceFromTheScenarioLetsTheMovePass) {
  const Baseline before = baseline_with({kpi("orders_created", {100, 104, 98, 101})});
  const Baseline after = baseline_with({kpi("orders_created", {131, 133, 129, 130})});
  CheckConfig check;
  check.tolerances = {{"orders_created", 0.5}};
  EXPECT_FALSE(compare_with_baseline(after, &before, check).failed());
}

TEST(BaselineCheck, HolmKeepsManyNoisyKpisFromRaisingAnAlarm) {
  // 50 KPIs each moved by 8% on a 5% tolerance with a noise that makes each p-value about
  // 0.002 (excess 3 over a standard error of 0.82: t = 3.67 on 10 degrees of freedom): alone,
  // each would fail at alpha = 0.01; corrected for 50 (Holm: x50 = 0.1), none does.
  std::vector<BaselineKpi> before_kpis, after_kpis;
  for (int i = 0; i < 50; ++i) {
    const std::string name = "orders_created_" + std::to_string(i);
    before_kpis.push_back(kpi(name, {98, 102, 99, 101, 100, 100}));
    after_kpis.push_back(kpi(name, {106, 110, 107, 109, 108, 108}));
  }
  const Baseline before = baseline_with(before_kpis);
  const Baseline after = baseline_with(after_kpis);
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  const KpiComparison& first = comparison.kpis.front();
  EXPECT_LT(first.p_value, 0.01);
  EXPECT_GE(first.adjusted_p, 0.01);
  EXPECT_FALSE(comparison.failed());
  EXPECT_EQ(comparison.count(KpiStatus::kChanged), 50u);
}

TEST(BaselineCheck, AMissingKpiFailsAndANewOneIsReported) {
  const Baseline before = baseline_with({kpi("orders_created", {1, 2}), kpi("catch_rate", {1, 1})});
  const Baseline after = baseline_with({kpi("orders_created", {1, 2}), kpi("fill_rate", {1, 1})});
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  EXPECT_EQ(find(comparison, "catch_rate").status, KpiStatus::kMissing);
  EXPECT_EQ(find(comparison, "fill_rate").status, KpiStatus::kNew);
  EXPECT_TRUE(comparison.failed());
}

TEST(BaselineCheck, ReportsSetupChangesAndAMissingBaseline) {
  const Baseline before = baseline_with({kpi("orders_created", {1, 2})});
  Baseline after = before;
  after.scenario_hash = "fedcba9876543210";
  after.seed = 8;
  const ScenarioComparison comparison = compare_with_baseline(after, &before, CheckConfig{});
  ASSERT_EQ(comparison.setup_changes.size(), 2u);
  EXPECT_EQ(comparison.setup_changes[1], "seed 7 -> 8");
  EXPECT_TRUE(comparison.changed());
  EXPECT_FALSE(comparison.failed());
  const ScenarioComparison without = compare_with_baseline(after, nullptr, CheckConfig{});
  EXPECT_TRUE(without.failed());
  EXPECT_NE(comparison_text(without).find("FAILED: no baseline"), std::string::npos);
}

TEST(BaselineFile, RoundTripsEveryValueExactly) {
  const Baseline baseline = baseline_with({kpi("gmv_usd", {0.1 + 0.2, 1e-300, 123456789.123456789}),
                                           kpi("catch_rate", {std::nullopt, 0.5, 1.0 / 3.0})});
  const std::string text = baseline_json_text(baseline);
  const Baseline read = parse_baseline(text, "test.json");
  EXPECT_EQ(read.scenario_hash, baseline.scenario_hash);
  EXPECT_EQ(read.seed, 7u);
  ASSERT_EQ(read.kpis.size(), 2u);
  EXPECT_EQ(read.kpis[0].values, baseline.kpis[0].values);
  EXPECT_EQ(read.kpis[1].values, baseline.kpis[1].values);
  EXPECT_EQ(baseline_json_text(read), text);
  EXPECT_NE(text.find("\"mean\": 0.41666666666666663"), std::string::npos);  // (0.5 + 1/3) / 2
  EXPECT_THROW(parse_baseline("{\"scenario\": 1}", "bad.json"), std::runtime_error);
}

// ---- JUnit XML -------------------------------------------------------------------------------

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
