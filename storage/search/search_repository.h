// SearchRepository: full-text search, type-ahead and "more like this" over
// the archive. An interface so the service can be tested with fakes; the
// PostgreSQL implementation is PgSearchRepository.
//
// Every call takes a deadline (the database statement_timeout is set from
// the time remaining, so the server gives up too: kDeadlineExceeded) and an
// optional SearchCancellation (nullptr: none) through which another thread
// stops the running statement (kCancelled).
//
// Implementations are thread-safe.
#ifndef CABLES_STORAGE_SEARCH_SEARCH_REPOSITORY_H_
#define CABLES_STORAGE_SEARCH_SEARCH_REPOSITORY_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/search/search_cancellation.h"
#include "storage/search/search_query.h"

namespace cables::storage {

class SearchRepository {
 public:
  virtual ~SearchRepository() = default;

  // One page of cables matching request.query, in request.order, with
  // snippets; the total count (exact up to a bound, else an estimate) and,
  // when asked, facet counts over the whole result set (exact).
  // kInvalidArgument: a malformed query tree, a bad page size, or a page
  // token from another query or order.
  virtual absl::StatusOr<SearchResponse> Search(
      const SearchRequest& request, SearchCancellation* cancellation) = 0;

  // Type-ahead: cables whose id starts with `prefix` (spaces ignored, any
  // case), then cables whose subject has the words of `prefix` (the last one
  // as a prefix), best first. At most `limit` (1..100).
  virtual absl::StatusOr<std::vector<Suggestion>> Suggest(
      absl::string_view prefix, int limit, absl::Time deadline,
      SearchCancellation* cancellation) = 0;

  // Cables most like request.id: its rare terms (subject first), shared tags
  // and the reference graph (cables it cites and cables citing it).
  // kNotFound when the cable is not in the archive.
  virtual absl::StatusOr<std::vector<SearchHit>> Similar(
      const SimilarRequest& request, SearchCancellation* cancellation) = 0;

  // OK when the database answers.
  virtual absl::Status Ping() = 0;
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_SEARCH_SEARCH_REPOSITORY_H_
