#pragma once
// The labelled export of a run (docs/risk-models.md): per replication, orders.csv.gz (one row per
// order attempt) and accounts.csv.gz (one row per account), gzip-compressed CSV that pandas reads
// as is. Files are written while the worlds run, with bounded memory, each staged as
// <name>.partial and renamed into place only by commit(), after every replication has finished:
// an interrupted or failed run leaves no export behind.
#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "world/attempt_log.hpp"
#include "world/world_config.hpp"

namespace p2psim {

// Which tables an export writes.
struct ExportTables {
  bool orders = false;
  bool accounts = false;
  bool any() const { return orders || accounts; }
};

inline constexpr const char* kExportFolder = "export";
inline constexpr const char* kOrdersExportFile = "orders.csv.gz";
inline constexpr const char* kAccountsExportFile = "accounts.csv.gz";

// The header of each table, in the order of its columns (docs/risk-models.md lists them).
std::string orders_export_header();
// A decision as the export writes it: "allow", "hold", "limit", "step_up", "review", "block".
const char* export_action_name(RiskAction action);
std::string accounts_export_header();

template <typename Row>
class TableFile;

// One replication's files: the AttemptSink a world writes its rows to.
class ReplicationExport final : public AttemptSink {
 public:
  ReplicationExport(const WorldConfig& config, std::uint32_t replication, ExportTables tables,
                    const std::filesystem::path& folder);
  ~ReplicationExport() override;
  ReplicationExport(const ReplicationExport&) = delete;
  ReplicationExport& operator=(const ReplicationExport&) = delete;

  void write(const AttemptRow& row) override;
  void write(const AccountRow& row) override;
  // Writes what is buffered and closes the files; throws std::runtime_error naming the file when
  // one could not be written.
  void close() override;
  bool wants_attempts() const override { return orders_ != nullptr; }

 private:
  // Each appends the row's CSV line; called on the table's thread, or on the world's when that
  // one is busy, so they only read what does not change (the configuration).
  void format(const AttemptRow& row, fmt::memory_buffer& line) const;
  void format(const AccountRow& row, fmt::memory_buffer& line) const;

  const WorldConfig& config_;
  std::uint32_t replication_;
  std::unique_ptr<TableFile<AttemptRow>> orders_;
  std::unique_ptr<TableFile<AccountRow>> accounts_;
};

// The export folder of a run: hands out each replication's files, and puts them all in place at
// the end.
class ExportDirectory {
 public:
  // `out` is the run's output folder; the export goes to out/export/replication-<n>/.
  ExportDirectory(std::filesystem::path out, ExportTables tables);
  ~ExportDirectory();  // removes staged files that were not committed
  ExportDirectory(const ExportDirectory&) = delete;
  ExportDirectory& operator=(const ExportDirectory&) = delete;

  // Called from the worker threads, one replication each.
  std::unique_ptr<ReplicationExport> open(const WorldConfig& config, std::uint32_t replication);
  // Renames every staged file into place, replacing an earlier export's files.
  void commit();
  const std::filesystem::path& folder() const { return folder_; }

 private:
  std::filesystem::path folder_;
  ExportTables tables_;
  std::mutex lock_;
  std::vector<std::filesystem::path> staged_;  // final paths; each is written as <path>.partial
  bool committed_ = false;
};

}  // namespace p2psim
