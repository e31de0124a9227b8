// libFuzzer target for the BagIt tag-file parsers (services/ingest/bagit/
// tag_files.h). The first byte picks the parser: 0 sha256 manifest, 1 sha512
// manifest, 2 bag-info.txt (and Payload-Oxum of each value), 3 bagit.txt and
// the path rules. Invariants checked beyond "no crash": every path a
// manifest yields is a safe relative path, every digest is lower-case hex
// of the algorithm's length. Build and run like parser_fuzz.cc:
//   ninja -C build/fuzz bagit_fuzz
//   build/fuzz/tests/fuzz/bagit_fuzz -max_total_time=60 build/fuzz/bagit_corpus
//   \
//       tests/fuzz/corpus/bagit
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "services/ingest/bagit/tag_files.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    __builtin_trap();
  }
}

void FuzzManifest(absl::string_view text, cables::bagit::Algorithm algorithm) {
  auto entries = cables::bagit::ParseManifest(text, algorithm);
  if (!entries.ok()) return;
  for (const auto& e : *entries) {
    Check(cables::bagit::CheckRelativePath(e.path).ok(),
          "unsafe path accepted");
    Check(static_cast<int>(e.digest.size()) ==
              cables::bagit::DigestHexLength(algorithm),
          "digest length");
    for (const char c : e.digest) {
      Check((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'),
            "digest not lower hex");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  switch (data[0] % 4) {
    case 0:
      FuzzManifest(text, cables::bagit::Algorithm::kSha256);
      break;
    case 1:
      FuzzManifest(text, cables::bagit::Algorithm::kSha512);
      break;
    case 2:
      if (auto info = cables::bagit::ParseBagInfo(text); info.ok()) {
        for (const auto& [label, value] : *info) {
          Check(!label.empty(), "empty label");
          (void)cables::bagit::ParsePayloadOxum(value);
        }
      }
      break;
    default: {
      (void)cables::bagit::ParseBagDeclaration(text);
      const std::string decoded = cables::bagit::DecodeManifestPath(text);
      if (cables::bagit::CheckRelativePath(decoded).ok()) {
        Check(decoded.front() != '/', "absolute path accepted");
        for (const absl::string_view part : absl::StrSplit(decoded, '/')) {
          Check(part != ".." && !part.empty(), "escaping component accepted");
        }
      }
      break;
    }
  }
  return 0;
}
