#include "lab/exported_orders.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <memory>
#include <optional>

namespace p2psim {
namespace {

constexpr std::string_view kFeaturePrefix = "feature_";

// What a column of orders.csv.gz feeds; columns not listed are skipped.
enum class Column : std::uint8_t {
  kSkipped,
  kReplication,
  kAttempt,
  kOrder,
  kDay,
  kMarket,
  kPaymentMethod,
  kAmount,
  kFeature,
  kOutcome,
  kLoss,
  kIsFraud,
  kTypology,
  kRevealedDay,
};

struct NamedColumn {
  std::string_view name;
  Column column;
};

constexpr NamedColumn kRequiredColumns[] = {
    {"replication", Column::kReplication},
    {"attempt", Column::kAttempt},
    {"order", Column::kOrder},
    {"day", Column::kDay},
    {"market", Column::kMarket},
    {"payment_method", Column::kPaymentMethod},
    {"amount_usd", Column::kAmount},
    {"outcome", Column::kOutcome},
    {"loss_usd", Column::kLoss},
    {"is_fraud", Column::kIsFraud},
    {"typology", Column::kTypology},
    {"revealed_day", Column::kRevealedDay},
};

// Lines of a gzip file, read in large blocks.
class GzipLines {
 public:
  explicit GzipLines(const std::filesystem::path& path) : path_(path) {
    file_ = gzopen(path.c_str(), "rb");
    if (file_ == nullptr) throw ExportInputError(fmt::format("cannot open {}", path.string()));
    gzbuffer(file_, 1 << 18);
  }
  ~GzipLines() { gzclose(file_); }
  GzipLines(const GzipLines&) = delete;
  GzipLines& operator=(const GzipLines&) = delete;

  // The next line without its '\n', or nothing at the end of the file.
  std::optional<std::string_view> next() {
    for (;;) {
      const std::size_t end = buffer_.find('\n', start_);
      if (end != std::string::npos) {
        std::string_view line(buffer_.data() + start_, end - start_);
        start_ = end + 1;
        ++line_number_;
        return line;
      }
      if (!refill()) {
        if (start_ < buffer_.size()) {
          throw ExportInputError(
              fmt::format("{}: line {} ends without a newline: the file is truncated",
                          path_.string(), line_number_ + 1));
        }
        return std::nullopt;
      }
    }
  }
  std::uint64_t line_number() const { return line_number_; }

 private:
  bool refill() {
    buffer_.erase(0, start_);
    start_ = 0;
    const std::size_t kept = buffer_.size();
    constexpr std::size_t kBlock = 1 << 20;
    buffer_.resize(kept + kBlock);
    const int read = gzread(file_, buffer_.data() + kept, kBlock);
    int code = Z_OK;
    const char* message = gzerror(file_, &code);
    if (read < 0 || (code != Z_OK && code != Z_STREAM_END)) {
      throw ExportInputError(fmt::format("{}: after line {}: {} (the file is truncated or corrupt)",
                                         path_.string(), line_number_, message));
    }
    buffer_.resize(kept + static_cast<std::size_t>(read));
    return read > 0;
  }

  std::filesystem::path path_;
  gzFile file_ = nullptr;
  std::string buffer_;
  std::size_t start_ = 0;
  std::uint64_t line_number_ = 0;
};

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

// The columns of one file, checked against what a reader needs.
struct Layout {
  std::vector<Column> columns;
  std::vector<int> feature_of;  // by column: the feature index, or -1
  std::vector<std::string> feature_names;
  std::vector<std::string> names;
};

Layout read_layout(std::string_view header, const std::filesystem::path& path) {
  Layout layout;
  for (std::string_view name : split_fields(header)) {
    layout.names.emplace_back(name);
    Column column = Column::kSkipped;
    int feature = -1;
    for (const NamedColumn& required : kRequiredColumns) {
      if (name == required.name) column = required.column;
    }
    if (name.substr(0, kFeaturePrefix.size()) == kFeaturePrefix) {
      column = Column::kFeature;
      feature = static_cast<int>(layout.feature_names.size());
      layout.feature_names.emplace_back(name.substr(kFeaturePrefix.size()));
    }
    layout.columns.push_back(column);
    layout.feature_of.push_back(feature);
  }
  for (const NamedColumn& required : kRequiredColumns) {
    if (std::find(layout.names.begin(), layout.names.end(), required.name) == layout.names.end()) {
      throw ExportInputError(fmt::format(
          "{}: line 1: no column \"{}\": this is not an orders export of p2psim run --export "
          "orders (docs/risk-models.md lists its columns)",
          path.string(), required.name));
    }
  }
  if (layout.feature_names.empty()) {
    throw ExportInputError(
        fmt::format("{}: line 1: no feature_ column: this is not an orders export", path.string()));
  }
  return layout;
}

class RowReader {
 public:
  RowReader(const std::filesystem::path& path, const Layout& layout, ExportedOrders& into)
      : path_(path), layout_(layout), into_(into), features_(layout.feature_names.size()) {}

