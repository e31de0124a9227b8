#include "services/ingest/bagit/bag_verifier.h"

#include <openssl/evp.h>

#include <map>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/error_details.h"

namespace cables::bagit {
namespace {

constexpr absl::string_view kPayloadDir = "data/";

const EVP_MD* Md(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kMd5:
      return EVP_md5();
    case Algorithm::kSha1:
      return EVP_sha1();
    case Algorithm::kSha224:
      return EVP_sha224();
    case Algorithm::kSha256:
      return EVP_sha256();
    case Algorithm::kSha384:
      return EVP_sha384();
    case Algorithm::kSha512:
      return EVP_sha512();
  }
  return nullptr;
}

// The problems found, each naming a file of the bag.
class Problems {
 public:
  explicit Problems(size_t max) : max_(max == 0 ? 1 : max) {}

  void Add(absl::string_view file, absl::string_view description) {
    ++count_;
    if (list_.size() < max_) {
      list_.emplace_back(std::string(file), std::string(description));
    }
  }
  bool empty() const { return count_ == 0; }

  absl::Status ToStatus(absl::string_view bag) const {
    absl::Status status = absl::InvalidArgumentError(
        absl::StrCat("invalid bag \"", bag, "\": ", count_,
                     count_ == 1 ? " problem: " : " problems, the first: ",
                     list_.front().first, ": ", list_.front().second));
    for (const auto& [file, description] : list_) {
      AddFieldViolation(&status, file, description);
    }
    SetErrorReason(&status, "INVALID_BAG");
    return status;
  }

 private:
  const size_t max_;
  size_t count_ = 0;
  std::vector<std::pair<std::string, std::string>> list_;
};

// "./a/./b" style prefixes of tar archives made with `tar -C bag .`.
std::string WithoutDotSlash(absl::string_view path) {
  while (absl::ConsumePrefix(&path, "./")) {
  }
  if (path == ".") return "";
  return std::string(path);
}

struct Manifest {
  std::string file;
  Algorithm algorithm = Algorithm::kSha512;
  bool tag = false;
  std::vector<ManifestEntry> entries;
};

// manifest-<alg>.txt / tagmanifest-<alg>.txt at the bag's top.
bool IsManifestName(absl::string_view name, bool* tag,
                    absl::string_view* algorithm) {
  if (name.find('/') != absl::string_view::npos) return false;
  *tag = absl::ConsumePrefix(&name, "tagmanifest-");
  if (!*tag && !absl::ConsumePrefix(&name, "manifest-")) return false;
  if (!absl::ConsumeSuffix(&name, ".txt")) return false;
  *algorithm = name;
  return true;
}

bool IsBlankText(absl::string_view text) {
  return absl::StripAsciiWhitespace(text).empty();
}

// Checks one manifest's entries against the files; `payload` says whether
// it is a payload manifest.
void CheckManifest(const Manifest& m,
                   const std::map<std::string, std::string*>& files,
                   Problems& problems) {
  const absl::string_view alg = AlgorithmName(m.algorithm);
  for (const ManifestEntry& e : m.entries) {
    const bool in_payload = absl::StartsWith(e.path, kPayloadDir);
    if (m.tag == in_payload) {
      problems.Add(m.file,
                   absl::StrCat("line ", e.line, ": \"", e.path, "\" is ",
                                m.tag ? "a payload file (tag manifests list "
                                        "tag files)"
                                      : "not a payload path (data/...)"));
      continue;
    }
    const auto it = files.find(e.path);
    if (it == files.end()) {
      problems.Add(e.path, absl::StrCat("listed in ", m.file,
                                        " but missing from the bag"));
      continue;
    }
    const std::string actual = HexDigest(m.algorithm, *it->second);
    if (actual != e.digest) {
      problems.Add(e.path,
                   absl::StrCat(alg, " checksum mismatch: ", m.file, " says ",
                                e.digest, ", the file has ", actual));
    }
  }
}

}  // namespace

