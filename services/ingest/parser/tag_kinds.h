// Kinds of TAGS-line entries: geographic codes ("SY", "XF"), State
// Department subject tags ("PGOV", "ECON", "MARR"), program tags ("KDEM",
// "KCRM"), organisations ("UN", "NATO", "IAEA", "EU") and person tags
// ("ROOD, JOHN").
//
// Rules, in order:
//   1. listed organisations (UN, UNSC, NATO, IAEA, EU, EUN, OSCE, ASEAN, AU,
//      AU-1, OAS, WTO, IMF, ...) -> ORGANIZATION;
//   2. "SURNAME, GIVEN" -> PERSON;
//   3. any two-letter code (FIPS country codes and the X? regional codes)
//      and a few three-letter country abbreviations (UAE, PRC, ...) ->
//      GEOGRAPHIC;
//   4. listed subject tags and program tags; otherwise by shape: four to six
//      letters starting with 'K' -> PROGRAM; four or five letters starting
//      with A, B, C, E, I, M, O, P, S or T -> SUBJECT;
//   5. anything else -> TAG_KIND_UNSPECIFIED.
// Note: "AU" follows the project brief (African Union, an organisation);
// State's FIPS tables use "AU" for Austria and "AU-1" for the African Union.
//
// Pure and thread-safe (static tables only).
#ifndef CABLES_SERVICES_INGEST_PARSER_TAG_KINDS_H_
#define CABLES_SERVICES_INGEST_PARSER_TAG_KINDS_H_

#include "absl/strings/string_view.h"
#include "cables/v1/cable.pb.h"

namespace cables::parser {

// The kind of `tag` (expected upper case; other case is upper-cased).
cables::v1::TagKind ClassifyTag(absl::string_view tag);

// True when `tag` is in one of the explicit tables (organisations, subject
// tags, program tags, three-letter country abbreviations) or is a
// two-letter code. Shape rules do not count. Used to tell codes from the
// words of person tags.
bool IsKnownTagCode(absl::string_view tag);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_TAG_KINDS_H_
