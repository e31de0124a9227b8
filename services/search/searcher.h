// Searcher: the search service's logic, free of gRPC. Validates requests,
// parses the query language (query_parser.h), calls the SearchRepository
// and builds the cables.v1 responses.
//
// Errors: kInvalidArgument carrying a BadRequest field violation ("query"
// with the syntax error's position, "page_size", "page_token", "order_by",
// "prefix", "name", "limit"); kNotFound (SimilarCables of an unknown cable);
// kDeadlineExceeded / kCancelled / kUnavailable from the repository.
//
// Thread-safe. The repository must outlive the Searcher.
#ifndef CABLES_SERVICES_SEARCH_SEARCHER_H_
#define CABLES_SERVICES_SEARCH_SEARCHER_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cables/v1/search_service.pb.h"
#include "storage/search/search_cancellation.h"
#include "storage/search/search_repository.h"

namespace cables::search {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;
inline constexpr int kDefaultLimit = 10;

class Searcher final {
 public:
  explicit Searcher(storage::SearchRepository* repository)
      : repository_(repository) {}

  // `cancellation` may be null.
  absl::StatusOr<cables::v1::SearchCablesResponse> Search(
      const cables::v1::SearchCablesRequest& request, absl::Time deadline,
      storage::SearchCancellation* cancellation) const;
  absl::StatusOr<cables::v1::SuggestCablesResponse> Suggest(
      const cables::v1::SuggestCablesRequest& request, absl::Time deadline,
      storage::SearchCancellation* cancellation) const;
  absl::StatusOr<cables::v1::SimilarCablesResponse> Similar(
      const cables::v1::SimilarCablesRequest& request, absl::Time deadline,
      storage::SearchCancellation* cancellation) const;

 private:
  storage::SearchRepository* const repository_;
};

}  // namespace cables::search

#endif  // CABLES_SERVICES_SEARCH_SEARCHER_H_
