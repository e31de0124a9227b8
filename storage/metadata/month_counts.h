// MonthCounts: counts of cables per month of `created` ("2005-04") for a
// CableFilter -- what BrowseCables needs beyond CableRepository's facets.
// PgMonthCounts is the PostgreSQL implementation (pg_month_counts.h).
//
// Implementations are thread-safe.
#ifndef CABLES_STORAGE_METADATA_MONTH_COUNTS_H_
#define CABLES_STORAGE_METADATA_MONTH_COUNTS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "storage/cable_repository.h"

namespace cables::storage {

class MonthCounts {
 public:
  virtual ~MonthCounts() = default;

  // Current versions matching `filter` per "YYYY-MM" of created (UTC),
  // ascending by month; undated cables are not counted. kUnavailable when the
  // database cannot be reached.
  virtual absl::StatusOr<std::vector<FacetValue>> CountByMonth(
      const CableFilter& filter) = 0;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_METADATA_MONTH_COUNTS_H_
