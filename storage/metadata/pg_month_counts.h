// PgMonthCounts: MonthCounts over the cables table (storage/migrations/),
// through its own bounded ConnectionPool. Free of libpqxx.
//
// Thread-safe.
#ifndef CABLES_STORAGE_METADATA_PG_MONTH_COUNTS_H_
#define CABLES_STORAGE_METADATA_PG_MONTH_COUNTS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "storage/connection_pool_options.h"
#include "storage/metadata/month_counts.h"

namespace cables::storage {

class ConnectionPool;

class PgMonthCounts final : public MonthCounts {
 public:
  // kUnavailable when the database cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgMonthCounts>> Open(
      const ConnectionPoolOptions& options);

  // Use Open(); public only for std::make_unique.
  struct PrivateTag {
    explicit PrivateTag() = default;
  };
  PgMonthCounts(PrivateTag, std::unique_ptr<ConnectionPool> pool);
  ~PgMonthCounts() override;

  absl::StatusOr<std::vector<FacetValue>> CountByMonth(
      const CableFilter& filter) override;

 private:
  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_METADATA_PG_MONTH_COUNTS_H_
