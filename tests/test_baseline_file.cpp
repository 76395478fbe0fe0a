// A baseline's file: every value read back exactly, the text unchanged by a round trip.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "hand_built_baseline.hpp"
#include "report/baseline_file.hpp"

namespace p2psim {
namespace {

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

}  // namespace
}  // namespace p2psim
