#pragma once
// A user's chance of leaving after each order or attempt, driven by their own recent bad
// experiences:
//
//   p_churn = 1 - [(1 - base_probability) x exp(-S)]^(1 / a),   S = sum_k weight_k x n_k / a
//
// where n_k counts the user's experiences of kind k (failed, slow, blocked, disputed), each
// decayed by half every `half_life_days`, and a = max(1, activity), `activity` the user's attempt
// rate as a multiple of the market's (User::activity). All kinds decay at the same rate, so S
// itself decays by the same factor and a user only keeps S and when it was last updated
// (8 bytes).
//
// A frequent trader, who attempts a times as often, takes a times as many chances to leave and
// has a times as many experiences, so each attempt carries 1/a of the decision and each bad
// experience 1/a of its weight: they leave at the rate per week of an average user with the
// same share of bad experiences, not faster because they trade more. Users at or below the
// market's rate decide per attempt, p = 1 - (1 - base_probability) exp(-S): an occasional user
// is occasional, not leaving.
#include <array>
#include <cstdint>

#include "core/time.hpp"
#include "world/world_config.hpp"

namespace p2psim {

// The kinds of bad experience, as bits: one order can be slow and disputed at once.
enum ExperienceKind : std::uint8_t {
  kExperienceFailed = 1,    // no eligible ad, expired, or cancelled by the other side
  kExperienceSlow = 2,      // the counterparty took longer than the user's patience
  kExperienceBlocked = 4,   // an attempt refused by a platform rule
  kExperienceDisputed = 8,  // the order went to appeal
};
using Experience = std::uint8_t;  // a set of ExperienceKind bits; 0 is a good experience

struct ExperienceScore {
  float weighted = 0.0f;  // S at `updated_day`
  float updated_day = 0.0f;
};

class ChurnHazard {
 public:
  explicit ChurnHazard(const ChurnConfig& config);

  // Decays `score` to `now`, adds `experience`, and returns the chance that a user of this
  // `activity` (User::activity) leaves now.
  double churn_probability(ExperienceScore& score, Experience experience, Seconds now,
                           double activity) const;
  // The weight an experience adds to S.
  double weight_of(Experience experience) const;

 private:
  double base_probability_;
  double log_base_stay_;           // ln(1 - base_probability)
  std::array<double, 4> weights_;  // by bit of ExperienceKind
  double decay_per_day_;           // ln 2 / half-life
};

}  // namespace p2psim