std::string HexDigest(Algorithm algorithm, absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, Md(algorithm),
                 nullptr) != 1) {
    return "";
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

absl::StatusOr<VerifiedBag> VerifyBag(std::vector<ArchiveEntry> entries,
                                      const VerifyOptions& options) {
  Problems problems(options.max_violations);
  VerifiedBag bag;
  bag.name = options.name.empty() ? "bag" : options.name;

  // 1. Every entry's path and type.
  struct Item {
    std::string path;
    ArchiveEntry* entry;
  };
  std::vector<Item> items;
  absl::flat_hash_set<std::string> seen;
  for (ArchiveEntry& e : entries) {
    std::string path = WithoutDotSlash(e.path);
    if (e.type == EntryType::kDirectory) {
      while (!path.empty() && path.back() == '/') path.pop_back();
      if (path.empty()) continue;  // the container's root
    }
    const std::string shown = e.path.empty() ? "(empty path)" : e.path;
    if (absl::Status s = CheckRelativePath(path); !s.ok()) {
      problems.Add(shown, s.message());
      continue;
    }
    if (!seen.insert(path).second) {
      problems.Add(path, "appears twice in the container");
      continue;
    }
    switch (e.type) {
      case EntryType::kSymlink:
        problems.Add(path, "is a symbolic link (links are not allowed)");
        continue;
      case EntryType::kHardlink:
        problems.Add(path, "is a hard link (links are not allowed)");
        continue;
      case EntryType::kOther:
        problems.Add(path, "is not a regular file or directory");
        continue;
      case EntryType::kFile:
      case EntryType::kDirectory:
        break;
    }
    items.push_back({std::move(path), &e});
  }

  // 2. The bag's top: the root, or the one top-level directory.
  const auto is_file = [&](absl::string_view path) {
    for (const Item& item : items) {
      if (item.path == path) return item.entry->type == EntryType::kFile;
    }
    return false;
  };
  std::string top;
  if (!is_file("bagit.txt")) {
    absl::flat_hash_set<std::string> firsts;
    for (const Item& item : items) {
      firsts.insert(item.path.substr(0, item.path.find('/')));
    }
    if (firsts.size() == 1 &&
        is_file(absl::StrCat(*firsts.begin(), "/bagit.txt"))) {
      top = absl::StrCat(*firsts.begin(), "/");
      bag.name = *firsts.begin();
    } else {
      problems.Add("bagit.txt",
                   "missing: not a BagIt bag (no bagit.txt at its top)");
      return problems.ToStatus(bag.name);
    }
  }

  // 3. Files and directories relative to the top.
  std::map<std::string, std::string*> files;
  absl::flat_hash_set<std::string> dirs;
  for (Item& item : items) {
    if (!top.empty() && item.path + "/" == top) continue;
    if (!absl::StartsWith(item.path, top)) {
      problems.Add(item.path, "lies outside the bag's directory");
      continue;
    }
    std::string rel = item.path.substr(top.size());
    if (item.entry->type == EntryType::kFile) {
      files.emplace(std::move(rel), &item.entry->data);
    } else {
      dirs.insert(std::move(rel));
    }
  }

  // 4. bagit.txt.
  if (auto d = ParseBagDeclaration(*files.at("bagit.txt")); d.ok()) {
    bag.declaration = *std::move(d);
  } else {
    problems.Add("bagit.txt", d.status().message());
  }

  // 5. Manifests.
  std::vector<Manifest> manifests;
  std::optional<Algorithm> strongest;
  for (const auto& [rel, data] : files) {
    bool tag = false;
    absl::string_view name;
    if (!IsManifestName(rel, &tag, &name)) continue;
    const std::optional<Algorithm> alg = AlgorithmFromName(name);
    if (!alg) {
      problems.Add(rel, absl::StrCat("unsupported checksum algorithm \"", name,
                                     "\" (it cannot be verified)"));
      continue;
    }
    auto parsed = ParseManifest(*data, *alg);
    if (!parsed.ok()) {
      problems.Add(rel, parsed.status().message());
      continue;
    }
    manifests.push_back({rel, *alg, tag, *std::move(parsed)});
    if (tag) {
      bag.tag_manifests.push_back(*alg);
      continue;
    }
    bag.payload_manifests.push_back(*alg);
    if (AlgorithmStrength(*alg) >= AlgorithmStrength(Algorithm::kSha256) &&
        (!strongest ||
         AlgorithmStrength(*alg) > AlgorithmStrength(*strongest))) {
      strongest = *alg;
    }
  }
  if (strongest) bag.algorithm = *strongest;
  if (bag.payload_manifests.empty()) {
    problems.Add("manifest-sha512.txt",
                 "missing: the bag has no payload manifest");
  } else if (!strongest) {
    problems.Add("manifest-sha512.txt",
                 "missing: a SHA-256 or SHA-512 payload manifest is required "
                 "(only weaker algorithms are present)");
  }
  if (auto fetch = files.find("fetch.txt");
      fetch != files.end() && !IsBlankText(*fetch->second)) {
    problems.Add("fetch.txt",
                 "lists files to fetch; the bag must hold every payload file");
  }

  // 6. Completeness and validity.
  std::vector<std::string> payload_paths;
  for (const auto& [rel, data] : files) {
    if (absl::StartsWith(rel, kPayloadDir)) {
      payload_paths.push_back(rel);
      bag.payload_bytes += data->size();
    }
  }
  if (payload_paths.empty() && !dirs.contains("data")) {
    problems.Add("data/", "missing: the bag has no payload directory");
  }
  for (const Manifest& m : manifests) {
    CheckManifest(m, files, problems);
    if (m.tag) continue;
    absl::flat_hash_set<absl::string_view> listed;
    for (const ManifestEntry& e : m.entries) listed.insert(e.path);
    for (const std::string& path : payload_paths) {
      if (!listed.contains(path)) {
        problems.Add(path, absl::StrCat("payload file not listed in ", m.file));
      }
    }
  }

  // 7. bag-info.txt and Payload-Oxum.
  if (auto it = files.find("bag-info.txt"); it != files.end()) {
    auto info = ParseBagInfo(*it->second);
    if (!info.ok()) {
      problems.Add("bag-info.txt", info.status().message());
    } else {
      bag.info = *std::move(info);
      const std::vector<std::string> oxum =
          BagInfoValues(bag.info, "Payload-Oxum");
      if (oxum.size() > 1) {
        problems.Add("bag-info.txt", "Payload-Oxum is given more than once");
      } else if (oxum.size() == 1) {
        auto parsed = ParsePayloadOxum(oxum[0]);
        if (!parsed.ok()) {
          problems.Add("bag-info.txt", parsed.status().message());
        } else if (parsed->octets != bag.payload_bytes ||
                   parsed->streams != payload_paths.size()) {
          problems.Add(
              "bag-info.txt",
              absl::StrCat("Payload-Oxum ", oxum[0],
                           " does not match the payload (", bag.payload_bytes,
                           ".", payload_paths.size(), ")"));
        }
      }
    }
  }
  if (!problems.empty()) return problems.ToStatus(bag.name);

  for (const std::string& path : payload_paths) {
    bag.payload.push_back({path, std::move(*files.at(path))});
  }
  return bag;
}

}  // namespace cables::bagit
