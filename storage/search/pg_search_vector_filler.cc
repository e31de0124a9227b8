#include "storage/search/pg_search_vector_filler.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "storage/connection_pool.h"
#include "storage/deferred_indexes.h"
#include "storage/search/run_cancellable.h"

namespace cables::storage {
namespace {

constexpr int kMaxFill = 10000;

// The next $1 deferred cables (the partial index cables_search_pending_idx,
// id order), locked without waiting, get the vector of their current
// version.
constexpr const char* kFill = R"sql(
WITH todo AS (
  SELECT c.canonical_id FROM cables c
  WHERE c.search IS NULL
  ORDER BY c.canonical_id
  LIMIT $1
  FOR UPDATE SKIP LOCKED)
UPDATE cables c
SET search = cables_search_vector(c.subject, v.body)
FROM todo, cable_versions v
WHERE c.canonical_id = todo.canonical_id
  AND v.canonical_id = c.canonical_id AND v.version = c.current_version)sql";

constexpr const char* kCountPending =
    "SELECT count(*) FROM cables WHERE search IS NULL";

}  // namespace

absl::StatusOr<std::unique_ptr<PgSearchVectorFiller>>
PgSearchVectorFiller::Open(const ConnectionPoolOptions& options) {
  CABLES_ASSIGN_OR_RETURN(auto pool, ConnectionPool::Create(options));
  return std::unique_ptr<PgSearchVectorFiller>(
      new PgSearchVectorFiller(std::move(pool)));
}

PgSearchVectorFiller::PgSearchVectorFiller(std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)) {}

PgSearchVectorFiller::~PgSearchVectorFiller() = default;

absl::StatusOr<int> PgSearchVectorFiller::Fill(
    int limit, SearchCancellation* cancellation) {
  if (limit < 1 || limit > kMaxFill) {
    return absl::InvalidArgumentError(
        absl::StrCat("fill limit must be 1..", kMaxFill));
  }
  return RunCancellable<int>(
      *pool_, "fill search vectors", cancellation,
      [&](pqxx::connection& conn) -> absl::StatusOr<int> {
        pqxx::work tx(conn);
        const pqxx::result r = tx.exec_params(kFill, limit);
        tx.commit();
        return static_cast<int>(r.affected_rows());
      });
}

absl::StatusOr<int64_t> PgSearchVectorFiller::CountPending() {
  return pool_->Run("count deferred search vectors",
                    [](pqxx::connection& conn) -> absl::StatusOr<int64_t> {
                      pqxx::nontransaction tx(conn);
                      return tx.exec(kCountPending)[0][0].as<int64_t>();
                    });
}

absl::Status PgSearchVectorFiller::DeferIndex() {
  return pool_->Run("defer the full-text index",
                    [](pqxx::connection& conn) -> absl::Status {
                      DeferIndexes(conn);
                      return absl::OkStatus();
                    });
}

absl::StatusOr<int> PgSearchVectorFiller::RestoreIndex(
    SearchCancellation* cancellation) {
  return RunCancellable<int>(
      *pool_, "rebuild the full-text index", cancellation,
      [](pqxx::connection& conn) -> absl::StatusOr<int> {
        return RestoreDeferredIndexes(conn, /*analyze=*/false);
      });
}

}  // namespace cables::storage
