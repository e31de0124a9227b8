// The TAGS field of a telegram body:
//   "TAGS: PGOV, PREL, KDEM", "TAGS PREL PGOV SP", "TAG: PTER, ...",
//   "TAGE:", "TAS:", "Tags: prel, pgov", continued over following lines,
//   or sharing a line with E.O. and SUBJECT ("E.O. 12958: N/A TAGS: ASEC").
// Person tags "(ROOD, JOHN)", "ROOD, JOHN" and "OVIP STEINBERG JAMES"
// (after OVIP, written without the comma) become one tag "ROOD, JOHN".
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_TAGS_H_
#define CABLES_SERVICES_INGEST_PARSER_TAGS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::parser {

// Splits a TAGS value ("PGOV, PREL, (CLINTON, HILLARY), KDEM") into tags:
// upper case, trailing punctuation stripped, duplicates dropped, in order.
std::vector<std::string> ParseTagsValue(absl::string_view value);

// Finds the TAGS label in `line`: at its start or after an "E.O." field on
// the same line. On success sets *value_begin to the offset after the label
// (and its colon) and returns true.
bool FindTagsLabel(absl::string_view line, size_t* value_begin);

// Finds the first TAGS field within lines [0, limit) of `lines` and returns
// its tags (continuation lines included); empty when there is none.
std::vector<std::string> ExtractTags(
    const std::vector<absl::string_view>& lines, size_t limit);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_TAGS_H_
