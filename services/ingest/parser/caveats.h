// Handling caveats: NOFORN, SIPDIS, EXDIS, NODIS, LIMDIS, ORCON, PROPIN,
// "REL TO USA, FVEY", "SENSITIVE", "FOR OFFICIAL USE ONLY", STADIS,
// CHEROKEE, NOCONTRACT, ... as written in classification strings
// ("SECRET//NOFORN") and on standalone lines near the top of a body
// ("NOFORN", "SIPDIS", "NOFORN/ORCON", "SENSITIVE BUT UNCLASSIFIED").
//
// Caveats are returned upper case, whitespace folded; combined caveats
// ("NOFORN/ORCON") are split into their parts.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_CAVEATS_H_
#define CABLES_SERVICES_INGEST_PARSER_CAVEATS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::parser {

// Parses known caveats from the start of `text`, appending them to
// *caveats (REQUIRES: caveats != nullptr). Separators between caveats may
// be spaces, '/', '//', ',', ';' or '-'. Stops at the first word that is no
// caveat and returns the offset where it stopped (text.size() when the whole
// text is caveats; 0 when it starts with no caveat).
size_t ParseCaveatPrefix(absl::string_view text,
                         std::vector<std::string>* caveats);

// True when `line` (trimmed) consists only of caveats, possibly followed by
// an "E.O."/"TAGS"/"SUBJECT" field on the same line ("SIPDIS E.O. 12958:
// N/A"); the caveats are appended to *caveats.
bool ParseCaveatLine(absl::string_view line, std::vector<std::string>* caveats);

// The caveats of a classification string: every "//" segment after the
// level, split on single '/': "SECRET//NOFORN" -> {NOFORN},
// "SECRET//FGI//NOFORN//MR" -> {FGI, NOFORN, MR},
// "UNCLASSIFIED//FOR OFFICIAL USE ONLY" -> {FOR OFFICIAL USE ONLY}.
std::vector<std::string> CaveatsOfClassification(
    absl::string_view classification);

// Appends `caveat` to *caveats unless already present.
void AddCaveat(absl::string_view caveat, std::vector<std::string>* caveats);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_CAVEATS_H_
