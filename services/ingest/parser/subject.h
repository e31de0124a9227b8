// The SUBJECT field of a telegram body: "SUBJECT: ...", "SUBJ: ...",
// "Subject: ...", possibly sharing a line with TAGS, possibly wrapped over
// several lines (until a blank line or the next field); page-break and
// classification footer lines inside it are skipped (old cables glue the
// subject's end onto the page-break line: "PAGE 02 HARARE 06677 01 OF 03
// 291400Z OPPOSITION LEADER").
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_SUBJECT_H_
#define CABLES_SERVICES_INGEST_PARSER_SUBJECT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::parser {

// Finds a SUBJECT label in `line` (at its start, or after a TAGS/E.O. field
// on the same line); sets *value_begin past the label's colon.
bool FindSubjectLabel(absl::string_view line, size_t* value_begin);

// The subject found within lines [0, limit): lines joined with single
// spaces, a repeated "SUBJECT:" label and a paragraph marking ("(C)",
// "(SBU)") at the start or end removed. Empty when there is none.
std::string ExtractSubject(const std::vector<absl::string_view>& lines,
                           size_t limit);

// Folds whitespace and strips a repeated label and leading/trailing
// markings from a subject text.
std::string CleanSubject(absl::string_view text);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_SUBJECT_H_
