#include "lab/profile_outputs.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "report/html_page.hpp"
#include "report/kpi_csv.hpp"
#include "report/output_directory.hpp"
#include "report/svg_chart.hpp"

namespace p2psim {
namespace {

constexpr std::size_t kTopInPage = 20;

// JSON has no NaN: a share or lift that does not exist (no loss, no fraud) is null.
nlohmann::json json_number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

std::string percent(double value) {
  return std::isfinite(value) ? fmt::format("{:.2f}%", 100.0 * value) : "n/a";
}

std::string fixed(double value, int digits) {
  return std::isfinite(value) ? fmt::format("{:.{}f}", value, digits) : "n/a";
}

std::string markets_text(const SegmentProfiles& profiles) {
  return fmt::format("{}", fmt::join(profiles.markets, ", "));
}

nlohmann::json tally_object(const SegmentTally& tally) {
  return {{"attempts", tally.attempts},     {"fraud", tally.fraud},
          {"orders", tally.orders},         {"known_fraud", tally.known_fraud},
          {"amount_usd", tally.amount_usd}, {"loss_usd", tally.loss_usd}};
}

nlohmann::json segment_object(const SegmentProfile& segment) {
  nlohmann::json object = {{"dimension", segment.dimension()},
                           {"value", segment.value()},
                           {"dimensions", segment.dimensions},
                           {"values", segment.values},
                           {"fraud_rate", json_number(segment.fraud_rate.rate)},
                           {"fraud_rate_low", json_number(segment.fraud_rate.low)},
                           {"fraud_rate_high", json_number(segment.fraud_rate.high)},
                           {"known_fraud_rate", json_number(segment.known_fraud_rate)},
                           {"volume_share", json_number(segment.volume_share)},
                           {"lift", json_number(segment.lift)},
                           {"loss_share", json_number(segment.loss_share)},
                           {"rank_by_rate", segment.rank_by_rate},
                           {"rank_by_loss", segment.rank_by_loss}};
  object.update(tally_object(segment.tally));
  return object;
}

// Short dimension names for the chart's labels, which have about 30 characters of room.
std::string short_dimension(const std::string& dimension) {
  if (dimension == "account_age") return "age";
  if (dimension == "kyc_tier") return "kyc";
  if (dimension == "payment_method") return "method";
  if (dimension == "device_sharing") return "device";
  if (dimension == "link_cluster") return "cluster";
  if (dimension == "hour_of_day") return "hour";
  return dimension;
}

std::string chart_label(const SegmentProfile& segment) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < segment.dimensions.size(); ++i)
    parts.push_back(short_dimension(segment.dimensions[i]) + "=" + segment.values[i]);
  return fmt::format("{}", fmt::join(parts, " & "));
}

Bar rate_bar(const SegmentProfile& segment) {
  const std::uint64_t count =
      std::min<std::uint64_t>(segment.tally.attempts, std::numeric_limits<std::uint32_t>::max());
  return {chart_label(segment),
          {segment.fraud_rate.rate, segment.fraud_rate.low, segment.fraud_rate.high,
           static_cast<std::uint32_t>(count)},
          segment.pair() ? std::size_t{1} : std::size_t{0}};
}

std::string rate_charts(const SegmentProfiles& profiles) {
  BarChart top{.id = "top-by-rate",
               .title = "Highest fraud rates, with their 95% Wilson intervals",
               .value_label = "fraud rate (ground truth)",
               .value_format = AxisFormat::kPercent,
               .bars = {},
               .legend = {"one dimension", "two dimensions"}};
  BarChart singles{.id = "top-single-by-rate",
                   .title = "Highest fraud rates on one dimension",
                   .value_label = "fraud rate (ground truth)",
                   .value_format = AxisFormat::kPercent,
                   .bars = {},
                   .legend = {}};
  for (const SegmentProfile& segment : profiles.segments) {
    if (top.bars.size() < kTopInPage) top.bars.push_back(rate_bar(segment));
    if (!segment.pair() && singles.bars.size() < kTopInPage)
      singles.bars.push_back(rate_bar(segment));
  }
  std::string html = "<div class=\"charts\">\n" + bar_chart_svg(top);
  if (!singles.bars.empty()) html += bar_chart_svg(singles);
  return html +
         "</div>\n<p class=\"note\">In the charts: age is account_age, kyc kyc_tier, method "
         "payment_method, device device_sharing, cluster link_cluster, hour hour_of_day.</p>\n";
}

std::string segment_table(const SegmentProfiles& profiles, const std::vector<std::size_t>& order) {
  std::string html =
      "<table><thead><tr><th>segment</th><th>rank by rate</th><th>rank by loss</th>"
      "<th>attempts</th><th>fraud</th><th>fraud rate</th><th>95% interval</th>"
      "<th>known fraud rate</th><th>lift</th><th>share of volume</th><th>loss (USD)</th>"
      "<th>share of loss</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < std::min(order.size(), kTopInPage); ++i) {
    const SegmentProfile& segment = profiles.segments[order[i]];
    html += fmt::format(
        "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{} - {}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2f}</td><td>{}</td></tr>\n",
        html_escape(segment.label()), segment.rank_by_rate, segment.rank_by_loss,
        segment.tally.attempts, segment.tally.fraud, percent(segment.fraud_rate.rate),
        percent(segment.fraud_rate.low), percent(segment.fraud_rate.high),
        percent(segment.known_fraud_rate), fixed(segment.lift, 2), percent(segment.volume_share),
        segment.tally.loss_usd, percent(segment.loss_share));
  }
  return html + "</tbody></table>\n";
}

