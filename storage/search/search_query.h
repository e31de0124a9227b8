// The model of a search: a parsed query (an AST of QueryNode) and the
// request/response structs of SearchRepository. Free of SQL and libpqxx;
// services/search/query_parser.h builds the AST from the user's text, and
// search_planner.h compiles it to SQL.
//
// Plain value types; thread-compatible.
#ifndef CABLES_STORAGE_SEARCH_SEARCH_QUERY_H_
#define CABLES_STORAGE_SEARCH_SEARCH_QUERY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cables::storage {

// What a kField node restricts.
enum class QueryField {
  kTag,             // exact tag (upper case), or a tag prefix
  kOrigin,          // words of the origin ("almaty" ~ "Embassy Almaty")
  kClassification,  // "SECRET" matches SECRET and SECRET//NOFORN
  kCaveat,          // exact caveat (upper case), e.g. NOFORN
  kSigner,          // words of a signer's name
  kId,              // canonical id, or an id prefix
  kCites,           // a cited cable's canonical id, or an id prefix
};

struct QueryNode {
  enum class Kind {
    kAll,      // matches every cable (the empty query)
    kAnd,      // every child matches (>= 1 children)
    kOr,       // some child matches (>= 1 children)
    kNot,      // the one child does not match
    kTerm,     // a word of subject or body (`text`; `prefix` for word*)
    kPhrase,   // the words of `text`, adjacent and in order
    kSubject,  // the one child (terms, phrases, AND/OR/NOT of them) matches
               // the subject alone
    kField,    // `field` matches `text` (`prefix`: starts with it)
    kCreated,  // created in [from, until); either bound may be absent
  };

  Kind kind = Kind::kAll;
  std::vector<QueryNode> children;
  std::string text;
  bool prefix = false;
  QueryField field = QueryField::kTag;
  std::optional<absl::Time> from;
  std::optional<absl::Time> until;
  // 0-based byte offset in the query text (diagnostics only).
  int position = 0;

  // A canonical, unambiguous rendering (tests, fingerprints).
  std::string DebugString() const;
};

// True for a term, a phrase, or AND/OR/NOT made only of them (what
// subject:(...) may hold).
bool IsTextOnly(const QueryNode& node);

// The value of id:/cites: without the separators a written id may hold
// (' ', '-', '/', '_'): "05 ALMATY*" -> "05ALMATY".
std::string CompactId(absl::string_view value);

// A parsed query.
struct ParsedQuery {
  QueryNode root;
  // Canonical id when the whole query is a cable id ("05 ALMATY 1595"):
  // that cable is returned first.
  std::string pinned_id;
};

enum class SearchOrder {
  kRelevance,    // best match first (subject above body), ties by id
  kNewestFirst,  // created descending, ties by id descending
  kOldestFirst,  // created ascending, ties by id ascending
};

struct SearchRequest {
  ParsedQuery query;
  SearchOrder order = SearchOrder::kRelevance;
  // 1..100.
  int page_size = 20;
  std::string page_token;
  bool facets = false;
  // Facet values per facet (years are never truncated).
  int facet_limit = 20;
  // The database gives up (and the call fails with kDeadlineExceeded) at
  // this time. InfiniteFuture: no deadline.
  absl::Time deadline = absl::InfiniteFuture();
};

struct SearchSnippet {
  int paragraph_number = 0;  // 0: subject or unnumbered text
  std::string text;          // matched terms wrapped in [[ ]]
};

// Snippets are cut to about this many bytes.
inline constexpr size_t kMaxSnippetBytes = 400;

// `text` cut to kMaxSnippetBytes (then " ..." appended), never inside a
// UTF-8 sequence or a "[[...]]" mark; unchanged when short enough.
std::string TruncateSnippet(std::string text);

struct SearchHit {
  std::string canonical_id;
  std::string subject;
  std::string origin;
  std::optional<absl::Time> created;
  std::string classification;
  std::vector<std::string> tags;
  std::vector<SearchSnippet> snippets;
  double score = 0;
};

struct SearchFacetValue {
  std::string value;
  int64_t count = 0;
};

struct SearchResponse {
  std::vector<SearchHit> hits;
  std::string next_page_token;  // empty on the last page
  int64_t total = 0;
  bool total_is_estimate = false;
  bool has_facets = false;
  // True when the facet counts were scaled up from a sample.
  bool facets_are_estimate = false;
  // What answered: "index" (the search index) or "postgres".
  std::string backend;
  std::vector<SearchFacetValue> tags;
  std::vector<SearchFacetValue> origins;
  std::vector<SearchFacetValue> classifications;
  std::vector<SearchFacetValue> years;  // ascending by year
};

struct Suggestion {
  std::string canonical_id;
  std::string subject;
  enum class Kind { kId, kSubject } kind = Kind::kId;
};

// The id prefix a type-ahead text stands for: its letters and digits, upper
// case, when it starts with a digit and holds nothing but letters, digits,
// spaces, '-' and '/' ("05 alm" -> "05ALM"); "" otherwise.
std::string SuggestIdPrefix(absl::string_view text);

struct SimilarRequest {
  std::string id;  // any form ResolveId understands
  int limit = 10;  // 1..100
  absl::Time deadline = absl::InfiniteFuture();
};

}  // namespace cables::storage

#endif  // CABLES_STORAGE_SEARCH_SEARCH_QUERY_H_
