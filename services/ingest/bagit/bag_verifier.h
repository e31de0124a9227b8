// VerifyBag: checks that the entries of a container (archive_reader.h) form
// a complete and valid BagIt bag (RFC 8493) and returns its payload.
//
// The bag's top is where bagit.txt is: the container's root, or its single
// top-level directory (whose name becomes the bag's name). Checked, with
// every problem collected rather than stopping at the first:
//   * paths: every entry's path is safe (tag_files.h CheckRelativePath; a
//     leading "./" is allowed), appears once, and lies inside the bag; no
//     symbolic or hard links or special files;
//   * bagit.txt (version 1.0 or 0.97, UTF-8);
//   * payload manifests manifest-<alg>.txt: at least one, at least one of
//     them SHA-256 or SHA-512; unknown algorithms are refused (they cannot
//     be verified); every listed file exists under data/ and every payload
//     file is listed in every payload manifest (completeness);
//   * tag manifests tagmanifest-<alg>.txt: listed tag files exist;
//   * every checksum of every manifest (validity);
//   * bag-info.txt when present, and its Payload-Oxum against the payload;
//   * fetch.txt with entries is refused (every payload file must be there).
// On failure: kInvalidArgument "invalid bag ..." with a BadRequest detail
// holding one field violation per problem (field = the file's path inside
// the bag, e.g. "data/x.html" or "manifest-sha512.txt"), at most
// `max_violations` of them.
//
// Pure; thread-safe.
#ifndef CABLES_SERVICES_INGEST_BAGIT_BAG_VERIFIER_H_
#define CABLES_SERVICES_INGEST_BAGIT_BAG_VERIFIER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/ingest/bagit/archive_reader.h"
#include "services/ingest/bagit/tag_files.h"

namespace cables::bagit {

struct PayloadFile {
  std::string path;  // inside the bag, "data/..."
  std::string data;
};

struct VerifiedBag {
  // The top directory's name, else VerifyOptions.name, else "bag".
  std::string name;
  BagDeclaration declaration;
  // The strongest payload manifest algorithm (sha512 or sha256), and all
  // payload manifests verified.
  Algorithm algorithm = Algorithm::kSha512;
  std::vector<Algorithm> payload_manifests;
  std::vector<Algorithm> tag_manifests;
  BagInfo info;
  uint64_t payload_bytes = 0;
  // Sorted by path.
  std::vector<PayloadFile> payload;
};

struct VerifyOptions {
  std::string name;  // used when the bag is not in a top directory
  size_t max_violations = 100;
};

// Consumes `entries` (payload data is moved into the result).
absl::StatusOr<VerifiedBag> VerifyBag(std::vector<ArchiveEntry> entries,
                                      const VerifyOptions& options);

// Lower-case hex digest of `data`.
std::string HexDigest(Algorithm algorithm, absl::string_view data);

}  // namespace cables::bagit

#endif  // CABLES_SERVICES_INGEST_BAGIT_BAG_VERIFIER_H_
