// FixityChecker: the fixity check behind IngestService.VerifyFixity. Reads
// stored versions page by page in (canonical_id, version) order, recomputes
// SHA-256 and SHA-512 of each version's canonical content
// (parser::ContentSerialization of what is stored: id, created, origin,
// classification, header, body) and compares them with the stored
// content_sha256 / content_sha512.
//
// Provenance: one "fixity check" event per version checked (success, or
// failure naming the algorithm and both digests), recorded after the page
// is checked. With repair_missing, a version without a stored SHA-512 whose
// SHA-256 matches gets its SHA-512 filled in together with a "message
// digest calculation" event (CableRepository::RepairContentSha512).
//
// Errors: the repository's (kUnavailable, kInvalidArgument for a bad page
// size). Thread-safe (the repository is); blocking: call from a worker.
#ifndef CABLES_SERVICES_INGEST_FIXITY_CHECKER_H_
#define CABLES_SERVICES_INGEST_FIXITY_CHECKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cables/v1/ingest_service.pb.h"
#include "storage/cable_repository.h"

namespace cables::ingest {

inline constexpr int kDefaultFixityPageSize = 500;
inline constexpr int kMaxFixityPageSize = 5000;

// One checked page.
struct FixityPage {
  int64_t checked = 0;
  int64_t missing_sha512 = 0;  // after repairs
  int64_t repaired = 0;
  std::vector<cables::v1::FixityMismatch> mismatches;
  // The last version checked ("" / 0 when the page was empty).
  std::string last_id;
  int last_version = 0;
  // True when no version follows this page.
  bool done = false;
};

class FixityChecker final {
 public:
  // `repository` must outlive the checker; `agent` names the software in
  // the events ("cables-ingest 0.1.0").
  FixityChecker(storage::CableRepository* repository, std::string agent)
      : repository_(repository), agent_(std::move(agent)) {}

  // Versions stored now (for progress).
  absl::StatusOr<int64_t> CountVersions() const;

  // Checks up to `page_size` (1..kMaxFixityPageSize) versions after
  // (after_id, after_version); ("", 0) starts at the beginning.
  absl::StatusOr<FixityPage> CheckPage(const std::string& after_id,
                                       int after_version, int page_size,
                                       bool repair_missing) const;

 private:
  storage::CableRepository* const repository_;
  const std::string agent_;
};

}  // namespace cables::ingest

#endif  // CABLES_SERVICES_INGEST_FIXITY_CHECKER_H_
