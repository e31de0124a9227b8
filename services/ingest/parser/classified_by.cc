#include "services/ingest/parser/classified_by.h"

#include <algorithm>
#include <array>
#include <optional>

#include "absl/strings/str_cat.h"
#include "services/ingest/parser/body_lines.h"

namespace cables::parser {
namespace {

bool EqualsNoCase(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && StartsWithNoCase(a, b);
}

// "reason", "reasons", and the truncated or split "REAS", "reaso" (ns).
bool IsReasonWord(absl::string_view w) {
  return w.size() >= 4 && w.size() <= 7 && StartsWithNoCase(w, "REAS") &&
         (w.size() == 4 || StartsWithNoCase("REASONS", w));
}

bool IsLeadInWord(absl::string_view w) {
  return EqualsNoCase(w, "FOR") || EqualsNoCase(w, "PER") ||
         EqualsNoCase(w, "UNDER") || EqualsNoCase(w, "SECTION");
}

// Start of the word ending just before `pos` (skipping spaces), or npos.
size_t PreviousWordStart(absl::string_view s, size_t pos) {
  size_t e = pos;
  while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == ',')) --e;
  size_t b = e;
  while (b > 0 && IsAsciiAlpha(s[b - 1])) --b;
  if (b == e) return absl::string_view::npos;
  return b;
}

// "1.4" at `p`: one digit, '.', one digit, then no digit.
bool IsSectionAt(absl::string_view s, size_t p) {
  return p + 2 < s.size() + 0 && IsAsciiDigit(s[p]) && s[p + 1] == '.' &&
         IsAsciiDigit(s[p + 2]) &&
         (p + 3 >= s.size() || !IsAsciiDigit(s[p + 3])) &&
         (p == 0 || !IsAsciiAlnum(s[p - 1])) && (p == 0 || s[p - 1] != '.');
}

// Offset where the name part of a Classified By text ends.
size_t NameEnd(absl::string_view s) {
  size_t cut = s.size();
  size_t i = 0;
  while (i < s.size()) {
    if (IsAsciiAlpha(s[i]) && (i == 0 || !IsAsciiAlnum(s[i - 1]))) {
      size_t e = i;
      while (e < s.size() && IsAsciiAlpha(s[e])) ++e;
      const absl::string_view w = s.substr(i, e - i);
      const bool eo = (StartsWithNoCase(s.substr(i), "E.O") ||
                       StartsWithNoCase(s.substr(i), "E. O.") ||
                       (EqualsNoCase(w, "EO") && e + 1 < s.size() &&
                        IsAsciiDigit(s[e + 1])));
      if (IsReasonWord(w) || eo) {
        cut = i;
        break;
      }
      i = e;
      continue;
    }
    if (IsSectionAt(s, i)) {
      cut = i;
      break;
    }
    ++i;
  }
  if (cut == s.size()) return cut;
  // "for reasons", "per 1.4", "under E.O.".
  const size_t prev = PreviousWordStart(s, cut);
  if (prev != absl::string_view::npos) {
    size_t e = prev;
    while (e < s.size() && IsAsciiAlpha(s[e])) ++e;
    if (IsLeadInWord(s.substr(prev, e - prev))) cut = prev;
  }
  return cut;
}

std::string CleanName(absl::string_view name) {
  name = TrimRightChars(TrimView(name), " ,;:-(/");
  if (!name.empty() && name.back() == '.') {
    const size_t space = name.rfind(' ');
    const absl::string_view last =
        space == absl::string_view::npos ? name : name.substr(space + 1);
    if (last.size() > 2 && last.find('.') == last.size() - 1) {
      name.remove_suffix(1);
      name = TrimRightChars(name, " ,;:");
    }
  }
  return std::string(name);
}

// Strips "Classified By:" (possibly repeated) from the start of `s`.
absl::string_view StripLabel(absl::string_view s) {
  while (true) {
    s = TrimView(s);
    if (!StartsWithNoCase(s, "CLASSIFIED")) return s;
    size_t k = 10;
    while (k < s.size() && s[k] == ' ') ++k;
    if (!StartsWithNoCase(s.substr(k), "BY")) return s;
    k += 2;
    if (k < s.size() && IsAsciiAlpha(s[k])) return s;
    s = TrimLeftChars(s.substr(k), " :-");
  }
}

// Reasons look unfinished: "... for reasons", "... 1.4 (b) and".
bool ReasonsIncomplete(absl::string_view block) {
  const absl::string_view t = TrimRightChars(TrimView(block), " ");
  if (t.empty()) return true;
  const char last = t.back();
  if (last == ',' || last == '(' || last == '&' || last == '/' || last == ':') {
    return true;
  }
  size_t b = t.size();
  while (b > 0 && IsAsciiAlpha(t[b - 1])) --b;
  const absl::string_view w = t.substr(b);
  return EqualsNoCase(w, "AND") || EqualsNoCase(w, "OR") ||
         EqualsNoCase(w, "FOR") || IsReasonWord(w) ||
         (t.size() >= 3 && IsSectionAt(t, t.size() - 3));
}

bool IsIgnoredReasonWord(absl::string_view w) {
  static constexpr std::array<absl::string_view, 11> kWords = {
      "AND", "OR",    "FOR", "PER", "SECTION", "SECTIONS",
      "SEC", "UNDER", "SEE", "AS",  "AMENDED"};
  for (absl::string_view k : kWords) {
    if (EqualsNoCase(w, k)) return true;
  }
  if (IsReasonWord(w)) return true;
  return EqualsNoCase(w, "EO") || EqualsNoCase(w, "OF");
}

