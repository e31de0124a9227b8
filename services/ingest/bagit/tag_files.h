// Parsers of the BagIt (RFC 8493) tag files: bagit.txt, payload and tag
// manifests (manifest-<alg>.txt, tagmanifest-<alg>.txt) and bag-info.txt,
// plus the file-path rules of the manifests (RFC 8493 §2.1.3, §7.2).
//
// Input is the file's bytes; lines may end in LF, CRLF or CR. Errors are
// kInvalidArgument naming the line ("line 3: ..."); nothing is read from
// disk. Pure functions; thread-safe.
#ifndef CABLES_SERVICES_INGEST_BAGIT_TAG_FILES_H_
#define CABLES_SERVICES_INGEST_BAGIT_TAG_FILES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cables::bagit {

// bagit.txt: "BagIt-Version: M.N" then "Tag-File-Character-Encoding: ENC",
// exactly these two lines in this order. A byte-order mark is refused
// (RFC 8493 §2.1.1), as are versions other than 0.97 and 1.0 and encodings
// other than UTF-8 (the only one this implementation reads).
struct BagDeclaration {
  std::string version;   // "1.0"
  std::string encoding;  // "UTF-8"
};
absl::StatusOr<BagDeclaration> ParseBagDeclaration(absl::string_view text);

// Checksum algorithms of manifests, named as in the file names
// (manifest-sha512.txt). The RFC requires sha256 and sha512 support; md5,
// sha1, sha224 and sha384 manifests are verified too when present.
enum class Algorithm { kMd5, kSha1, kSha224, kSha256, kSha384, kSha512 };

// "sha512" -> kSha512; nullopt for a name this implementation cannot verify.
std::optional<Algorithm> AlgorithmFromName(absl::string_view name);
absl::string_view AlgorithmName(Algorithm algorithm);
// Hex digits of a digest (32 for md5 ... 128 for sha512).
int DigestHexLength(Algorithm algorithm);
// Ordering by strength (md5 weakest, sha512 strongest).
int AlgorithmStrength(Algorithm algorithm);

// One manifest line: the digest (lower-cased hex) and the decoded path.
struct ManifestEntry {
  std::string digest;
  std::string path;
  int line = 0;
};

// A manifest: lines "DIGEST<whitespace>PATH". Digests must be hex of the
// algorithm's length (either case); paths are decoded (DecodeManifestPath)
// and must pass CheckRelativePath; a path listed twice is an error; blank
// lines are ignored.
absl::StatusOr<std::vector<ManifestEntry>> ParseManifest(absl::string_view text,
                                                         Algorithm algorithm);

// Decodes a manifest path: %0A, %0D and %25 (either case) become LF, CR and
// '%' (RFC 8493 §2.1.3); any other '%' sequence is kept as written.
std::string DecodeManifestPath(absl::string_view encoded);

// OK when `path` is a safe path inside the bag: relative, non-empty, '/'
// separated, without "." or ".." components, empty components, backslashes,
// NUL bytes, a leading '~' (home directory) or a drive letter ("C:").
// kInvalidArgument says which rule it breaks.
absl::Status CheckRelativePath(absl::string_view path);

// bag-info.txt: "Label: value" lines; a line starting with a space or tab
// continues the previous value (joined with one space). Labels may repeat;
// order is kept. A colon-less line or a continuation without a label before
// it is an error.
using BagInfo = std::vector<std::pair<std::string, std::string>>;
absl::StatusOr<BagInfo> ParseBagInfo(absl::string_view text);

// The values of `label` in `info` (labels compare case-insensitively).
std::vector<std::string> BagInfoValues(const BagInfo& info,
                                       absl::string_view label);

// Payload-Oxum "OCTETS.STREAMS" (decimal, each at most 18 digits).
struct PayloadOxum {
  uint64_t octets = 0;
  uint64_t streams = 0;
};
absl::StatusOr<PayloadOxum> ParsePayloadOxum(absl::string_view value);

}  // namespace cables::bagit

#endif  // CABLES_SERVICES_INGEST_BAGIT_TAG_FILES_H_
