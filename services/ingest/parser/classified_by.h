// The classification authority block of a telegram body:
//   "Classified By: CDA Todd C. Holmstrom for reasons 1.5 b/d"
//   "CLASSIFIED BY: AMBASSADOR ROSS WILSON. REASON: 1.4 (B) AND (D)"
//   "Classified By: Political Counselor Matt Tueller for reasons 1.4 (b) and
//    (d)."                                      (continued on the next line)
// The name is kept as written with its title ("CDA Todd C. Holmstrom"),
// minus the label and the "for reason(s) ..." tail and trailing
// punctuation. Reasons are normalised to "1.4(b)", "1.4(d)", ...; letters
// written without a section number ("for reasons b, d") are taken as 1.4.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_CLASSIFIED_BY_H_
#define CABLES_SERVICES_INGEST_PARSER_CLASSIFIED_BY_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::parser {

struct ClassificationAuthority {
  std::string classified_by;         // empty when absent
  std::vector<std::string> reasons;  // "1.4(b)", "1.4(d)"
};

// Parses the text of one "Classified By" block (label included or not,
// lines already joined).
ClassificationAuthority ParseClassifiedBy(absl::string_view block);

// Parses normalised reasons from text such as "1.4 (B) AND (D)",
// "1.5 b/d", "1.4(b),(d)", "Reasons 1.4 b and d". Stops at the first word
// that is no part of a reason once a reason was found.
std::vector<std::string> ParseReasons(absl::string_view text);

// Finds the first "Classified By" block within lines [0, limit) and parses
// it (continuation lines are joined while the reasons are incomplete).
ClassificationAuthority ExtractClassifiedBy(
    const std::vector<absl::string_view>& lines, size_t limit);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_CLASSIFIED_BY_H_