  void read(std::string_view line, std::uint64_t line_number) {
    line_number_ = line_number;
    std::size_t features_given = 0;
    std::size_t column = 0;
    std::size_t start = 0;
    Row row;
    for (;; ++column) {
      const std::size_t comma = line.find(',', start);
      const std::string_view field = line.substr(start, comma - start);
      if (column >= layout_.columns.size()) fail_count(column + 1 + count_rest(line, comma));
      take(column, field, row, features_given);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (column + 1 != layout_.columns.size()) fail_count(column + 1);
    ++into_.attempts_read;
    if (features_given == 0) return;  // no ad matched, or the account was refused
    if (features_given != features_.size()) {
      throw ExportInputError(fmt::format(
          "{}: line {}: {} of the {} feature_ columns are empty: a row has all its features or "
          "none",
          path_.string(), line_number_, features_.size() - features_given, features_.size()));
    }
    into_.replication.push_back(row.replication);
    into_.attempt.push_back(row.attempt);
    into_.day.push_back(row.day);
    into_.market.push_back(row.market);
    into_.payment_method.push_back(row.payment_method);
    into_.typology.push_back(row.typology);
    into_.outcome.push_back(row.outcome);
    into_.has_order.push_back(row.has_order ? 1 : 0);
    into_.is_fraud.push_back(row.is_fraud ? 1 : 0);
    into_.revealed_day.push_back(row.revealed_day);
    into_.amount_usd.push_back(row.amount_usd);
    into_.loss_usd.push_back(row.loss_usd);
    into_.features.insert(into_.features.end(), features_.begin(), features_.end());
  }

 private:
  struct Row {
    std::uint32_t replication = 0;
    std::uint64_t attempt = 0;
    std::int32_t day = 0;
    std::uint16_t market = 0;
    std::uint16_t payment_method = 0;
    std::uint16_t typology = 0;
    std::uint16_t outcome = 0;
    bool has_order = false;
    bool is_fraud = false;
    std::int32_t revealed_day = -1;
    double amount_usd = 0.0;
    double loss_usd = 0.0;
  };

  void take(std::size_t column, std::string_view field, Row& row, std::size_t& features_given) {
    switch (layout_.columns[column]) {
      case Column::kSkipped:
        return;
      case Column::kReplication:
        row.replication = whole<std::uint32_t>(column, field);
        return;
      case Column::kAttempt:
        row.attempt = whole<std::uint64_t>(column, field);
        return;
      case Column::kOrder:
        row.has_order = !field.empty();
        return;
      case Column::kDay:
        row.day = whole<std::int32_t>(column, field);
        return;
      case Column::kMarket:
        row.market = into_.markets.index_of(field);
        return;
      case Column::kPaymentMethod:
        row.payment_method = into_.payment_methods.index_of(field);
        return;
      case Column::kAmount:
        row.amount_usd = number(column, field);
        return;
      case Column::kFeature:
        if (field.empty()) return;
        ++features_given;
        features_[layout_.feature_of[column]] = number(column, field);
        return;
      case Column::kOutcome:
        row.outcome = into_.outcomes.index_of(field);
        return;
      case Column::kLoss:
        row.loss_usd = number(column, field);
        return;
      case Column::kIsFraud:
        row.is_fraud = whole<int>(column, field) != 0;
        return;
      case Column::kTypology:
        row.typology = into_.typologies.index_of(field);
        return;
      case Column::kRevealedDay:
        row.revealed_day = field.empty() ? -1 : whole<std::int32_t>(column, field);
        return;
    }
  }

  template <typename Integer>
  Integer whole(std::size_t column, std::string_view field) {
    Integer value{};
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error != std::errc{} || end != field.data() + field.size() || field.empty())
      fail_value(column, field, "a whole number");
    return value;
  }

  double number(std::size_t column, std::string_view field) {
    double value = 0.0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error != std::errc{} || end != field.data() + field.size() || field.empty())
      fail_value(column, field, "a number");
    return value;
  }

  static std::size_t count_rest(std::string_view line, std::size_t from) {
    return from == std::string_view::npos
               ? 0
               : static_cast<std::size_t>(std::count(line.begin() + from, line.end(), ','));
  }

  [[noreturn]] void fail_value(std::size_t column, std::string_view field, const char* expected) {
    throw ExportInputError(fmt::format("{}: line {}, column {} ({}): expected {}, found \"{}\"",
                                       path_.string(), line_number_, column + 1,
                                       layout_.names[column], expected, field));
  }
  [[noreturn]] void fail_count(std::size_t found) {
    throw ExportInputError(
        fmt::format("{}: line {}: expected {} columns as in the header, found {}", path_.string(),
                    line_number_, layout_.columns.size(), found));
  }

