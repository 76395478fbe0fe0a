#pragma once
// A table of rows written as gzip-compressed CSV on a thread of its own. The world's thread only
// copies each row into a batch; the table's thread formats the batch's rows into CSV lines and
// compresses them (docs/performance.md: formatting and compressing a large export on the world's
// thread more than doubled the run's time). When the writer is still busy with the last batch,
// as at the end of a run when every account's row comes at once, the world's thread formats its
// batch itself while it would otherwise wait: then one thread formats while the other
// compresses. The batches go through in the order written, and a line is the same whichever
// thread formats it, so the file is the same whatever the timing. Memory is bounded: two batches.
#include <fmt/format.h>

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "report/gzip_stream.hpp"

namespace p2psim {

template <typename Row>
class TableFile {
 public:
  // Appends one row's CSV line, newline included. Called from either thread: it must only read
  // shared state.
  using FormatRow = std::function<void(const Row&, fmt::memory_buffer&)>;

  // Creates the file and writes `header`; throws std::runtime_error naming the file when it
  // cannot.
  TableFile(std::filesystem::path path, std::string_view header, FormatRow format)
      : file_(std::move(path)), format_(std::move(format)) {
    file_.write(header);
    filling_.rows.reserve(kBatchRows);
    batch_.rows.reserve(kBatchRows);
    writer_ = std::thread([this] { write_batches(); });
  }
  ~TableFile() { stop(); }
  TableFile(const TableFile&) = delete;
  TableFile& operator=(const TableFile&) = delete;

  void write(const Row& row) {
    filling_.rows.push_back(row);
    if (filling_.rows.size() == kBatchRows) hand_over();
  }
  // Writes every row and closes the file; throws std::runtime_error when a row could not be
  // written: the file's error (naming it) or the row formatting's.
  void close() {
    hand_over();
    stop();
    if (!failure_.empty()) throw std::runtime_error(failure_);
    file_.close();
  }

 private:
  static constexpr std::size_t kBatchRows = 4096;

  struct Batch {
    std::vector<Row> rows;
    fmt::memory_buffer text;  // the rows' lines, once formatted
    bool formatted = false;
  };

  void format(Batch& batch) const {
    batch.text.clear();  // a format that threw half-way leaves no lines behind
    for (const Row& row : batch.rows)
      format_(row, batch.text);
    batch.formatted = true;
  }

  // Gives the writer this batch, once it has taken the last one; formats it meanwhile if the
  // writer is busy.
  void hand_over() {
    std::unique_lock lock(mutex_);
    if (batch_ready_) {
      lock.unlock();
      format(filling_);
      lock.lock();
    }
    changed_.wait(lock, [this] { return !batch_ready_; });
    if (!failure_.empty()) {
      const std::string reason = failure_;
      lock.unlock();
      throw std::runtime_error(reason);
    }
    std::swap(filling_, batch_);
    batch_ready_ = true;
    changed_.notify_all();
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    if (writer_.joinable()) writer_.join();
  }
  // The writer's thread: formats (unless done) and compresses each batch handed over, until
  // stopped.
  void write_batches() {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [this] { return batch_ready_ || stopping_; });
      if (!batch_ready_) return;  // stopping, and every batch is written
      lock.unlock();
      std::string failure;
      try {
        write_batch();
      } catch (const std::exception& error) {
        failure = error.what();
      }
      lock.lock();
      if (!failure.empty() && failure_.empty()) failure_ = failure;
      batch_.rows.clear();
      batch_.text.clear();
      batch_.formatted = false;
      batch_ready_ = false;
      changed_.notify_all();
    }
  }
  void write_batch() {
    if (!failure_.empty()) return;  // the file is broken: only drain the batches
    if (!batch_.formatted) format(batch_);
    file_.write({batch_.text.data(), batch_.text.size()});
  }

  GzipStream file_;
  FormatRow format_;
  Batch filling_;     // the world's thread copies rows into it
  std::mutex mutex_;  // guards what follows
  std::condition_variable changed_;
  Batch batch_;  // the writer's, while batch_ready_
  bool batch_ready_ = false;
  bool stopping_ = false;
  std::string failure_;
  std::thread writer_;  // last: started once everything above exists
};

}  // namespace p2psim
