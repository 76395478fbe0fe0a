#include "report/export_files.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <system_error>

#include "core/time.hpp"
#include "report/table_file.hpp"

namespace p2psim {

namespace {

std::filesystem::path partial(const std::filesystem::path& path) {
  return path.string() + ".partial";
}

const char* side_name(TradeSide side) {
  return side == TradeSide::kUserBuys ? "buy" : "sell";
}

const char* typology_name(UserIntent intent) {
  return intent.genuine() ? "" : kFraudTypologyNames[static_cast<int>(intent.typology())];
}

// A number in the shortest form that reads back exactly. Whole numbers (most features, counts,
// amounts of zero) take the integer path, several times faster than the floating-point one.
void append_number(fmt::memory_buffer& line, double value) {
  if (value == std::trunc(value) && std::abs(value) < 1e15) {
    fmt::format_to(fmt::appender(line), FMT_COMPILE("{}"), static_cast<std::int64_t>(value));
  } else {
    fmt::format_to(fmt::appender(line), FMT_COMPILE("{}"), value);
  }
}

// A single-precision number (a day as the world keeps it) in the shortest form that reads back
// as the same float: "9.891871", not the double's "9.891871452331543".
void append_number(fmt::memory_buffer& line, float value) {
  fmt::format_to(fmt::appender(line), FMT_COMPILE("{}"), value);
}

// A number, or nothing when it is not known (a negative time or day).
template <typename Number>
void append_if_known(fmt::memory_buffer& line, Number value) {
  if (value >= 0) append_number(line, value);
}

std::string reason_name(const WorldConfig& config, std::uint16_t market, std::uint16_t reason) {
  const RiskPolicy* policy = config.markets[market].risk.get();
  return policy == nullptr ? "" : policy->reason_name(reason);
}

}  // namespace

const char* export_action_name(RiskAction action) {
  static constexpr std::array<const char*, kRiskActionCount> kNames = {
      "allow", "lock_withdrawal", "hold", "limit", "step_up", "review", "block"};
  return kNames[static_cast<int>(action)];
}

std::string orders_export_header() {
  std::string header =
      "replication,attempt,order,attempted_at_s,day,market,user,merchant,ring,side,"
      "payment_method,amount_usd,order_usd";
  // The features a policy reads, by their names in rules and scores, prefixed so that they
  // stand apart from the order's own columns (amount_usd, market, side, payment_method).
  for (const char* feature : kRiskFeatureNames) {
    header += ",feature_";
    header += feature;
  }
  header += ",screened,creation_decision,creation_reason,asked_at_mark_paid";
  for (const char* feature : kRiskFeatureNames) {
    header += ",mark_paid_feature_";
    header += feature;
  }
  header += ",hold_minutes,hold_reason,outcome,appealed,ended_at_s,loss_usd";
  for (const char* bearer : kLossBearerNames) {
    header += fmt::format(",loss_{}_usd", bearer);
  }
  header += ",is_fraud,typology,revealed_at_s,revealed_day,revealed_by\n";
  return header;
}

std::string accounts_export_header() {
  return "replication,user,market,created_day,kyc_tier,device,bank_account,cluster,cluster_size,"
         "is_fraud,typology,ring,referred_by,sign_up_blocked,banned_day,orders,completed_orders,"
         "first_order_day,last_order_day,first_revealed_day\n";
}

ReplicationExport::ReplicationExport(const WorldConfig& config, std::uint32_t replication,
                                     ExportTables tables, const std::filesystem::path& folder)
    : config_(config), replication_(replication) {
  if (tables.orders) {
    orders_ = std::make_unique<TableFile<AttemptRow>>(
        partial(folder / kOrdersExportFile), orders_export_header(),
        [this](const AttemptRow& row, fmt::memory_buffer& line) { format(row, line); });
  }
  if (tables.accounts) {
    accounts_ = std::make_unique<TableFile<AccountRow>>(
        partial(folder / kAccountsExportFile), accounts_export_header(),
        [this](const AccountRow& row, fmt::memory_buffer& line) { format(row, line); });
  }
}

ReplicationExport::~ReplicationExport() = default;

void ReplicationExport::write(const AttemptRow& row) {
  if (orders_) orders_->write(row);
}

void ReplicationExport::write(const AccountRow& row) {
  if (accounts_) accounts_->write(row);
}

void ReplicationExport::format(const AttemptRow& row, fmt::memory_buffer& line) const {
  const MarketConfig& market = config_.markets[row.market];
  auto out = fmt::appender(line);
  fmt::format_to(out, FMT_COMPILE("{},{},"), replication_, row.attempt);
  if (row.order != 0) fmt::format_to(out, FMT_COMPILE("{}"), row.order);
  fmt::format_to(out, FMT_COMPILE(",{},{},{},{},"), row.attempted_at, day_of(row.attempted_at),
                 market.code, row.user.index());
  if (row.merchant != kNobody) fmt::format_to(out, FMT_COMPILE("{}"), row.merchant.index());
  line.push_back(',');
  if (row.ring != kNoRing) fmt::format_to(out, FMT_COMPILE("{}"), row.ring);
  fmt::format_to(out, FMT_COMPILE(",{},"), side_name(row.side));
  if (row.payment_method != kNoPaymentMethod) {
    const std::string& method = market.payment_methods[row.payment_method].name;
    line.append(method.data(), method.data() + method.size());
  }
  fmt::format_to(out, FMT_COMPILE(",{},"), row.usd);
  if (row.order != 0) append_number(line, row.order_usd);
  for (double value : row.features.values) {
    line.push_back(',');
    if (row.has_features) append_number(line, value);
  }
  fmt::format_to(out, FMT_COMPILE(",{},"), row.screened ? 1 : 0);
  if (row.screened) {
    fmt::format_to(out, FMT_COMPILE("{},{}"), export_action_name(row.creation_action),
                   reason_name(config_, row.market, row.creation_reason));
  } else {
    line.push_back(',');
  }
  fmt::format_to(out, FMT_COMPILE(",{}"), row.asked_at_mark_paid ? 1 : 0);
  for (double value : row.paid_features.values) {
    line.push_back(',');
    if (row.asked_at_mark_paid) append_number(line, value);
  }
  line.push_back(',');
  if (row.asked_at_mark_paid) {
    fmt::format_to(out, FMT_COMPILE("{},{}"), row.hold_minutes,
                   reason_name(config_, row.market, row.hold_reason));
  } else {
    line.push_back(',');
  }
  fmt::format_to(out, FMT_COMPILE(",{},{},"), kAttemptOutcomeNames[static_cast<int>(row.outcome)],
                 row.appealed ? 1 : 0);
  append_if_known(line, row.ended_at);
  double loss = 0.0;
  for (double part : row.loss_usd)
    loss += part;
  line.push_back(',');
  append_number(line, loss);
  for (double part : row.loss_usd) {
    line.push_back(',');
    append_number(line, part);
  }
  fmt::format_to(out, FMT_COMPILE(",{},{},"), row.intent.genuine() ? 0 : 1,
                 typology_name(row.intent));
  if (row.revealed_by != RevealedBy::kNever) {
    fmt::format_to(out, FMT_COMPILE("{},{}"), row.revealed_at, day_of(row.revealed_at));
  } else {
    line.push_back(',');
  }
  fmt::format_to(out, FMT_COMPILE(",{}\n"), kRevealedByNames[static_cast<int>(row.revealed_by)]);
}

void ReplicationExport::format(const AccountRow& row, fmt::memory_buffer& line) const {
  auto out = fmt::appender(line);
  fmt::format_to(out, FMT_COMPILE("{},{},{},{},{},{},{},{},{},{},{},"), replication_,
                 row.user.index(), config_.markets[row.market].code, row.created_day, row.kyc_tier,
                 row.device, row.bank_account, row.cluster, row.cluster_size,
                 row.intent.genuine() ? 0 : 1, typology_name(row.intent));
  if (row.ring != kNoRing) fmt::format_to(out, FMT_COMPILE("{}"), row.ring);
  line.push_back(',');
  if (row.referred_by != kNobody) fmt::format_to(out, FMT_COMPILE("{}"), row.referred_by.index());
  fmt::format_to(out, FMT_COMPILE(",{},"), row.sign_up_blocked ? 1 : 0);
  if (row.banned_day >= 0) fmt::format_to(out, FMT_COMPILE("{}"), row.banned_day);
  fmt::format_to(out, FMT_COMPILE(",{},{},"), row.orders, row.completed_orders);
  append_if_known(line, row.first_order_day);
  line.push_back(',');
  append_if_known(line, row.last_order_day);
  line.push_back(',');
  append_if_known(line, row.first_revealed_day);
  line.push_back('\n');
}

void ReplicationExport::close() {
  if (orders_) orders_->close();
  if (accounts_) accounts_->close();
}

ExportDirectory::ExportDirectory(std::filesystem::path out, ExportTables tables)
    : folder_(std::move(out) / kExportFolder), tables_(tables) {}

ExportDirectory::~ExportDirectory() {
  if (committed_) return;
  std::error_code ignored;
  for (const std::filesystem::path& path : staged_)
    std::filesystem::remove(partial(path), ignored);
}

std::unique_ptr<ReplicationExport> ExportDirectory::open(const WorldConfig& config,
                                                         std::uint32_t replication) {
  const std::filesystem::path folder = folder_ / fmt::format("replication-{}", replication);
  {
    std::lock_guard guard(lock_);
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) {
      throw std::runtime_error("cannot create " + folder.string() + ": " + error.message());
    }
    if (tables_.orders) staged_.push_back(folder / kOrdersExportFile);
    if (tables_.accounts) staged_.push_back(folder / kAccountsExportFile);
  }
  return std::make_unique<ReplicationExport>(config, replication, tables_, folder);
}

void ExportDirectory::commit() {
  std::lock_guard guard(lock_);
  for (const std::filesystem::path& path : staged_) {
    std::error_code error;
    std::filesystem::rename(partial(path), path, error);
    if (error) {
      throw std::runtime_error("cannot move " + partial(path).string() +
                               " into place: " + error.message());
    }
  }
  committed_ = true;
}

}  // namespace p2psim
