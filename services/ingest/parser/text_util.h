// Small text helpers shared by the parser's front-ends and analysers.
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_TEXT_UTIL_H_
#define CABLES_SERVICES_INGEST_PARSER_TEXT_UTIL_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::parser {

// Strips ASCII whitespace (space, tab, CR, LF, FF, VT) from both ends.
absl::string_view Trim(absl::string_view s);

// Collapses every run of ASCII whitespace to one space and trims.
std::string FoldWhitespace(absl::string_view s);

// Decodes HTML character references: named (&amp; &lt; &gt; &quot; &apos;
// &nbsp; and the common Latin-1 names), decimal (&#39;) and hex (&#x000A;).
// Unknown or malformed references are kept as written.
std::string DecodeHtmlEntities(absl::string_view s);

// Returns `s` with invalid UTF-8 sequences replaced by U+FFFD, so the result
// is always valid for protobuf string fields.
std::string SanitizeUtf8(absl::string_view s);

// True when `s` is valid UTF-8.
bool IsValidUtf8(absl::string_view s);

// Splits on '\n' (a trailing '\r' on a line is dropped). Views into `s`.
std::vector<absl::string_view> SplitLines(absl::string_view s);

// ASCII upper case.
std::string AsciiUpper(absl::string_view s);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_TEXT_UTIL_H_
