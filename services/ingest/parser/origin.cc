#include "services/ingest/parser/origin.h"

#include <array>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/ingest/parser/body_lines.h"

namespace cables::parser {
namespace {

struct Prefix {
  absl::string_view fm;      // upper-case FM prefix, with trailing space
  absl::string_view origin;  // archive prefix, with trailing space
};

constexpr std::array<Prefix, 9> kPrefixes = {{
    {"AMEMBASSY ", "Embassy "},
    {"AMCONSUL ", "Consulate "},
    {"AMCONGEN ", "Consulate "},
    {"USINT ", "US Interests Section "},
    {"USOFFICE ", "US Office "},
    {"IRAN RPO ", "Iran RPO "},
    {"RPO ", "Iran RPO "},
    {"USEU ", "USEU "},
    {"USUN ", "USUN "},
}};

// Acronyms kept upper case when title-casing: "USNATO", "USOSCE",
// "USCENTCOM", "UNVIE", plus a few others.
bool KeepUpper(absl::string_view word) {
  for (char c : word) {
    if (IsAsciiLower(c)) return false;
  }
  if (word == "RPO" || word == "AIT" || word == "USUN" || word == "USEU" ||
      word == "USG") {
    return true;
  }
  if (word.size() < 4 ||
      !(StartsWithNoCase(word, "US") || StartsWithNoCase(word, "UN"))) {
    return false;
  }
  static constexpr std::array<absl::string_view, 10> kWords = {
      "UNITED", "UNION", "UNIVERSITY", "UNDER", "UNIT",
      "UNITS",  "USED",  "USING",      "USUAL", "UNIFIED"};
  for (absl::string_view w : kWords) {
    if (word == w) return false;
  }
  return true;
}

std::string Upper(absl::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToAsciiUpper(c);
  return out;
}

}  // namespace

std::string TitleCaseWords(absl::string_view words) {
  std::string out;
  out.reserve(words.size());
  size_t i = 0;
  while (i < words.size()) {
    while (i < words.size() && IsAsciiSpace(words[i])) ++i;
    if (i >= words.size()) break;
    size_t e = i;
    while (e < words.size() && !IsAsciiSpace(words[e])) ++e;
    const absl::string_view word = words.substr(i, e - i);
    if (!out.empty()) out.push_back(' ');
    if (KeepUpper(word)) {
      out += Upper(word);
    } else {
      bool start = true;
      for (char c : word) {
        if (IsAsciiAlpha(c)) {
          out.push_back(
              start ? ToAsciiUpper(c)
                    : static_cast<char>(IsAsciiUpper(c) ? c - 'A' + 'a' : c));
          start = false;
        } else {
          out.push_back(c);
          start = c == '-' || c == '/' || c == '(';
        }
      }
    }
    i = e;
  }
  return out;
}

std::string OriginFromFm(absl::string_view from) {
  std::string text;
  AppendFolded(from, &text);
  // Drop a trailing precedence or MCN the line may carry.
  for (absl::string_view tail :
       {" IMMEDIATE", " PRIORITY", " ROUTINE", " FLASH"}) {
    if (text.size() > tail.size() &&
        absl::string_view(text).substr(text.size() - tail.size()) == tail) {
      text.resize(text.size() - tail.size());
    }
  }
  const std::string upper = Upper(text);
  if (upper.empty()) return "";
  if (StartsWithNoCase(upper, "SECSTATE") ||
      StartsWithNoCase(upper, "SECRETARY OF STATE")) {
    return "Secretary of State";
  }
  if (StartsWithNoCase(upper, "USMISSION ")) {
    absl::string_view rest = absl::string_view(upper).substr(10);
    if (StartsWithNoCase(rest, "UNVIE")) return "UNVIE";
    if (StartsWithNoCase(rest, "USUN")) {
      return absl::StrCat("USUN ", TitleCaseWords(rest.substr(4)));
    }
    return absl::StrCat("Mission ", TitleCaseWords(rest));
  }
  if (upper == "USNATO" || upper == "USOSCE") {
    return absl::StrCat("Mission ", upper);
  }
  for (const Prefix& p : kPrefixes) {
    if (StartsWithNoCase(upper, p.fm)) {
      return absl::StrCat(
          p.origin,
          TitleCaseWords(absl::string_view(upper).substr(p.fm.size())));
    }
  }
  return TitleCaseWords(upper);
}

}  // namespace cables::parser
