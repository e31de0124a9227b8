// TranslateQuery: the query language's AST (storage/search/search_query.h,
// built by services/search/query_parser.h) as a Xapian::Query over the
// index layout of cable_document.h. The same semantics as the PostgreSQL
// planner (search_planner.h):
//
//   word             its lexeme (text_analyzer.h); a word that splits into
//                    several ("al-qaida") is a phrase of them; a stop word
//                    is ignored (an operand of AND/OR/NOT drops out; a
//                    query made only of stop words matches nothing)
//   "a b c"          OP_PHRASE of the lexemes; a stop word inside the
//                    phrase matches any stop word there (the XZ position
//                    terms), as PostgreSQL's "a <2> c" does; three lexemes
//                    shaped like a spaced id or a date ("10 kabul 5") are
//                    their one XN term, which matches the same cables
//   word*            OP_WILDCARD over lexemes starting with the word (and
//                    with its stem, so "happy*" finds "happi"), at most
//                    kMaxWildcardTerms terms (the most frequent)
//   a b / a OR b / -a / NOT a
//                    OP_AND / OP_OR / OP_AND_NOT; field qualifiers and dates
//                    are OP_FILTERs (no weight)
//   subject:(...)    the same over the S-prefixed subject terms
//   tag: caveat: classification:  boolean terms (a prefix: OP_WILDCARD)
//   origin: signer:  their words, in order (unstemmed)
//   id:X             the id term; id:X* the cables of its station (XI
//                    terms) whose id value starts so
//   cites:X          the XR term; cites:X* the XR terms starting so
//   created ...      a range of whole days: the OR of its years', months'
//                    and days' terms (PeriodTerms); an open range, a value
//                    range over the date sort key
//
// `boost` ranks subject matches above body matches: the subject terms of
// the positive words, for OP_AND_MAYBE with the match query.
//
// Errors: kInvalidArgument for a malformed tree (the planner's rules: an
// empty AND/OR, NOT without exactly one operand, subject:(...) holding
// fields, a prefix without letters or digits).
//
// Pure (the analyzer is only a cache); thread-compatible.
#ifndef CABLES_SERVICES_SEARCH_INDEX_QUERY_TRANSLATOR_H_
#define CABLES_SERVICES_SEARCH_INDEX_QUERY_TRANSLATOR_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/search/index/text_analyzer.h"
#include "storage/search/search_query.h"
#include "xapian.h"

namespace cables::search::index {

inline constexpr Xapian::termcount kMaxWildcardTerms = 500;
// Weight factor of subject matches over body matches.
inline constexpr double kSubjectBoost = 2.0;

struct TranslatedQuery {
  // What matches.
  Xapian::Query match;
  // Subject terms of the positive words; empty Query() when none.
  Xapian::Query boost;
  // True when some word or phrase is not negated (relevance applies).
  bool has_positive_text = false;
  // For snippets: lexemes of the positive words, and lexeme prefixes.
  std::vector<std::string> highlight_lexemes;
  std::vector<std::string> highlight_prefixes;
};

absl::StatusOr<TranslatedQuery> TranslateQuery(const storage::QueryNode& root,
                                               TextAnalyzer& analyzer);

// `word*` over the terms of `field_prefix` ("" for text, "S" for the
// subject): the terms starting with the lower-case word, or with its stem
// when the stem is not such a term's start already ("conside*" finds
// "consid", "happy*" finds "happi"); at most kMaxWildcardTerms each.
Xapian::Query StemmedWildcard(absl::string_view field_prefix,
                              const std::string& word, TextAnalyzer& analyzer);

}  // namespace cables::search::index

#endif  // CABLES_SERVICES_SEARCH_INDEX_QUERY_TRANSLATOR_H_
