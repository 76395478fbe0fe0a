#include "report/fraud_labels_csv.hpp"

#include <fmt/format.h>

#include <sstream>

#include "core/time.hpp"

namespace p2psim {

void write_fraud_labels_csv(std::ostream& out, const RunResult& result) {
  out << "order,replication,market,typology,payment_method,created_day,revealed_day,"
         "revealed_by\n";
  fmt::memory_buffer buffer;
  for (const ReplicationOutcome& replication : result.replications) {
    for (const FraudLabel& label : replication.fraud_labels) {
      const MarketTally& market = replication.markets[label.market];
      fmt::format_to(std::back_inserter(buffer), "{},{},{},{},{},{},", label.order,
                     replication.replication, market.market, kFraudTypologyNames[label.typology],
                     market.payment_methods[label.payment_method], day_of(label.created_at));
      if (label.revealed_by != RevealedBy::kNever) {
        fmt::format_to(std::back_inserter(buffer), "{}", day_of(label.revealed_at));
      }
      fmt::format_to(std::back_inserter(buffer), ",{}\n",
                     kRevealedByNames[static_cast<int>(label.revealed_by)]);
      if (buffer.size() > (1 << 16)) {
        out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        buffer.clear();
      }
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

std::string fraud_labels_csv(const RunResult& result) {
  std::ostringstream out;
  write_fraud_labels_csv(out, result);
  return out.str();
}

}  // namespace p2psim
