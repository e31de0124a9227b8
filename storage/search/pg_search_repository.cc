#include "storage/search/pg_search_repository.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "services/ingest/parser/cable_id.h"
#include "storage/connection_pool.h"
#include "storage/pg_encoding.h"
#include "storage/pqxx_status.h"
#include "storage/search/run_cancellable.h"
#include "storage/search/search_planner.h"

namespace cables::storage {
namespace {

constexpr int kMaxPageSize = 100;
constexpr int kMaxSnippetsPerHit = 2;

// --- Fixed SQL fragments ----------------------------------------------------
// The WHERE/tsquery parts come from search_planner.cc (fixed fragments with
// $n parameters); everything else is here.

constexpr absl::string_view kHitColumns =
    "c.canonical_id, c.subject, c.origin, c.classification, c.tags::text, "
    "(extract(epoch FROM c.created) * 1000000)::bigint";

// Type-ahead over subjects: $1 the words' tsquery (the last one a prefix
// unless the text ends with a space), $2 the limit.
constexpr char kSuggestSubjects[] =
    "WITH q AS (SELECT to_tsquery('english', $1) AS q) "
    "SELECT c.canonical_id, c.subject FROM cables c, q "
    "WHERE c.search @@ q.q ORDER BY c.search <=> q.q, c.canonical_id "
    "LIMIT $2";
// The same when the last word is a prefix that may run past its word's
// stem ("informatio" of "information", stem "inform"): the candidates,
// from the index, are the cables with the other words ($3, english, may be
// empty) and a lexeme starting with the prefix less five letters ($5,
// 'simple': a prefix is not to be stemmed, "asy" would become "asi"); $4
// matches the prefix at the start of a subject word (a regex over them).
constexpr char kSuggestSubjectsByPrefix[] =
    "WITH q AS (SELECT to_tsquery('english', $1) AS q, "
    "CASE WHEN $3 = '' THEN to_tsquery('simple', $5) "
    "ELSE to_tsquery('english', $3) && to_tsquery('simple', $5) END "
    "AS candidates) "
    "SELECT c.canonical_id, c.subject FROM cables c, q "
    "WHERE c.search @@ q.candidates AND (c.search @@ q.q OR c.subject ~* $4) "
    "ORDER BY c.search <=> q.q, c.canonical_id LIMIT $2";

constexpr absl::string_view kHeadlineOptions =
    "'StartSel=[[, StopSel=]], MaxWords=32, MinWords=12, ShortWord=2, "
    "MaxFragments=1, HighlightAll=false'";

// --- Parameters
// ---------------------------------------------------------------

// The parameter list of one statement: the plan's, then extra ones.
class Params {
 public:
  explicit Params(const std::vector<std::string>& base) : values_(base) {}
  std::string Add(std::string value) {
    values_.push_back(std::move(value));
    return absl::StrCat("$", values_.size());
  }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
};

pqxx::result Exec(pqxx::work& tx, const std::string& sql,
                  const Params& params) {
  return tx.exec_params(sql,
                        pqxx::prepare::make_dynamic_params(params.values()));
}

// For statements that use only some of the plan's parameters (e.g. only the
// positive text atoms): a leading CTE naming every parameter as text, so
// PostgreSQL can type the unused ones. `rest` continues the WITH list.
std::string WithAllParams(const Params& params, absl::string_view rest) {
  std::string sql = "WITH all_params AS (SELECT ";
  for (size_t i = 1; i <= params.values().size(); ++i) {
    absl::StrAppend(&sql, i > 1 ? ", " : "", "$", i, "::text");
  }
  absl::StrAppend(&sql, "), ", rest);
  return sql;
}

// SET LOCAL statement_timeout to what remains of the deadline.
absl::Status ApplyDeadline(pqxx::work& tx, absl::Time deadline) {
  if (deadline == absl::InfiniteFuture()) return absl::OkStatus();
  const absl::Duration left = deadline - absl::Now();
  if (left <= absl::Milliseconds(1)) {
    return absl::DeadlineExceededError("search: deadline reached");
  }
  const int64_t ms = absl::ToInt64Milliseconds(left);
  tx.exec_params("SELECT set_config('statement_timeout', $1, true)",
                 absl::StrCat(std::max<int64_t>(1, ms), "ms"));
  return absl::OkStatus();
}

// Runs fn(tx) in one transaction (UTC) with the cancellation hook installed.
template <typename T, typename Fn>
absl::StatusOr<T> RunSearch(ConnectionPool& pool, absl::string_view what,
                            SearchCancellation* cancellation, Fn&& fn) {
  return RunCancellable<T>(
      pool, what, cancellation,
      [&](pqxx::connection& conn) -> absl::StatusOr<T> {
        pqxx::work tx(conn);
        tx.exec("SELECT set_config('TimeZone', 'UTC', true)");
        absl::StatusOr<T> out = fn(tx);
        if (out.ok()) tx.commit();
        return out;
      });
}

SearchHit HitFromRow(const pqxx::row& row) {
  SearchHit hit;
  hit.canonical_id = row[0].c_str();
  hit.subject = row[1].c_str();
  hit.origin = row[2].c_str();
  hit.classification = row[3].c_str();
  auto tags = ParseTextArray(row[4].c_str());
  if (tags.ok()) hit.tags = *std::move(tags);
  if (!row[5].is_null()) {
    hit.created = absl::FromUnixMicros(row[5].as<int64_t>());
  }
  return hit;
}

// --- Page tokens
// ----------------------------------------------------------------
// "s1|<fingerprint hex>|<key>|<canonical id>", URL-safe base64. The
// fingerprint covers the query and the order: a token reused with another
// query is refused.

struct Cursor {
  uint64_t fingerprint = 0;
  std::string key;
  std::string id;
};

std::string EncodeCursor(const Cursor& c) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("s1|", absl::Hex(c.fingerprint), "|", c.key, "|", c.id));
}

