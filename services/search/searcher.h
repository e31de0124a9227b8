// Searcher: the search service's logic, free of gRPC. Validates requests,
// parses the query language (query_parser.h), calls the SearchRepository
// and builds the cables.v1 responses.
//
// Errors: kInvalidArgument carrying a BadRequest field violation ("query"
// with the syntax error's position, "page_size", "page_token", "order_by",
// "prefix", "name", "limit"); kNotFound (SimilarCables of an unknown cable);
// kDeadlineExceeded / kCancelled / kUnavailable from the repository.
//
// Result cache (optional): responses are kept in an LruCache under the
// request's bytes and the current `version` of the data searched (the
// search index's generation, which every index commit bumps); version 0
// means "do not cache" (e.g. while PostgreSQL answers instead of the
// index). A response computed while the version moved on is not stored, so
// a cached answer is always the one the current data gives.
//
// Thread-safe. The repository and cache must outlive the Searcher.
#ifndef CABLES_SERVICES_SEARCH_SEARCHER_H_
#define CABLES_SERVICES_SEARCH_SEARCHER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cables/v1/search_service.pb.h"
#include "services/common/lru_cache.h"
#include "storage/search/search_cancellation.h"
#include "storage/search/search_repository.h"

namespace cables::search {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;
inline constexpr int kDefaultLimit = 10;

class Searcher final {
 public:
  explicit Searcher(storage::SearchRepository* repository,
                    LruCache* cache = nullptr,
                    std::function<uint64_t()> version = nullptr)
      : repository_(repository), cache_(cache), version_(std::move(version)) {}

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
  // compute() through the cache (see the file comment); `kind` keeps the
  // three methods' keys apart.
  template <typename Response, typename Compute>
  absl::StatusOr<Response> Cached(char kind,
                                  const google::protobuf::Message& request,
                                  Compute compute) const;
  absl::StatusOr<cables::v1::SearchCablesResponse> SearchUncached(
      const cables::v1::SearchCablesRequest& request, absl::Time deadline,
      storage::SearchCancellation* cancellation) const;
  absl::StatusOr<cables::v1::SuggestCablesResponse> SuggestUncached(
      const cables::v1::SuggestCablesRequest& request, absl::Time deadline,
      storage::SearchCancellation* cancellation) const;
  absl::StatusOr<cables::v1::SimilarCablesResponse> SimilarUncached(
      const cables::v1::SimilarCablesRequest& request, absl::Time deadline,
      storage::SearchCancellation* cancellation) const;

  storage::SearchRepository* const repository_;
  LruCache* const cache_;
  const std::function<uint64_t()> version_;
};

}  // namespace cables::search

#endif  // CABLES_SERVICES_SEARCH_SEARCHER_H_
