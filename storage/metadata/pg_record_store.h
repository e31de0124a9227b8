// PgRecordStore: RecordStore over migration 0005's cable_records (and the
// cables / cable_versions tables for metadata), through its own bounded
// ConnectionPool. Free of libpqxx.
//
// Thread-safe.
#ifndef CABLES_STORAGE_METADATA_PG_RECORD_STORE_H_
#define CABLES_STORAGE_METADATA_PG_RECORD_STORE_H_

#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/connection_pool_options.h"
#include "storage/metadata/record_store.h"

namespace cables::storage {

class ConnectionPool;

class PgRecordStore final : public RecordStore {
 public:
  // kUnavailable when the database cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgRecordStore>> Open(
      const ConnectionPoolOptions& options);

  // Use Open(); public only for std::make_unique.
  struct PrivateTag {
    explicit PrivateTag() = default;
  };
  PgRecordStore(PrivateTag, std::unique_ptr<ConnectionPool> pool);
  ~PgRecordStore() override;

  absl::StatusOr<std::vector<RecordHeader>> ListRecords(
      const RecordQuery& query) override;
  absl::StatusOr<int64_t> CountRecords(const RecordQuery& query) override;
  absl::StatusOr<std::optional<RecordHeader>> GetRecord(
      absl::string_view canonical_id, bool with_metadata) override;
  absl::StatusOr<std::optional<absl::Time>> EarliestDatestamp() override;
  absl::StatusOr<RecordSetValues> ListSetValues() override;
  absl::StatusOr<absl::Time> CommittedBefore() override;

 private:
  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_METADATA_PG_RECORD_STORE_H_