absl::StatusOr<Cursor> DecodeCursor(absl::string_view token,
                                    uint64_t fingerprint) {
  std::string raw;
  const absl::Status invalid = absl::InvalidArgumentError(
      "page_token: invalid page token (it belongs to another query or order, "
      "or was altered)");
  if (!absl::WebSafeBase64Unescape(token, &raw)) return invalid;
  std::vector<std::string> parts = absl::StrSplit(raw, absl::MaxSplits('|', 3));
  if (parts.size() != 4 || parts[0] != "s1") return invalid;
  Cursor c;
  if (!absl::SimpleHexAtoi(parts[1], &c.fingerprint) ||
      c.fingerprint != fingerprint || parts[2].empty() || parts[3].empty()) {
    return invalid;
  }
  c.key = std::move(parts[2]);
  c.id = std::move(parts[3]);
  return c;
}

// --- Search pieces
// ---------------------------------------------------------------

struct PageQuery {
  std::string sql;
  Params params;
};

// The keyset query of one page (page_size + 1 rows, to see whether another
// page follows); column 6 is the sort key as text.
absl::StatusOr<PageQuery> BuildPageQuery(const SqlPlan& plan,
                                         const SearchRequest& request,
                                         SearchOrder order, int limit,
                                         const std::optional<Cursor>& cursor) {
  PageQuery q{std::string(), Params(plan.params)};
  std::string where = absl::StrCat("(", plan.where, ")");
  if (!request.query.pinned_id.empty()) {
    absl::StrAppend(&where, " AND c.canonical_id <> ",
                    q.params.Add(request.query.pinned_id));
  }
  std::string key_expr;
  std::string order_by;
  if (order == SearchOrder::kRelevance) {
    key_expr = absl::StrCat("(c.search <=> ", plan.rank_tsquery, ")");
    order_by = absl::StrCat(key_expr, ", c.canonical_id");
    if (cursor.has_value()) {
      const std::string k = q.params.Add(cursor->key);
      const std::string id = q.params.Add(cursor->id);
      absl::StrAppend(&where, " AND (", key_expr, " > ", k, "::real OR (",
                      key_expr, " = ", k, "::real AND c.canonical_id > ", id,
                      "))");
    }
  } else {
    key_expr = "c.sort_date";
    const bool desc = order == SearchOrder::kNewestFirst;
    order_by = desc ? "c.sort_date DESC, c.canonical_id DESC"
                    : "c.sort_date, c.canonical_id";
    if (cursor.has_value()) {
      const std::string k = q.params.Add(cursor->key);
      const std::string id = q.params.Add(cursor->id);
      absl::StrAppend(&where, " AND (c.sort_date, c.canonical_id) ",
                      desc ? "<" : ">", " (", k, "::timestamptz, ", id, ")");
    }
  }
  q.sql = absl::StrCat("SELECT ", kHitColumns, ", ", key_expr,
                       "::text FROM cables c WHERE ", where, " ORDER BY ",
                       order_by, " LIMIT ", q.params.Add(absl::StrCat(limit)));
  return q;
}

