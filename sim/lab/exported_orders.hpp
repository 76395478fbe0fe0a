#pragma once
// The order attempts of a labelled export (orders.csv.gz of each replication, written by
// `p2psim run --export orders`; docs/risk-models.md), read back for training and profiling.
// Only attempts the policy could have scored are kept: those with features (an ad matched and
// the account was not refused). Columns are stored flat, one vector each, indexed by row.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace p2psim {

// A missing, truncated or malformed export, or an option that does not fit it: the message names
// the file (and line and column where there is one) and what is wrong.
class ExportInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Names seen in a text column, numbered in the order first seen.
class NameIndex {
 public:
  std::uint16_t index_of(std::string_view name);
  const std::string& name(std::uint16_t index) const { return names_[index]; }
  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
};

struct ExportedOrders {
  std::vector<std::string> feature_names;  // as in rules and scores: "account_age_days", ...
  NameIndex markets;
  NameIndex payment_methods;
  NameIndex typologies;  // index 0 is "" (genuine)
  NameIndex outcomes;
  std::vector<std::filesystem::path> files;  // the orders.csv.gz read, by replication

  // One entry per kept row.
  std::vector<std::uint32_t> replication;
  std::vector<std::uint64_t> attempt;
  std::vector<std::int32_t> day;
  std::vector<std::uint16_t> market;
  std::vector<std::uint16_t> payment_method;
  std::vector<std::uint16_t> typology;
  std::vector<std::uint16_t> outcome;
  std::vector<std::uint8_t> has_order;     // an order was created: the platform can learn its label
  std::vector<std::uint8_t> is_fraud;      // the ground truth
  std::vector<std::int32_t> revealed_day;  // -1: never revealed within the run
  std::vector<double> amount_usd;
  std::vector<double> loss_usd;
  std::vector<double> features;  // row-major: feature f of row r at r * feature_count() + f

  std::uint64_t attempts_read = 0;  // every row of the files, those without features too
  std::int32_t first_day = 0;       // of the kept rows
  std::int32_t last_day = -1;

  std::size_t rows() const { return day.size(); }
  std::size_t feature_count() const { return feature_names.size(); }
  double feature(std::size_t row, std::size_t f) const {
    return features[row * feature_count() + f];
  }
  // Whether the platform knows the row is fraud by the end of `day`.
  bool known_fraud(std::size_t row, std::int32_t by_day) const {
    return is_fraud[row] != 0 && revealed_day[row] >= 0 && revealed_day[row] <= by_day;
  }
  // The index of a feature by name, or -1.
  int feature_index(std::string_view name) const;
};

// Where `train` and `profiles` write: `out` when given, else the folder `folder` beside the
// export folder, in the run's folder (results/runs/<name>/<folder> for the export
// results/runs/<name>/export).
std::filesystem::path lab_output_folder(const std::filesystem::path& export_dir,
                                        const std::string& out, const std::string& folder);

// Reads <export_dir>/replication-<n>/orders.csv.gz for every n present, in replication order.
// Throws ExportInputError when the folder holds none, or a file is unreadable, truncated or not
// an orders export.
ExportedOrders read_exported_orders(const std::filesystem::path& export_dir);

}  // namespace p2psim
