#pragma once
// A gzip file written in one stream. Compression is Intel's ISA-L (igzip, level 1): about five
// times zlib's speed on the export's CSV at a slightly better ratio (docs/performance.md), and a
// labelled export compresses about a gigabyte of text per large run. The output is a standard
// gzip file (zlib, Python's gzip and pandas read it): the same bytes for the same input on one
// machine; igzip picks its code by CPU at run time, so another CPU may compress differently, to
// the same text.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

struct isal_zstream;

namespace p2psim {

class GzipStream {
 public:
  // Creates (or truncates) the file; throws std::runtime_error naming it when it cannot.
  explicit GzipStream(std::filesystem::path path);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Compresses `text` onto the file; throws std::runtime_error naming the file when it cannot.
  void write(std::string_view text);
  // Ends the stream and closes the file, with the same errors.
  void close();

 private:
  void deflate_into_file();
  [[noreturn]] void fail(const char* what) const;

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<isal_zstream> stream_;
  std::vector<unsigned char> level_buffer_;  // ISA-L's working memory at level 1
  std::vector<unsigned char> output_;
};

}  // namespace p2psim
