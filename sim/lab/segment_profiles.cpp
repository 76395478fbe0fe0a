#include "lab/segment_profiles.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "metrics/order_segment.hpp"

namespace p2psim {
namespace {

constexpr double kBelowAll = -std::numeric_limits<double>::infinity();

// A band of a numeric feature: the values from `from` (inclusive) up to the next band's. The
// bounds are whole numbers, so a band holds the values whose whole part is in its range: 6.9 days
// is "new", 30.5 days "7-30" (the features of age and velocity have fractions).
struct Band {
  const char* label;
  double from;
};

struct BandedDimension {
  const char* name;
  const char* feature;
  std::vector<Band> bands;
};

// The dimensions, in the order profiles lists them; payment_method and market are inserted by
// name, from their columns (their values are the names the export holds).
const std::vector<BandedDimension>& banded_dimensions() {
  static const std::vector<BandedDimension> dimensions = {
      // The bands of the risk KPIs by segment (docs/kpis.md), from the one declaration.
      {"account_age",
       "account_age_days",
       {{kAccountAgeBandNames[0], kBelowAll},
        {kAccountAgeBandNames[1], kAccountAgeBandStarts[0]},
        {kAccountAgeBandNames[2], kAccountAgeBandStarts[1]}}},
      {"kyc_tier", "kyc_tier", {{"0", kBelowAll}, {"1", 1}, {"2", 2}}},
      {"device_sharing", "accounts_on_device", {{"1", kBelowAll}, {"2+", 2}}},
      {"link_cluster", "device_cluster_size", {{"1", kBelowAll}, {"2-4", 2}, {"5+", 5}}},
      {"velocity", "orders_last_24h", {{"0", kBelowAll}, {"1-2", 1}, {"3-9", 3}, {"10+", 10}}},
      {"hour_of_day",
       "hour_of_day",
       {{"00-05", kBelowAll}, {"06-11", 6}, {"12-17", 12}, {"18-23", 18}}},
      {"side", "side", {{"buy", kBelowAll}, {"sell", 1}}},
  };
  return dimensions;
}

// One dimension as the row loop reads it: a row's value is a code from 0 to values.size() - 1.
struct Dimension {
  std::string name;
  std::vector<std::string> values;  // by code
  // Banded: the feature and the lower bound of each band after the first.
  int feature = -1;
  std::vector<double> bounds;
  // Named: the column of name indices and the code of each index (names sorted, so that the
  // order does not depend on which name the files met first).
  const std::vector<std::uint16_t>* column = nullptr;
  std::vector<std::uint16_t> code_of_index;

  std::uint16_t code(const ExportedOrders& orders, std::size_t row) const {
    if (column != nullptr) return code_of_index[(*column)[row]];
    const double value = orders.feature(row, static_cast<std::size_t>(feature));
    std::uint16_t code = 0;
    while (code < bounds.size() && value >= bounds[code])
      ++code;
    return code;
  }
};

Dimension banded(const ExportedOrders& orders, const BandedDimension& spec) {
  Dimension dimension;
  dimension.name = spec.name;
  dimension.feature = orders.feature_index(spec.feature);
  if (dimension.feature < 0) {
    throw ExportInputError(fmt::format(
        "{}: no column feature_{}: the export comes from another version of p2psim",
        orders.files.empty() ? std::string("the export") : orders.files.front().string(),
        spec.feature));
  }
  for (const Band& band : spec.bands) {
    dimension.values.emplace_back(band.label);
    if (band.from != kBelowAll) dimension.bounds.push_back(band.from);
  }
  return dimension;
}

Dimension named(const char* name, const NameIndex& names,
                const std::vector<std::uint16_t>& column) {
  Dimension dimension;
  dimension.name = name;
  dimension.column = &column;
  dimension.values = names.names();
  std::sort(dimension.values.begin(), dimension.values.end());
  dimension.code_of_index.resize(names.size());
  for (std::size_t index = 0; index < names.size(); ++index) {
    const auto at = std::lower_bound(dimension.values.begin(), dimension.values.end(),
                                     names.name(static_cast<std::uint16_t>(index)));
    dimension.code_of_index[index] = static_cast<std::uint16_t>(at - dimension.values.begin());
  }
  return dimension;
}

std::vector<Dimension> profile_dimensions(const ExportedOrders& orders) {
  const std::vector<BandedDimension>& specs = banded_dimensions();
  std::vector<Dimension> dimensions;
  dimensions.push_back(banded(orders, specs[0]));  // account_age
  dimensions.push_back(banded(orders, specs[1]));  // kyc_tier
  dimensions.push_back(named("payment_method", orders.payment_methods, orders.payment_method));
  for (std::size_t spec = 2; spec + 1 < specs.size(); ++spec)
    dimensions.push_back(banded(orders, specs[spec]));
  dimensions.push_back(named("market", orders.markets, orders.market));
  dimensions.push_back(banded(orders, specs.back()));  // side
  return dimensions;
}

// Where each segment's tally lives in one flat array: the values of each dimension, then the
// value pairs of each pair of dimensions (a before b in profile order), row-major.
struct CellLayout {
  struct Pair {
    std::size_t a;
    std::size_t b;
    std::size_t offset;
  };
  std::vector<std::size_t> single_offset;
  std::vector<Pair> pairs;
  std::size_t cells = 0;

