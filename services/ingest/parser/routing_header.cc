#include "services/ingest/parser/routing_header.h"

#include <array>
#include <cstdlib>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "services/ingest/parser/body_lines.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

using cables::v1::Recipient;

constexpr std::array<absl::string_view, 12> kMonths = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
    "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

int MonthNumber(absl::string_view s) {
  if (s.size() < 3) return 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (StartsWithNoCase(s, kMonths[i])) return static_cast<int>(i) + 1;
  }
  return 0;
}

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

// Whitespace-separated tokens; header lines hold few, so they stay inline.
using TokenList = absl::InlinedVector<absl::string_view, 8>;

// Splits `s` into whitespace-separated tokens.
TokenList Tokens(absl::string_view s) {
  TokenList out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsAsciiSpace(s[i])) ++i;
    const size_t start = i;
    while (i < s.size() && !IsAsciiSpace(s[i])) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

Recipient::Precedence ProsignPrecedence(char c) {
  switch (c) {
    case 'Z':
      return Recipient::FLASH;
    case 'O':
      return Recipient::IMMEDIATE;
    case 'P':
      return Recipient::PRIORITY;
    case 'R':
      return Recipient::ROUTINE;
    default:
      return Recipient::PRECEDENCE_UNSPECIFIED;
  }
}

// "P 161625Z JUN 08", "291359Z Nov 00". Sets *precedence from the prosign.
bool ParseDtgLine(absl::string_view line, int year_hint,
                  std::optional<absl::Time>* dtg,
                  Recipient::Precedence* precedence) {
  const TokenList tokens = Tokens(line);
  size_t k = 0;
  Recipient::Precedence p = Recipient::PRECEDENCE_UNSPECIFIED;
  if (tokens.size() == 4) {
    const absl::string_view prosign = tokens[0];
    if (prosign.size() > 2) return false;
    for (char c : prosign) {
      if (absl::string_view("ZOPRMY").find(c) == absl::string_view::npos) {
        return false;
      }
    }
    p = ProsignPrecedence(prosign[0]);
    k = 1;
  } else if (tokens.size() != 3) {
    return false;
  }
  const std::optional<absl::Time> t =
      ParseDtg(line.substr(tokens[k].data() - line.data()), year_hint);
  if (!t.has_value()) return false;
  *dtg = t;
  *precedence = p;
  return true;
}

bool IsDistributionToken(absl::string_view t) {
  // "LOG-00", "EEB-00", "/012W".
  const size_t dash = t.find('-');
  if (dash != absl::string_view::npos && dash > 0 &&
      AllDigits(t.substr(dash + 1))) {
    return true;
  }
  return !t.empty() && t[0] == '/' && t.size() <= 6;
}

bool HasLowercase(absl::string_view s) {
  for (char c : s) {
    if (IsAsciiLower(c)) return true;
  }
  return false;
}

bool IsMcn(absl::string_view t) {
  // "5083", "2276-2279".
  const size_t dash = t.find('-');
  if (dash == absl::string_view::npos) return AllDigits(t);
  return AllDigits(t.substr(0, dash)) && AllDigits(t.substr(dash + 1));
}

enum class Section { kNone, kTo, kInfo, kDistribution, kDone };

}  // namespace

int ExpandTwoDigitYear(int yy, int year_hint) {
  if (year_hint > 0) {
    const int century = year_hint / 100 * 100;
    int best = century + yy;
    for (int c : {century - 100, century + 100}) {
      if (std::abs(c + yy - year_hint) < std::abs(best - year_hint)) {
        best = c + yy;
      }
    }
    return best;
  }
  return yy < 50 ? 2000 + yy : 1900 + yy;
}

std::optional<absl::Time> ParseDtg(absl::string_view text, int year_hint) {
  const TokenList tokens = Tokens(text);
  if (tokens.size() < 3) return std::nullopt;
  const absl::string_view group = tokens[0];
  if (group.size() != 7 || !AllDigits(group.substr(0, 6)) ||
      (group[6] != 'Z' && group[6] != 'z')) {
    return std::nullopt;
  }
  const int month = MonthNumber(tokens[1]);
  if (month == 0 || tokens[1].size() > 3) return std::nullopt;
  absl::string_view year_token = tokens[2];
  if (!AllDigits(year_token) ||
      (year_token.size() != 2 && year_token.size() != 4)) {
    return std::nullopt;
  }
  int year = ToInt(year_token);
  if (year_token.size() == 2) year = ExpandTwoDigitYear(year, year_hint);
  const int day = ToInt(group.substr(0, 2));
  const int hour = ToInt(group.substr(2, 2));
  const int minute = ToInt(group.substr(4, 2));
  if (day < 1 || day > 31 || hour > 23 || minute > 59) return std::nullopt;
  const absl::CivilSecond civil(year, month, day, hour, minute, 0);
  if (civil.day() != day || civil.month() != month) return std::nullopt;
  return absl::FromCivil(civil, absl::UTCTimeZone());
}

