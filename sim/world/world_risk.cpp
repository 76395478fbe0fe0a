// What the risk policy's verdicts on an order attempt mean for the user (the policy's stages
// themselves are RiskScreening): a stopped attempt, or one whose step-up the user gave up, moves
// the user on.
#include "world/world.hpp"

namespace p2psim {

bool World::screen_order(UserId user_id, const AdMatch& match, double& usd,
                         OrderFeatures& features) {
  switch (risk_.screen(user_id, match, usd, features)) {
    case RiskScreening::Screening::kPass:
      return true;
    case RiskScreening::Screening::kBlocked:
      user_moves_on(user_id, kExperienceBlocked);
      return false;
    case RiskScreening::Screening::kFailed:
      user_moves_on(user_id, kExperienceFailed);
      return false;
    case RiskScreening::Screening::kInReview:
      return false;
  }
  return false;
}

void World::stop_attempt(UserId user_id, bool genuine, KpiCounters& counters,
                         std::uint32_t unit_slot) {
  risk_.stop(user_id, genuine, counters, unit_slot);
  user_moves_on(user_id, kExperienceBlocked);
}

}  // namespace p2psim
