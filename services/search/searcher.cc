#include "services/search/searcher.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/error_details.h"
#include "services/common/status_macros.h"
#include "services/search/query_parser.h"

namespace cables::search {
namespace {

using storage::SearchHit;

void ToProto(const SearchHit& hit, cables::v1::SearchResult* out) {
  out->set_name(absl::StrCat("cables/", hit.canonical_id));
  out->set_canonical_id(hit.canonical_id);
  out->set_subject(hit.subject);
  out->set_origin(hit.origin);
  if (hit.created.has_value()) {
    const int64_t micros = absl::ToUnixMicros(*hit.created);
    int64_t seconds = micros / 1000000;
    int64_t rem = micros % 1000000;
    if (rem < 0) {
      rem += 1000000;
      --seconds;
    }
    out->mutable_created()->set_seconds(seconds);
    out->mutable_created()->set_nanos(static_cast<int32_t>(rem * 1000));
  }
  out->set_classification(hit.classification);
  for (const std::string& tag : hit.tags) out->add_tags(tag);
  for (const storage::SearchSnippet& s : hit.snippets) {
    auto* snippet = out->add_snippets();
    snippet->set_paragraph_number(s.paragraph_number);
    snippet->set_text(s.text);
  }
  out->set_score(hit.score);
}

template <typename Facets>
void CopyFacets(const std::vector<storage::SearchFacetValue>& in, Facets* out) {
  for (const auto& v : in) {
    auto* f = out->Add();
    f->set_value(v.value);
    f->set_count(v.count);
  }
}

// A repository kInvalidArgument "field: text" becomes a field violation.
absl::Status WithField(absl::Status status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return status;
  const std::string message(status.message());
  for (const char* field : {"page_token", "page_size", "limit"}) {
    const std::string prefix = absl::StrCat(field, ": ");
    if (absl::StartsWith(message, prefix)) {
      return InvalidField(field, absl::StripPrefix(message, prefix));
    }
  }
  return InvalidField("query", message);
}

}  // namespace

template <typename Response, typename Compute>
absl::StatusOr<Response> Searcher::Cached(
    char kind, const google::protobuf::Message& request,
    Compute compute) const {
  const uint64_t version = cache_ != nullptr && version_ ? version_() : 0;
  if (version == 0) return compute();
  std::string key = absl::StrCat(absl::string_view(&kind, 1), version, ":");
  // No map fields in the requests: their encoding is deterministic.
  if (!request.AppendToString(&key)) return compute();
  if (std::optional<std::string> hit = cache_->Get(key); hit.has_value()) {
    Response response;
    if (response.ParseFromString(*hit)) return response;
  }
  absl::StatusOr<Response> computed = compute();
  if (computed.ok() && version_() == version) {
    cache_->Put(std::move(key), computed->SerializeAsString());
  }
  return computed;
}

absl::StatusOr<cables::v1::SearchCablesResponse> Searcher::Search(
    const cables::v1::SearchCablesRequest& request, absl::Time deadline,
    storage::SearchCancellation* cancellation) const {
  return Cached<cables::v1::SearchCablesResponse>('s', request, [&] {
    return SearchUncached(request, deadline, cancellation);
  });
}

absl::StatusOr<cables::v1::SearchCablesResponse> Searcher::SearchUncached(
    const cables::v1::SearchCablesRequest& request, absl::Time deadline,
    storage::SearchCancellation* cancellation) const {
  storage::SearchRequest query;
  if (request.page_size() < 0) {
    return InvalidField("page_size", "must be >= 0");
  }
  query.page_size = request.page_size() == 0
                        ? kDefaultPageSize
                        : std::min(request.page_size(), kMaxPageSize);
  const std::string order =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(request.order_by()));
  if (order.empty() || order == "relevance") {
    query.order = storage::SearchOrder::kRelevance;
  } else if (order == "created desc") {
    query.order = storage::SearchOrder::kNewestFirst;
  } else if (order == "created" || order == "created asc") {
    query.order = storage::SearchOrder::kOldestFirst;
  } else {
    return InvalidField(
        "order_by", "must be \"relevance\", \"created\" or \"created desc\"");
  }
  auto parsed = ParseSearchQuery(request.query());
  if (!parsed.ok()) return InvalidField("query", parsed.status().message());
  query.query = *std::move(parsed);
  query.page_token = request.page_token();
  query.facets = request.facets();
  query.deadline = deadline;
  auto found = repository_->Search(query, cancellation);
  if (!found.ok()) return WithField(found.status());
  cables::v1::SearchCablesResponse response;
  for (const SearchHit& hit : found->hits) ToProto(hit, response.add_results());
  response.set_next_page_token(found->next_page_token);
  response.set_total_size(found->total);
  response.set_total_is_estimate(found->total_is_estimate);
  if (found->has_facets) {
    response.set_facets_are_estimate(found->facets_are_estimate);
    auto* facets = response.mutable_facets();
    CopyFacets(found->tags, facets->mutable_tags());
    CopyFacets(found->origins, facets->mutable_origins());
    CopyFacets(found->classifications, facets->mutable_classifications());
    CopyFacets(found->years, facets->mutable_years());
  }
  return response;
}