  const std::filesystem::path& path_;
  const Layout& layout_;
  ExportedOrders& into_;
  std::vector<double> features_;
  std::uint64_t line_number_ = 0;
};

void read_file(const std::filesystem::path& path, ExportedOrders& into) {
  GzipLines lines(path);
  const std::optional<std::string_view> header = lines.next();
  if (!header) throw ExportInputError(fmt::format("{}: the file is empty", path.string()));
  Layout layout = read_layout(*header, path);
  if (into.feature_names.empty()) {
    into.feature_names = layout.feature_names;
  } else if (into.feature_names != layout.feature_names) {
    throw ExportInputError(fmt::format(
        "{}: line 1: its features differ from those of {}: the replications come from different "
        "versions of p2psim",
        path.string(), into.files.front().string()));
  }
  RowReader reader(path, layout, into);
  while (const std::optional<std::string_view> line = lines.next())
    reader.read(*line, lines.line_number());
  into.files.push_back(path);
}

// The replication folders of an export, in replication order; or the folder itself when it is
// one replication's.
std::vector<std::filesystem::path> orders_files(const std::filesystem::path& export_dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(export_dir, error)) {
    throw ExportInputError(fmt::format(
        "{}: no such folder (an export is written by p2psim run SCENARIO --export orders, to "
        "<out>/export)",
        export_dir.string()));
  }
  if (std::filesystem::exists(export_dir / "orders.csv.gz")) return {export_dir / "orders.csv.gz"};
  std::vector<std::pair<std::uint32_t, std::filesystem::path>> found;
  for (const auto& entry : std::filesystem::directory_iterator(export_dir, error)) {
    const std::string name = entry.path().filename().string();
    constexpr std::string_view kPrefix = "replication-";
    if (name.rfind(kPrefix, 0) != 0) continue;
    std::uint32_t number = 0;
    const char* first = name.data() + kPrefix.size();
    const auto [end, parse_error] = std::from_chars(first, name.data() + name.size(), number);
    if (parse_error != std::errc{} || end != name.data() + name.size()) continue;
    const std::filesystem::path orders = entry.path() / "orders.csv.gz";
    if (!std::filesystem::exists(orders)) {
      throw ExportInputError(fmt::format(
          "{}: missing: the export has no orders table for this replication (run with --export "
          "orders)",
          orders.string()));
    }
    found.emplace_back(number, orders);
  }
  if (found.empty()) {
    throw ExportInputError(fmt::format(
        "{}: no replication-<n>/orders.csv.gz in this folder: point to the export folder of a "
        "run made with --export orders (e.g. results/runs/<scenario>/export)",
        export_dir.string()));
  }
  std::sort(found.begin(), found.end());
  std::vector<std::filesystem::path> files;
  for (auto& [number, path] : found)
    files.push_back(std::move(path));
  return files;
}

}  // namespace

std::uint16_t NameIndex::index_of(std::string_view name) {
  // Few distinct names (markets, methods, typologies, outcomes): a linear scan beats a map.
  for (std::size_t index = 0; index < names_.size(); ++index) {
    if (names_[index] == name) return static_cast<std::uint16_t>(index);
  }
  if (names_.size() >= std::numeric_limits<std::uint16_t>::max()) {
    throw ExportInputError("too many distinct names in one column of the export");
  }
  names_.emplace_back(name);
  return static_cast<std::uint16_t>(names_.size() - 1);
}

int ExportedOrders::feature_index(std::string_view name) const {
  for (std::size_t index = 0; index < feature_names.size(); ++index) {
    if (feature_names[index] == name) return static_cast<int>(index);
  }
  return -1;
}

std::filesystem::path lab_output_folder(const std::filesystem::path& export_dir,
                                        const std::string& out, const std::string& folder) {
  if (!out.empty()) return out;
  std::filesystem::path absolute = std::filesystem::absolute(export_dir).lexically_normal();
  if (absolute.filename().empty()) absolute = absolute.parent_path();  // a trailing '/'
  return absolute.parent_path() / folder;
}

ExportedOrders read_exported_orders(const std::filesystem::path& export_dir) {
  ExportedOrders orders;
  orders.typologies.index_of("");  // genuine is typology 0
  for (const std::filesystem::path& file : orders_files(export_dir))
    read_file(file, orders);
  if (orders.rows() > 0) {
    const auto [first, last] = std::minmax_element(orders.day.begin(), orders.day.end());
    orders.first_day = *first;
    orders.last_day = *last;
  }
  return orders;
}

}  // namespace p2psim
