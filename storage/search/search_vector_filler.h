// SearchVectorFiller: fills the full-text vectors (cables.search) that bulk
// imports deferred (migration 0007, WriteProvenance::defer_search_vectors).
// The search service drives it (services/search/search_vector_fill_loop.h);
// PgSearchVectorFiller is the PostgreSQL implementation.
//
// Calls taking a SearchCancellation stop when another thread cancels it
// (kCancelled, or the database's kDeadlineExceeded for a statement it
// interrupted); nothing half-done is kept.
//
// Thread-safe.
#ifndef CABLES_STORAGE_SEARCH_SEARCH_VECTOR_FILLER_H_
#define CABLES_STORAGE_SEARCH_SEARCH_VECTOR_FILLER_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/search/search_cancellation.h"

namespace cables::storage {

class SearchVectorFiller {
 public:
  virtual ~SearchVectorFiller() = default;

  // Fills up to `limit` (1..10000) deferred vectors in id order, in one
  // transaction; returns how many (0: none left, or all locked by others).
  virtual absl::StatusOr<int> Fill(int limit,
                                   SearchCancellation* cancellation) = 0;

  // Cables whose vector is still deferred.
  virtual absl::StatusOr<int64_t> CountPending() = 0;

  // For a large backlog: with the RUM full-text index in place a fill costs
  // ~15 ms a cable (the index upkeep, ten times the vector itself), so the
  // index is dropped first (DeferIndex) and rebuilt in one pass when done
  // (RestoreIndex: how many indexes it rebuilt, 0 when none was deferred).
  // Meanwhile PostgreSQL full-text searches scan instead of using the
  // index: correct, only slower. Both are idempotent and serialize with
  // bulk loads.
  virtual absl::Status DeferIndex() = 0;
  virtual absl::StatusOr<int> RestoreIndex(
      SearchCancellation* cancellation) = 0;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_SEARCH_SEARCH_VECTOR_FILLER_H_
