#include "report/output_directory.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace p2psim {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPartialSuffix = ".partial";

// The reason for the last failed system call. Streams do not report errors themselves, but
// libstdc++ file streams fail through open/write/close, which leave errno set.
std::string last_error_text() {
  return errno != 0 ? std::strerror(errno) : std::string("input/output error");
}

[[noreturn]] void fail(std::string_view what, const fs::path& path, const std::string& reason) {
  throw std::runtime_error(fmt::format("cannot {} '{}': {}", what, path.string(), reason));
}

void check_plain_name(const std::string& name) {
  if (name.empty() || name == "." || name == ".." ||
      name.find_first_of("/\\") != std::string::npos) {
    throw std::invalid_argument(fmt::format("output file name '{}' is not a plain name", name));
  }
}

// Forces a staged file's data to disk before it is renamed, so a crash just after the rename
// cannot leave an empty file where the previous complete one was.
void sync_file(const fs::path& path) {
  int descriptor = ::open(path.c_str(), O_RDONLY);
  if (descriptor < 0) fail("open", path, last_error_text());
  int result = ::fsync(descriptor);
  int saved_errno = errno;
  ::close(descriptor);
  errno = saved_errno;
  if (result != 0) fail("write", path, last_error_text());
}

// Makes the renames themselves durable. Best effort: some file systems cannot sync a directory,
// and by now every file is already in place.
void sync_directory(const fs::path& path) noexcept {
  int descriptor = ::open(path.c_str(), O_RDONLY | O_DIRECTORY);
  if (descriptor < 0) return;
  ::fsync(descriptor);
  ::close(descriptor);
}

// A file staged by any run: <name>.<pid>.partial.
bool is_partial(const fs::path& path) {
  return path.filename().string().ends_with(kPartialSuffix);
}

// Files a killed run staged and never renamed: with the lock held, no live run is writing here.
void remove_stale_partial_files(const fs::path& directory) noexcept {
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory, error)) {
    std::error_code ignored;
    if (entry.is_regular_file(ignored) && is_partial(entry.path()))
      fs::remove(entry.path(), ignored);
  }
}

}  // namespace

OutputDirectory::OutputDirectory(std::filesystem::path directory)
    : directory_(std::move(directory)) {
  std::error_code error;
  created_directory_ = fs::create_directories(directory_, error);
  if (error) fail("create output directory", directory_, error.message());
  lock_descriptor_ = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock_descriptor_ < 0) fail("open output directory", directory_, last_error_text());
  if (::flock(lock_descriptor_, LOCK_EX | LOCK_NB) != 0) {
    const bool held = errno == EWOULDBLOCK;
    const std::string reason = held ? "another p2psim run is writing it; wait for that run to "
                                      "end or choose another --out"
                                    : last_error_text();
    ::close(lock_descriptor_);
    fail("write output directory", directory_, reason);
  }
  if (::access(directory_.c_str(), W_OK) != 0) {
    const std::string reason = last_error_text();
    ::close(lock_descriptor_);
    fail("write output directory", directory_, reason);
  }
  remove_stale_partial_files(directory_);
}

OutputDirectory::~OutputDirectory() {
  if (!committed_) discard_staged_files();
  ::close(lock_descriptor_);  // releases the lock
}

std::ostream& OutputDirectory::open(const std::string& name) {
  check_plain_name(name);
  for (const StagedFile& file : staged_) {
    if (file.name == name) throw std::logic_error(fmt::format("'{}' is staged twice", name));
  }
  fs::path partial =
      directory_ / fmt::format("{}.{}{}", name, static_cast<long>(::getpid()), kPartialSuffix);
  errno = 0;
  auto stream = std::make_unique<std::ofstream>(partial, std::ios::binary | std::ios::trunc);
  if (!stream->is_open()) fail("write", partial, last_error_text());
  staged_.push_back({name, std::move(partial), std::move(stream)});
  return *staged_.back().stream;
}

void OutputDirectory::write(const std::string& name, std::string_view contents) {
  std::ostream& stream = open(name);
  errno = 0;
  stream.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  if (!stream) fail("write", staged_.back().partial, last_error_text());
}

void OutputDirectory::close_and_check(StagedFile& file) {
  errno = 0;
  file.stream->flush();
  if (file.stream->good()) file.stream->close();
  if (file.stream->fail()) fail("write", file.partial, last_error_text());
  sync_file(file.partial);
}

void OutputDirectory::commit() {
  if (committed_) throw std::logic_error("OutputDirectory::commit() called twice");
  // Every file must be complete before any is renamed, so a failure renames nothing.
  for (StagedFile& file : staged_)
    close_and_check(file);
  for (StagedFile& file : staged_) {
    std::error_code error;
    fs::rename(file.partial, directory_ / file.name, error);
    if (error) fail("rename into place", file.partial, error.message());
  }
  committed_ = true;
  staged_.clear();
  sync_directory(directory_);
}

void OutputDirectory::discard_staged_files() noexcept {
  for (StagedFile& file : staged_) {
    file.stream->close();
    std::error_code ignored;
    fs::remove(file.partial, ignored);
  }
  staged_.clear();
  // Remove the directory only if this object created it and nothing else was put in it;
  // fs::remove refuses to remove a non-empty directory.
  if (created_directory_) {
    std::error_code ignored;
    fs::remove(directory_, ignored);
  }
}

void write_file_atomically(const fs::path& path, const std::string& contents) {
  const fs::path directory = path.has_parent_path() ? path.parent_path() : fs::path(".");
  OutputDirectory output(directory);
  output.write(path.filename().string(), contents);
  output.commit();
}

}  // namespace p2psim
