// The raw-text front-end: a telegram pasted as text. The input may be the
// whole telegram (routing header, then body), the header alone, the body
// alone, or a fragment of either (a REF block, a few paragraphs).
//
// Where the header ends: a routing header starts with its transmission lines
// (VZCZC..., a precedence line "PP RUEH...", "DE RUEHDM #0427/01 1681625",
// "ZNY CCCCC ZZH", the date-time group "P 161625Z JUN 08") or, failing
// those, with an upper-case "FM AMEMBASSY X" line directly followed by a
// "TO ..." line. After its FM line come only the upper-case TO / INFO
// addressee lines; it ends at a "BT" line, a blank line, or the first line
// that cannot be an addressee (a classification banner such as
// "C O N F I D E N T I A L ..." or "UNCLAS SECTION 01 OF 02", "E.O.",
// "TAGS", "SUBJECT", "REF", a numbered paragraph, a "KEY: value" line, or a
// line with lower-case letters).
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_TEXT_FRAGMENT_H_
#define CABLES_SERVICES_INGEST_PARSER_TEXT_FRAGMENT_H_

#include "absl/strings/string_view.h"
#include "services/ingest/parser/source_document.h"

namespace cables::parser {

struct TelegramParts {
  absl::string_view header;  // empty when the text has no routing header
  absl::string_view body;    // empty when the text is a header alone
};

// Splits telegram text into its routing header and body. Views into `text`;
// blank lines around the split and a closing "BT" / "#0427" / "NNNN"
// trailer at the end of the body are left out. Never fails.
TelegramParts SplitTelegramText(absl::string_view text);

// Builds the SourceDocument of raw telegram text (format TEXT). `text` must
// be valid UTF-8 with '\n' line ends. Never fails: a fragment yields what it
// holds.
SourceDocument ParseTextFragment(absl::string_view text);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_TEXT_FRAGMENT_H_
