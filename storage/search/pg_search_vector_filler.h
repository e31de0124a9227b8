// PgSearchVectorFiller: SearchVectorFiller on PostgreSQL, through its own
// ConnectionPool (to the primary: it writes).
//
// Fill: rows another transaction holds locked (a concurrent write, or
// another filler -- e.g. a second search replica) are skipped, never waited
// for, so fillers and writers do not block each other; a cable written
// again meanwhile simply gets the vector of its new current version.
// DeferIndex/RestoreIndex use the bulk-load machinery of
// storage/deferred_indexes.h (the deferred_indexes table, the bulk-load
// advisory lock), so a filler stopped mid-way leaves the index for the next
// filler or bulk load to rebuild.
//
// Errors: kUnavailable when the database cannot be reached; a read-only
// database (a standby) gives kFailedPrecondition (SQLSTATE 25006).
//
// This header is free of libpqxx. Thread-safe.
#ifndef CABLES_STORAGE_SEARCH_PG_SEARCH_VECTOR_FILLER_H_
#define CABLES_STORAGE_SEARCH_PG_SEARCH_VECTOR_FILLER_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "storage/connection_pool_options.h"
#include "storage/search/search_vector_filler.h"

namespace cables::storage {

class ConnectionPool;

class PgSearchVectorFiller final : public SearchVectorFiller {
 public:
  // Connects; kUnavailable when the database cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgSearchVectorFiller>> Open(
      const ConnectionPoolOptions& options);
  ~PgSearchVectorFiller() override;

  absl::StatusOr<int> Fill(int limit,
                           SearchCancellation* cancellation) override;
  absl::StatusOr<int64_t> CountPending() override;
  absl::Status DeferIndex() override;
  absl::StatusOr<int> RestoreIndex(SearchCancellation* cancellation) override;

 private:
  explicit PgSearchVectorFiller(std::unique_ptr<ConnectionPool> pool);
  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_SEARCH_PG_SEARCH_VECTOR_FILLER_H_