// Snippets of `hits` from their best paragraphs (then the subject, then
// the body) for the highlight tsquery of `plan`.
void AddSnippets(pqxx::work& tx, const SqlPlan& plan,
                 std::vector<SearchHit>& hits) {
  if (hits.empty() || plan.highlight_tsquery.empty()) return;
  const std::string& hq = plan.highlight_tsquery;
  std::vector<std::string> ids;
  for (const SearchHit& hit : hits) ids.push_back(hit.canonical_id);
  std::map<std::string, std::vector<SearchSnippet>> found;
  {
    Params params(plan.params);
    const std::string ids_param = params.Add(TextArrayLiteral(ids));
    const std::string sql = WithAllParams(
        params,
        absl::StrCat(
            "m AS (SELECT p.canonical_id, p.number, p.position, p.text, "
            "row_number() OVER (PARTITION BY p.canonical_id ORDER BY "
            "ts_rank(to_tsvector('english', p.text), ",
            hq,
            ") DESC, p.position) AS rn FROM cables c JOIN cable_paragraphs p "
            "ON "
            "p.canonical_id = c.canonical_id AND p.version = c.current_version "
            "WHERE c.canonical_id = ANY(",
            ids_param, "::text[]) AND to_tsvector('english', p.text) @@ ", hq,
            ") SELECT canonical_id, number, ts_headline('english', text, ", hq,
            ", ", kHeadlineOptions, ") FROM m WHERE rn <= ", kMaxSnippetsPerHit,
            " ORDER BY canonical_id, rn"));
    for (const auto& row : Exec(tx, sql, params)) {
      found[row[0].c_str()].push_back(
          SearchSnippet{row[1].as<int>(), TruncateSnippet(row[2].c_str())});
    }
  }
  std::vector<std::string> missing;
  for (const SearchHit& hit : hits) {
    if (!found.count(hit.canonical_id)) missing.push_back(hit.canonical_id);
  }
  if (!missing.empty()) {
    // Subject, else unnumbered body text: paragraph number 0.
    Params params(plan.params);
    const std::string ids_param = params.Add(TextArrayLiteral(missing));
    const std::string sql = WithAllParams(
        params,
        absl::StrCat(
            "cand AS (SELECT 1) SELECT c.canonical_id, CASE WHEN "
            "to_tsvector('english', c.subject) "
            "@@ ",
            hq, " THEN ts_headline('english', c.subject, ", hq, ", ",
            kHeadlineOptions, ") ELSE ts_headline('english', v.body, ", hq,
            ", ", kHeadlineOptions,
            ") END FROM cables c JOIN cable_versions v ON v.canonical_id = "
            "c.canonical_id AND v.version = c.current_version WHERE "
            "c.canonical_id = ANY(",
            ids_param, "::text[])"));
    for (const auto& row : Exec(tx, sql, params)) {
      std::string text = row[1].c_str();
      if (text.find("[[") == std::string::npos) continue;
      found[row[0].c_str()].push_back(
          SearchSnippet{0, TruncateSnippet(std::move(text))});
    }
  }
  for (SearchHit& hit : hits) {
    auto it = found.find(hit.canonical_id);
    if (it != found.end()) hit.snippets = std::move(it->second);
  }
}

