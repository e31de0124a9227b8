// SearchPlanner: compiles a query AST (search_query.h) into SQL.
//
// The SQL text is assembled ONLY from fixed fragments written in
// search_planner.cc; every value that came from the user (words, phrases,
// tag names, dates, ids) travels as a positional parameter ($1, $2, ...)
// in SqlPlan::params. No user text ever reaches the SQL string.
//
// Full-text atoms become tsquery expressions ('english' configuration, the
// one cables.search was built with): a word -> plainto_tsquery, word* ->
// to_tsquery(prefix:*), a phrase -> phraseto_tsquery. Subtrees made only of
// text atoms fold into ONE tsquery (&&, ||, !!) tested with one
// `c.search @@ q`, so the RUM index answers them; field qualifiers become
// predicates on the cables columns (tags/caveats GIN, dictionaries for
// origin/classification).
//
// Pure; thread-safe.
#ifndef CABLES_STORAGE_SEARCH_SEARCH_PLANNER_H_
#define CABLES_STORAGE_SEARCH_SEARCH_PLANNER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/search/search_query.h"

namespace cables::storage {

struct SqlPlan {
  // A boolean SQL expression over `cables c` ("TRUE" for the empty query).
  std::string where;
  // tsquery expression of the query's positive text (for ranking); empty
  // when the query has no positive text atom.
  std::string rank_tsquery;
  // tsquery expression OR-ing every positive text atom (for highlighting);
  // empty when rank_tsquery is.
  std::string highlight_tsquery;
  // Values of $1..$N, as text.
  std::vector<std::string> params;
  // Stable 64-bit fingerprint of the query (SQL and values).
  uint64_t fingerprint = 0;
};

// Compiles `root`. kInvalidArgument for a malformed tree (e.g. a kSubject
// holding field qualifiers, an empty kAnd, a prefix with no letters).
absl::StatusOr<SqlPlan> PlanQuery(const QueryNode& root);

// FNV-1a 64 (stable across processes and builds).
uint64_t Fingerprint64(const std::string& data, uint64_t seed = 0);

}  // namespace cables::storage

#endif  // CABLES_STORAGE_SEARCH_SEARCH_PLANNER_H_
