#include "services/ingest/parser/text_fragment.h"

#include <cstddef>
#include <string>

#include "absl/strings/match.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

// How many non-blank lines at the top may precede the first transmission
// line (e.g. a "S E C R E T STATE 00119085" banner line).
constexpr int kMaxLinesBeforeMarker = 3;
// How far down an "FM ... / TO ..." block is looked for when the text does
// not open with transmission lines.
constexpr int kMaxLinesBeforeFm = 200;

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsPrecedence(char c) {
  return c == 'O' || c == 'P' || c == 'R' || c == 'Z' || c == 'W' || c == 'Y';
}

// One line of the text: [begin, end) without its '\n', and where the next
// line begins.
struct Line {
  size_t begin;
  size_t end;
  size_t next;
};

Line LineAt(absl::string_view text, size_t pos) {
  size_t end = text.find('\n', pos);
  if (end == absl::string_view::npos) return {pos, text.size(), text.size()};
  return {pos, end, end + 1};
}

absl::string_view FirstWord(absl::string_view t) {
  size_t n = 0;
  while (n < t.size() && (IsUpper(t[n]) || IsLower(t[n]))) ++n;
  return t.substr(0, n);
}

// "P 161625Z JUN 08", "P R 281848Z DEC 66", "O 251814Z SEP 09", or the
// date-time group alone, "201247Z Jan 04".
bool IsDateTimeGroup(absl::string_view t) {
  size_t i = 0;
  while (i < t.size() && IsPrecedence(t[i])) {
    size_t j = i;
    while (j < t.size() && IsPrecedence(t[j]) && j - i < 2) ++j;
    if (j >= t.size() || t[j] != ' ') break;
    i = j;
    while (i < t.size() && t[i] == ' ') ++i;
  }
  size_t digits = 0;
  while (i < t.size() && IsDigit(t[i])) {
    ++i;
    ++digits;
  }
  if (digits != 6 || i >= t.size() || t[i] != 'Z') return false;
  ++i;
  if (i >= t.size() || t[i] != ' ') return false;
  while (i < t.size() && t[i] == ' ') ++i;
  size_t letters = 0;
  while (i < t.size() && (IsUpper(t[i]) || IsLower(t[i]))) {
    ++i;
    ++letters;
  }
  if (letters != 3 || i >= t.size() || t[i] != ' ') return false;
  ++i;
  return i + 1 < t.size() && IsDigit(t[i]) && IsDigit(t[i + 1]) &&
         (i + 2 == t.size() || t[i + 2] == ' ');
}

// "PP RUEHAG RUEHBC ...", "RR RUEHWEB", "OO RUEHC".
bool IsPrecedenceRoutingLine(absl::string_view t) {
  if (t.size() < 6 || !IsPrecedence(t[0]) || !IsPrecedence(t[1]) ||
      t[2] != ' ') {
    return false;
  }
  size_t i = 3;
  while (i < t.size() && t[i] == ' ') ++i;
  size_t n = 0;
  while (i + n < t.size() && IsUpper(t[i + n])) ++n;
  return n >= 4 && t[i] == 'R' && (i + n == t.size() || t[i + n] == ' ');
}

// The transmission lines that open a routing header.
bool IsTransmissionLine(absl::string_view t) {
  if (absl::StartsWith(t, "VZCZC")) return true;
  if (absl::StartsWith(t, "ZNY ") || absl::StartsWith(t, "ZNR ")) return true;
  if (absl::StartsWith(t, "DE ") && t.size() > 4 && IsUpper(t[3]) &&
      t.find(" #") != absl::string_view::npos) {
    return true;
  }
  if (absl::StartsWith(t, "INFO ") && absl::StrContains(t, "LOG-")) {
    return true;
  }
  return IsDateTimeGroup(t) || IsPrecedenceRoutingLine(t);
}

bool HasLower(absl::string_view t) {
  for (char c : t) {
    if (IsLower(c)) return true;
  }
  return false;
}

// "FM AMEMBASSY DAMASCUS": upper case throughout.
bool IsFromLine(absl::string_view t) {
  return absl::StartsWith(t, "FM ") && t.size() > 3 && !HasLower(t);
}

bool IsNumberedParagraph(absl::string_view t) {
  if (absl::StartsWith(t, "\xC2\xB6")) return true;  // pilcrow
  size_t i = 0;
  while (i < t.size() && i < 3 && IsDigit(t[i])) ++i;
  return i > 0 && i < t.size() && t[i] == '.' &&
         (i + 1 == t.size() || t[i + 1] == ' ' || t[i + 1] == '(');
}

