#include "services/ingest/parser/container_time.h"

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
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

// 1..12 for a month name or its three-letter abbreviation; 0 otherwise.
int MonthNamed(absl::string_view word) {
  static constexpr absl::string_view kMonths[] = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (word.size() < 3) return 0;
  const std::string lower = absl::AsciiStrToLower(word);
  for (int m = 0; m < 12; ++m) {
    if (lower == kMonths[m] ||
        (lower.size() == 3 && kMonths[m].substr(0, 3) == lower) ||
        (lower == "sept" && m == 8)) {
      return m + 1;
    }
  }
  return 0;
}

bool IsWeekday(absl::string_view word) {
  static constexpr absl::string_view kDays[] = {
      "monday", "tuesday",  "wednesday", "thursday",
      "friday", "saturday", "sunday"};
  const std::string lower = absl::AsciiStrToLower(word);
  for (absl::string_view day : kDays) {
    if (lower == day || (lower.size() == 3 && day.substr(0, 3) == lower)) {
      return true;
    }
  }
  return false;
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

std::optional<absl::Time> ParseTextualDateTime(absl::string_view s) {
  // Tokens: numbers, words and an optional "HH:MM[:SS]"; punctuation
  // (',', '(', ')', '.') separates.
  int year = 0, month = 0, day = 0, hh = 0, mm = 0, ss = 0;
  bool have_time = false;
  std::vector<int> numbers;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == ',' || c == '(' || c == ')' || c == '.' || c == '\t') {
      ++i;
      continue;
    }
    size_t j = i;
    if (IsDigit(c)) {
      while (j < s.size() && (IsDigit(s[j]) || s[j] == ':')) ++j;
      const absl::string_view token = s.substr(i, j - i);
      if (token.find(':') != absl::string_view::npos) {
        if (have_time) return std::nullopt;
        size_t k = 0;
        if (!ReadNumber(token, &k, 1, 2, &hh) || !Expect(token, &k, ':') ||
            !ReadNumber(token, &k, 2, 2, &mm)) {
          return std::nullopt;
        }
        if (Expect(token, &k, ':') && !ReadNumber(token, &k, 2, 2, &ss)) {
          return std::nullopt;
        }
        if (k != token.size()) return std::nullopt;
        have_time = true;
      } else {
        if (token.size() > 4) return std::nullopt;
        int v = 0;
        for (char d : token) v = v * 10 + (d - '0');
        if (token.size() == 4) {
          if (year != 0) return std::nullopt;
          year = v;
        } else {
          numbers.push_back(v);
        }
      }
    } else {
      while (j < s.size() &&
             ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z'))) {
        ++j;
      }
      if (j == i) return std::nullopt;
      const absl::string_view word = s.substr(i, j - i);
      const int m = MonthNamed(word);
      if (m != 0 && month == 0) {
        month = m;
      } else if (!IsWeekday(word) && word != "UTC" && word != "GMT" &&
                 word != "Z") {
        return std::nullopt;
      }
    }
    i = j;
  }
  if (year == 0 || month == 0 || numbers.size() != 1) return std::nullopt;
  day = numbers[0];
  return Build(year, month, day, hh, mm, ss);
}

std::optional<absl::Time> ParseContainerTime(absl::string_view s) {
  if (auto t = ParseIsoDateTime(s)) return t;
  if (auto t = ParseUsDateTime(s)) return t;
  return ParseTextualDateTime(s);
}

}  // namespace cables::parser
