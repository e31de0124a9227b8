#include "services/ingest/parser/subject.h"

#include <algorithm>
#include <array>

#include "services/ingest/parser/body_lines.h"
#include "services/ingest/parser/caveats.h"

namespace cables::parser {
namespace {

// Words after which a wrapped subject line obviously continues.
bool EndsWithConnector(absl::string_view t) {
  t = TrimView(t);
  if (t.empty()) return false;
  const char last = t.back();
  if (last == ':' || last == ',' || last == '-' || last == '/' || last == '&' ||
      last == '(') {
    return true;
  }
  size_t b = t.size();
  while (b > 0 && IsAsciiAlpha(t[b - 1])) --b;
  const absl::string_view word = t.substr(b);
  static constexpr std::array<absl::string_view, 16> kConnectors = {
      "AND", "OR", "OF", "TO", "FOR",  "THE",  "ON", "IN",
      "A",   "AN", "AT", "BY", "FROM", "WITH", "AS", "ABOUT"};
  for (absl::string_view c : kConnectors) {
    if (word.size() == c.size() && StartsWithNoCase(word, c)) return true;
  }
  return false;
}

// Offset of the first TAGS / E.O. field in `line`, or npos.
size_t FirstTagsOrEo(absl::string_view line) {
  size_t first = absl::string_view::npos;
  for (size_t at :
       {FindWordIgnoreCase(line, "TAGS"), FindWordIgnoreCase(line, "TAG"),
        FindIgnoreCase(line, "E.O"), FindIgnoreCase(line, "12958")}) {
    first = std::min(first, at);
  }
  return first;
}

// `value` up to a field glued onto the subject line ("... IMPLICATIONS
// Classified By: ...", "... PROCESSING REF: MOSCOW 00079").
absl::string_view CutAtField(absl::string_view value) {
  size_t cut = FindIgnoreCase(value, "CLASSIFIED BY");
  for (absl::string_view label : {"REF", "REFS", "REFTEL", "REFTELS"}) {
    size_t pos = 0;
    while (true) {
      const size_t at = FindWordIgnoreCase(value, label, pos);
      if (at == absl::string_view::npos || at >= cut) break;
      size_t k = at + label.size();
      while (k < value.size() && value[k] == ' ') ++k;
      if (at > 0 && k < value.size() && value[k] == ':') {
        cut = at;
        break;
      }
      pos = at + 1;
    }
  }
  if (cut == absl::string_view::npos) return value;
  return TrimView(value.substr(0, cut));
}

}  // namespace

bool FindSubjectLabel(absl::string_view line, size_t* value_begin) {
  size_t pos = 0;
  size_t first_field = absl::string_view::npos - 1;  // computed lazily
  while (true) {
    size_t at = FindIgnoreCase(line, "SUBJ", pos);
    if (at == absl::string_view::npos) return false;
    pos = at + 1;
    if (at > 0 && IsAsciiAlnum(line[at - 1])) continue;
    size_t e = at + 4;
    if (StartsWithNoCase(line.substr(at), "SUBJECT")) e = at + 7;
    if (e < line.size() && IsAsciiAlpha(line[e])) continue;
    size_t k = e;
    while (k < line.size() && line[k] == ' ') ++k;
    if (k >= line.size() || line[k] != ':') continue;
    const bool at_start = TrimView(line.substr(0, at)).empty();
    if (!at_start) {
      if (first_field == absl::string_view::npos - 1) {
        first_field = FirstTagsOrEo(line);
      }
      if (first_field == absl::string_view::npos || first_field >= at) continue;
    }
    *value_begin = k + 1;
    return true;
  }
}

std::string CleanSubject(absl::string_view text) {
  std::string folded;
  AppendFolded(text, &folded);
  absl::string_view s = folded;
  // "SUBJECT: SUBJECT: ..." repeats the label.
  while (true) {
    size_t begin = 0;
    if (!StartsWithNoCase(s, "SUBJ") || !FindSubjectLabel(s, &begin)) break;
    s = TrimView(s.substr(begin));
  }
  // Leading marking "(C)".
  size_t used = 0;
  if (ParseMarking(s, &used)) s = TrimView(s.substr(used));
  // Trailing marking "(U)".
  if (!s.empty() && s.back() == ')') {
    const size_t open = s.rfind('(');
    if (open != absl::string_view::npos) {
      size_t consumed = 0;
      if (ParseMarking(s.substr(open), &consumed) &&
          open + consumed == s.size()) {
        s = TrimView(s.substr(0, open));
      }
    }
  }
  return std::string(s);
}

std::string ExtractSubject(const std::vector<absl::string_view>& lines,
                           size_t limit) {
  limit = std::min(limit, lines.size());
  for (size_t i = 0; i < limit; ++i) {
    size_t begin = 0;
    if (!FindSubjectLabel(lines[i], &begin)) continue;
    std::string text(CutAtField(TrimView(lines[i].substr(begin))));
    absl::string_view previous = lines[i];
    for (size_t j = i + 1; j < lines.size() && j <= i + 6; ++j) {
      absl::string_view line = lines[j];
      if (IsBlankLine(line)) break;
      if (IsClassificationOnlyLine(line)) continue;
      absl::string_view rest;
      if (ParsePageBreakLine(line, &rest)) {
        if (rest.empty()) continue;
        line = rest;
      }
      const absl::string_view t = TrimView(line);
      std::vector<std::string> caveats;
      if (StartsFieldLabel(t) || ParseParagraphStart(t) ||
          StartsWithSummaryWord(t) || IsRuleLine(t) ||
          ParseCaveatLine(t, &caveats) || t.size() > 100) {
        break;
      }
      // Only wrapped lines continue: long, or ending on a connector.
      if (TrimView(previous).size() < 40 && !EndsWithConnector(previous)) {
        break;
      }
      const absl::string_view cut = CutAtField(t);
      text.push_back(' ');
      text.append(cut.data(), cut.size());
      if (cut.size() < t.size()) break;
      previous = line;
    }
    return CleanSubject(text);
  }
  return "";
}

}  // namespace cables::parser
