// IndexSearchRepository: storage::SearchRepository answered from the
// CableIndex (Xapian) instead of PostgreSQL -- same requests, same results
// (the query semantics of query_translator.h), a fraction of the latency.
//
// Search: relevance is BM25 over subject and body text plus the subject
// terms' weight (kSubjectBoost), ties by canonical id; date order sorts by
// the sort-key value (date, then id). Page tokens ("x1") carry a
// fingerprint of the query and order: date order is a keyset cursor (a
// value range from the last key); relevance carries the last cable's id and
// rank, and the next page continues right after where that cable ranks now
// (looked up within kRelevanceWindow ranks of where it was), else at its
// old rank -- exact while the index is unchanged, and without repeats or
// gaps when cables arrive or go between pages unless they reorder the
// results around the page boundary (BM25 statistics move with the archive).
// Totals: exact up to exact_count_limit matches (Xapian checks at least
// that many), else Xapian's estimate (total_is_estimate). Facets: exact
// when the result set has at most facet_exact_limit matches; otherwise
// counted over the documents of a uniform hash sample (the XB bucket terms)
// of about facet_sample matches and scaled up (facets_are_estimate, and the
// total becomes the sample's estimate).
// Snippets come from the text stored in the index (snippet_builder.h).
//
// Suggest: ids from the id terms (shortest first), then subjects (BM25 over
// the S terms, the last word a prefix). Similar: Xapian's expand set (ESet)
// of the cable's rare terms plus its subject words, then shared tags and
// the reference graph, scored like the PostgreSQL path (normalised text
// weight + 0.3 per shared tag up to 3 + 1 for a reference link).
//
// Deadlines: every phase checks the deadline and the cancellation; the
// match itself checks them every few hundred documents and stops
// (kDeadlineExceeded / kCancelled).
//
// Errors: kInvalidArgument as the PostgreSQL repository ("page_size: ",
// "page_token: ", "limit: " prefixes); kNotFound for Similar of a cable not
// in the index; index failures as CableIndex maps them.
//
// Thread-safe. The index must outlive the repository.
#ifndef CABLES_SERVICES_SEARCH_INDEX_INDEX_SEARCH_REPOSITORY_H_
#define CABLES_SERVICES_SEARCH_INDEX_INDEX_SEARCH_REPOSITORY_H_

#include <cstdint>
#include <vector>

#include "services/search/index/cable_index.h"
#include "storage/search/search_repository.h"

namespace cables::search::index {

struct IndexSearchOptions {
  // Totals up to this are exact.
  int64_t exact_count_limit = 1000;
  // Facets over at most this many matches are exact...
  int64_t facet_exact_limit = 20000;
  // ... else counted over a sample of about this many.
  int64_t facet_sample = 20000;
  // A first relevance page fetches this many more cables, to order a tie
  // across its end by id without a second match (see Search).
  int tie_window = 100;
};

class IndexSearchRepository final : public storage::SearchRepository {
 public:
  explicit IndexSearchRepository(CableIndex* index,
                                 IndexSearchOptions options = {})
      : index_(index), options_(options) {}

  absl::StatusOr<storage::SearchResponse> Search(
      const storage::SearchRequest& request,
      storage::SearchCancellation* cancellation) override;
  absl::StatusOr<std::vector<storage::Suggestion>> Suggest(
      absl::string_view prefix, int limit, absl::Time deadline,
      storage::SearchCancellation* cancellation) override;
  absl::StatusOr<std::vector<storage::SearchHit>> Similar(
      const storage::SimilarRequest& request,
      storage::SearchCancellation* cancellation) override;
  // OK when a reader of the index can be opened.
  absl::Status Ping() override;

 private:
  CableIndex* const index_;
  const IndexSearchOptions options_;
};

}  // namespace cables::search::index

#endif  // CABLES_SERVICES_SEARCH_INDEX_INDEX_SEARCH_REPOSITORY_H_
