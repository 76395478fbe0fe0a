#pragma once
// `p2psim profiles`: who the risk is. The attempts of a labelled export are split into segments
// along a few dimensions a risk team reads (account age, KYC tier, payment method, device
// sharing, link cluster, velocity, hour of day, market, side) and every pair of two of them, and
// each segment with enough attempts gets its fraud rate (ground truth, with a Wilson interval),
// the fraud rate the platform knows, its share of volume and of loss, and its lift over the whole.
// docs/risk-models.md, Profiles, describes the bands and every column.
#include <cstdint>
#include <string>
#include <vector>

#include "lab/exported_orders.hpp"

namespace p2psim {

// A proportion with its 95% interval.
struct RateInterval {
  double rate = 0.0;
  double low = 0.0;
  double high = 0.0;
};

inline constexpr double kNormalQuantile975 = 1.959963984540054;

// The Wilson score interval of `successes` out of `trials` (NaN everywhere when trials is 0).
RateInterval wilson_interval(std::uint64_t successes, std::uint64_t trials);

struct ProfileOptions {
  std::string market;              // empty: every market of the export
  std::uint64_t min_support = 30;  // attempts a segment needs to be listed
};

// What a set of attempts adds up to: a segment's, or the whole selection's.
struct SegmentTally {
  std::uint64_t attempts = 0;
  std::uint64_t fraud = 0;        // ground truth
  std::uint64_t orders = 0;       // attempts that created an order: the platform can label them
  std::uint64_t known_fraud = 0;  // orders known as fraud on the label day
  double amount_usd = 0.0;
  double loss_usd = 0.0;
};

struct SegmentProfile {
  std::vector<std::string> dimensions;  // one, or two for a pair (in profile order)
  std::vector<std::string> values;      // the segment's value on each
  SegmentTally tally;
  RateInterval fraud_rate;
  double known_fraud_rate = 0.0;  // known fraud among the orders; NaN without an order
  double volume_share = 0.0;      // of the selection's amount_usd
  double lift = 0.0;              // fraud rate / the selection's fraud rate; NaN without fraud
  double loss_share = 0.0;        // of the selection's loss; NaN without loss
  std::size_t rank_by_rate = 0;   // from 1
  std::size_t rank_by_loss = 0;   // from 1

  bool pair() const { return dimensions.size() == 2; }
  // "account_age", or "account_age & payment_method" for a pair.
  std::string dimension() const;
  // "new", or "new & card_transfer" for a pair.
  std::string value() const;
  // "account_age=new", or "account_age=new & payment_method=card_transfer".
  std::string label() const;
};

struct SegmentProfiles {
  ProfileOptions options;
  std::vector<std::string> markets;  // those the selection covers
  std::int32_t label_day = 0;        // the export's last day: labels known then
  SegmentTally overall;
  RateInterval overall_fraud_rate;
  double overall_known_fraud_rate = 0.0;
  std::vector<std::string> dimensions;     // those that split the selection, in profile order
  std::vector<std::string> single_valued;  // left out: every attempt has the same value
  std::uint64_t segments_below_support = 0;

  std::vector<SegmentProfile> segments;  // in rank_by_rate order
  std::vector<std::size_t> by_loss;      // indices into segments, in rank_by_loss order
};

// Throws ExportInputError when the market is not in the export, the selection has no attempt,
// or no segment reaches the minimum support.
SegmentProfiles profile_segments(const ExportedOrders& orders, const ProfileOptions& options);

}  // namespace p2psim
