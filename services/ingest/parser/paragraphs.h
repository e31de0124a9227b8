// Numbered paragraphs of a telegram body: "¶1. (C) text", "1. (SBU) text",
// "1.(U)text", "2. (S/NF) text", unmarked "4. text", with the section
// heading that directly precedes a paragraph ("TIMELINE" over a "-----"
// underline, "//COMMENT//", a short line standing alone between blank
// lines, or a short line after a finished sentence in unwrapped text).
//
// Numbers must form a plausible sequence: when at least two paragraph
// starts carry markings, unmarked "N." lines are only paragraphs when they
// continue the sequence exactly; numbers may skip ahead a little (extracts
// leave gaps) but never go back, so numbered lists inside a paragraph and
// a "2008." at a line start stay in the text.
//
// Paragraph text: the lines from after the number and marking up to the
// next paragraph (or its heading), joined with whitespace folded to single
// spaces; page-break lines, classification footers and rule lines are
// dropped, and text glued after a page-break marker is kept. Sub-items
// ("A.", "B)") stay inside their paragraph.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_PARAGRAPHS_H_
#define CABLES_SERVICES_INGEST_PARSER_PARAGRAPHS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::parser {

struct ParagraphSpan {
  int number = 0;
  std::string marking;     // without parentheses; empty when unmarked
  std::string heading;     // empty when none
  size_t line = 0;         // line of the paragraph start
  size_t text_offset = 0;  // offset of the text within that line
  size_t end_line = 0;     // first line after the paragraph (exclusive)
};

// Finds the numbered paragraphs in lines [0, end). Each span's end_line is
// the next paragraph's start or heading, or `end`.
std::vector<ParagraphSpan> FindParagraphs(
    const std::vector<absl::string_view>& lines, size_t end);

// Appends the content of lines [begin, end) to *out (whitespace folded),
// starting `first_offset` bytes into line `begin`; page-break markers,
// classification footers and rule lines are skipped.
void AppendContent(const std::vector<absl::string_view>& lines, size_t begin,
                   size_t first_offset, size_t end, std::string* out);

// The text of a paragraph span (see AppendContent).
std::string ParagraphText(const std::vector<absl::string_view>& lines,
                          const ParagraphSpan& span);

// Parses a heading candidate line: strips decoration ("-----", "//", "==")
// and returns the heading text, or "" when the line cannot be a heading
// (too long, a sentence ending in '.', a field label, a marking, ...).
std::string HeadingText(absl::string_view line);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_PARAGRAPHS_H_
