// Line-level recognisers shared by the telegram analysers: blank and rule
// lines, page-break lines ("DAMASCUS 00000427 002 OF 002"), classification
// footer lines (" CONFIDENTIAL"), numbered paragraph starts ("¶1. (C) ...")
// and small ASCII helpers over absl::string_view.
//
// Every function is pure, allocation-free unless it returns a std::string,
// linear in its input and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_BODY_LINES_H_
#define CABLES_SERVICES_INGEST_PARSER_BODY_LINES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::parser {

// The pilcrow "¶" in UTF-8; the WikiLeaks pages put it before paragraph
// numbers.
inline constexpr absl::string_view kPilcrow = "\xC2\xB6";

inline bool IsAsciiSpace(char c) {
  // ' ' or '\t', '\n', '\v', '\f', '\r' (9..13).
  return c == ' ' || static_cast<unsigned char>(c - '\t') <= '\r' - '\t';
}
inline bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsAsciiAlpha(char c) { return IsAsciiUpper(c) || IsAsciiLower(c); }
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }
inline char ToAsciiUpper(char c) {
  return IsAsciiLower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}

// Position of the first case-insensitive (ASCII) occurrence of `needle` in
// `haystack` at or after `pos`; npos when absent. O(|haystack| * |needle|)
// worst case, needles are short labels.
size_t FindIgnoreCase(absl::string_view haystack, absl::string_view needle,
                      size_t pos = 0);

// Like FindIgnoreCase, but only matches where `needle` is a whole word: the
// characters around the match are not ASCII letters or digits.
size_t FindWordIgnoreCase(absl::string_view haystack, absl::string_view needle,
                          size_t pos = 0);

// True when `s` starts with `prefix`, ignoring ASCII case.
bool StartsWithNoCase(absl::string_view s, absl::string_view prefix);

// `s` without leading and trailing ASCII whitespace.
absl::string_view TrimView(absl::string_view s);

// `s` with every character in `chars` removed from its end.
absl::string_view TrimRightChars(absl::string_view s, absl::string_view chars);

// `s` with every character in `chars` removed from its start.
absl::string_view TrimLeftChars(absl::string_view s, absl::string_view chars);

// Appends `text` to `*out` with whitespace runs folded to one space; a space
// separates it from what `*out` already holds.
void AppendFolded(absl::string_view text, std::string* out);

// True for lines holding only whitespace.
bool IsBlankLine(absl::string_view line);

// True for decoration lines made of at least three '-', '=', '_', '*', '~'
// or '.' characters (spaces allowed between them), e.g. "-----", "- - - -".
bool IsRuleLine(absl::string_view line);

// Recognises page-break lines:
//   "DAMASCUS 00000427 002 OF 002", "BAGHDAD 00000293 001.2 OF 002",
//   "PAGE 02 HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER",
//   "PAGE 02 RUEHFRA0170 S E C R E T".
// On success sets *rest (when non-null) to the text the line carries after
// the page-break marker (often empty; some sources glue the next line on).
bool ParsePageBreakLine(absl::string_view line, absl::string_view* rest);

// True for a line that holds only a classification (footer or banner
// without station): "CONFIDENTIAL", " S E C R E T", "UNCLASSIFIED",
// "SECRET//NOFORN", "SECRET//FGI//NOFORN//MR".
bool IsClassificationOnlyLine(absl::string_view line);

// True when the trimmed line starts a telegram field: SUBJECT/SUBJ, REF,
// REFS, REFTEL, REFERENCE, CLASSIFIED BY, E.O./EO 12958, DECL, DECLASSIFY
// ON, TAGS/TAG/TAGE/TAS (with a colon), any case.
bool StartsFieldLabel(absl::string_view line);

// True when the line starts (after an optional "(C)"-style marking and
// paragraph number) with the word SUMMARY (any case) followed by
// punctuation, the end of the line, "AND"/"&" or an upper-case word.
bool StartsWithSummaryWord(absl::string_view line);

// Offset of the word SUMMARY in a line that StartsWithSummaryWord accepts
// (after a paragraph number, marking, decoration and "BEGIN" /
// "INTRODUCTION AND" / "EXECUTIVE"); npos otherwise.
size_t SummaryWordOffset(absl::string_view line);

// Splits lines that carry other lines glued on, so every later step sees
// them at a line start: a paragraph start glued after a finished sentence
// ("... the region. 4. (C) EMBASSY COMMENT: ...", "REASON: 1.4 (b), (d)
// 1. (C/NF) Summary: ...", split at the number; only starts with a valid
// marking), and text glued after a page-break marker ("PAGE 03 HARARE
// 06677 03 OF 03 291401Z 11. (C) COMMENT: ...", split after the marker).
// Views keep pointing into the original text.
std::vector<absl::string_view> SplitGluedLines(
    const std::vector<absl::string_view>& lines);

// A numbered paragraph start: "¶1. (C) Text", "1. (SBU) Text", "1.(U)Text",
// "2. (S/NF) Text", "¶3. C) Text", "4. Text" (unmarked), "¶5. " (text on
// the next lines).
struct ParagraphStart {
  int number = 0;
  // Marking without parentheses, upper case, whitespace folded; empty when
  // unmarked.
  std::string marking;
  // Offset in the line where the paragraph text begins.
  size_t text_offset = 0;
};

// Parses a paragraph start at the beginning of `line`; nullopt when the
// line does not start one. Numbers have one to three digits; "1.4 (b)" (a
// digit after the dot) is not a paragraph start.
std::optional<ParagraphStart> ParseParagraphStart(absl::string_view line);

// Parses a classification marking "(C)", "(S//NF)", "(SBU/NOFORN)",
// "(C - ENTIRE TEXT)" at the start of `s` (after optional spaces). On
// success returns the marking without parentheses (upper case, whitespace
// folded) and sets *consumed to the bytes used including the ')'.
std::optional<std::string> ParseMarking(absl::string_view s, size_t* consumed);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_BODY_LINES_H_
