// Redaction runs: WikiLeaks replaced names of protected sources with runs
// of x's ("XXXXXXXXXXXX", "xxxxxxxxxxxx", sometimes "XXX" or "xxxx").
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_REDACTION_H_
#define CABLES_SERVICES_INGEST_PARSER_REDACTION_H_

#include "absl/strings/string_view.h"

namespace cables::parser {

// True when `text` holds a run of five or more 'x'/'X' anywhere (also glued
// to other letters: "XXXXXXXXXXXXhis"), or a standalone word of three or
// four x's ("XXX said"). Linear time.
bool HasRedaction(absl::string_view text);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_REDACTION_H_
