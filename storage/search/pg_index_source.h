// PgIndexSource: IndexSource on PostgreSQL. Cables are read with three
// set-based statements per batch (the rows of `cables` joined with their
// current cable_versions row, then their current paragraphs and cited ids),
// each in one read-only transaction; the change log through the given
// CableRepository.
//
// Identity() is the database's name and oid.
//
// This header is free of libpqxx. Thread-safe. `changes` must outlive the
// source.
#ifndef CABLES_STORAGE_SEARCH_PG_INDEX_SOURCE_H_
#define CABLES_STORAGE_SEARCH_PG_INDEX_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "storage/cable_repository.h"
#include "storage/connection_pool_options.h"
#include "storage/search/index_source.h"

namespace cables::storage {

class ConnectionPool;

class PgIndexSource final : public IndexSource {
 public:
  // Connects; kUnavailable when the database cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgIndexSource>> Open(
      const ConnectionPoolOptions& options, CableRepository* changes);
  ~PgIndexSource() override;

  absl::StatusOr<std::vector<cables::v1::Cable>> ScanCables(
      absl::string_view after_id, int limit) override;
  absl::StatusOr<std::vector<cables::v1::Cable>> ReadCables(
      absl::Span<const std::string> ids) override;
  absl::StatusOr<std::vector<ChangeRecord>> ListChanges(int64_t after,
                                                        int limit) override;
  absl::StatusOr<int64_t> LastChangePosition() override;
  absl::StatusOr<std::string> Identity() override;

 private:
  PgIndexSource(std::unique_ptr<ConnectionPool> pool, CableRepository* changes);

  std::unique_ptr<ConnectionPool> pool_;
  CableRepository* const changes_;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_SEARCH_PG_INDEX_SOURCE_H_
