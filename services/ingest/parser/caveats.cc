#include "services/ingest/parser/caveats.h"

#include <array>

#include "services/ingest/parser/body_lines.h"

namespace cables::parser {
namespace {

constexpr std::array<absl::string_view, 16> kSingleCaveats = {
    "NOFORN", "ORCON",    "SIPDIS",     "EXDIS",  "NODIS", "LIMDIS",
    "STADIS", "CHEROKEE", "NOCONTRACT", "PROPIN", "FGI",   "SENSITIVE",
    "FOUO",   "SBU",      "SPECAT",     "EFTO"};

constexpr std::array<absl::string_view, 4> kPhraseCaveats = {
    "FOR OFFICIAL USE ONLY", "SENSITIVE BUT UNCLASSIFIED",
    "LIMITED OFFICIAL USE", "NOT FOR INTERNET DISTRIBUTION"};

bool IsSeparator(char c) {
  return c == ' ' || c == '\t' || c == '/' || c == ',' || c == ';' || c == '-';
}

size_t WordEnd(absl::string_view s, size_t pos) {
  while (pos < s.size() && IsAsciiAlpha(s[pos])) ++pos;
  return pos;
}

bool EqualsNoCase(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && StartsWithNoCase(a, b);
}

// Matches a phrase of words separated by single or multiple spaces at `pos`;
// returns the end offset or npos.
size_t MatchPhrase(absl::string_view s, size_t pos, absl::string_view phrase) {
  size_t i = pos;
  size_t k = 0;
  while (k < phrase.size()) {
    if (phrase[k] == ' ') {
      if (i >= s.size() || (s[i] != ' ' && s[i] != '\t')) {
        return absl::string_view::npos;
      }
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      ++k;
      continue;
    }
    if (i >= s.size() || ToAsciiUpper(s[i]) != phrase[k]) {
      return absl::string_view::npos;
    }
    ++i;
    ++k;
  }
  if (i < s.size() && IsAsciiAlpha(s[i])) return absl::string_view::npos;
  return i;
}

std::string UpperFolded(absl::string_view s) {
  std::string out;
  AppendFolded(s, &out);
  for (char& c : out) c = ToAsciiUpper(c);
  return out;
}

// "REL TO USA, FVEY" / "REL SAU" at `pos` (which starts the word REL).
// Returns the end offset or npos.
size_t MatchRel(absl::string_view s, size_t pos) {
  size_t i = WordEnd(s, pos);
  auto skip_spaces = [&](size_t j) {
    while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
    return j;
  };
  size_t j = skip_spaces(i);
  size_t w = WordEnd(s, j);
  if (w == j) return absl::string_view::npos;
  if (EqualsNoCase(s.substr(j, w - j), "TO")) {
    j = skip_spaces(w);
    w = WordEnd(s, j);
    if (w == j) return absl::string_view::npos;
  }
  size_t end = w;
  // Further codes only after a comma: "USA, FVEY".
  while (true) {
    size_t k = end;
    while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) ++k;
    if (k >= s.size() || s[k] != ',') break;
    k = skip_spaces(k + 1);
    const size_t e = WordEnd(s, k);
    if (e == k) break;
    end = e;
  }
  return end;
}

}  // namespace

void AddCaveat(absl::string_view caveat, std::vector<std::string>* caveats) {
  // Real cables carry a handful; the cap keeps hostile input linear.
  constexpr size_t kMaxCaveats = 64;
  if (caveat.empty() || caveats->size() >= kMaxCaveats) return;
  for (const std::string& c : *caveats) {
    if (c == caveat) return;
  }
  caveats->emplace_back(caveat);
}

size_t ParseCaveatPrefix(absl::string_view text,
                         std::vector<std::string>* caveats) {
  size_t pos = 0;
  size_t consumed = 0;
  while (true) {
    while (pos < text.size() && IsSeparator(text[pos])) ++pos;
    if (pos >= text.size()) break;
    const size_t word_end = WordEnd(text, pos);
    if (word_end == pos) break;
    size_t end = absl::string_view::npos;
    for (absl::string_view phrase : kPhraseCaveats) {
      end = MatchPhrase(text, pos, phrase);
      if (end != absl::string_view::npos) break;
    }
    if (end == absl::string_view::npos &&
        EqualsNoCase(text.substr(pos, word_end - pos), "REL")) {
      end = MatchRel(text, pos);
    }
    if (end == absl::string_view::npos) {
      const absl::string_view word = text.substr(pos, word_end - pos);
      for (absl::string_view single : kSingleCaveats) {
        if (EqualsNoCase(word, single)) {
          end = word_end;
          break;
        }
      }
    }
    if (end == absl::string_view::npos) break;
    AddCaveat(UpperFolded(text.substr(pos, end - pos)), caveats);
    pos = end;
    consumed = end;
  }
  return consumed;
}

bool ParseCaveatLine(absl::string_view line,
                     std::vector<std::string>* caveats) {
  line = TrimView(line);
  std::vector<std::string> found;
  const size_t used = ParseCaveatPrefix(line, &found);
  if (used == 0) return false;
  const absl::string_view rest = TrimLeftChars(line.substr(used), " \t/,;-.");
  if (!rest.empty() && !StartsWithNoCase(rest, "E.O") &&
      !StartsWithNoCase(rest, "EO ") && !StartsWithNoCase(rest, "TAGS") &&
      !StartsWithNoCase(rest, "SUBJECT") && !StartsWithNoCase(rest, "DECL")) {
    return false;
  }
  for (const std::string& c : found) AddCaveat(c, caveats);
  return true;
}

std::vector<std::string> CaveatsOfClassification(
    absl::string_view classification) {
  std::vector<std::string> caveats;
  size_t pos = classification.find("//");
  while (pos != absl::string_view::npos) {
    const size_t start = pos + 2;
    const size_t next = classification.find("//", start);
    const absl::string_view segment = TrimView(classification.substr(
        start, next == absl::string_view::npos ? absl::string_view::npos
                                               : next - start));
    if (!segment.empty()) {
      if (segment.find(' ') != absl::string_view::npos) {
        AddCaveat(UpperFolded(segment), &caveats);
      } else {
        size_t p = 0;
        while (p <= segment.size()) {
          size_t slash = segment.find('/', p);
          if (slash == absl::string_view::npos) slash = segment.size();
          const absl::string_view part = TrimView(segment.substr(p, slash - p));
          if (!part.empty()) AddCaveat(UpperFolded(part), &caveats);
          p = slash + 1;
        }
      }
    }
    pos = next;
  }
  return caveats;
}

}  // namespace cables::parser
