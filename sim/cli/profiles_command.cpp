// `p2psim profiles EXPORT_DIR`: the segments of a labelled export with the highest fraud rates
// and losses, written as profiles.csv, profiles.json and profiles.html (docs/cli.md#profiles).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/terminal_table.hpp"
#include "lab/exported_orders.hpp"
#include "lab/profile_outputs.hpp"
#include "lab/segment_profiles.hpp"

namespace p2psim {
namespace {

constexpr std::size_t kTopOnTerminal = 10;

std::string percent(double value) {
  return std::isfinite(value) ? fmt::format("{:.2f}%", 100.0 * value) : "n/a";
}

std::string ratio(double value) {
  return std::isfinite(value) ? fmt::format("{:.2f}", value) : "n/a";
}

std::vector<std::string> segment_row(const SegmentProfile& segment) {
  return {segment.label(),
          std::to_string(segment.tally.attempts),
          std::to_string(segment.tally.fraud),
          fmt::format("{} [{}, {}]", percent(segment.fraud_rate.rate),
                      percent(segment.fraud_rate.low), percent(segment.fraud_rate.high)),
          ratio(segment.lift),
          percent(segment.known_fraud_rate),
          percent(segment.volume_share),
          fmt::format("{:.2f}", segment.tally.loss_usd),
          percent(segment.loss_share)};
}

// The first rows of `order` (indices into the segments) as a table.
std::string segment_table(const SegmentProfiles& profiles, const std::vector<std::size_t>& order) {
  std::vector<std::vector<std::string>> rows = {{"segment", "attempts", "fraud",
                                                 "fraud rate [95% interval]", "lift",
                                                 "known fraud rate", "volume", "loss USD", "loss"}};
  for (std::size_t i = 0; i < std::min(order.size(), kTopOnTerminal); ++i)
    rows.push_back(segment_row(profiles.segments[order[i]]));
  return left_aligned_columns(rows);
}

std::vector<std::size_t> first_by_rate(const SegmentProfiles& profiles) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < std::min(profiles.segments.size(), kTopOnTerminal); ++i)
    order.push_back(i);
  return order;
}

}  // namespace

int profiles_command(const ProfilesArguments& arguments) {
  const ExportedOrders orders = read_exported_orders(arguments.export_dir);
  const SegmentProfiles profiles = profile_segments(orders, arguments.options);
  const std::filesystem::path out =
      lab_output_folder(arguments.export_dir, arguments.out, "profiles");
  write_profile_files(profiles, out, arguments.export_dir);
  if (arguments.quiet) return kExitOk;
  fmt::print(
      "{}: {} attempts, fraud rate {} (ground truth), known fraud rate {} (labels of day {}); "
      "{} segments with at least {} attempts\n\n",
      fmt::join(profiles.markets, ", "), profiles.overall.attempts,
      percent(profiles.overall_fraud_rate.rate), percent(profiles.overall_known_fraud_rate),
      profiles.label_day, profiles.segments.size(), profiles.options.min_support);
  fmt::print("Highest fraud rates\n{}\n", segment_table(profiles, first_by_rate(profiles)));
  fmt::print("Largest losses\n{}\n", segment_table(profiles, profiles.by_loss));
  fmt::print("profiles: {}\n", (out / "profiles.csv").string());
  fmt::print("report: {}\n", (out / "profiles.html").string());
  return kExitOk;
}

}  // namespace p2psim