// The line from its "Classified By" label on, or "" when the line has
// none. The label counts at the line start (after a paragraph number or
// marking) and, written with a capital C, after another field on the same
// line ("REF: ASUNCION 396 Classified By: ...").
absl::string_view LabelStart(absl::string_view line) {
  absl::string_view t = TrimView(line);
  if (std::optional<ParagraphStart> p = ParseParagraphStart(t)) {
    t = t.substr(p->text_offset);
  }
  size_t used = 0;
  if (ParseMarking(t, &used)) t = TrimView(t.substr(used));
  if (StartsWithNoCase(t, "CLASSIFIED") && StripLabel(t).size() < t.size()) {
    return t;
  }
  // Whether the line starts with another field; computed at the first
  // label found later in the line (most lines have none).
  std::optional<bool> field_line;
  size_t pos = 0;
  while (true) {
    const size_t at = FindWordIgnoreCase(t, "CLASSIFIED", pos);
    if (at == absl::string_view::npos) return "";
    pos = at + 1;
    if (t[at] != 'C') continue;
    const absl::string_view rest = t.substr(at);
    if (StripLabel(rest).size() == rest.size()) continue;
    size_t k = at + 10;
    while (k < t.size() && t[k] == ' ') ++k;
    k += 2;  // "BY"
    while (k < t.size() && t[k] == ' ') ++k;
    const bool colon = k < t.size() && t[k] == ':';
    if (!field_line.has_value()) {
      field_line = StartsFieldLabel(t) || ParsePageBreakLine(t, nullptr);
    }
    if (*field_line || colon) return rest;
  }
}

}  // namespace

std::vector<std::string> ParseReasons(absl::string_view text) {
  std::vector<std::string> out;
  auto add = [&out](absl::string_view section, char letter) {
    std::string r = absl::StrCat(section.empty() ? "1.4" : section, "(",
                                 absl::string_view(&letter, 1), ")");
    for (const std::string& o : out) {
      if (o == r) return;
    }
    out.push_back(std::move(r));
  };
  std::string section;
  int unknown_words = 0;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (IsAsciiDigit(c)) {
      if (IsSectionAt(text, i)) {
        section = std::string(text.substr(i, 3));
        i += 3;
        // Letters glued to the number: "1.4b", "1.4bd".
        size_t e = i;
        while (e < text.size() && IsAsciiAlpha(text[e])) ++e;
        const absl::string_view glued = text.substr(i, e - i);
        bool letters = !glued.empty() && glued.size() <= 3;
        for (char g : glued) {
          const char l = static_cast<char>(IsAsciiUpper(g) ? g - 'A' + 'a' : g);
          letters &= l >= 'a' && l <= 'h';
        }
        if (letters) {
          for (char g : glued) {
            add(section,
                static_cast<char>(IsAsciiUpper(g) ? g - 'A' + 'a' : g));
          }
          i = e;
        }
        continue;
      }
      while (i < text.size() && (IsAsciiAlnum(text[i]) || text[i] == '.')) ++i;
      continue;
    }
    if (IsAsciiAlpha(c)) {
      // "E.O." is no reason letter.
      if ((c == 'E' || c == 'e') && i + 2 < text.size() && text[i + 1] == '.' &&
          (text[i + 2] == 'O' || text[i + 2] == 'o')) {
        i += 3;
        continue;
      }
      size_t e = i;
      while (e < text.size() && IsAsciiAlpha(text[e])) ++e;
      const absl::string_view w = text.substr(i, e - i);
      // "A ND": the word "and" split by a stray space.
      if (EqualsNoCase(w, "A") && e + 3 <= text.size() && text[e] == ' ' &&
          StartsWithNoCase(text.substr(e + 1), "ND") &&
          (e + 3 == text.size() || !IsAsciiAlpha(text[e + 3]))) {
        i = e + 3;
        continue;
      }
      const char l =
          static_cast<char>(IsAsciiUpper(w[0]) ? w[0] - 'A' + 'a' : w[0]);
      if (w.size() == 1 && l >= 'a' && l <= 'h') {
        add(section, l);
      } else if (!IsIgnoredReasonWord(w)) {
        if (!out.empty() || ++unknown_words > 4) break;
      }
      i = e;
      continue;
    }
    ++i;
  }
  return out;
}

ClassificationAuthority ParseClassifiedBy(absl::string_view block) {
  std::string folded;
  AppendFolded(block, &folded);
  const absl::string_view s = StripLabel(folded);
  const size_t cut = NameEnd(s);
  ClassificationAuthority out;
  out.classified_by = CleanName(s.substr(0, cut));
  out.reasons = ParseReasons(s.substr(cut));
  return out;
}

ClassificationAuthority ExtractClassifiedBy(
    const std::vector<absl::string_view>& lines, size_t limit) {
  limit = std::min(limit, lines.size());
  for (size_t i = 0; i < limit; ++i) {
    absl::string_view t = LabelStart(lines[i]);
    if (t.empty()) continue;
    std::string block(t);
    for (size_t j = i + 1; j < lines.size() && j <= i + 3; ++j) {
      const absl::string_view next = TrimView(lines[j]);
      if (next.empty() || next.size() > 120 || ParseParagraphStart(next) ||
          StartsFieldLabel(next) || IsRuleLine(next) ||
          ParsePageBreakLine(next, nullptr) || StartsWithSummaryWord(next)) {
        break;
      }
      if (!ParseClassifiedBy(block).reasons.empty() &&
          !ReasonsIncomplete(block)) {
        break;
      }
      block.push_back(' ');
      block.append(next.data(), next.size());
    }
    return ParseClassifiedBy(block);
  }
  return {};
}

}  // namespace cables::parser
