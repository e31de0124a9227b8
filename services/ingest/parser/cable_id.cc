#include "services/ingest/parser/cable_id.h"

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/ingest/parser/station_aliases.h"

namespace cables::parser {
namespace {

// Longest input ParseCableId looks at; real ids are under 40 characters.
constexpr size_t kMaxIdLength = 128;
// Longest serial, without leading zeros (the largest real ones have 6).
constexpr size_t kMaxSerialDigits = 7;

// Office prefixes dropped from a station when what remains is non-empty
// ("AMEMBASSY MADRID" -> "MADRID", "USMISSION GENEVA" -> "GENEVA").
constexpr absl::string_view kOfficePrefixes[] = {
    "AMEMBASSY", "AMCONSUL", "AMCONGEN", "USMISSION",
    "USEMBASSY", "AMEMB",    "EMBASSY",  "CONSULATE",
};
// Suffixes dropped likewise ("SECDEF WASHDC" -> "SECDEF").
constexpr absl::string_view kPlaceSuffixes[] = {"WASHDC"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '-' ||
         c == '/' || c == '_';
}

size_t DigitRun(absl::string_view s, size_t pos) {
  size_t end = pos;
  while (end < s.size() && IsDigit(s[end])) ++end;
  return end - pos;
}

size_t LetterRun(absl::string_view s, size_t pos) {
  size_t end = pos;
  while (end < s.size() && IsUpper(s[end])) ++end;
  return end - pos;
}

// Length of a "SECTION<digits>OF<digits>" marker at `pos` of the squeezed
// id, 0 when there is none.
size_t SectionMarkerLength(absl::string_view s, size_t pos) {
  constexpr absl::string_view kSection = "SECTION";
  if (s.substr(pos, kSection.size()) != kSection) return 0;
  size_t p = pos + kSection.size();
  size_t n = DigitRun(s, p);
  if (n == 0) return 0;
  p += n;
  if (s.substr(p, 2) != "OF") return 0;
  p += 2;
  n = DigitRun(s, p);
  if (n == 0) return 0;
  return p + n - pos;
}

std::string Quote(absl::string_view raw) {
  return absl::StrCat("\"", raw.substr(0, 60),
                      raw.size() > 60 ? "...\"" : "\"");
}

}  // namespace

std::string CableId::Canonical() const {
  const int yy = ((year % 100) + 100) % 100;
  return absl::StrCat(yy < 10 ? "0" : "", yy, station, serial);
}

int ExpandTwoDigitYear(int two_digit_year) {
  return two_digit_year < 50 ? 2000 + two_digit_year : 1900 + two_digit_year;
}

std::string CanonicalStation(absl::string_view station) {
  std::string squeezed = SqueezeStation(station);
  absl::string_view found = LookupStation(squeezed);
  if (!found.empty()) return std::string(found);
  absl::string_view rest = squeezed;
  for (absl::string_view prefix : kOfficePrefixes) {
    if (rest.size() > prefix.size() &&
        rest.substr(0, prefix.size()) == prefix) {
      rest.remove_prefix(prefix.size());
      break;
    }
  }
  for (absl::string_view suffix : kPlaceSuffixes) {
    if (rest.size() > suffix.size() &&
        rest.substr(rest.size() - suffix.size()) == suffix) {
      rest.remove_suffix(suffix.size());
      break;
    }
  }
  found = LookupStation(rest);
  if (!found.empty()) return std::string(found);
  return std::string(rest);
}

absl::StatusOr<CableId> ParseCableId(absl::string_view raw) {
  if (raw.size() > kMaxIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("cable id ", Quote(raw), " is too long (", raw.size(),
                     " bytes; at most ", kMaxIdLength, ")"));
  }
  // Squeeze: upper case, separators dropped, anything else rejected.
  std::string s;
  s.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (IsDigit(c) || IsUpper(c)) {
      s.push_back(c);
    } else if (c >= 'a' && c <= 'z') {
      s.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if (!IsSeparator(c)) {
      const unsigned char u = static_cast<unsigned char>(c);
      return absl::InvalidArgumentError(absl::StrCat(
          "cable id ", Quote(raw), " has a stray character ",
          (u >= 0x20 && u < 0x7f) ? absl::StrCat("'", std::string(1, c), "'")
                                  : absl::StrFormat("0x%02X", u),
          " at offset ", i));
    }
  }
  if (s.empty()) return absl::InvalidArgumentError("cable id is empty");

  size_t pos = 0;
  const size_t year_digits = DigitRun(s, pos);
  if (year_digits == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cable id ", Quote(raw),
                     " has no year (expected a form like 05ALMATY1595)"));
  }
  pos += year_digits;
  pos += SectionMarkerLength(s, pos);
  const size_t station_letters = LetterRun(s, pos);
  if (station_letters == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cable id ", Quote(raw),
                     " has no station (expected a form like 05ALMATY1595)"));
  }
  const absl::string_view station_raw =
      absl::string_view(s).substr(pos, station_letters);
  pos += station_letters;
  const size_t serial_digits = DigitRun(s, pos);
  if (serial_digits == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cable id ", Quote(raw), " has no serial number",
                     pos < s.size() ? " after its station" : ""));
  }
  absl::string_view serial = absl::string_view(s).substr(pos, serial_digits);
  pos += serial_digits;
  if (pos != s.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cable id ", Quote(raw), " has text after its serial: \"",
                     absl::string_view(s).substr(pos), "\""));
  }

  if (year_digits != 2 && year_digits != 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("cable id ", Quote(raw), " has a ", year_digits,
                     "-digit year (expected 2 or 4 digits)"));
  }
  int year = 0;
  for (size_t i = 0; i < year_digits; ++i) year = year * 10 + (s[i] - '0');
  if (year_digits == 2) {
    year = ExpandTwoDigitYear(year);
  } else if (year < 1900 || year > 2099) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cable id ", Quote(raw), " has year ", year, " out of range"));
  }
  while (!serial.empty() && serial.front() == '0') serial.remove_prefix(1);
  if (serial.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cable id ", Quote(raw), " has serial number zero"));
  }
  if (serial.size() > kMaxSerialDigits) {
    return absl::InvalidArgumentError(
        absl::StrCat("cable id ", Quote(raw), " has a ", serial.size(),
                     "-digit serial (at most ", kMaxSerialDigits, ")"));
  }
  if (station_raw.size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("cable id ", Quote(raw), " has a one-letter station \"",
                     station_raw, "\""));
  }

  CableId id;
  id.year = year;
  id.station = CanonicalStation(station_raw);
  id.serial = std::string(serial);
  return id;
}

absl::StatusOr<std::string> CanonicalizeCableId(absl::string_view raw) {
  absl::StatusOr<CableId> id = ParseCableId(raw);
  if (!id.ok()) return id.status();
  return id->Canonical();
}

}  // namespace cables::parser