  explicit CellLayout(const std::vector<Dimension>& dimensions) {
    for (const Dimension& dimension : dimensions) {
      single_offset.push_back(cells);
      cells += dimension.values.size();
    }
    for (std::size_t a = 0; a < dimensions.size(); ++a) {
      for (std::size_t b = a + 1; b < dimensions.size(); ++b) {
        pairs.push_back({a, b, cells});
        cells += dimensions[a].values.size() * dimensions[b].values.size();
      }
    }
  }
};

void add_row(SegmentTally& tally, const ExportedOrders& orders, std::size_t row) {
  ++tally.attempts;
  tally.fraud += orders.is_fraud[row];
  tally.orders += orders.has_order[row];
  tally.known_fraud += orders.has_order[row] != 0 && orders.known_fraud(row, orders.last_day);
  tally.amount_usd += orders.amount_usd[row];
  tally.loss_usd += orders.loss_usd[row];
}

std::uint16_t selected_market(const ExportedOrders& orders, const std::string& market) {
  const std::vector<std::string>& markets = orders.markets.names();
  const auto found = std::find(markets.begin(), markets.end(), market);
  if (found == markets.end()) {
    throw ExportInputError(fmt::format("--market {}: not in the export, whose markets are {}",
                                       market, fmt::join(markets, ", ")));
  }
  return static_cast<std::uint16_t>(found - markets.begin());
}

// One pass over the rows: each row's code on every dimension, then one tally per dimension and
// per pair of dimensions. Flat arrays indexed by codes keep the pass free of lookups by name.
std::vector<SegmentTally> count_cells(const ExportedOrders& orders,
                                      const std::vector<Dimension>& dimensions,
                                      const CellLayout& layout, const ProfileOptions& options,
                                      SegmentTally& overall) {
  const bool every_market = options.market.empty();
  const std::uint16_t market = every_market ? 0 : selected_market(orders, options.market);
  std::vector<SegmentTally> cells(layout.cells);
  std::vector<std::uint16_t> codes(dimensions.size());
  for (std::size_t row = 0; row < orders.rows(); ++row) {
    if (!every_market && orders.market[row] != market) continue;
    add_row(overall, orders, row);
    for (std::size_t d = 0; d < dimensions.size(); ++d) {
      codes[d] = dimensions[d].code(orders, row);
      add_row(cells[layout.single_offset[d] + codes[d]], orders, row);
    }
    for (const CellLayout::Pair& pair : layout.pairs) {
      const std::size_t cell =
          pair.offset + codes[pair.a] * dimensions[pair.b].values.size() + codes[pair.b];
      add_row(cells[cell], orders, row);
    }
  }
  return cells;
}

double ratio(double part, double whole) {
  return whole > 0.0 ? part / whole : std::nan("");
}

double known_fraud_rate(const SegmentTally& tally) {
  return ratio(static_cast<double>(tally.known_fraud), static_cast<double>(tally.orders));
}

SegmentProfile profile(const SegmentTally& tally, const SegmentProfiles& profiles) {
  SegmentProfile segment;
  segment.tally = tally;
  segment.fraud_rate = wilson_interval(tally.fraud, tally.attempts);
  segment.known_fraud_rate = known_fraud_rate(tally);
  segment.volume_share = ratio(tally.amount_usd, profiles.overall.amount_usd);
  segment.lift = ratio(segment.fraud_rate.rate, profiles.overall_fraud_rate.rate);
  segment.loss_share = ratio(tally.loss_usd, profiles.overall.loss_usd);
  return segment;
}

// A dimension splits the selection when attempts fall in two of its values at least.
std::vector<bool> splitting_dimensions(const std::vector<Dimension>& dimensions,
                                       const CellLayout& layout,
                                       const std::vector<SegmentTally>& cells) {
  std::vector<bool> splits(dimensions.size());
  for (std::size_t d = 0; d < dimensions.size(); ++d) {
    std::size_t present = 0;
    for (std::size_t code = 0; code < dimensions[d].values.size(); ++code)
      present += cells[layout.single_offset[d] + code].attempts > 0;
    splits[d] = present >= 2;
  }
  return splits;
}

// The segments with enough support, in cell order (singles, then pairs): the order that breaks
// the last ties of both rankings.
void list_segments(const std::vector<Dimension>& dimensions, const CellLayout& layout,
                   const std::vector<SegmentTally>& cells, const std::vector<bool>& splits,
                   SegmentProfiles& profiles) {
  auto take = [&](const SegmentTally& tally) -> SegmentProfile* {
    if (tally.attempts == 0) return nullptr;
    if (tally.attempts < profiles.options.min_support) {
      ++profiles.segments_below_support;
      return nullptr;
    }
    profiles.segments.push_back(profile(tally, profiles));
    return &profiles.segments.back();
  };
  for (std::size_t d = 0; d < dimensions.size(); ++d) {
    if (!splits[d]) continue;
    for (std::size_t code = 0; code < dimensions[d].values.size(); ++code) {
      if (SegmentProfile* segment = take(cells[layout.single_offset[d] + code])) {
        segment->dimensions = {dimensions[d].name};
        segment->values = {dimensions[d].values[code]};
      }
    }
  }
  for (const CellLayout::Pair& pair : layout.pairs) {
    if (!splits[pair.a] || !splits[pair.b]) continue;
    const Dimension& a = dimensions[pair.a];
    const Dimension& b = dimensions[pair.b];
    for (std::size_t code_a = 0; code_a < a.values.size(); ++code_a) {
      for (std::size_t code_b = 0; code_b < b.values.size(); ++code_b) {
        if (SegmentProfile* segment =
                take(cells[pair.offset + code_a * b.values.size() + code_b])) {
          segment->dimensions = {a.name, b.name};
          segment->values = {a.values[code_a], b.values[code_b]};
        }
      }
    }
  }
}

// Fraud rate, highest first; then more support; then the listing order. Equal fractions give
// equal doubles (division is correctly rounded), so 2/6 and 1/3 tie as they should.
bool higher_rate(const SegmentProfile& a, const SegmentProfile& b) {
  if (a.fraud_rate.rate != b.fraud_rate.rate) return a.fraud_rate.rate > b.fraud_rate.rate;
  return a.tally.attempts > b.tally.attempts;
}

// Loss, highest first; then more support; then the rank by rate (many segments have no loss).
bool higher_loss(const SegmentProfile& a, const SegmentProfile& b) {
  if (a.tally.loss_usd != b.tally.loss_usd) return a.tally.loss_usd > b.tally.loss_usd;
  return a.tally.attempts > b.tally.attempts;
}

void rank_segments(SegmentProfiles& profiles) {
  std::vector<SegmentProfile>& segments = profiles.segments;
  std::stable_sort(segments.begin(), segments.end(), higher_rate);
  for (std::size_t i = 0; i < segments.size(); ++i)
    segments[i].rank_by_rate = i + 1;
  profiles.by_loss.resize(segments.size());
  std::iota(profiles.by_loss.begin(), profiles.by_loss.end(), std::size_t{0});
  // Sorting indices already in rank-by-rate order: ties of loss and support keep that order.
  std::stable_sort(
      profiles.by_loss.begin(), profiles.by_loss.end(),
      [&](std::size_t a, std::size_t b) { return higher_loss(segments[a], segments[b]); });
  for (std::size_t i = 0; i < profiles.by_loss.size(); ++i)
    segments[profiles.by_loss[i]].rank_by_loss = i + 1;
}

}  // namespace

// Wilson score interval (Wilson 1927). With n trials, p = successes / n and z the 97.5% quantile
// of the standard normal (1.959963984540054):
//   centre = (p + z^2 / (2n)) / (1 + z^2 / n)
//   half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / (4 n^2))
//   interval = [centre - half, centre + half]
// Unlike the normal approximation p +/- z sqrt(p (1 - p) / n), it stays within [0, 1] and keeps a
// width at p = 0: a small segment without fraud is not certain to be clean.
RateInterval wilson_interval(std::uint64_t successes, std::uint64_t trials) {
  if (trials == 0) return {std::nan(""), std::nan(""), std::nan("")};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = kNormalQuantile975 * kNormalQuantile975;
  const double denominator = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denominator;
  const double half =
      kNormalQuantile975 / denominator * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  // At p = 0 the low end is 0 exactly (centre = half), at p = 1 the high end 1; rounding would
  // leave 1e-20 or 1 - 1e-16 there.
  const double low = successes == 0 ? 0.0 : std::max(0.0, centre - half);
  const double high = successes == trials ? 1.0 : std::min(1.0, centre + half);
  return {p, low, high};
}

std::string SegmentProfile::dimension() const {
  return fmt::format("{}", fmt::join(dimensions, " & "));
}

std::string SegmentProfile::value() const {
  return fmt::format("{}", fmt::join(values, " & "));
}

std::string SegmentProfile::label() const {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < dimensions.size(); ++i)
    parts.push_back(dimensions[i] + "=" + values[i]);
  return fmt::format("{}", fmt::join(parts, " & "));
}

