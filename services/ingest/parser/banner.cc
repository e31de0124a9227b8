#include "services/ingest/parser/banner.h"

#include <array>
#include <cstddef>

#include "absl/strings/str_cat.h"
#include "services/ingest/parser/body_lines.h"
#include "services/ingest/parser/caveats.h"

namespace cables::parser {
namespace {

struct LevelPattern {
  absl::string_view squeezed;  // letters without spaces
  absl::string_view level;     // normalised level
  size_t max_offset;           // garbage letters tolerated before it
};

// Longest first where one is a prefix of another.
constexpr std::array<LevelPattern, 9> kLevels = {{
    {"TOPSECRET", "TOP SECRET", 0},
    {"LIMITEDOFFICIALUSE", "LIMITED OFFICIAL USE", 0},
    {"CONFIDENTIAL", "CONFIDENTIAL", 2},
    {"UNCLASSIFIED", "UNCLASSIFIED", 2},
    {"UNCLAS", "UNCLASSIFIED", 2},
    {"SECRET", "SECRET", 2},
    // First letter lost.
    {"ONFIDENTIAL", "CONFIDENTIAL", 0},
    {"ECRET", "SECRET", 0},
    {"NCLAS", "UNCLASSIFIED", 0},
}};

constexpr size_t kMaxSqueezed = 24;

bool IsStationWord(absl::string_view w) {
  if (w.empty() || !IsAsciiAlpha(w[0])) return false;
  for (char c : w) {
    if (!IsAsciiAlpha(c) && c != '-' && c != '.' && c != '\'') return false;
  }
  return true;
}

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

// Next whitespace-separated token of `s` at or after *pos.
absl::string_view NextToken(absl::string_view s, size_t* pos) {
  size_t i = *pos;
  while (i < s.size() && IsAsciiSpace(s[i])) ++i;
  const size_t start = i;
  while (i < s.size() && !IsAsciiSpace(s[i])) ++i;
  *pos = i;
  return s.substr(start, i - start);
}

std::string Upper(absl::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToAsciiUpper(c);
  return out;
}

void AddSegmentCaveats(absl::string_view segment,
                       std::vector<std::string>* caveats) {
  for (const std::string& c :
       CaveatsOfClassification(absl::StrCat("//", segment))) {
    AddCaveat(c, caveats);
  }
}

// Parses the banner's "//CAVEAT//CAVEAT" run at the start of *tail,
// appending to *caveats and advancing *tail past it.
void ParseBannerCaveats(absl::string_view* tail,
                        std::vector<std::string>* caveats) {
  absl::string_view t = *tail;
  while (t.size() >= 2 && t[0] == '/' && t[1] == '/') {
    t.remove_prefix(2);
    const size_t next = t.find("//");
    if (next != absl::string_view::npos) {
      AddSegmentCaveats(t.substr(0, next), caveats);
      t.remove_prefix(next);
      continue;
    }
    // Last segment: known caveats, then the station may follow.
    const size_t used = ParseCaveatPrefix(t, caveats);
    if (used > 0) {
      t.remove_prefix(used);
    } else {
      size_t pos = 0;
      AddSegmentCaveats(NextToken(t, &pos), caveats);
      t.remove_prefix(pos);
    }
    break;
  }
  *tail = t;
}

// Matches the level at the start of `line`; on success sets *level and
// returns the offset just after the level's last letter (npos otherwise).
size_t MatchLevel(absl::string_view line, absl::string_view* level) {
  char squeezed[kMaxSqueezed];
  size_t end_of[kMaxSqueezed];
  size_t n = 0;
  for (size_t i = 0; i < line.size() && n < kMaxSqueezed; ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t') continue;
    if (!IsAsciiAlpha(c)) break;
    squeezed[n] = ToAsciiUpper(c);
    end_of[n] = i + 1;
    ++n;
  }
  const absl::string_view sq(squeezed, n);
  for (const LevelPattern& p : kLevels) {
    for (size_t off = 0; off <= p.max_offset && off < sq.size(); ++off) {
      if (sq.substr(off, p.squeezed.size()) != p.squeezed) continue;
      const size_t end = end_of[off + p.squeezed.size() - 1];
      if (end < line.size() && IsAsciiAlpha(line[end])) continue;
      *level = p.level;
      return end;
    }
  }
  return absl::string_view::npos;
}

}  // namespace

std::optional<Banner> ParseBannerLine(absl::string_view line) {
  line = TrimView(line);
  if (line.empty()) return std::nullopt;
  absl::string_view level;
  const size_t level_end = MatchLevel(line, &level);
  if (level_end == absl::string_view::npos) return std::nullopt;
  Banner banner;
  banner.level = std::string(level);
  absl::string_view tail = line.substr(level_end);
  ParseBannerCaveats(&tail, &banner.caveats);
  banner.classification = banner.level;
  for (const std::string& c : banner.caveats) {
    absl::StrAppend(&banner.classification, "//", c);
  }
  tail = TrimView(tail);
  if (tail.empty()) return banner;

  size_t pos = 0;
  bool section = false;
  {
    size_t probe = 0;
    const absl::string_view first = NextToken(tail, &probe);
    if (StartsWithNoCase(first, "SECTION") && first.size() == 7) {
      const absl::string_view a = NextToken(tail, &probe);
      const absl::string_view of = NextToken(tail, &probe);
      const absl::string_view b = NextToken(tail, &probe);
      if (!AllDigits(a) || !StartsWithNoCase(of, "OF") || of.size() != 2 ||
          !AllDigits(b)) {
        return std::nullopt;
      }
      section = true;
      pos = probe;
    }
  }
  // Station words, then the serial.
  std::string station;
  for (int words = 0; words < 6; ++words) {
    size_t probe = pos;
    const absl::string_view token = NextToken(tail, &probe);
    if (token.empty()) break;
    if (AllDigits(token)) {
      if (station.empty()) break;
      banner.station = std::move(station);
      banner.serial = std::string(token);
      return banner;
    }
    if (!IsStationWord(token)) break;
    if (!station.empty()) station.push_back(' ');
    station += Upper(token);
    pos = probe;
  }
  if (section) return banner;
  return std::nullopt;
}

std::string NormalizeClassification(absl::string_view classification) {
  std::string folded;
  AppendFolded(classification, &folded);
  std::string out;
  out.reserve(folded.size() + 8);
  // Drop spaces around "//".
  for (size_t i = 0; i < folded.size(); ++i) {
    const char c = folded[i];
    if (c == ' ' && ((i + 1 < folded.size() && folded[i + 1] == '/') ||
                     (!out.empty() && out.back() == '/'))) {
      continue;
    }
    out.push_back(ToAsciiUpper(c));
  }
  if (StartsWithNoCase(out, "UNCLAS") &&
      !StartsWithNoCase(out, "UNCLASSIFIED")) {
    out.replace(0, 6, "UNCLASSIFIED");
  }
  return out;
}

}  // namespace cables::parser
