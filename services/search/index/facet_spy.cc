#include "services/search/index/facet_spy.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "services/search/index/cable_document.h"

namespace cables::search::index {
namespace {

std::vector<storage::SearchFacetValue> Values(
    const absl::flat_hash_map<std::string, int64_t>& counts, double scale) {
  std::vector<storage::SearchFacetValue> out;
  out.reserve(counts.size());
  for (const auto& [value, count] : counts) {
    out.push_back({value, static_cast<int64_t>(std::llround(count * scale))});
  }
  return out;
}

}  // namespace

void FacetSpy::operator()(const Xapian::Document& doc, double /*weight*/) {
  ++seen_;
  const std::string packed = doc.get_value(kSlotFacets);
  ForEachFacet(packed, [this](int kind, absl::string_view value) {
    auto it = counts_[kind].find(value);
    if (it == counts_[kind].end()) {
      counts_[kind].emplace(std::string(value), 1);
    } else {
      ++it->second;
    }
  });
}

void FacetSpy::Fill(int limit, double scale,
                    storage::SearchResponse* response) const {
  auto top = [&](int kind, std::vector<storage::SearchFacetValue>* out) {
    *out = Values(counts_[kind], scale);
    std::sort(out->begin(), out->end(), [](const auto& a, const auto& b) {
      if (a.count != b.count) return a.count > b.count;
      return a.value < b.value;
    });
    if (static_cast<int>(out->size()) > limit) out->resize(limit);
  };
  top(0, &response->classifications);
  top(1, &response->origins);
  top(3, &response->tags);
  response->years = Values(counts_[2], scale);
  std::sort(response->years.begin(), response->years.end(),
            [](const auto& a, const auto& b) { return a.value < b.value; });
  response->has_facets = true;
}

}  // namespace cables::search::index
