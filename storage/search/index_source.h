// IndexSource: what the search index (services/search/index/) reads from
// the source of truth to build itself and to stay current: the current
// version of cables, in bulk or by id, and the change log (migration 0004).
// An interface so the indexer can be tested with fakes; the PostgreSQL
// implementation is PgIndexSource.
//
// The cables returned carry what the index needs and nothing more:
// canonical_id, reference_id, created, origin, classification, caveats,
// tags, subject, signers, references (id only), paragraphs (number, text)
// and body.
//
// Implementations are thread-safe.
#ifndef CABLES_STORAGE_SEARCH_INDEX_SOURCE_H_
#define CABLES_STORAGE_SEARCH_INDEX_SOURCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cables/v1/cable.pb.h"
#include "storage/cable_repository.h"

namespace cables::storage {

class IndexSource {
 public:
  virtual ~IndexSource() = default;

  // Current versions of the cables whose canonical id is > `after_id` ("":
  // from the first), in canonical id order, at most `limit` (1..10000).
  // An empty result means the end.
  virtual absl::StatusOr<std::vector<cables::v1::Cable>> ScanCables(
      absl::string_view after_id, int limit) = 0;

  // Current versions of `ids` (at most 10000) in any order; ids not in the
  // archive (never stored, or deleted) are left out.
  virtual absl::StatusOr<std::vector<cables::v1::Cable>> ReadCables(
      absl::Span<const std::string> ids) = 0;

  // The change log: CableRepository::ListChanges / LastChangePosition.
  virtual absl::StatusOr<std::vector<ChangeRecord>> ListChanges(int64_t after,
                                                                int limit) = 0;
  virtual absl::StatusOr<int64_t> LastChangePosition() = 0;

  // A stable name of the database (cluster and database): an index built
  // from another database must be rebuilt.
  virtual absl::StatusOr<std::string> Identity() = 0;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_SEARCH_INDEX_SOURCE_H_
