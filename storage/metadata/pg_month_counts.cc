#include "storage/metadata/pg_month_counts.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "storage/connection_pool.h"
#include "storage/filter_sql.h"

namespace cables::storage {
namespace {

// "<kCountByMonthHead><filter (filter_sql.h), params from $1><Tail>".
constexpr absl::string_view kCountByMonthHead =
    "SELECT to_char(c.created AT TIME ZONE 'UTC', 'YYYY-MM') AS month,"
    " count(*) FROM cables c"
    " WHERE c.created IS NOT NULL AND ";
constexpr absl::string_view kCountByMonthTail = " GROUP BY 1 ORDER BY 1";

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
  CABLES_ASSIGN_OR_RETURN(const SqlFilter compiled,
                          CompileCableFilter(filter, 1));
  const std::string query =
      absl::StrCat(kCountByMonthHead, compiled.where, kCountByMonthTail);
  return pool_->Run(
      "month counts",
      [&](pqxx::connection& conn) -> absl::StatusOr<std::vector<FacetValue>> {
        pqxx::work tx(conn);
        const pqxx::result rows = tx.exec_params(
            query, pqxx::prepare::make_dynamic_params(compiled.params));
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
