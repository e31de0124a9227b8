#include "services/ingest/parser/declassify.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "services/ingest/parser/body_lines.h"
#include "services/ingest/parser/routing_header.h"

namespace cables::parser {
namespace {

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

int ToInt(absl::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

// Offset of the E.O. label's value ("E.O. 12958: <value>") in `line`, or
// npos when the line has no E.O. label.
size_t EoValue(absl::string_view line) {
  size_t pos = 0;
  while (pos < line.size()) {
    size_t at = FindIgnoreCase(line, "E", pos);
    if (at == absl::string_view::npos) return at;
    pos = at + 1;
    if (at > 0 && IsAsciiAlnum(line[at - 1])) continue;
    size_t k = at + 1;
    // "E.O.", "E. O.", "E.O", "EO".
    if (k < line.size() && line[k] == '.') ++k;
    while (k < line.size() && line[k] == ' ') ++k;
    if (k >= line.size() || (line[k] != 'O' && line[k] != 'o')) continue;
    ++k;
    if (k < line.size() && line[k] == '.') ++k;
    while (k < line.size() && line[k] == ' ') ++k;
    const size_t digits = k;
    while (k < line.size() && IsAsciiDigit(line[k])) ++k;
    if (k - digits != 5) continue;  // 12958, 13526, 12065, 12356
    while (k < line.size() &&
           (line[k] == ' ' || line[k] == ':' || line[k] == ',')) {
      ++k;
    }
    return k;
  }
  return absl::string_view::npos;
}

// Offset of a standalone DECL label's value, or npos.
size_t DeclValue(absl::string_view line) {
  size_t b = 0;
  while (b < line.size() && IsAsciiSpace(line[b])) ++b;
  const absl::string_view t = line.substr(b);
  size_t k;
  if (StartsWithNoCase(t, "DECLASSIFY ON")) {
    k = 13;
  } else if (StartsWithNoCase(t, "DECL") &&
             (t.size() == 4 || !IsAsciiAlpha(t[4]) || t[4] == 'l')) {
    k = t.size() > 4 && t[4] == 'l' ? 5 : 4;
  } else {
    return absl::string_view::npos;
  }
  while (k < t.size() && (t[k] == ' ' || t[k] == ':')) ++k;
  return b + k;
}

}  // namespace

std::string ParseNumericDate(absl::string_view token) {
  char sep = 0;
  for (char c : token) {
    if (c == '/' || c == '-') {
      sep = c;
      break;
    }
  }
  if (sep == 0) return "";
  const size_t p1 = token.find(sep);
  const size_t p2 = token.find(sep, p1 + 1);
  if (p2 == absl::string_view::npos ||
      token.find(sep, p2 + 1) != absl::string_view::npos) {
    return "";
  }
  const absl::string_view a = token.substr(0, p1);
  const absl::string_view b = token.substr(p1 + 1, p2 - p1 - 1);
  const absl::string_view c = token.substr(p2 + 1);
  if (!AllDigits(a) || !AllDigits(b) || !AllDigits(c)) return "";
  int year, month, day;
  if (a.size() == 4) {
    if (b.size() > 2 || c.size() > 2) return "";
    year = ToInt(a);
    month = ToInt(b);
    day = ToInt(c);
  } else {
    if (a.size() > 3 || b.size() > 2 || (c.size() != 2 && c.size() != 4)) {
      return "";
    }
    month = ToInt(a);
    day = ToInt(b);
    year = c.size() == 2 ? ExpandTwoDigitYear(ToInt(c), 0) : ToInt(c);
  }
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return "";
  }
  return absl::StrFormat("%04d-%02d-%02d", year, month, day);
}

std::string DeclassifyDateIn(absl::string_view text) {
  absl::string_view t = TrimLeftChars(TrimView(text), ": ");
  if (StartsWithNoCase(t, "N/A") || StartsWithNoCase(t, "NA ") ||
      StartsWithNoCase(t, "DNG")) {
    return "";
  }
  for (absl::string_view label : {"TAGS", "TAG", "SUBJECT"}) {
    const size_t at = FindWordIgnoreCase(t, label);
    if (at != absl::string_view::npos) t = t.substr(0, at);
  }
  size_t i = 0;
  for (int words = 0; words < 12 && i < t.size(); ++words) {
    while (i < t.size() && IsAsciiSpace(t[i])) ++i;
    const size_t start = i;
    while (i < t.size() && !IsAsciiSpace(t[i])) ++i;
    absl::string_view token = t.substr(start, i - start);
    token = TrimRightChars(TrimLeftChars(token, "(:"), ".,;:)");
    std::string date = ParseNumericDate(token);
    if (!date.empty()) return date;
  }
  return "";
}

std::string ExtractDeclassifyOn(const std::vector<absl::string_view>& lines,
                                size_t limit) {
  limit = std::min(limit, lines.size());
  for (size_t i = 0; i < limit; ++i) {
    const absl::string_view line = lines[i];
    size_t value = EoValue(line);
    if (value == absl::string_view::npos) value = DeclValue(line);
    if (value == absl::string_view::npos) continue;
    std::string date = DeclassifyDateIn(line.substr(value));
    if (!date.empty()) return date;
  }
  return "";
}

}  // namespace cables::parser