std::vector<std::size_t> rate_order(const SegmentProfiles& profiles) {
  std::vector<std::size_t> order(profiles.segments.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  return order;
}

std::string page_header(const SegmentProfiles& profiles, const std::string& source) {
  const SegmentTally& overall = profiles.overall;
  return fmt::format(
      "<header><h1>p2psim profiles: who the risk is</h1>\n<p class=\"description\">Segments of "
      "the attempts of {}, by fraud rate and by loss.</p>\n<dl class=\"run\">"
      "<div><dt>markets</dt><dd>{}</dd></div><div><dt>attempts</dt><dd>{}</dd></div>"
      "<div><dt>fraud rate</dt><dd>{} [{}, {}]</dd></div><div><dt>known fraud rate (day {})"
      "</dt><dd>{}</dd></div><div><dt>loss (USD)</dt><dd>{:.2f}</dd></div>"
      "<div><dt>minimum support</dt><dd>{} attempts</dd></div><div><dt>segments</dt><dd>{} "
      "({} below the minimum support)</dd></div></dl></header>\n",
      html_escape(source), html_escape(markets_text(profiles)), overall.attempts,
      percent(profiles.overall_fraud_rate.rate), percent(profiles.overall_fraud_rate.low),
      percent(profiles.overall_fraud_rate.high), profiles.label_day,
      percent(profiles.overall_known_fraud_rate), overall.loss_usd, profiles.options.min_support,
      profiles.segments.size(), profiles.segments_below_support);
}

std::string definitions_note(const SegmentProfiles& profiles) {
  std::string note = fmt::format(
      "<p class=\"note\">Attempts are those the policy could score (an ad matched and the "
      "account was not refused). The fraud rate is the ground truth: fraudulent attempts among "
      "the segment's attempts, blocked ones included. The known fraud rate is what the platform "
      "sees: orders known as fraud on day {} (the export's last day) among the segment's orders; "
      "fraud never revealed, and attempts stopped before an order, are missing from it. Lift is "
      "the segment's fraud rate over the whole's. Segments: account_age (new under 7 days, "
      "7-30, older), kyc_tier, payment_method, device_sharing (accounts on the device: 1, 2+), "
      "link_cluster (1, 2-4, 5+), velocity (orders in the last 24 h: 0, 1-2, 3-9, 10+), "
      "hour_of_day (00-05, 06-11, 12-17, 18-23), market, side, and every pair of two.",
      profiles.label_day);
  if (!profiles.single_valued.empty()) {
    note += fmt::format(" Left out, one value for every attempt: {}.",
                        html_escape(fmt::format("{}", fmt::join(profiles.single_valued, ", "))));
  }
  return note + "</p>\n";
}

}  // namespace

std::string profiles_csv(const SegmentProfiles& profiles) {
  std::string csv =
      "dimension,value,attempts,fraud,fraud_rate,fraud_rate_low,fraud_rate_high,"
      "known_fraud_rate,volume_share,lift,loss_usd,loss_share,rank_by_rate,rank_by_loss\n";
  for (const SegmentProfile& segment : profiles.segments) {
    fmt::format_to(std::back_inserter(csv), "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                   csv_field(segment.dimension()), csv_field(segment.value()),
                   segment.tally.attempts, segment.tally.fraud, csv_number(segment.fraud_rate.rate),
                   csv_number(segment.fraud_rate.low), csv_number(segment.fraud_rate.high),
                   csv_number(segment.known_fraud_rate), csv_number(segment.volume_share),
                   csv_number(segment.lift), csv_number(segment.tally.loss_usd),
                   csv_number(segment.loss_share), segment.rank_by_rate, segment.rank_by_loss);
  }
  return csv;
}

std::string profiles_json(const SegmentProfiles& profiles, const std::string& source) {
  nlohmann::json segments = nlohmann::json::array();
  for (const SegmentProfile& segment : profiles.segments)
    segments.push_back(segment_object(segment));
  nlohmann::json overall = tally_object(profiles.overall);
  overall["fraud_rate"] = json_number(profiles.overall_fraud_rate.rate);
  overall["fraud_rate_low"] = json_number(profiles.overall_fraud_rate.low);
  overall["fraud_rate_high"] = json_number(profiles.overall_fraud_rate.high);
  overall["known_fraud_rate"] = json_number(profiles.overall_known_fraud_rate);
  const nlohmann::json json = {{"export", source},
                               {"market", profiles.options.market},
                               {"markets", profiles.markets},
                               {"min_support", profiles.options.min_support},
                               {"label_day", profiles.label_day},
                               {"overall", overall},
                               {"dimensions", profiles.dimensions},
                               {"single_valued_dimensions", profiles.single_valued},
                               {"segments_below_support", profiles.segments_below_support},
                               {"segments", segments}};
  return json.dump(2) + "\n";
}

std::string profiles_html(const SegmentProfiles& profiles, const std::string& source) {
  std::string body = page_header(profiles, source);
  body += "<section id=\"by-rate\"><h2>Highest fraud rates</h2>\n" +
          segment_table(profiles, rate_order(profiles)) + rate_charts(profiles) + "</section>\n";
  body += "<section id=\"by-loss\"><h2>Largest losses</h2>\n" +
          segment_table(profiles, profiles.by_loss) + "</section>\n";
  body += "<section id=\"definitions\"><h2>Definitions</h2>\n" + definitions_note(profiles) +
          "</section>\n";
  return html_page("p2psim profiles: " + markets_text(profiles), body);
}

void write_profile_files(const SegmentProfiles& profiles, const std::filesystem::path& out,
                         const std::string& source) {
  OutputDirectory directory(out);
  directory.write("profiles.csv", profiles_csv(profiles));
  directory.write("profiles.json", profiles_json(profiles, source));
  directory.write("profiles.html", profiles_html(profiles, source));
  directory.commit();
}

}  // namespace p2psim
