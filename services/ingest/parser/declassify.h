// The declassification date of a telegram:
//   "E.O. 12958: DECL: 12/04/2012"   -> "2012-12-04"
//   "EO 12958 DECL: 2020/02/23"      -> "2020-02-23"
//   "E.O. 12958: DECL: 6/3/08"       -> "2008-06-03"
//   "E.O. 13526: DECLASSIFY ON: ..."  "Declassify on 8/31/2034"
//   "E.O. 12065: GDS 8/12/85 (...)"  -> "1985-08-12"
//   "E.O. 12958: N/A", "DECL: OADR", "DECL: 1.6X6", "25X1-human",
//   "TEN YEARS AFTER KOREAN UNIFICATION" -> "" (no calendar date)
//   "E.O. 12958: DNG: CO 01/26/2021"  -> "" (a downgrade, not a
//                                         declassification date)
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_DECLASSIFY_H_
#define CABLES_SERVICES_INGEST_PARSER_DECLASSIFY_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::parser {

// Parses a numeric date token: M/D/YY, MM/DD/YYYY, YYYY/MM/DD, YYYY-MM-DD,
// MM-DD-YYYY (a 3-digit "011" month is read as 11). Returns "YYYY-MM-DD" or
// "" when `token` is no valid date. Two-digit years are 1950-2049.
std::string ParseNumericDate(absl::string_view token);

// The first numeric date among the words of `text` before a TAGS/SUBJECT
// label; "" when the text starts with N/A or DNG or holds no date.
std::string DeclassifyDateIn(absl::string_view text);

// Finds the E.O. / DECL / "Declassify on" field within lines [0, limit)
// and returns its date as "YYYY-MM-DD", or "".
std::string ExtractDeclassifyOn(const std::vector<absl::string_view>& lines,
                                size_t limit);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_DECLASSIFY_H_