// Exact count up to kExactCountLimit, else the planner's estimate.
void CountMatches(pqxx::work& tx, const std::string& where_all,
                  const Params& params, SearchResponse& response) {
  const pqxx::result r =
      Exec(tx,
           absl::StrCat("SELECT count(*) FROM (SELECT 1 FROM cables c WHERE ",
                        where_all, " LIMIT ", kExactCountLimit + 1, ") s"),
           params);
  const int64_t counted = r[0][0].as<int64_t>();
  if (counted <= kExactCountLimit) {
    response.total = counted;
    response.total_is_estimate = false;
    return;
  }
  const pqxx::result plan =
      Exec(tx,
           absl::StrCat("EXPLAIN (FORMAT JSON) SELECT 1 FROM cables c WHERE ",
                        where_all),
           params);
  const std::string json = plan[0][0].c_str();
  int64_t estimate = counted;
  const size_t at = json.find("\"Plan Rows\":");
  if (at != std::string::npos) {
    size_t i = at + 12;
    while (i < json.size() && json[i] == ' ') ++i;
    size_t j = i;
    while (j < json.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(json[j])))
      ++j;
    int64_t rows = 0;
    if (absl::SimpleAtoi(json.substr(i, j - i), &rows)) {
      estimate = std::max(estimate, rows);
    }
  }
  response.total = estimate;
  response.total_is_estimate = true;
}

void ComputeFacets(pqxx::work& tx, const std::string& where_all,
                   const Params& base, int limit, SearchResponse& response) {
  Params params = base;
  const std::string lim = params.Add(absl::StrCat(limit));
  const std::string sql = absl::StrCat(
      "WITH m AS MATERIALIZED (SELECT c.tags, c.origin, c.classification, "
      "c.created FROM cables c WHERE ",
      where_all,
      ") (SELECT 0 AS k, t AS v, count(*) AS n FROM m, unnest(m.tags) t "
      "GROUP BY t ORDER BY n DESC, v LIMIT ",
      lim,
      ") UNION ALL (SELECT 1, origin, count(*) FROM m WHERE origin <> '' "
      "GROUP BY origin ORDER BY 3 DESC, 2 LIMIT ",
      lim,
      ") UNION ALL (SELECT 2, classification, count(*) FROM m WHERE "
      "classification <> '' GROUP BY classification ORDER BY 3 DESC, 2 LIMIT ",
      lim,
      ") UNION ALL (SELECT 3, to_char(created, 'YYYY'), count(*) FROM m WHERE "
      "created IS NOT NULL GROUP BY 2 ORDER BY 2) UNION ALL "
      "(SELECT 4, '', count(*) FROM m)");
  response.has_facets = true;
  for (const auto& row : Exec(tx, sql, params)) {
    SearchFacetValue value{row[1].c_str(), row[2].as<int64_t>()};
    switch (row[0].as<int>()) {
      case 0:
        response.tags.push_back(std::move(value));
        break;
      case 1:
        response.origins.push_back(std::move(value));
        break;
      case 2:
        response.classifications.push_back(std::move(value));
        break;
      case 3:
        response.years.push_back(std::move(value));
        break;
      default:
        response.total = value.count;
        response.total_is_estimate = false;
        break;
    }
  }
}

}  // namespace

PgSearchRepository::PgSearchRepository(std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)) {}
PgSearchRepository::~PgSearchRepository() = default;

absl::StatusOr<std::unique_ptr<PgSearchRepository>> PgSearchRepository::Open(
    const ConnectionPoolOptions& options) {
  CABLES_ASSIGN_OR_RETURN(auto pool, ConnectionPool::Create(options));
  return std::unique_ptr<PgSearchRepository>(
      new PgSearchRepository(std::move(pool)));
}

