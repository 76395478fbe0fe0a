#pragma once
// A run's output directory, written all or nothing. Each file is staged as <name>.<pid>.partial
// and only renamed into place by commit(), once every file has been written and flushed to disk.
// The directory is locked (flock on the directory itself) from construction to destruction, so
// that two runs writing one folder cannot mix their files: the second is refused at once, before
// it simulates anything. Holding the lock, the object removes any .partial file a killed run left.
// If the object is destroyed before commit() (an exception, an interrupted run), the staged
// files are removed, so a directory never holds a half-written result. Each rename is atomic,
// so a reader sees either the previous file or the complete new one. (Only a failure between two
// renames, which needs the directory to change under us, could leave some files renamed.)
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace p2psim {

class OutputDirectory {
 public:
  // Creates the directory (and its parents) if needed, locks it and checks that it can be
  // written; throws std::runtime_error if it cannot, or if another run holds the lock.
  explicit OutputDirectory(std::filesystem::path directory);
  ~OutputDirectory();
  OutputDirectory(const OutputDirectory&) = delete;
  OutputDirectory& operator=(const OutputDirectory&) = delete;

  const std::filesystem::path& path() const { return directory_; }

  // Stages a file and returns the stream to write it through. name is a plain file name.
  // The stream stays valid until commit() or destruction.
  std::ostream& open(const std::string& name);
  // Stages a file with the given contents.
  void write(const std::string& name, std::string_view contents);

  // Flushes every staged file to disk and renames it into place. Throws std::runtime_error
  // (naming the file and the system's reason) if any file could not be written.
  void commit();

 private:
  struct StagedFile {
    std::string name;
    std::filesystem::path partial;
    std::unique_ptr<std::ofstream> stream;
  };

  void close_and_check(StagedFile& file);
  void discard_staged_files() noexcept;

  std::filesystem::path directory_;
  int lock_descriptor_ = -1;
  bool created_directory_ = false;
  bool committed_ = false;
  std::vector<StagedFile> staged_;
};

// Writes one file atomically: nothing, or the complete file, is ever at `path`.
void write_file_atomically(const std::filesystem::path& path, const std::string& contents);

}  // namespace p2psim
