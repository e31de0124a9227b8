// BagBuilder: builds BagIt bags for tests -- valid ones, and tampered or
// malicious variants -- as a list of files, a directory, or a tar, tar.gz
// or zip archive (libarchive, in memory).
//
// A built bag has bagit.txt (1.0, UTF-8), one payload manifest per
// algorithm (default sha512 and sha256), bag-info.txt with Payload-Oxum and
// a tagmanifest-sha256.txt over the tag files. Overrides (SetFile,
// RemoveFile, AddSymlink, AddRawEntry) are applied AFTER the manifests are
// computed, which is how tests tamper with a bag.
//
// Test-only. Not thread-safe.
#ifndef CABLES_SERVICES_INGEST_BAGIT_TESTING_BAG_BUILDER_H_
#define CABLES_SERVICES_INGEST_BAGIT_TESTING_BAG_BUILDER_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "services/ingest/bagit/archive_reader.h"
#include "services/ingest/bagit/tag_files.h"

namespace cables::bagit::testing {

class BagBuilder {
 public:
  // A payload file; `path` is inside data/ ("data/x.html").
  BagBuilder& AddPayload(std::string path, std::string contents);
  // Payload manifest algorithms (default {kSha512, kSha256}).
  BagBuilder& SetAlgorithms(std::vector<Algorithm> algorithms);
  // Replaces the computed Payload-Oxum value.
  BagBuilder& SetPayloadOxum(std::string value);
  // Writes (or replaces) a file after the manifests are computed.
  BagBuilder& SetFile(std::string path, std::string contents);
  BagBuilder& RemoveFile(std::string path);
  // A symbolic link entry.
  BagBuilder& AddSymlink(std::string path, std::string target);
  // An archive entry with a path taken as is (e.g. "../evil"), not placed
  // under the top directory; archives only.
  BagBuilder& AddRawEntry(std::string path, std::string contents);

  // The bag's files (path -> contents), manifests included.
  std::map<std::string, std::string> Files() const;

  // As container entries (what archive_reader returns), under `top` when
  // not empty.
  std::vector<ArchiveEntry> Entries(const std::string& top = "") const;
  // A pax tar (gzip-compressed when `gzip`), under `top` when not empty.
  std::string Tar(const std::string& top = "", bool gzip = false) const;
  std::string Zip(const std::string& top = "") const;
  // Writes the bag into directory `dir` (created).
  absl::Status WriteDirectory(const std::string& dir) const;

 private:
  std::string Archive(const std::string& top, bool zip, bool gzip) const;

  std::vector<std::pair<std::string, std::string>> payload_;
  std::vector<Algorithm> algorithms_ = {Algorithm::kSha512, Algorithm::kSha256};
  std::optional<std::string> payload_oxum_;
  std::map<std::string, std::string> overrides_;
  std::vector<std::string> removed_;
  std::vector<std::pair<std::string, std::string>> symlinks_;
  std::vector<std::pair<std::string, std::string>> raw_entries_;
};

// A ustar header block (512 bytes) for a regular file `name` declaring
// `size` bytes, without the data: for "huge declared size" tests.
std::string TarHeaderOnly(const std::string& name, uint64_t size);

}  // namespace cables::bagit::testing

#endif  // CABLES_SERVICES_INGEST_BAGIT_TESTING_BAG_BUILDER_H_
