// CompileCableFilter: a CableFilter as a SQL boolean expression over the
// `cables c` table, with every value a parameter ($n) — never spliced into
// the SQL text. The SQL is built only from constant fragments of this file.
//
// Pure and thread-safe.
#ifndef CABLES_STORAGE_FILTER_SQL_H_
#define CABLES_STORAGE_FILTER_SQL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/cable_filter.h"

namespace cables::storage {

struct SqlFilter {
  std::string where;                // e.g. "(c.origin = $1 AND ...)"
  std::vector<std::string> params;  // text values of $first.. in order
};

// Placeholders start at $first_param. kInvalidArgument for a condition that
// has no meaning (a time comparison on a text field, a prefix of a date, an
// empty OR). Undated cables never match a date comparison, and NOT of it
// includes them (NOT is the boolean complement).
absl::StatusOr<SqlFilter> CompileCableFilter(const CableFilter& filter,
                                             int first_param);

// True when `filter` selects every cable.
bool IsUnfiltered(const CableFilter& filter);

// A canonical text of the filter (for page-token fingerprints): equal
// filters give equal keys.
std::string CableFilterKey(const CableFilter& filter);

}  // namespace cables::storage

#endif  // CABLES_STORAGE_FILTER_SQL_H_
