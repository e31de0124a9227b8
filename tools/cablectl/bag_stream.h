// BagStream: the bytes `cablectl import BAG` sends to ImportBag. A bag
// archive (.zip, .tar, .tar.gz, .tgz) is sent as it is; a bag directory is
// packed on the fly as a POSIX (pax) tar in path order -- regular files and
// directories, symbolic links as link entries (never followed; the service
// refuses them, naming the file) -- reading one file piece at a time, so
// memory stays at about one chunk. The service verifies the bag; nothing
// is checked here beyond finding bagit.txt.
//
// Not thread-safe.
#ifndef CABLES_TOOLS_CABLECTL_BAG_STREAM_H_
#define CABLES_TOOLS_CABLECTL_BAG_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cables::cablectl {

// True when `path` is a bag: a directory holding bagit.txt, or a file named
// *.zip, *.tar, *.tar.gz or *.tgz.
bool IsBagPath(const std::string& path);

class BagStream {
 public:
  // kNotFound when `path` cannot be read; kInvalidArgument for a directory
  // that is not a bag or a file too large for a tar entry.
  static absl::StatusOr<std::unique_ptr<BagStream>> Open(
      const std::string& path, size_t chunk_bytes);

  // The next chunk (at most chunk_bytes), or false at the end.
  absl::StatusOr<bool> Next(std::string* chunk);

  // The directory's or archive's name without extension, e.g. "bag1".
  const std::string& name() const { return name_; }
  // Bytes of the files behind the stream (for progress).
  uint64_t total_bytes() const { return total_bytes_; }

  // Use Open(); public for std::make_unique.
  struct Entry {
    std::string path;  // relative, '/'-separated
    char type = '0';   // '0' file, '5' directory, '2' symbolic link
    uint64_t size = 0;
    std::string link;  // symbolic link target
  };
  BagStream(std::string root, std::string name, std::vector<Entry> entries,
            bool archive, size_t chunk_bytes);

 private:
  // Appends the next entry's headers to pending_ and opens its file.
  absl::Status StartEntry();

  const std::string root_;
  const std::string name_;
  const std::vector<Entry> entries_;
  const bool archive_;  // send the file at root_ as it is
  const size_t chunk_bytes_;
  uint64_t total_bytes_ = 0;
  size_t next_entry_ = 0;
  std::ifstream file_;
  uint64_t file_left_ = 0;
  size_t padding_ = 0;
  bool finished_ = false;
  std::string pending_;
};

}  // namespace cables::cablectl

#endif  // CABLES_TOOLS_CABLECTL_BAG_STREAM_H_
