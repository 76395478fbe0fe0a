// End-to-end: inputs crafted to crash, hang or exhaust the simulator each get a clear error
// (an exit code below 128, the message, nothing written) or, where valid, finish. Each case is
// one the format's limits (docs/scenarios.md#limits), the memory estimate (docs/cli.md#validate)
// or a bounded loop in the world answers; the sanitizer pass runs them all again under ASan and
// UBSan, where a crash or an overflow fails the test. The command line's cases (--seed, --set)
// are in test_cli.cpp, the include limits in test_scenario.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "command_process.hpp"

namespace {

namespace fs = std::filesystem;

using p2psim::end_to_end::kSource;
using p2psim::end_to_end::Outcome;

// One day of the Nigeria preset's market, its defaults but for a smaller user base.
std::string one_day(const std::string& tables) {
  return "name = \"hostile\"\ninclude = [\"" + (kSource / "scenarios/markets/ng.toml").string() +
         "\"]\n[simulation]\ndays = 1\nwarmup_days = 0\nreplications = 1\n" + tables;
}

std::string repeated(const std::string& text, int times) {
  std::string result;
  for (int i = 0; i < times; ++i)
    result += text;
  return result;
}

std::string weights(const std::string& first, const std::string& rest, int count) {
  std::string list = "[" + first;
  for (int i = 1; i < count; ++i)
    list += ", " + rest;
  return list + "]";
}

// A chain of `terms` comparisons joined by `and`.
std::string chain(int terms) {
  return "amount_usd > 1" + repeated(" and amount_usd > 1", terms - 1);
}

struct HostileCase {
  std::string name;
  std::string scenario;
  std::string options;  // after `run <file> --threads 1 --quiet --out <dir>`
  int exit_code;        // 0: valid, it must finish and write its results
  std::string message;  // a part of the error the analyst reads
};

// A failing case is named, not dumped as bytes.
void PrintTo(const HostileCase& hostile, std::ostream* out) {
  *out << hostile.name;
}

class InputLimits : public ::testing::TestWithParam<HostileCase> {};

TEST_P(InputLimits, GiveAClearErrorOrFinish) {
  const HostileCase& hostile = GetParam();
  const fs::path root = p2psim::end_to_end::fresh_directory("p2psim_limits", hostile.name);
  const fs::path file = root / "s.toml";
  { std::ofstream(file) << hostile.scenario; }
  const fs::path out = root / "out";
  const Outcome outcome =
      p2psim::end_to_end::run_p2psim("run " + file.string() + " --threads 1 --quiet --out " +
                                     out.string() + " " + hostile.options);
  EXPECT_EQ(outcome.exit_code, hostile.exit_code) << outcome.output.substr(0, 2000);
  EXPECT_LT(outcome.output.size(), 3000u) << "error lines are cut";
  if (hostile.exit_code == 0) {
    EXPECT_TRUE(fs::exists(out / "summary.json"));
    return;
  }
  EXPECT_NE(outcome.output.find(hostile.message), std::string::npos)
      << outcome.output.substr(0, 2000);
  EXPECT_FALSE(fs::exists(out)) << "nothing is written";
}

const std::string kRules =
    "[markets.ng.risk]\nstrategies = [\"rules\"]\n[[markets.ng.risk.rules]]\n"
    "action = \"block\"\nwhen = \"";
const std::string kCampaign =
    "[[incentives]]\nkind = \"new_user_bonus\"\nmarkets = [\"ng\"]\namount_usd = 5\n"
    "eligibility = \"";
const std::string kMethods =
    "[[markets.ng.payment_methods]]\nname = \"bank_transfer\"\nshare = 1e6\n"
    "[[markets.ng.payment_methods]]\nname = \"card_transfer\"\nreversible = true\n"
    "reversal_window_days = 60.0\nshare = ";

std::vector<HostileCase> hostile_cases() {
  const std::string deep = repeated("(", 50000) + "amount_usd > 1" + repeated(")", 50000);
  return {
      {"parentheses_in_a_rule", one_day(kRules + deep + "\"\n"), "", 1,
       "more than 32 nested parentheses; a condition may nest at most 32"},
      {"parentheses_in_an_eligibility", one_day(kCampaign + deep + "\"\n"), "", 1,
       "more than 32 nested parentheses"},
      {"a_chain_of_200000_terms", one_day(kRules + chain(200000) + "\"\n"), "", 1,
       "more than 256 comparisons; a condition may have at most 256"},
      {"a_chain_of_256_terms", one_day(kRules + chain(256) + "\"\n"), "", 0, ""},
      {"hourly_weights_whose_sum_overflows",
       one_day("[markets.ng.users]\nhourly_profile = " + weights("1e307", "1e307", 24) + "\n"), "",
       1, "markets.ng.users.hourly_profile[0]: expected a number from 0 to 1e6, found 1e+307"},
      {"weekly_weights_whose_sum_overflows",
       one_day("[markets.ng.users]\nweekly_profile = " + weights("1e308", "1e308", 7) + "\n"), "",
       1, "markets.ng.users.weekly_profile[0]: expected a number from 0 to 1e6, found 1e+308"},
      {"one_huge_hourly_weight",
       one_day("[markets.ng.users]\nhourly_profile = " + weights("1e308", "1", 24) + "\n"), "", 1,
       "expected a number from 0 to 1e6, found 1e+308"},
      {"the_most_uneven_hourly_weights",
       one_day("[markets.ng.users]\nhourly_profile = " + weights("1e6", "1e-300", 24) + "\n"), "",
       0, ""},
      {"visitors_too_rare_to_represent", one_day("[markets.ng.users]\ndaily_visitors = 1e-308\n"),
       "", 0, ""},
      {"fraud_too_rare_to_represent",
       one_day("[markets.ng.fraud.non_payment]\naccounts_per_day = 1e-308\n"), "", 0, ""},
      {"a_share_of_1e8", one_day(kMethods + "1e8\n"), "", 1,
       "expected a number greater than 0 and at most 1e6, found 100000000.0"},
      {"a_reversible_method_of_share_1e_minus_308",
       one_day(kMethods + "1e-308\n[markets.ng.fraud.payment_reversal]\naccounts_per_day = 50\n"
                          "[markets.ng.merchants]\npayment_methods_each = 2\n"),
       "", 0, ""},
      {"a_visitor_shock_of_1e15",
       one_day("[[shocks]]\nday = 0\nmarket = \"ng\"\nkey = \"users.daily_visitors\"\n"
               "value = 1e15\n"),
       "", 1, "shocks[0].value: expected a number from 0 to 1e7, found 1000000000000000.0"},
      {"a_trillion_visitors", one_day("[markets.ng.users]\ndaily_visitors = 1e12\n"), "", 1,
       "markets.ng.users.daily_visitors: expected a number from 0 to 1e7, found 1000000000000.0"},
      {"a_deposit_of_1e12", one_day("[markets.ng.merchants]\ndeposit_usdt = 1e12\n"), "", 1,
       "markets.ng.merchants.deposit_usdt: expected a number from 0 to 1e8, found "
       "1000000000000.0"},
      {"deposits_whose_sum_overflows_the_ledger",
       one_day("[markets.ng.merchants]\ncount = 100000\ndeposit_usdt = 1e8\n"), "", 3,
       "the ledger's balances went past what 64-bit minor units (micro-USDT, fiat cents) hold"},
      {"a_hundred_million_users_in_4_GiB",
       one_day("[markets.ng.users]\ninitial_users = 100000000\n"), "--max-memory 4GiB", 3,
       ", more than the 4 GiB --max-memory allows"},
      {"a_billion_users", one_day("[markets.ng.users]\ninitial_users = 1000000000\n"), "", 3,
       "s.toml: the run would need about "},
      {"a_billion_merchants", one_day("[markets.ng.merchants]\ncount = 1000000000\n"), "", 3,
       "s.toml: the run would need about "},
      {"ten_years_of_100000_replications", one_day("[markets.ng.users]\ninitial_users = 1000\n"),
       "--replications 100000 --set simulation.days=3650", 3, " TiB at peak"},
      {"a_megabyte_unknown_key",
       one_day("[markets.ng.users]\n" + repeated("a", 1000000) + " = 1\n"), "", 1,
       "aaaa...: unknown key"},
  };
}

std::string case_name(const ::testing::TestParamInfo<HostileCase>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Hostile, InputLimits, ::testing::ValuesIn(hostile_cases()), case_name);

}  // namespace