// "C O N F I D E N T I A L", "SE C R E T", "S e c r e t": several
// one-letter words at the start.
bool IsSpacedBanner(absl::string_view t) {
  int single = 0;
  int words = 0;
  size_t i = 0;
  while (i < t.size() && words < 6) {
    while (i < t.size() && t[i] == ' ') ++i;
    size_t j = i;
    while (j < t.size() && t[j] != ' ') ++j;
    if (j == i) break;
    ++words;
    if (j - i == 1 && (IsUpper(t[i]) || IsLower(t[i]))) ++single;
    i = j;
  }
  return single >= 3;
}

// "ID: 190648", "ORIGIN: 09KUWAIT110": a label no addressee line has.
bool IsLabelLine(absl::string_view t) {
  size_t i = 0;
  while (i < t.size() && (IsUpper(t[i]) || t[i] == ' ') && i < 24) ++i;
  return i >= 2 && i < t.size() && t[i] == ':' && IsUpper(t[0]);
}

// "DAMASCUS 000427", "STATE 050524": a banner ends with the cable's
// zero-padded serial; addressee lines end with a 4-digit MCN at most.
bool EndsWithSerial(absl::string_view t) {
  size_t end = t.size();
  while (end > 0 && t[end - 1] == ' ') --end;
  size_t begin = end;
  while (begin > 0 && IsDigit(t[begin - 1])) --begin;
  return end - begin >= 5 && begin > 0 && t[begin - 1] == ' ';
}

// No letter at all: a date, a ">" quote mark, a row of dashes.
bool HasNoLetter(absl::string_view t) {
  for (char c : t) {
    if (IsUpper(c) || IsLower(c)) return false;
  }
  return true;
}

// After the FM line only addressee lines follow: upper case, no label, no
// prose punctuation, no serial number at the end.
bool CanBeAddressee(absl::string_view t) {
  return !HasLower(t) && !IsLabelLine(t) && !HasNoLetter(t) &&
         !EndsWithSerial(t) && !absl::StrContains(t, " - ") &&
         !absl::StrContains(t, " -- ");
}

// A line that starts the body (or otherwise cannot be a header line).
bool IsBodyStart(absl::string_view t) {
  if (absl::StartsWith(t, "E.O") || absl::StartsWith(t, "EO 1") ||
      absl::StartsWith(t, "E. O.")) {
    return true;
  }
  const absl::string_view w = FirstWord(t);
  static constexpr absl::string_view kBodyWords[] = {
      "TAGS",    "TAG",       "SUBJECT",      "SUBJ",         "REF",
      "REFS",    "REFTEL",    "REFERENCE",    "REFERENCES",   "SIPDIS",
      "NOFORN",  "UNCLAS",    "UNCLASSIFIED", "CONFIDENTIAL", "SECRET",
      "LIMITED", "SENSITIVE", "SUMMARY",      "CLASSIFIED"};
  for (absl::string_view word : kBodyWords) {
    if (w == word) return true;
  }
  // A banner with a doubled first letter ("UUNCLAS", "SSECRET").
  for (absl::string_view word : {"UNCLAS", "SECRET", "CONFIDENTIAL"}) {
    if (w.size() == word.size() + 1 && absl::EndsWith(w, word)) return true;
  }

  if (absl::StartsWith(t, "TOP SECRET")) return true;
  if (IsNumberedParagraph(t) || IsSpacedBanner(t)) return true;
  const size_t section = t.find("SECTION ");
  if (section != absl::string_view::npos) {
    absl::string_view rest = t.substr(section + 8);
    size_t i = 0;
    while (i < rest.size() && IsDigit(rest[i])) ++i;
    if (i > 0 && absl::StartsWith(rest.substr(i), " OF ")) return true;
  }
  return false;
}

// Where the routing header starts in `text` (npos: no header) and, when
// it has an FM / TO block, where its FM line is: every line before that
// belongs to the header unchecked.
struct HeaderStart {
  size_t pos = absl::string_view::npos;
  size_t fm_pos = absl::string_view::npos;
};

// A line of the body proper (not a banner, which headers carry too).
bool IsBodyKeywordLine(absl::string_view t) {
  if (absl::StartsWith(t, "E.O") || absl::StartsWith(t, "EO 1") ||
      absl::StartsWith(t, "E. O.") || IsNumberedParagraph(t)) {
    return true;
  }
  const absl::string_view w = FirstWord(t);
  return w == "TAGS" || w == "SUBJECT" || w == "SUBJ" || w == "REF" ||
         w == "REFS" || w == "REFTEL";
}