bool ParseAddressee(absl::string_view line, Recipient* recipient) {
  absl::string_view rest = TrimView(line);
  // Route: "RUEHC/" (letters only, before the first '/').
  const size_t slash = rest.find('/');
  if (slash != absl::string_view::npos && slash >= 3 && slash <= 8) {
    const absl::string_view route = rest.substr(0, slash);
    bool letters = true;
    for (char c : route) letters &= IsAsciiUpper(c);
    if (letters && (route[0] == 'R' || route == "ZEN")) {
      recipient->set_route(std::string(route));
      rest = rest.substr(slash + 1);
    }
  }
  TokenList tokens = Tokens(rest);
  if (!tokens.empty() && IsMcn(tokens.back())) {
    recipient->set_mcn(std::string(tokens.back()));
    tokens.pop_back();
  }
  if (!tokens.empty()) {
    const absl::string_view last = tokens.back();
    Recipient::Precedence p = Recipient::PRECEDENCE_UNSPECIFIED;
    if (last == "IMMEDIATE") {
      p = Recipient::IMMEDIATE;
      if (tokens.size() >= 2 && tokens[tokens.size() - 2] == "NIACT") {
        p = Recipient::NIACT_IMMEDIATE;
        tokens.pop_back();
      }
    } else if (last == "PRIORITY") {
      p = Recipient::PRIORITY;
    } else if (last == "ROUTINE") {
      p = Recipient::ROUTINE;
    } else if (last == "FLASH") {
      p = Recipient::FLASH;
    }
    if (p != Recipient::PRECEDENCE_UNSPECIFIED) {
      recipient->set_precedence(p);
      tokens.pop_back();
    }
  }
  if (tokens.empty()) return false;
  // Name: the remaining tokens as written, single spaces, trailing '/'
  // of "CIA WASHINGTON DC//" dropped.
  const char* begin = tokens.front().data();
  const char* end = tokens.back().data() + tokens.back().size();
  std::string name;
  AppendFolded(absl::string_view(begin, static_cast<size_t>(end - begin)),
               &name);
  while (!name.empty() && (name.back() == '/' || name.back() == ' ')) {
    name.pop_back();
  }
  if (name.empty()) return false;
  recipient->set_name(std::move(name));
  return true;
}

RoutingHeader ParseRoutingHeader(absl::string_view header, int year_hint) {
  RoutingHeader out;
  Section section = Section::kNone;
  Recipient::Kind kind = Recipient::KIND_UNSPECIFIED;
  for (absl::string_view raw : SplitLines(header)) {
    const absl::string_view t = TrimView(raw);
    if (t.empty()) {
      if (section == Section::kTo || section == Section::kInfo ||
          section == Section::kDistribution) {
        section = Section::kNone;
      }
      continue;
    }
    if (StartsWithNoCase(t, "VZCZC")) {
      if (out.transmission_id.empty()) {
        size_t e = 0;
        while (e < t.size() && IsAsciiAlnum(t[e])) ++e;
        out.transmission_id = std::string(t.substr(0, e));
      }
      section = Section::kNone;
      continue;
    }
    if (!out.dtg.has_value()) {
      Recipient::Precedence p = Recipient::PRECEDENCE_UNSPECIFIED;
      if (ParseDtgLine(t, year_hint, &out.dtg, &p)) {
        out.precedence = p;
        section = Section::kNone;
        continue;
      }
    }
    if (t.size() > 3 && absl::string_view(t).substr(0, 3) == "DE ") {
      const size_t hash = t.find('#');
      if (hash != absl::string_view::npos && out.serial.empty()) {
        size_t e = hash + 1;
        while (e < t.size() && IsAsciiDigit(t[e])) ++e;
        out.serial = std::string(t.substr(hash + 1, e - hash - 1));
      }
      section = Section::kNone;
      continue;
    }
    if (t.size() > 3 && t.substr(0, 3) == "FM ") {
      if (out.from.empty()) {
        std::string from;
        AppendFolded(t.substr(3), &from);
        out.from = std::move(from);
      }
      section = Section::kNone;
      continue;
    }
    if (t == "BT" || t == "NNNN" || t[0] == '#' ||
        StartsWithNoCase(t, "XMT ") || t == "XMT" || t.substr(0, 4) == "ZNY " ||
        t.substr(0, 4) == "ZNR ") {
      section = StartsWithNoCase(t, "XMT") ? Section::kDone : Section::kNone;
      continue;
    }
    if (section == Section::kDone) continue;
    absl::string_view addressee;
    bool is_addressee = false;
    if (t.size() > 3 && t.substr(0, 3) == "TO ") {
      section = Section::kTo;
      kind = Recipient::TO;
      addressee = t.substr(3);
      is_addressee = true;
    } else if (t.size() > 5 && t.substr(0, 5) == "INFO ") {
      addressee = TrimView(t.substr(5));
      const TokenList tokens = Tokens(addressee);
      if (!tokens.empty() && IsDistributionToken(tokens[0])) {
        section = Section::kDistribution;
        continue;
      }
      section = Section::kInfo;
      kind = Recipient::INFO;
      is_addressee = true;
    } else if (section == Section::kDistribution) {
      const TokenList tokens = Tokens(t);
      if (!tokens.empty() && IsDistributionToken(tokens[0])) continue;
      section = Section::kNone;
      continue;
    } else if (section == Section::kTo || section == Section::kInfo) {
      if (HasLowercase(t)) {
        section = Section::kNone;
        continue;
      }
      addressee = t;
      is_addressee = true;
    }
    if (!is_addressee) continue;
    Recipient recipient;
    if (ParseAddressee(addressee, &recipient)) {
      recipient.set_kind(kind);
      out.recipients.push_back(std::move(recipient));
    }
  }
  return out;
}

}  // namespace cables::parser
