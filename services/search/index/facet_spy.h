// FacetSpy: a Xapian::MatchSpy counting the facet values (classification,
// origin, year, tags; the kSlotFacets value of cable_document.h) of every
// document the matcher shows it. Tags are multi-valued, which
// Xapian::ValueCountMatchSpy cannot count.
//
// Thread-compatible; one per get_mset call.
#ifndef CABLES_SERVICES_SEARCH_INDEX_FACET_SPY_H_
#define CABLES_SERVICES_SEARCH_INDEX_FACET_SPY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "storage/search/search_query.h"
#include "xapian.h"

namespace cables::search::index {

class FacetSpy final : public Xapian::MatchSpy {
 public:
  FacetSpy() = default;

  void operator()(const Xapian::Document& doc, double weight) override;

  // Documents seen.
  int64_t seen() const { return seen_; }

  // Fills response->tags/origins/classifications (top `limit` each, by
  // count then value) and years (ascending), each count multiplied by
  // `scale` (rounded; 1 for exact counts).
  void Fill(int limit, double scale, storage::SearchResponse* response) const;

 private:
  int64_t seen_ = 0;
  // classification, origin, year, tag.
  absl::flat_hash_map<std::string, int64_t> counts_[4];
};

}  // namespace cables::search::index

#endif  // CABLES_SERVICES_SEARCH_INDEX_FACET_SPY_H_