SegmentProfiles profile_segments(const ExportedOrders& orders, const ProfileOptions& options) {
  SegmentProfiles profiles;
  profiles.options = options;
  profiles.label_day = orders.last_day;
  const std::vector<Dimension> dimensions = profile_dimensions(orders);
  const CellLayout layout(dimensions);
  const std::vector<SegmentTally> cells =
      count_cells(orders, dimensions, layout, options, profiles.overall);
  if (profiles.overall.attempts == 0) {
    throw ExportInputError(
        options.market.empty()
            ? std::string("the export has no attempt with features (an ad matched and the "
                          "account was not refused): nothing to profile")
            : fmt::format("market {} has no attempt with features in the export: nothing to "
                          "profile",
                          options.market));
  }
  profiles.overall_fraud_rate = wilson_interval(profiles.overall.fraud, profiles.overall.attempts);
  profiles.overall_known_fraud_rate = known_fraud_rate(profiles.overall);

  const std::size_t market_dimension = dimensions.size() - 2;
  for (std::size_t code = 0; code < dimensions[market_dimension].values.size(); ++code) {
    if (cells[layout.single_offset[market_dimension] + code].attempts > 0)
      profiles.markets.push_back(dimensions[market_dimension].values[code]);
  }
  const std::vector<bool> splits = splitting_dimensions(dimensions, layout, cells);
  for (std::size_t d = 0; d < dimensions.size(); ++d)
    (splits[d] ? profiles.dimensions : profiles.single_valued).push_back(dimensions[d].name);

  if (profiles.dimensions.empty()) {
    throw ExportInputError(
        fmt::format("the {} attempts have the same value on every dimension: no segment to profile",
                    profiles.overall.attempts));
  }
  list_segments(dimensions, layout, cells, splits, profiles);
  if (profiles.segments.empty()) {
    std::uint64_t largest = 0;
    for (std::size_t d = 0; d < dimensions.size(); ++d) {
      if (!splits[d]) continue;
      for (std::size_t code = 0; code < dimensions[d].values.size(); ++code)
        largest = std::max(largest, cells[layout.single_offset[d] + code].attempts);
    }
    throw ExportInputError(fmt::format(
        "no segment has at least {} attempts (the minimum support; the largest segment has {} of "
        "{} attempts): lower --min-support",
        options.min_support, largest, profiles.overall.attempts));
  }
  rank_segments(profiles);
  return profiles;
}

}  // namespace p2psim
