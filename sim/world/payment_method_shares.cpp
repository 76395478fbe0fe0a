#include "world/payment_method_shares.hpp"

#include <algorithm>

namespace p2psim {

PaymentMethodShares::PaymentMethodShares(const std::vector<PaymentMethodConfig>& methods)
    : methods_(&methods) {
  double cumulative = 0.0;
  for (const PaymentMethodConfig& method : methods) {
    cumulative += method.share;
    cumulative_.push_back(cumulative);
  }
}

std::uint8_t PaymentMethodShares::draw(RandomStream& stream, std::uint32_t excluded) const {
  if (excluded != 0) {
    // By share among the methods not excluded: a linear scan, as users hold few methods.
    const auto& methods = *methods_;
    double total = 0.0;
    for (std::size_t m = 0; m < methods.size(); ++m) {
      if (((excluded >> m) & 1u) == 0) total += methods[m].share;
    }
    double pick = uniform01(stream) * total;
    std::uint8_t last = 0;
    for (std::size_t m = 0; m < methods.size(); ++m) {
      if ((excluded >> m) & 1u) continue;
      last = static_cast<std::uint8_t>(m);
      pick -= methods[m].share;
      if (pick < 0.0) break;
    }
    return last;
  }
  double pick = uniform01(stream) * cumulative_.back();
  auto found = std::upper_bound(cumulative_.begin(), cumulative_.end(), pick);
  return static_cast<std::uint8_t>(std::min<std::ptrdiff_t>(
      found - cumulative_.begin(), static_cast<std::ptrdiff_t>(cumulative_.size()) - 1));
}

}  // namespace p2psim
