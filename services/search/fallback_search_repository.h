// FallbackSearchRepository: the search service's SearchRepository. Sends
// each call to the local search index (index/index_search_repository.h)
// while the index is ready -- it has caught up with the change log -- and
// to PostgreSQL (PgSearchRepository) otherwise: before the first build
// finishes, without an index, or when the index fails (an index error --
// kInternal, kDataLoss, kUnavailable -- retries the call on PostgreSQL,
// which answers correctly, only slower). SimilarCables of a cable the index
// does not have yet (it trails the database by one poll) also asks
// PostgreSQL.
//
// Page tokens stay with the backend that issued them: a PostgreSQL token
// ("s1") continues on PostgreSQL; an index token ("x1") on the index, and
// is refused (kInvalidArgument, "page_token: ") when the index is not
// usable.
//
// Every answer says which backend gave it (SearchResponse::backend) and is
// counted in cables_search_backend_total{method, backend}.
//
// Ping() is the database's (health follows PostgreSQL, not the index).
//
// Thread-safe. `index` may be null (no index); both repositories must
// outlive this one; `index_ready` must be thread-safe.
#ifndef CABLES_SERVICES_SEARCH_FALLBACK_SEARCH_REPOSITORY_H_
#define CABLES_SERVICES_SEARCH_FALLBACK_SEARCH_REPOSITORY_H_

#include <functional>
#include <vector>

#include "storage/search/search_repository.h"

namespace cables::search {

class FallbackSearchRepository final : public storage::SearchRepository {
 public:
  FallbackSearchRepository(storage::SearchRepository* index,
                           std::function<bool()> index_ready,
                           storage::SearchRepository* database);

  absl::StatusOr<storage::SearchResponse> Search(
      const storage::SearchRequest& request,
      storage::SearchCancellation* cancellation) override;
  absl::StatusOr<std::vector<storage::Suggestion>> Suggest(
      absl::string_view prefix, int limit, absl::Time deadline,
      storage::SearchCancellation* cancellation) override;
  absl::StatusOr<std::vector<storage::SearchHit>> Similar(
      const storage::SimilarRequest& request,
      storage::SearchCancellation* cancellation) override;
  absl::Status Ping() override;

 private:
  bool UseIndex() const;
  // Calls `call(repository)` on the index when usable, else (and after an
  // index failure, or `also_on(status)`) on the database.
  template <typename T, typename Call, typename Also>
  absl::StatusOr<T> Route(const char* method, bool force_database, Call&& call,
                          Also&& also_on);

  storage::SearchRepository* const index_;
  const std::function<bool()> index_ready_;
  storage::SearchRepository* const database_;
};

}  // namespace cables::search

#endif  // CABLES_SERVICES_SEARCH_FALLBACK_SEARCH_REPOSITORY_H_
