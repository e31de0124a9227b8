#include "services/ingest/fixity_checker.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/status_macros.h"
#include "services/ingest/bagit/bag_verifier.h"
#include "services/ingest/parser/content_hash.h"

namespace cables::ingest {
namespace {

using bagit::Algorithm;

cables::v1::FixityMismatch Mismatch(const storage::StoredVersion& v,
                                    absl::string_view algorithm,
                                    absl::string_view stored,
                                    absl::string_view computed,
                                    absl::string_view detail) {
  cables::v1::FixityMismatch m;
  m.set_canonical_id(v.canonical_id);
  m.set_version(v.version);
  m.set_algorithm(std::string(algorithm));
  m.set_stored_digest(std::string(stored));
  m.set_computed_digest(std::string(computed));
  m.set_detail(std::string(detail));
  return m;
}

}  // namespace

absl::StatusOr<int64_t> FixityChecker::CountVersions() const {
  return repository_->CountVersions();
}

absl::StatusOr<FixityPage> FixityChecker::CheckPage(const std::string& after_id,
                                                    int after_version,
                                                    int page_size,
                                                    bool repair_missing) const {
  CABLES_ASSIGN_OR_RETURN(
      std::vector<storage::StoredVersion> versions,
      repository_->ScanVersions(after_id, after_version, page_size));
  FixityPage page;
  page.done = static_cast<int>(versions.size()) < page_size;
  std::vector<storage::CableEvent> events;
  std::vector<storage::Sha512Repair> repairs;
  events.reserve(versions.size());
  for (const storage::StoredVersion& v : versions) {
    ++page.checked;
    page.last_id = v.canonical_id;
    page.last_version = v.version;
    storage::CableEvent event;
    event.canonical_id = v.canonical_id;
    event.version = v.version;
    event.type = storage::EventType::kFixityCheck;
    event.agent = agent_;
    if (!v.content_status.ok()) {
      page.mismatches.push_back(
          Mismatch(v, "content", "", "", v.content_status.message()));
      event.success = false;
      event.detail = absl::StrCat("stored content unreadable: ",
                                  v.content_status.message());
      events.push_back(std::move(event));
      continue;
    }
    const std::string content = parser::ContentSerialization(v.cable);
    const std::string sha256 = bagit::HexDigest(Algorithm::kSha256, content);
    const std::string sha512 = bagit::HexDigest(Algorithm::kSha512, content);
    std::vector<std::string> failures;
    if (sha256 != v.content_sha256) {
      page.mismatches.push_back(
          Mismatch(v, "sha256", v.content_sha256, sha256,
                   "SHA-256 of the stored content differs"));
      failures.push_back(absl::StrCat("SHA-256 mismatch: stored ",
                                      v.content_sha256, ", computed ", sha256));
    }
    if (!v.content_sha512.empty() && sha512 != v.content_sha512) {
      page.mismatches.push_back(
          Mismatch(v, "sha512", v.content_sha512, sha512,
                   "SHA-512 of the stored content differs"));
      failures.push_back(absl::StrCat("SHA-512 mismatch: stored ",
                                      v.content_sha512, ", computed ", sha512));
    }
    if (!failures.empty()) {
      event.success = false;
      event.detail = absl::StrJoin(failures, "; ");
    } else if (!v.content_sha512.empty()) {
      event.detail = absl::StrCat("SHA-256 ", sha256, " and SHA-512 ", sha512,
                                  " match the stored content");
    } else if (repair_missing) {
      repairs.push_back({v.canonical_id, v.version, v.content_sha256, sha512});
      event.detail = absl::StrCat(
          "SHA-256 ", sha256, " matches; the missing SHA-512 was filled in");
    } else {
      ++page.missing_sha512;
      event.detail =
          absl::StrCat("SHA-256 ", sha256, " matches; no SHA-512 is stored");
    }
    events.push_back(std::move(event));
  }
  if (!repairs.empty()) {
    // Fewer than asked when a concurrent repair filled some in meanwhile.
    CABLES_ASSIGN_OR_RETURN(page.repaired,
                            repository_->RepairContentSha512(repairs, agent_));
  }
  CABLES_RETURN_IF_ERROR(repository_->RecordEvents(events));
  return page;
}

}  // namespace cables::ingest
