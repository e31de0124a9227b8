// ParseSearchQuery: the search query language (docs/query-language.md) from
// text to an AST (storage/search/search_query.h).
//
//   query     := or_expr
//   or_expr   := and_expr ( "OR" and_expr )*
//   and_expr  := unary ( ["AND"] unary )*          (juxtaposition = AND)
//   unary     := "-" unary | "NOT" unary | primary
//   primary   := "(" or_expr ")" | '"' words '"' | word["*"]
//              | field ":" value | "created" ( ":" range | op date )
//   field     := tag | origin | classification | caveat | signer | subject | id
//   value     := word["*"] | '"' words '"' | "(" or_expr ")"
//   range     := date | date ".." date | date ".." | ".." date
//   op        := ">=" | ">" | "<=" | "<" | "="
//   date      := YYYY | YYYY-MM | YYYY-MM-DD  (UTC; a bound covers its period)
//
// OR, AND and NOT are operators only in upper case. Field names are
// case-insensitive; an unknown "name:" is an ordinary word ("10:30").
// Words without any letter or digit are ignored. A query whose whole text is
// a cable id in any written form ("05 ALMATY 1595", "05ALMATY001595") also
// gets pinned_id, so that cable is returned first.
//
// Errors: InvalidArgumentError whose message starts with
// "syntax error at position N:" (N = 1-based byte column) and says what was
// expected. Queries longer than kMaxQueryBytes or nested deeper than
// kMaxQueryDepth are refused the same way.
//
// Pure; thread-safe.
#ifndef CABLES_SERVICES_SEARCH_QUERY_PARSER_H_
#define CABLES_SERVICES_SEARCH_QUERY_PARSER_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/search/search_query.h"

namespace cables::search {

inline constexpr size_t kMaxQueryBytes = 4096;
inline constexpr int kMaxQueryDepth = 32;
// Atoms (words, phrases, fields) in one query.
inline constexpr int kMaxQueryAtoms = 64;

absl::StatusOr<storage::ParsedQuery> ParseSearchQuery(absl::string_view text);

}  // namespace cables::search

#endif  // CABLES_SERVICES_SEARCH_QUERY_PARSER_H_
