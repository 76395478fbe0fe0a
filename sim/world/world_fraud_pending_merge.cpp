// TEMPORARY, DELETE ON MERGE: no-op stand-ins for two hooks of merchants' economics, which the
// merchants' branch implements (freezes via on_tainted_fiat, security deposits). The fraud
// branch calls them; the integrator deletes this file when merging the merchants' branch.
#include "world/world.hpp"

namespace p2psim {

void World::on_tainted_fiat(OrderId order) {
  (void)order;  // no freezes on this branch
}

MinorUnits World::exit_scam_deposit_covers(OrderId order, MinorUnits loss) {
  (void)order;
  (void)loss;
  return 0;  // no deposits on this branch
}

}  // namespace p2psim