absl::Status PgSearchRepository::Ping() {
  return pool_->Run("ping", [](pqxx::connection& conn) -> absl::Status {
    pqxx::nontransaction tx(conn);
    tx.exec("SELECT 1");
    return absl::OkStatus();
  });
}

absl::StatusOr<SearchResponse> PgSearchRepository::Search(
    const SearchRequest& request, SearchCancellation* cancellation) {
  if (request.page_size < 1 || request.page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be 1..", kMaxPageSize));
  }
  CABLES_ASSIGN_OR_RETURN(SqlPlan plan, PlanQuery(request.query.root));
  // Relevance without any positive text: newest first.
  const SearchOrder order =
      request.order == SearchOrder::kRelevance && plan.rank_tsquery.empty()
          ? SearchOrder::kNewestFirst
          : request.order;
  const uint64_t fingerprint = Fingerprint64(
      absl::StrCat(request.query.pinned_id, "|", static_cast<int>(order)),
      plan.fingerprint);
  std::optional<Cursor> cursor;
  if (!request.page_token.empty()) {
    CABLES_ASSIGN_OR_RETURN(cursor,
                            DecodeCursor(request.page_token, fingerprint));
  }
  return RunSearch<SearchResponse>(
      *pool_, "search", cancellation,
      [&](pqxx::work& tx) -> absl::StatusOr<SearchResponse> {
        SearchResponse response;
        int limit = request.page_size;
        // The pinned cable (a query that is a cable id) opens page one.
        if (!request.query.pinned_id.empty() && !cursor.has_value()) {
          CABLES_RETURN_IF_ERROR(ApplyDeadline(tx, request.deadline));
          const pqxx::result r = tx.exec_params(
              absl::StrCat("SELECT ", kHitColumns,
                           " FROM cables c WHERE c.canonical_id = $1"),
              request.query.pinned_id);
          if (!r.empty()) {
            response.hits.push_back(HitFromRow(r[0]));
            response.hits.back().score = 1e9;
            --limit;
          }
        }
        CABLES_ASSIGN_OR_RETURN(
            PageQuery page,
            BuildPageQuery(plan, request, order, limit + 1, cursor));
        CABLES_RETURN_IF_ERROR(ApplyDeadline(tx, request.deadline));
        const pqxx::result rows = Exec(tx, page.sql, page.params);
        const int take = std::min<int>(limit, rows.size());
        for (int i = 0; i < take; ++i) {
          SearchHit hit = HitFromRow(rows[i]);
          if (order == SearchOrder::kRelevance) {
            double distance = 0;
            if (absl::SimpleAtod(rows[i][6].c_str(), &distance) &&
                distance > 0 && distance < 1e30) {
              hit.score = 1.0 / distance;
            }
          }
          response.hits.push_back(std::move(hit));
        }
        if (static_cast<int>(rows.size()) > limit) {
          // A page holding only the pinned cable: the next one starts
          // before the first cable of the order (distances are >= 0; every
          // canonical id is > "0").
          response.next_page_token = EncodeCursor(
              take > 0 ? Cursor{fingerprint, rows[take - 1][6].c_str(),
                                rows[take - 1][0].c_str()}
              : order == SearchOrder::kRelevance
                  ? Cursor{fingerprint, "-1", "0"}
              : order == SearchOrder::kNewestFirst
                  ? Cursor{fingerprint, "infinity", "0"}
                  : Cursor{fingerprint, "-infinity", "0"});
        }
        CABLES_RETURN_IF_ERROR(ApplyDeadline(tx, request.deadline));
        AddSnippets(tx, plan, response.hits);

        // Totals and facets cover the pinned cable too.
        Params params(plan.params);
        std::string where_all = absl::StrCat("(", plan.where, ")");
        if (!request.query.pinned_id.empty()) {
          where_all = absl::StrCat(where_all, " OR c.canonical_id = ",
                                   params.Add(request.query.pinned_id));
        }
        CABLES_RETURN_IF_ERROR(ApplyDeadline(tx, request.deadline));
        if (request.facets) {
          ComputeFacets(tx, where_all, params, request.facet_limit, response);
        } else {
          CountMatches(tx, where_all, params, response);
        }
        return response;
      });
}

