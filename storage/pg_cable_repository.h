// PgCableRepository: CableRepository on PostgreSQL (schema in
// storage/migrations/), through a bounded ConnectionPool.
//
// Writes stage the cables with COPY into per-session temporary tables and
// merge them with a handful of set-based statements, in one transaction per
// call (UpsertCable is a batch of one). A failed call leaves nothing behind;
// serialization failures, deadlocks and broken connections are retried by
// the pool with the whole transaction.
//
// This header is free of libpqxx: services create the repository with Open()
// and use it through CableRepository. Thread-safe; each call uses one pooled
// connection at a time.
#ifndef CABLES_STORAGE_PG_CABLE_REPOSITORY_H_
#define CABLES_STORAGE_PG_CABLE_REPOSITORY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/cable_repository.h"
#include "storage/connection_pool_options.h"

namespace cables::storage {

class ConnectionPool;

class PgCableRepository final : public CableRepository {
 public:
  // Connects (kUnavailable when the database cannot be reached) and checks
  // that the database schema is exactly this build's (kFailedPrecondition:
  // run cables-migrate).
  static absl::StatusOr<std::unique_ptr<PgCableRepository>> Open(
      const ConnectionPoolOptions& options);

  // Use Open(); public only for std::make_unique.
  struct PrivateTag {
    explicit PrivateTag() = default;
  };
  PgCableRepository(PrivateTag, std::unique_ptr<ConnectionPool> pool);

  ~PgCableRepository() override;

  absl::StatusOr<UpsertResult> UpsertCable(const cables::v1::Cable& cable,
                                           absl::string_view source) override;
  absl::StatusOr<std::vector<UpsertResult>> BulkUpsert(
      absl::Span<const cables::v1::Cable> cables,
      absl::string_view source) override;

  absl::StatusOr<std::string> ResolveId(absl::string_view id) override;
  absl::StatusOr<cables::v1::Cable> GetCable(absl::string_view id) override;
  absl::StatusOr<std::vector<std::optional<cables::v1::Cable>>> BatchGetCables(
      absl::Span<const std::string> ids) override;
  absl::StatusOr<ListCablesResponse> ListCables(
      const ListCablesRequest& request) override;
  absl::StatusOr<FacetCounts> GetFacetCounts(const CableFilter& filter,
                                             int limit) override;
  absl::StatusOr<std::vector<ReferenceInfo>> GetReferences(
      absl::string_view id) override;
  absl::StatusOr<CitedByPage> GetCitedBy(absl::string_view id, int limit,
                                         absl::string_view page_token) override;
  absl::StatusOr<std::vector<VersionInfo>> ListVersions(
      absl::string_view id) override;
  absl::StatusOr<cables::v1::Cable> GetVersion(absl::string_view id,
                                               int version) override;
  absl::StatusOr<std::vector<ChangeRecord>> ListChanges(int64_t after,
                                                        int limit) override;
  absl::StatusOr<int64_t> LastChangePosition() override;
  absl::StatusOr<Tombstone> DeleteCable(absl::string_view id,
                                        absl::string_view reason) override;
  absl::StatusOr<std::optional<Tombstone>> GetTombstone(
      absl::string_view id) override;
  absl::Status BeginBulkLoad() override;
  absl::Status EndBulkLoad() override;
  absl::Status Ping() override;
  absl::StatusOr<std::optional<std::string>> LookupIngestRequest(
      absl::string_view request_id) override;
  absl::Status RecordIngestRequest(absl::string_view request_id,
                                   absl::string_view response) override;

  // Fixity and provenance. Writes fill cable_versions.content_sha512 (SHA-512
  // of parser::ContentSerialization) and record their events in the merge
  // transaction; the default agent is options.application_name.
  absl::StatusOr<std::vector<UpsertResult>> BulkUpsertWithProvenance(
      absl::Span<const cables::v1::Cable> cables, absl::string_view source,
      const WriteProvenance& provenance) override;
  absl::StatusOr<std::vector<CableEvent>> ListEvents(
      const ListEventsRequest& request) override;
  absl::Status RecordEvents(absl::Span<const CableEvent> events) override;
  absl::StatusOr<std::vector<StoredVersion>> ScanVersions(
      absl::string_view after_id, int after_version, int limit) override;
  absl::StatusOr<int64_t> CountVersions() override;
  absl::StatusOr<int64_t> RepairContentSha512(
      absl::Span<const Sha512Repair> repairs, absl::string_view agent) override;

 private:
  std::unique_ptr<ConnectionPool> pool_;
  std::string default_agent_;  // set by Open()
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_PG_CABLE_REPOSITORY_H_
