#include "report/gzip_stream.hpp"

#include <isa-l/igzip_lib.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace p2psim {

namespace {
constexpr std::size_t kOutputBytes = 1 << 18;
}

GzipStream::GzipStream(std::filesystem::path path)
    : path_(std::move(path)),
      stream_(std::make_unique<isal_zstream>()),
      level_buffer_(ISAL_DEF_LVL1_DEFAULT),
      output_(kOutputBytes) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) fail(std::strerror(errno));
  isal_deflate_init(stream_.get());
  stream_->level = 1;
  stream_->level_buf = level_buffer_.data();
  stream_->level_buf_size = static_cast<std::uint32_t>(level_buffer_.size());
  stream_->gzip_flag = IGZIP_GZIP;  // the default header: no name, no time, so no run differs
  stream_->flush = NO_FLUSH;
}

GzipStream::~GzipStream() {
  if (file_ != nullptr) std::fclose(file_);
}

void GzipStream::write(std::string_view text) {
  // ISA-L reads through a non-const pointer but does not write the input.
  stream_->next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(text.data()));
  stream_->avail_in = static_cast<std::uint32_t>(text.size());
  deflate_into_file();
}

void GzipStream::close() {
  if (file_ == nullptr) return;  // closed already
  stream_->next_in = nullptr;
  stream_->avail_in = 0;
  stream_->end_of_stream = 1;
  // Each call ends when the output buffer has room left; the last blocks and the trailer may take
  // a few more.
  for (int call = 0; stream_->internal_state.state != ZSTATE_END; ++call) {
    if (call == 8) fail("compression did not end");
    deflate_into_file();
  }
  const int status = std::fclose(file_);
  file_ = nullptr;
  if (status != 0) fail(std::strerror(errno));
}

// Runs the compressor until it has taken all the input, writing each full output buffer out.
void GzipStream::deflate_into_file() {
  do {
    stream_->next_out = output_.data();
    stream_->avail_out = static_cast<std::uint32_t>(output_.size());
    if (isal_deflate(stream_.get()) != COMP_OK) fail("compression failed");
    const std::size_t produced = output_.size() - stream_->avail_out;
    if (std::fwrite(output_.data(), 1, produced, file_) != produced) fail(std::strerror(errno));
  } while (stream_->avail_out == 0 || stream_->avail_in != 0);
}

void GzipStream::fail(const char* what) const {
  throw std::runtime_error("cannot write " + path_.string() + ": " + what);
}

}  // namespace p2psim