absl::StatusOr<std::vector<Suggestion>> PgSearchRepository::Suggest(
    absl::string_view prefix, int limit, absl::Time deadline,
    SearchCancellation* cancellation) {
  if (limit < 1 || limit > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit: must be 1..", kMaxPageSize));
  }
  const absl::string_view text = absl::StripAsciiWhitespace(prefix);
  if (text.empty()) return std::vector<Suggestion>();
  const std::string id_prefix = SuggestIdPrefix(text);
  // Subject words: all but the last whole, the last one as a prefix.
  std::vector<std::string> words;
  for (absl::string_view w : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    std::string clean;
    for (const char c : w) {
      if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
        clean.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
      }
    }
    if (!clean.empty()) words.push_back(std::move(clean));
  }
  const bool ends_with_space =
      absl::ascii_isspace(static_cast<unsigned char>(prefix.back()));
  return RunSearch<std::vector<Suggestion>>(
      *pool_, "suggest", cancellation,
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<Suggestion>> {
        std::vector<Suggestion> out;
        if (id_prefix.size() >= 2) {
          std::string upper = id_prefix;
          upper.back() = static_cast<char>(upper.back() + 1);
          CABLES_RETURN_IF_ERROR(ApplyDeadline(tx, deadline));
          for (const auto& row : tx.exec_params(
                   "SELECT canonical_id, subject FROM cables WHERE "
                   "canonical_id >= $1 AND canonical_id < $2 ORDER BY "
                   "length(canonical_id), canonical_id LIMIT $3",
                   id_prefix, upper, limit)) {
            out.push_back(Suggestion{row[0].c_str(), row[1].c_str(),
                                     Suggestion::Kind::kId});
          }
        }
        const int left = limit - static_cast<int>(out.size());
        if (left > 0 && !words.empty() &&
            absl::ascii_isalpha(static_cast<unsigned char>(words.back()[0]))) {
          // The words in the subject (weight A of cables.search); the last
          // one "last:*A" as a prefix (letters and digits only).
          std::string tsquery;
          for (size_t i = 0; i < words.size(); ++i) {
            const bool last = i + 1 == words.size();
            absl::StrAppend(&tsquery, i > 0 ? " & " : "", words[i],
                            last && !ends_with_space ? ":*A" : ":A");
          }
          CABLES_RETURN_IF_ERROR(ApplyDeadline(tx, deadline));
          pqxx::result rows;
          if (ends_with_space) {
            rows = tx.exec_params(kSuggestSubjects, tsquery, left);
          } else {
            // The words before the prefix, and the prefix less up to five
            // letters (at least three left): Snowball english cuts at most
            // that much more than its last two letters off most words.
            std::string others;
            for (size_t i = 0; i + 1 < words.size(); ++i) {
              absl::StrAppend(&others, i > 0 ? " & " : "", words[i], ":A");
            }
            const std::string& last = words.back();
            const size_t keep =
                std::max<size_t>(std::min<size_t>(3, last.size()),
                                 last.size() > 5 ? last.size() - 5 : 0);
            rows = tx.exec_params(kSuggestSubjectsByPrefix, tsquery, left,
                                  others, absl::StrCat("\\m", last),
                                  absl::StrCat(last.substr(0, keep), ":*A"));
          }
          for (const auto& row : rows) {
            out.push_back(Suggestion{row[0].c_str(), row[1].c_str(),
                                     Suggestion::Kind::kSubject});
          }
        }
        return out;
      });
}

