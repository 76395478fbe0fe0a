#include "world/churn_hazard.hpp"

#include <algorithm>
#include <cmath>

namespace p2psim {

ChurnHazard::ChurnHazard(const ChurnConfig& config)
    : base_probability_(config.base_probability),
      log_base_stay_(std::log1p(-config.base_probability)),
      weights_{config.weight_failed, config.weight_slow, config.weight_blocked,
               config.weight_disputed},
      decay_per_day_(std::log(2.0) / config.half_life_days) {}

double ChurnHazard::weight_of(Experience experience) const {
  double weight = 0.0;
  for (int kind = 0; kind < 4; ++kind) {
    if ((experience >> kind) & 1u) weight += weights_[kind];
  }
  return weight;
}

double ChurnHazard::churn_probability(ExperienceScore& score, Experience experience, Seconds now,
                                      double activity) const {
  // Users at or below the market's rate decide per attempt, with the configured probability
  // itself rather than a rounded power of it.
  const double counted_activity = std::max(1.0, activity);  // a in the equation
  const bool per_attempt = counted_activity == 1.0;
  // Most orders go well for users with no bad experience: nothing more to compute.
  if (experience == 0 && score.weighted == 0.0f) {
    return per_attempt ? base_probability_ : -std::expm1(log_base_stay_ / counted_activity);
  }
  const double today = now / kDay;
  double weighted = score.weighted;
  if (weighted > 0.0) weighted *= std::exp(-decay_per_day_ * (today - score.updated_day));
  weighted += weight_of(experience) / counted_activity;
  score.weighted = static_cast<float>(weighted);
  score.updated_day = static_cast<float>(today);
  if (per_attempt) return 1.0 - (1.0 - base_probability_) * std::exp(-weighted);
  return -std::expm1((log_base_stay_ - weighted) / counted_activity);
}

}  // namespace p2psim
