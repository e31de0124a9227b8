#include "services/search/fallback_search_repository.h"

#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "services/common/metrics.h"
#include "services/common/structured_log.h"

namespace cables::search {
namespace {

enum class TokenKind { kNone, kIndex, kDatabase, kUnknown };

TokenKind KindOf(absl::string_view token) {
  if (token.empty()) return TokenKind::kNone;
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return TokenKind::kUnknown;
  if (absl::StartsWith(raw, "x1|")) return TokenKind::kIndex;
  if (absl::StartsWith(raw, "s1|")) return TokenKind::kDatabase;
  return TokenKind::kUnknown;
}

bool IsIndexFailure(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnavailable:
      return true;
    default:
      return false;
  }
}

void Count(const char* method, const char* backend) {
  static auto& family = MetricsRegistry::Default().AddCounter(
      "cables_search_backend_total",
      "Search calls answered, by method and backend (index or postgres).",
      {"method", "backend"});
  family.Labels({method, backend})->Increment();
}

constexpr auto kNever = [](const absl::Status&) { return false; };

}  // namespace

FallbackSearchRepository::FallbackSearchRepository(
    storage::SearchRepository* index, std::function<bool()> index_ready,
    storage::SearchRepository* database)
    : index_(index),
      index_ready_(std::move(index_ready)),
      database_(database) {}

bool FallbackSearchRepository::UseIndex() const {
  return index_ != nullptr && index_ready_ && index_ready_();
}

template <typename T, typename Call, typename Also>
absl::StatusOr<T> FallbackSearchRepository::Route(const char* method,
                                                  bool force_database,
                                                  Call&& call, Also&& also_on) {
  if (!force_database && UseIndex()) {
    absl::StatusOr<T> result = call(index_);
    if (result.ok() ||
        (!IsIndexFailure(result.status()) && !also_on(result.status()))) {
      Count(method, "index");
      return result;
    }
    if (IsIndexFailure(result.status())) {
      Log(LogLevel::kWarning, "search index failed; asking PostgreSQL",
          {{"method", method}, {"error", result.status().ToString()}});
    }
  }
  Count(method, "postgres");
  return call(database_);
}

absl::StatusOr<storage::SearchResponse> FallbackSearchRepository::Search(
    const storage::SearchRequest& request,
    storage::SearchCancellation* cancellation) {
  const TokenKind token = KindOf(request.page_token);
  if (token == TokenKind::kIndex && !UseIndex()) {
    return absl::InvalidArgumentError(
        "page_token: the search index that issued this page token is not "
        "available; start again from the first page");
  }
  auto result = Route<storage::SearchResponse>(
      "SearchCables", token == TokenKind::kDatabase,
      [&](storage::SearchRepository* r) {
        return r->Search(request, cancellation);
      },
      kNever);
  if (result.ok() && result->backend.empty()) result->backend = "postgres";
  return result;
}

absl::StatusOr<std::vector<storage::Suggestion>>
FallbackSearchRepository::Suggest(absl::string_view prefix, int limit,
                                  absl::Time deadline,
                                  storage::SearchCancellation* cancellation) {
  return Route<std::vector<storage::Suggestion>>(
      "SuggestCables", false,
      [&](storage::SearchRepository* r) {
        return r->Suggest(prefix, limit, deadline, cancellation);
      },
      kNever);
}

absl::StatusOr<std::vector<storage::SearchHit>>
FallbackSearchRepository::Similar(const storage::SimilarRequest& request,
                                  storage::SearchCancellation* cancellation) {
  return Route<std::vector<storage::SearchHit>>(
      "SimilarCables", false,
      [&](storage::SearchRepository* r) {
        return r->Similar(request, cancellation);
      },
      [](const absl::Status& status) {
        return status.code() == absl::StatusCode::kNotFound;
      });
}

absl::Status FallbackSearchRepository::Ping() { return database_->Ping(); }

}  // namespace cables::search
