// The summary of a telegram body: the text after a summary marker
// ("SUMMARY:", "Summary.", "1. (C) Summary:", "SUMMARY AND COMMENT:", a
// "Summary" heading line) up to "END SUMMARY" / "End summary." / "END OF
// SUMMARY", or, without an end marker, to the end of the paragraph that
// holds the marker (for a heading, the paragraph that follows it). The
// marker must appear within the first five numbered paragraphs. Without a
// marker, an "End Summary" within the first three paragraphs closes a
// summary that starts at the first paragraph. Paragraph
// numbers and markings inside a multi-paragraph summary are dropped, page
// breaks skipped, whitespace folded.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_SUMMARY_H_
#define CABLES_SERVICES_INGEST_PARSER_SUMMARY_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/ingest/parser/paragraphs.h"

namespace cables::parser {

// `spans` are the paragraphs FindParagraphs found in lines [0, end).
std::string ExtractSummary(const std::vector<absl::string_view>& lines,
                           const std::vector<ParagraphSpan>& spans, size_t end);

// Offset just past the summary marker in `line` ("1. (C) Summary and
// Comment: " -> offset of the text after it); npos when the line does not
// start with a summary marker.
size_t SummaryMarkerEnd(absl::string_view line);

// Position of an end marker ("END SUMMARY", "End of Summary") in `line` at
// or after `pos`, or npos.
size_t FindEndSummary(absl::string_view line, size_t pos);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_SUMMARY_H_
