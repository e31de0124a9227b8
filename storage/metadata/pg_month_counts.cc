#include "storage/metadata/pg_month_counts.h"

#include <string>
#include <utility>

#include "absl/time/time.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "storage/connection_pool.h"
#include "storage/pg_encoding.h"

namespace cables::storage {
namespace {

// The same filter as the repository's list and facet queries ($1 origin,
// $2 classification, $3 tags, $4 caveats, $5 from, $6 until).
constexpr const char* kCountByMonth =
    "SELECT to_char(c.created AT TIME ZONE 'UTC', 'YYYY-MM') AS month,"
    " count(*) FROM cables c"
    " WHERE c.created IS NOT NULL"
    " AND ($1 = '' OR c.origin = $1)"
    " AND ($2 = '' OR c.classification = $2)"
    " AND (cardinality($3::text[]) = 0 OR c.tags @> $3::text[])"
    " AND (cardinality($4::text[]) = 0 OR c.caveats @> $4::text[])"
    " AND ($5::timestamptz IS NULL OR c.sort_date >= $5::timestamptz)"
    " AND ($6::timestamptz IS NULL OR c.sort_date < $6::timestamptz)"
    " GROUP BY 1 ORDER BY 1";

std::string TimeParam(const std::optional<absl::Time>& t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", *t, absl::UTCTimeZone());
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgMonthCounts>> PgMonthCounts::Open(
    const ConnectionPoolOptions& options) {
  CABLES_ASSIGN_OR_RETURN(auto pool, ConnectionPool::Create(options));
  return std::make_unique<PgMonthCounts>(PrivateTag(), std::move(pool));
}

PgMonthCounts::PgMonthCounts(PrivateTag, std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)) {}

PgMonthCounts::~PgMonthCounts() = default;

absl::StatusOr<std::vector<FacetValue>> PgMonthCounts::CountByMonth(
    const CableFilter& filter) {
  const std::string tags = TextArrayLiteral(filter.tags);
  const std::string caveats = TextArrayLiteral(filter.caveats);
  const std::string from_buf =
      filter.created_from ? TimeParam(filter.created_from) : "";
  const std::string until_buf =
      filter.created_until ? TimeParam(filter.created_until) : "";
  const char* from = filter.created_from ? from_buf.c_str() : nullptr;
  const char* until = filter.created_until ? until_buf.c_str() : nullptr;
  return pool_->Run(
      "month counts",
      [&](pqxx::connection& conn) -> absl::StatusOr<std::vector<FacetValue>> {
        pqxx::work tx(conn);
        const pqxx::result rows =
            tx.exec_params(kCountByMonth, filter.origin, filter.classification,
                           tags, caveats, from, until);
        std::vector<FacetValue> months;
        months.reserve(rows.size());
        for (const auto& row : rows) {
          months.push_back(
              FacetValue{row[0].as<std::string>(), row[1].as<int64_t>()});
        }
        return months;
      });
}

}  // namespace cables::storage