absl::StatusOr<std::vector<SearchHit>> PgSearchRepository::Similar(
    const SimilarRequest& request, SearchCancellation* cancellation) {
  if (request.limit < 1 || request.limit > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit: must be 1..", kMaxPageSize));
  }
  std::string canonical;
  if (auto parsed = parser::CanonicalizeCableId(request.id); parsed.ok()) {
    canonical = *std::move(parsed);
  }
  return RunSearch<std::vector<SearchHit>>(
      *pool_, "similar", cancellation,
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<SearchHit>> {
        CABLES_RETURN_IF_ERROR(ApplyDeadline(tx, request.deadline));
        const pqxx::result id = tx.exec_params(
            "SELECT c.canonical_id FROM cables c WHERE c.canonical_id IN ($1, "
            "$2) UNION ALL SELECT a.canonical_id FROM cable_aliases a WHERE "
            "a.alias = $1 LIMIT 1",
            std::string(request.id), canonical);
        if (id.empty()) {
          return absl::NotFoundError(
              absl::StrCat("cable ", request.id, " is not in the archive"));
        }
        const std::string source = id[0][0].c_str();
        // Rare terms: the cable's lexemes (subject first, then by frequency
        // in the cable) that are not among the column's most common
        // elements; the reference graph; shared tags. Score: normalised text
        // rank + 0.3 per shared tag (at most 3) + 1 for a reference link.
        CABLES_RETURN_IF_ERROR(ApplyDeadline(tx, request.deadline));
        const pqxx::result rows = tx.exec_params(
            std::string(absl::StrCat(
                "WITH src AS (SELECT canonical_id, tags, search FROM cables "
                "WHERE canonical_id = $1), "
                "common AS (SELECT e.elem FROM pg_stats s, unnest("
                "s.most_common_elems::text::text[], s.most_common_elem_freqs) "
                "AS e(elem, freq) WHERE s.tablename = 'cables' AND s.attname = "
                "'search' AND e.elem IS NOT NULL AND e.freq > 0.05), "
                "terms AS (SELECT u.lexeme FROM src, unnest(src.search) u "
                "WHERE length(u.lexeme) > 2 AND u.lexeme ~ '^[a-z]' AND "
                "u.lexeme NOT IN (SELECT elem FROM common) ORDER BY "
                "('A' = ANY(u.weights)) DESC, cardinality(u.positions) DESC, "
                "u.lexeme LIMIT 12), "
                "q AS (SELECT string_agg(quote_literal(lexeme), ' | "
                "')::tsquery "
                "AS q FROM terms), "
                "text_cand AS (SELECT c.canonical_id, c.search <=> q.q AS d "
                "FROM cables c, q WHERE q.q IS NOT NULL AND c.search @@ q.q "
                "AND "
                "c.canonical_id <> $1 ORDER BY c.search <=> q.q LIMIT 100), "
                "refs AS (SELECT cited_id AS id FROM cable_references WHERE "
                "citing_id = $1 AND cited_id <> '' UNION SELECT citing_id FROM "
                "cable_references WHERE cited_id = $1), "
                "cand AS (SELECT canonical_id AS id FROM text_cand UNION "
                "SELECT "
                "id FROM refs WHERE id <> $1), "
                "best AS (SELECT min(d) AS d FROM text_cand) "
                "SELECT ",
                kHitColumns,
                ", (coalesce((SELECT best.d FROM best) / t.d, 0) + 0.3 * "
                "least(3, cardinality(ARRAY(SELECT unnest(c.tags) INTERSECT "
                "SELECT unnest(src.tags)))) + CASE WHEN c.canonical_id IN "
                "(SELECT id FROM refs) THEN 1 ELSE 0 END)::float8 AS score "
                "FROM cand JOIN cables c ON c.canonical_id = cand.id "
                "CROSS JOIN src LEFT JOIN text_cand t ON t.canonical_id = "
                "cand.id ORDER BY score DESC, c.canonical_id LIMIT $2")),
            source, request.limit);
        std::vector<SearchHit> hits;
        for (const auto& row : rows) {
          SearchHit hit = HitFromRow(row);
          hit.score = row[6].as<double>();
          hits.push_back(std::move(hit));
        }
        return hits;
      });
}

}  // namespace cables::storage
