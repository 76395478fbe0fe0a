#pragma once
// A table of rows written as gzip-compressed CSV on a thread of its own. The world's thread only
// copies each row into a batch; the table's thread formats the batch's rows into CSV lines and
// compresses them (docs/performance.md: formatting and compressing a large export on the world's
// thread more than doubled the run's time). The batches go through in the order written, so the
// file is the same whatever the timing. Memory is bounded: two batches of rows.
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
  // Appends one row's CSV line, newline included.
  using FormatRow = std::function<void(const Row&, fmt::memory_buffer&)>;

  // Creates the file and writes `header`; throws std::runtime_error naming the file when it
  // cannot.
  TableFile(std::filesystem::path path, std::string_view header, FormatRow format)
      : file_(std::move(path)), format_(std::move(format)) {
    file_.write(header);
    filling_.reserve(kBatchRows);
    batch_.reserve(kBatchRows);
    writer_ = std::thread([this] { write_batches(); });
  }
  ~TableFile() { stop(); }
  TableFile(const TableFile&) = delete;
  TableFile& operator=(const TableFile&) = delete;

  void write(const Row& row) {
    filling_.push_back(row);
    if (filling_.size() == kBatchRows) hand_over();
  }
  // Writes every row and closes the file; throws std::runtime_error naming the file when a row
  // could not be written.
  void close() {
    hand_over();
    stop();
    if (!failure_.empty()) throw std::runtime_error(failure_);
    file_.close();
  }

 private:
  static constexpr std::size_t kBatchRows = 4096;

  // Waits for the writer to take the last batch, then gives it this one.
  void hand_over() {
    std::unique_lock lock(mutex_);
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
  // The writer's thread: formats and compresses each batch handed over, until stopped.
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
      batch_.clear();
      batch_ready_ = false;
      changed_.notify_all();
    }
  }
  void write_batch() {
    if (!failure_.empty()) return;  // the file is broken: only drain the batches
    text_.clear();
    for (const Row& row : batch_)
      format_(row, text_);
    file_.write({text_.data(), text_.size()});
  }

  GzipStream file_;
  FormatRow format_;
  fmt::memory_buffer text_;   // the writer's: the batch's lines
  std::vector<Row> filling_;  // the world's thread copies rows into it
  std::mutex mutex_;          // guards what follows
  std::condition_variable changed_;
  std::vector<Row> batch_;  // the writer's, while batch_ready_
  bool batch_ready_ = false;
  bool stopping_ = false;
  std::string failure_;
  std::thread writer_;  // last: started once everything above exists
};

}  // namespace p2psim
