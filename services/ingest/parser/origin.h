// The archive's name of the originating post, from the telegram's FM line:
//   "AMEMBASSY DAMASCUS"        -> "Embassy Damascus"
//   "AMCONSUL RIO DE JANEIRO"   -> "Consulate Rio De Janeiro"
//   "SECSTATE WASHDC"           -> "Secretary of State"
//   "USMISSION USNATO"          -> "Mission USNATO"
//   "USMISSION UNVIE VIENNA"    -> "UNVIE"
//   "USUN NEW YORK"             -> "USUN New York"
//   "USEU BRUSSELS"             -> "USEU Brussels"
//   "USINT HAVANA"              -> "US Interests Section Havana"
//   "RPO DUBAI"                 -> "Iran RPO Dubai"
//   "USOFFICE ALMATY"           -> "US Office Almaty"
// Anything else is title-cased word by word, keeping all-capital
// acronyms that start with "US" or "UN" ("CDR USCENTCOM MACDILL AFB FL" ->
// "Cdr USCENTCOM Macdill Afb Fl").
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_ORIGIN_H_
#define CABLES_SERVICES_INGEST_PARSER_ORIGIN_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cables::parser {

// Maps the FM line's text (without "FM ") to the origin name; empty for an
// empty input.
std::string OriginFromFm(absl::string_view from);

// "RIO DE JANEIRO" -> "Rio De Janeiro", "PORT-AU-PRINCE" -> "Port-Au-Prince".
std::string TitleCaseWords(absl::string_view words);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_ORIGIN_H_
