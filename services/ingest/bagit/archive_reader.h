// Reads the entries of a bag's container -- a tar (plain or gzip/bzip2/xz
// compressed) or zip archive held in memory, or a directory -- into memory,
// without extracting anything to disk and without following links:
// symbolic links, hard links and special files come back as entries of
// their type, never with the target's contents.
//
// Limits bound memory: an entry declaring (or reaching while read) more
// than max_file_bytes, a total over max_total_bytes or more than
// max_entries entries stops reading with kResourceExhausted, whose
// BadRequest detail names the file. A container that is not a readable
// archive is kInvalidArgument. Thread-safe (no shared state).
#ifndef CABLES_SERVICES_INGEST_BAGIT_ARCHIVE_READER_H_
#define CABLES_SERVICES_INGEST_BAGIT_ARCHIVE_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cables::bagit {

enum class EntryType { kFile, kDirectory, kSymlink, kHardlink, kOther };

struct ArchiveEntry {
  // The path as the archive stores it ('/'-separated; a directory's may end
  // in '/'), or relative to the directory read. Not validated here.
  std::string path;
  EntryType type = EntryType::kFile;
  // Regular files only.
  std::string data;
};

struct ReadLimits {
  uint64_t max_file_bytes = uint64_t{64} << 20;
  uint64_t max_total_bytes = uint64_t{1} << 30;
  size_t max_entries = 200000;
};

// Entries of an archive held in `bytes`, in archive order.
absl::StatusOr<std::vector<ArchiveEntry>> ReadArchive(absl::string_view bytes,
                                                      const ReadLimits& limits);

// Entries below directory `root` (paths relative to it), sorted by path.
// kNotFound when `root` is not a directory.
absl::StatusOr<std::vector<ArchiveEntry>> ReadDirectory(
    const std::string& root, const ReadLimits& limits);

}  // namespace cables::bagit

#endif  // CABLES_SERVICES_INGEST_BAGIT_ARCHIVE_READER_H_
