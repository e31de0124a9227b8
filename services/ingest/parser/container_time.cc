#include "services/ingest/parser/container_time.h"

#include <cstddef>

#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads between `min_digits` and `max_digits` digits at s[*i].
bool ReadNumber(absl::string_view s, size_t* i, size_t min_digits,
                size_t max_digits, int* value) {
  size_t n = 0;
  int v = 0;
  while (*i < s.size() && IsDigit(s[*i]) && n < max_digits) {
    v = v * 10 + (s[*i] - '0');
    ++*i;
    ++n;
  }
  if (n < min_digits) return false;
  if (*i < s.size() && IsDigit(s[*i])) return false;  // too many digits
  *value = v;
  return true;
}

bool Expect(absl::string_view s, size_t* i, char c) {
  if (*i < s.size() && s[*i] == c) {
    ++*i;
    return true;
  }
  return false;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Parses the optional " HH:MM[:SS]" part at s[*i] and the end of input.
bool ReadTimeOfDay(absl::string_view s, size_t* i, int* hh, int* mm, int* ss) {
  *hh = *mm = *ss = 0;
  if (*i == s.size()) return true;
  if (s[*i] != ' ' && s[*i] != 'T') return false;
  while (*i < s.size() && (s[*i] == ' ' || s[*i] == 'T')) ++*i;
  if (*i == s.size()) return true;
  if (!ReadNumber(s, i, 1, 2, hh) || !Expect(s, i, ':') ||
      !ReadNumber(s, i, 2, 2, mm)) {
    return false;
  }
  if (Expect(s, i, ':') && !ReadNumber(s, i, 2, 2, ss)) return false;
  absl::string_view rest = Trim(s.substr(*i));
  if (!rest.empty() && rest != "Z" && rest != "UTC") return false;
  *i = s.size();
  return true;
}

std::optional<absl::Time> Build(int y, int mo, int d, int hh, int mm, int ss) {
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1 ||
      d > DaysInMonth(y, mo) || hh > 23 || mm > 59 || ss > 60) {
    return std::nullopt;
  }
  if (ss == 60) ss = 59;  // leap second: clamp
  return absl::FromCivil(absl::CivilSecond(y, mo, d, hh, mm, ss),
                         absl::UTCTimeZone());
}

}  // namespace

std::optional<absl::Time> ParseIsoDateTime(absl::string_view s) {
  s = Trim(s);
  size_t i = 0;
  int y, mo, d, hh, mm, ss;
  if (!ReadNumber(s, &i, 4, 4, &y) || !Expect(s, &i, '-') ||
      !ReadNumber(s, &i, 1, 2, &mo) || !Expect(s, &i, '-') ||
      !ReadNumber(s, &i, 1, 2, &d) || !ReadTimeOfDay(s, &i, &hh, &mm, &ss)) {
    return std::nullopt;
  }
  return Build(y, mo, d, hh, mm, ss);
}

std::optional<absl::Time> ParseUsDateTime(absl::string_view s) {
  s = Trim(s);
  size_t i = 0;
  int y, mo, d, hh, mm, ss;
  if (!ReadNumber(s, &i, 1, 2, &mo) || !Expect(s, &i, '/') ||
      !ReadNumber(s, &i, 1, 2, &d) || !Expect(s, &i, '/') ||
      !ReadNumber(s, &i, 4, 4, &y) || !ReadTimeOfDay(s, &i, &hh, &mm, &ss)) {
    return std::nullopt;
  }
  return Build(y, mo, d, hh, mm, ss);
}

std::optional<absl::Time> ParseContainerTime(absl::string_view s) {
  if (auto t = ParseIsoDateTime(s)) return t;
  return ParseUsDateTime(s);
}

}  // namespace cables::parser
