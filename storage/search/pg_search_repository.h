// PgSearchRepository: SearchRepository on PostgreSQL (the cables.search
// tsvector and its RUM index, migrations 0001 and 0002_search*), through its
// own bounded ConnectionPool.
//
// Design (evidence in bench/results/): relevance order is RUM's
// `search <=> query` (ts_rank-style with the A weight -- subject -- above B
// -- body), answered from the index as "top k"; date order walks the
// (sort_date, canonical_id) index. Pages are keyset cursors over
// (key, canonical_id), so deep pages never re-rank earlier ones; a page
// token embeds a fingerprint of the query and order. Snippets
// (ts_headline) are computed for the final page only, from the best-matching
// paragraphs of cable_paragraphs. Each statement runs with statement_timeout
// set from the request deadline (SET LOCAL via set_config).
//
// This header is free of libpqxx. Thread-safe.
#ifndef CABLES_STORAGE_SEARCH_PG_SEARCH_REPOSITORY_H_
#define CABLES_STORAGE_SEARCH_PG_SEARCH_REPOSITORY_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/connection_pool_options.h"
#include "storage/search/search_repository.h"

namespace cables::storage {

class ConnectionPool;

// Totals above this are estimated (planner row estimate), not counted.
inline constexpr int64_t kExactCountLimit = 10000;

class PgSearchRepository final : public SearchRepository {
 public:
  // Connects; kUnavailable when the database cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgSearchRepository>> Open(
      const ConnectionPoolOptions& options);
  ~PgSearchRepository() override;

  absl::StatusOr<SearchResponse> Search(
      const SearchRequest& request, SearchCancellation* cancellation) override;
  absl::StatusOr<std::vector<Suggestion>> Suggest(
      absl::string_view prefix, int limit, absl::Time deadline,
      SearchCancellation* cancellation) override;
  absl::StatusOr<std::vector<SearchHit>> Similar(
      const SimilarRequest& request, SearchCancellation* cancellation) override;
  absl::Status Ping() override;

 private:
  explicit PgSearchRepository(std::unique_ptr<ConnectionPool> pool);
  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_SEARCH_PG_SEARCH_REPOSITORY_H_
