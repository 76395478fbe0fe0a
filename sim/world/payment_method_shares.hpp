#pragma once
// Draws a market's payment methods by their shares: a user's preferred and extra methods, a
// merchant's accepted ones, a fraudster's.
#include <cstdint>
#include <vector>

#include "core/random_stream.hpp"
#include "world/world_config.hpp"

namespace p2psim {

class PaymentMethodShares {
 public:
  PaymentMethodShares() = default;
  // `methods` is the market's configuration, which must outlive this.
  explicit PaymentMethodShares(const std::vector<PaymentMethodConfig>& methods);

  // A method by share, among those not in the bit mask `excluded`.
  std::uint8_t draw(RandomStream& stream, std::uint32_t excluded = 0) const;

 private:
  const std::vector<PaymentMethodConfig>* methods_ = nullptr;
  std::vector<double> cumulative_;  // running sums of the shares, for a binary search
};

}  // namespace p2psim
