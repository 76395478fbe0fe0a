#include "world/outcome_archive.hpp"

#include "core/byte_archive.hpp"

namespace p2psim {
namespace {

// One function per type serves both directions: Archive is a ByteWriter (which only reads the
// values it is given) or a ByteReader (which fills them), so the two cannot disagree on the order.
template <typename Archive>
void transfer(Archive& archive, KpiCounters& counters) {
  archive.plain(static_cast<KpiCounts&>(counters));
  archive.plain(static_cast<KpiAmounts&>(counters));
  archive.plain(counters.time_to_complete);
  archive.plain(counters.order_scores);
  archive.plain_list(counters.fraud_loss_by_method_usd);
  archive.plain_list(counters.risk_by_method);
}

template <typename Archive>
void transfer(Archive& archive, MarketTally& tally) {
  archive.text(tally.market);
  std::size_t methods = tally.payment_methods.size();
  archive.length(methods);
  tally.payment_methods.resize(methods);
  for (std::string& method : tally.payment_methods)
    archive.text(method);
  transfer(archive, tally.period);
  std::size_t days = tally.days.size();
  archive.length(days);
  tally.days.resize(days);
  for (KpiCounters& day : tally.days)
    transfer(archive, day);
}

template <typename Archive>
void transfer(Archive& archive, ReplicationOutcome& outcome) {
  archive.plain(outcome.replication);
  archive.plain(outcome.first_measured_day);
  archive.plain(outcome.events_processed);
  archive.plain(outcome.orders_simulated);
  std::size_t markets = outcome.markets.size();
  archive.length(markets);
  outcome.markets.resize(markets);
  for (MarketTally& tally : outcome.markets)
    transfer(archive, tally);
  archive.plain_list(outcome.fraud_labels);
  std::size_t unit_markets = outcome.units.size();
  archive.length(unit_markets);
  outcome.units.resize(unit_markets);
  for (MarketUnits& units : outcome.units) {
    archive.text(units.market);
    archive.plain(units.arms);
    for (std::vector<UnitValues>& listed : units.listed)
      archive.plain_list(listed);
  }
}

}  // namespace

std::string pack_outcome(const ReplicationOutcome& outcome) {
  ByteWriter writer;
  // The writer only reads: resizing a list to its own size changes nothing.
  transfer(writer, const_cast<ReplicationOutcome&>(outcome));
  return writer.take();
}

ReplicationOutcome unpack_outcome(std::string_view bytes) {
  ByteReader reader(bytes);
  ReplicationOutcome outcome;
  transfer(reader, outcome);
  reader.expect_end("a replication's outcome");
  return outcome;
}

}  // namespace p2psim