// The start of an "FM X" line directly followed by a "TO Y" line, within
// the first kMaxLinesBeforeFm lines and before the first numbered paragraph
// (`strict`: before any E.O. / TAGS / SUBJECT / REF line as well); npos
// when there is none.
size_t FindFromToBlock(absl::string_view text, bool strict) {
  int lines = 0;
  for (size_t pos = 0; pos < text.size() && lines < kMaxLinesBeforeFm;
       ++lines) {
    const Line line = LineAt(text, pos);
    const absl::string_view t =
        Trim(text.substr(line.begin, line.end - line.begin));
    if (IsNumberedParagraph(t) || (strict && IsBodyKeywordLine(t))) break;
    if (IsFromLine(t)) {
      for (size_t next = line.next; next < text.size();) {
        const Line l2 = LineAt(text, next);
        const absl::string_view t2 =
            Trim(text.substr(l2.begin, l2.end - l2.begin));
        if (!t2.empty()) {
          if (absl::StartsWith(t2, "TO ") && !HasLower(t2)) return line.begin;
          break;
        }
        next = l2.next;
      }
    }
    pos = line.next;
  }
  return absl::string_view::npos;
}

HeaderStart FindHeaderStart(absl::string_view text) {
  HeaderStart start;
  size_t first = absl::string_view::npos;
  int nonblank = 0;
  for (size_t pos = 0; pos < text.size() && nonblank < kMaxLinesBeforeMarker;) {
    const Line line = LineAt(text, pos);
    const absl::string_view t =
        Trim(text.substr(line.begin, line.end - line.begin));
    if (!t.empty()) {
      if (first == absl::string_view::npos) first = line.begin;
      ++nonblank;
      if (IsTransmissionLine(t)) {
        // Transmission lines open the text; everything up to an FM / TO
        // block below them belongs to the header too (message-center lines
        // such as "CONFIDENTIAL PTQ1859" or "PAGE 01 ..." included).
        start.pos = first;
        start.fm_pos = FindFromToBlock(text, /*strict=*/true);
        return start;
      }
      if (IsBodyStart(t) && nonblank > 1) break;
    }
    pos = line.next;
  }
  // No transmission lines at the top: an "FM X" / "TO Y" block before the
  // first numbered paragraph.
  start.fm_pos = FindFromToBlock(text, /*strict=*/false);
  if (start.fm_pos != absl::string_view::npos) {
    start.pos = first == absl::string_view::npos ? 0 : first;
  }
  return start;
}

// Drops blank lines at both ends.
absl::string_view TrimBody(absl::string_view body) {
  size_t begin = 0;
  while (begin < body.size()) {
    const Line line = LineAt(body, begin);
    if (!Trim(body.substr(line.begin, line.end - line.begin)).empty()) break;
    begin = line.next;
  }
  body = body.substr(begin);
  size_t end = body.size();
  while (end > 0 && (body[end - 1] == ' ' || body[end - 1] == '\t' ||
                     body[end - 1] == '\n' || body[end - 1] == '\r')) {
    --end;
  }
  return body.substr(0, end);
}

}  // namespace

TelegramParts SplitTelegramText(absl::string_view text) {
  TelegramParts parts;
  const HeaderStart start = FindHeaderStart(text);
  if (start.pos == absl::string_view::npos) {
    parts.body = TrimBody(text);
    return parts;
  }
  bool seen_fm = false;
  bool seen_marker = false;
  size_t header_end = text.size();
  size_t body_begin = text.size();
  size_t pos = start.pos;
  if (start.fm_pos != absl::string_view::npos) pos = start.fm_pos;
  while (pos < text.size()) {
    const Line line = LineAt(text, pos);
    const absl::string_view t =
        Trim(text.substr(line.begin, line.end - line.begin));
    if (t == "BT") {
      header_end = line.begin;
      body_begin = line.next;
      break;
    }
    if (seen_fm) {
      if (t.empty() || IsBodyStart(t) || !CanBeAddressee(t)) {
        header_end = line.begin;
        body_begin = line.begin;
        break;
      }
    } else if (seen_marker && IsBodyStart(t) && !IsTransmissionLine(t)) {
      // A header fragment without FM / TO lines, then the body.
      header_end = line.begin;
      body_begin = line.begin;
      break;
    }
    if (IsFromLine(t)) seen_fm = true;
    if (IsTransmissionLine(t)) seen_marker = true;
    pos = line.next;
  }
  // Blank lines and one "BT" line between header and body.
  while (body_begin < text.size()) {
    const Line line = LineAt(text, body_begin);
    const absl::string_view t =
        Trim(text.substr(line.begin, line.end - line.begin));
    if (!t.empty() && t != "BT") break;
    body_begin = line.next;
    if (t == "BT") break;
  }
  absl::string_view header = text.substr(start.pos, header_end - start.pos);
  while (!header.empty() && (header.back() == '\n' || header.back() == ' ' ||
                             header.back() == '\r' || header.back() == '\t')) {
    header.remove_suffix(1);
  }
  parts.header = header;
  parts.body = TrimBody(text.substr(body_begin));
  return parts;
}

SourceDocument ParseTextFragment(absl::string_view text) {
  SourceDocument doc;
  doc.format = cables::v1::TEXT;
  const TelegramParts parts = SplitTelegramText(text);
  doc.header = std::string(parts.header);
  doc.body = std::string(parts.body);
  return doc;
}

}  // namespace cables::parser