absl::StatusOr<cables::v1::SuggestCablesResponse> Searcher::Suggest(
    const cables::v1::SuggestCablesRequest& request, absl::Time deadline,
    storage::SearchCancellation* cancellation) const {
  return Cached<cables::v1::SuggestCablesResponse>('t', request, [&] {
    return SuggestUncached(request, deadline, cancellation);
  });
}

absl::StatusOr<cables::v1::SuggestCablesResponse> Searcher::SuggestUncached(
    const cables::v1::SuggestCablesRequest& request, absl::Time deadline,
    storage::SearchCancellation* cancellation) const {
  if (request.limit() < 0) return InvalidField("limit", "must be >= 0");
  if (request.prefix().size() > 200) {
    return InvalidField("prefix", "longer than 200 bytes");
  }
  const int limit = request.limit() == 0
                        ? kDefaultLimit
                        : std::min(request.limit(), kMaxPageSize);
  auto found =
      repository_->Suggest(request.prefix(), limit, deadline, cancellation);
  if (!found.ok()) return WithField(found.status());
  cables::v1::SuggestCablesResponse response;
  for (const storage::Suggestion& s : *found) {
    auto* out = response.add_suggestions();
    out->set_name(absl::StrCat("cables/", s.canonical_id));
    out->set_canonical_id(s.canonical_id);
    out->set_subject(s.subject);
    out->set_kind(s.kind == storage::Suggestion::Kind::kId ? "id" : "subject");
  }
  return response;
}

absl::StatusOr<cables::v1::SimilarCablesResponse> Searcher::Similar(
    const cables::v1::SimilarCablesRequest& request, absl::Time deadline,
    storage::SearchCancellation* cancellation) const {
  return Cached<cables::v1::SimilarCablesResponse>('m', request, [&] {
    return SimilarUncached(request, deadline, cancellation);
  });
}

absl::StatusOr<cables::v1::SimilarCablesResponse> Searcher::SimilarUncached(
    const cables::v1::SimilarCablesRequest& request, absl::Time deadline,
    storage::SearchCancellation* cancellation) const {
  if (request.limit() < 0) return InvalidField("limit", "must be >= 0");
  absl::string_view name = request.name();
  absl::ConsumePrefix(&name, "cables/");
  if (absl::StripAsciiWhitespace(name).empty()) {
    return InvalidField("name", "must name a cable, e.g. cables/05ALMATY1595");
  }
  storage::SimilarRequest similar;
  similar.id = std::string(absl::StripAsciiWhitespace(name));
  similar.limit = request.limit() == 0
                      ? kDefaultLimit
                      : std::min(request.limit(), kMaxPageSize);
  similar.deadline = deadline;
  auto found = repository_->Similar(similar, cancellation);
  if (!found.ok()) return WithField(found.status());
  cables::v1::SimilarCablesResponse response;
  for (const SearchHit& hit : *found) ToProto(hit, response.add_results());
  return response;
}

}  // namespace cables::search
