#pragma once
// fraud_labels.csv: the ground truth of every fraudulent order and when the platform learns it.
//   order,replication,market,typology,payment_method,created_day,revealed_day,revealed_by
// `order` is the order's serial number within its replication (1 = the first order created);
// revealed_day and revealed_by are empty when the platform does not learn it within the run.
// Genuine orders are not listed. The label the platform would have had for an order on day d is
// its typology if revealed_day <= d, otherwise 'genuine' (docs/cli.md).
#include <ostream>
#include <string>

#include "analysis/replication.hpp"

namespace p2psim {

inline constexpr const char* kFraudLabelsFile = "fraud_labels.csv";

void write_fraud_labels_csv(std::ostream& out, const RunResult& result);
std::string fraud_labels_csv(const RunResult& result);

}  // namespace p2psim
