#include "services/ingest/parser/body_lines.h"

#include <algorithm>
#include <array>

namespace cables::parser {
namespace {

// A whitespace-separated token of a line and where it starts.
struct Token {
  absl::string_view text;
  size_t offset = 0;
};

// Splits the first `max_tokens` whitespace-separated tokens of `line`.
// Returns how many were stored.
template <size_t N>
size_t Tokenize(absl::string_view line, std::array<Token, N>* tokens) {
  size_t count = 0;
  size_t i = 0;
  while (i < line.size() && count < N) {
    while (i < line.size() && IsAsciiSpace(line[i])) ++i;
    if (i >= line.size()) break;
    const size_t start = i;
    while (i < line.size() && !IsAsciiSpace(line[i])) ++i;
    (*tokens)[count++] = Token{line.substr(start, i - start), start};
  }
  return count;
}

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

bool IsUpperWord(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiUpper(c) && c != '-' && c != '.' && c != '\'') return false;
  }
  return IsAsciiUpper(s[0]);
}

// "002", "001.2".
bool IsPageNumber(absl::string_view s) {
  const size_t dot = s.find('.');
  if (dot == absl::string_view::npos) return AllDigits(s);
  return AllDigits(s.substr(0, dot)) && AllDigits(s.substr(dot + 1));
}

// "291400Z".
bool IsDtgToken(absl::string_view s) {
  return s.size() == 7 && AllDigits(s.substr(0, 6)) && s[6] == 'Z';
}

// Marking words a paragraph marking may start with.
bool IsMarkingWord(absl::string_view w) {
  static constexpr std::array<absl::string_view, 16> kWords = {
      "U",        "C",      "S",       "TS",           "SBU",
      "LOU",      "FOUO",   "NF",      "CONF",         "CONFIDENTIAL",
      "SECRET",   "UNCLAS", "UNCLASS", "UNCLASSIFIED", "REL",
      "TOPSECRET"};
  for (absl::string_view k : kWords) {
    if (w.size() != k.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < w.size(); ++i) {
      if (ToAsciiUpper(w[i]) != k[i]) {
        eq = false;
        break;
      }
    }
    if (eq) return true;
  }
  return false;
}

}  // namespace

size_t FindIgnoreCase(absl::string_view haystack, absl::string_view needle,
                      size_t pos) {
  if (needle.empty())
    return pos <= haystack.size() ? pos : absl::string_view::npos;
  if (haystack.size() < needle.size()) return absl::string_view::npos;
  const char up = ToAsciiUpper(needle[0]);
  const char lo = IsAsciiUpper(up) ? static_cast<char>(up - 'A' + 'a') : up;
  const char* const h = haystack.data();
  const size_t last = haystack.size() - needle.size();
  for (size_t i = pos; i <= last; ++i) {
    if (h[i] != up && h[i] != lo) continue;
    size_t k = 1;
    while (k < needle.size() &&
           ToAsciiUpper(h[i + k]) == ToAsciiUpper(needle[k])) {
      ++k;
    }
    if (k == needle.size()) return i;
  }
  return absl::string_view::npos;
}

size_t FindWordIgnoreCase(absl::string_view haystack, absl::string_view needle,
                          size_t pos) {
  while (true) {
    const size_t at = FindIgnoreCase(haystack, needle, pos);
    if (at == absl::string_view::npos) return at;
    const bool left_ok = at == 0 || !IsAsciiAlnum(haystack[at - 1]);
    const size_t end = at + needle.size();
    const bool right_ok =
        end >= haystack.size() || !IsAsciiAlnum(haystack[end]);
    if (left_ok && right_ok) return at;
    pos = at + 1;
  }
}

bool StartsWithNoCase(absl::string_view s, absl::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (ToAsciiUpper(s[i]) != ToAsciiUpper(prefix[i])) return false;
  }
  return true;
}

absl::string_view TrimView(absl::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && IsAsciiSpace(s[b])) ++b;
  while (e > b && IsAsciiSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

absl::string_view TrimRightChars(absl::string_view s, absl::string_view chars) {
  while (!s.empty() && chars.find(s.back()) != absl::string_view::npos) {
    s.remove_suffix(1);
  }
  return s;
}

absl::string_view TrimLeftChars(absl::string_view s, absl::string_view chars) {
  while (!s.empty() && chars.find(s.front()) != absl::string_view::npos) {
    s.remove_prefix(1);
  }
  return s;
}

void AppendFolded(absl::string_view text, std::string* out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end && IsAsciiSpace(*p)) ++p;
  if (p >= end) return;
  if (!out->empty() && out->back() != ' ') out->push_back(' ');
  while (p < end) {
    // Copy a run of words separated by single spaces in one go.
    const char* q = p;
    while (q < end) {
      const char c = *q;
      if (!IsAsciiSpace(c)) {
        ++q;
      } else if (c == ' ' && q + 1 < end && !IsAsciiSpace(q[1])) {
        q += 2;
      } else {
        break;
      }
    }
    out->append(p, static_cast<size_t>(q - p));
    while (q < end && IsAsciiSpace(*q)) ++q;
    if (q < end) out->push_back(' ');
    p = q;
  }
}

bool IsBlankLine(absl::string_view line) {
  for (char c : line) {
    if (!IsAsciiSpace(c)) return false;
  }
  return true;
}

bool IsRuleLine(absl::string_view line) {
  int marks = 0;
  for (char c : line) {
    if (c == '-' || c == '=' || c == '_' || c == '*' || c == '~' || c == '.') {
      ++marks;
    } else if (!IsAsciiSpace(c)) {
      return false;
    }
  }
  return marks >= 3;
}

bool ParsePageBreakLine(absl::string_view line, absl::string_view* rest) {
  // Fast rejection: every form holds " OF " or starts with "PAGE".
  {
    size_t b = 0;
    while (b < line.size() && (line[b] == ' ' || line[b] == '\t')) ++b;
    if (b >= line.size() || !IsAsciiUpper(line[b])) return false;
    if (line.substr(b, 4) != "PAGE" &&
        line.find(" OF ") == absl::string_view::npos) {
      return false;
    }
  }
  std::array<Token, 12> tokens;
  const size_t n = Tokenize(line, &tokens);
  if (n < 4) return false;
  if (tokens[0].text == "PAGE" && AllDigits(tokens[1].text)) {
    // Old-style: "PAGE 02 HARARE 06677 01 OF 03 291400Z <glued text>".
    for (size_t k = 2; k < n; ++k) {
      if (IsDtgToken(tokens[k].text)) {
        if (rest != nullptr) {
          const size_t end = tokens[k].offset + tokens[k].text.size();
          *rest = TrimView(line.substr(end));
        }
        return true;
      }
    }
    // "PAGE 02 RUEHFRA0170 S E C R E T": nothing to keep.
    if (rest != nullptr) *rest = absl::string_view();
    return IsAsciiUpper(tokens[2].text[0]);
  }
  // "STATION[ WORDS] 00000427 002 OF 002 [glued text]".
  for (size_t k = 3; k + 1 < n; ++k) {
    if (tokens[k].text != "OF") continue;
    if (!AllDigits(tokens[k + 1].text) || !IsPageNumber(tokens[k - 1].text) ||
        !AllDigits(tokens[k - 2].text) || tokens[k - 2].text.size() < 5) {
      return false;
    }
    if (k - 2 > 5) return false;  // at most five station words
    for (size_t s = 0; s + 2 < k; ++s) {
      if (!IsUpperWord(tokens[s].text)) return false;
    }
    if (rest != nullptr) {
      const size_t end = tokens[k + 1].offset + tokens[k + 1].text.size();
      *rest = TrimView(line.substr(end));
    }
    return true;
  }
  return false;
}

bool IsClassificationOnlyLine(absl::string_view line) {
  line = TrimView(line);
  if (line.empty() || line.size() > 60) return false;
  switch (line[0]) {
    case 'C':
    case 'c':
    case 'S':
    case 's':
    case 'U':
    case 'u':
    case 'T':
    case 't':
    case 'L':
    case 'l':
      break;
    default:
      return false;
  }
  // Squeeze spaces and upper-case into a small buffer.
  char buffer[64];
  size_t n = 0;
  for (char c : line) {
    if (c != ' ' && c != '\t') buffer[n++] = ToAsciiUpper(c);
  }
  const absl::string_view squeezed(buffer, n);
  static constexpr std::array<absl::string_view, 6> kLevels = {
      "UNCLASSIFIED", "UNCLAS", "CONFIDENTIAL",
      "TOPSECRET",    "SECRET", "LIMITEDOFFICIALUSE"};
  for (absl::string_view level : kLevels) {
    if (squeezed.substr(0, level.size()) != level) continue;
    const absl::string_view tail = squeezed.substr(level.size());
    if (tail.empty()) return true;
    return tail.size() >= 2 && tail[0] == '/' && tail[1] == '/';
  }
  return false;
}

bool StartsFieldLabel(absl::string_view line) {
  const absl::string_view t = TrimView(line);
  auto word_then_colon = [&t](absl::string_view word) {
    if (!StartsWithNoCase(t, word)) return false;
    size_t k = word.size();
    if (k < t.size() && IsAsciiAlpha(t[k])) return false;
    while (k < t.size() && t[k] == ' ') ++k;
    return k < t.size() && t[k] == ':';
  };
  auto word_then_space = [&t](absl::string_view word) {
    if (!StartsWithNoCase(t, word)) return false;
    return t.size() == word.size() || !IsAsciiAlpha(t[word.size()]);
  };
  return word_then_colon("SUBJECT") || word_then_colon("SUBJ") ||
         word_then_space("REF") || word_then_space("REFS") ||
         word_then_space("REFTEL") || word_then_space("REFTELS") ||
         word_then_colon("REFERENCE") || word_then_colon("REFERENCES") ||
         StartsWithNoCase(t, "CLASSIFIED BY") || StartsWithNoCase(t, "E.O") ||
         StartsWithNoCase(t, "E. O.") || StartsWithNoCase(t, "EO 1") ||
         word_then_space("DECL") || StartsWithNoCase(t, "DECLASSIFY ON") ||
         word_then_space("TAGS") || word_then_colon("TAG") ||
         word_then_colon("TAGE") || word_then_colon("TAS");
}

size_t SummaryWordOffset(absl::string_view line) {
  size_t p = 0;
  if (std::optional<ParagraphStart> start = ParseParagraphStart(line)) {
    p = start->text_offset;
  } else {
    while (p < line.size() && IsAsciiSpace(line[p])) ++p;
    if (line.substr(p, kPilcrow.size()) == kPilcrow) p += kPilcrow.size();
    while (p < line.size() && IsAsciiSpace(line[p])) ++p;
    size_t used = 0;
    if (ParseMarking(line.substr(p), &used)) p += used;
  }
  // Decoration: "------- Summary -------", "//SUMMARY//".
  while (p < line.size() &&
         (IsAsciiSpace(line[p]) || line[p] == '-' || line[p] == '/' ||
          line[p] == '=' || line[p] == '*')) {
    ++p;
  }
  // "Begin Summary", "Introduction and Summary", "Executive Summary".
  for (absl::string_view lead :
       {"BEGIN ", "INTRODUCTION AND ", "EXECUTIVE ", "BACKGROUND AND "}) {
    if (StartsWithNoCase(line.substr(p), lead)) {
      p += lead.size();
      while (p < line.size() && line[p] == ' ') ++p;
      break;
    }
  }
  if (!StartsWithNoCase(line.substr(p), "SUMMARY"))
    return absl::string_view::npos;
  absl::string_view t = line.substr(p + 7);
  if (t.empty()) return p;
  const char c = t[0];
  if (c == ':' || c == '.' || c == '-' || c == ';' || c == ',' || c == '/' ||
      c == ')' || c == '&') {
    return p;
  }
  if (!IsAsciiSpace(c)) return absl::string_view::npos;
  t = TrimView(t);
  if (t.empty() || StartsWithNoCase(t, "AND ") || IsAsciiUpper(t[0]) ||
      t[0] == '-' || t[0] == ':' || t[0] == '&' || t[0] == '(') {
    return p;
  }
  return absl::string_view::npos;
}

bool StartsWithSummaryWord(absl::string_view line) {
  return SummaryWordOffset(line) != absl::string_view::npos;
}

std::optional<std::string> ParseMarking(absl::string_view s, size_t* consumed) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i >= s.size() || s[i] != '(') return std::nullopt;
  const size_t open = i;
  size_t close = open + 1;
  const size_t limit = std::min(s.size(), open + 42);
  while (close < limit && s[close] != ')') {
    const char c = s[close];
    if (!IsAsciiAlpha(c) && c != '/' && c != ' ' && c != '-' && c != ',' &&
        c != '.' && c != '&') {
      return std::nullopt;
    }
    ++close;
  }
  if (close >= limit || s[close] != ')') return std::nullopt;
  const absl::string_view inner =
      TrimView(s.substr(open + 1, close - open - 1));
  size_t w = 0;
  while (w < inner.size() && IsAsciiAlpha(inner[w])) ++w;
  if (w == 0 || !IsMarkingWord(inner.substr(0, w))) return std::nullopt;
  std::string marking;
  AppendFolded(inner, &marking);
  for (char& c : marking) c = ToAsciiUpper(c);
  if (consumed != nullptr) *consumed = close + 1;
  return marking;
}

std::vector<absl::string_view> SplitGluedLines(
    const std::vector<absl::string_view>& lines) {
  std::vector<absl::string_view> out;
  out.reserve(lines.size() + 8);
  for (absl::string_view line : lines) {
    absl::string_view glued;
    if (ParsePageBreakLine(line, &glued) && !glued.empty()) {
      out.push_back(
          line.substr(0, static_cast<size_t>(glued.data() - line.data())));
      line = glued;
    }
    size_t from = 0;  // start of the not yet emitted rest
    size_t pos = 0;
    while (line.size() > 40) {
      const size_t paren = line.find('(', pos);
      if (paren == absl::string_view::npos) break;
      pos = paren + 1;
      // "<end>. 12. (C)" / "<end>. 6.(S)": walk back over ". " and digits.
      size_t k = paren;
      if (k > 0 && line[k - 1] == ' ') --k;
      if (k == 0 || line[k - 1] != '.') continue;
      --k;
      size_t digits = 0;
      while (k > 0 && IsAsciiDigit(line[k - 1]) && digits < 3) {
        --k;
        ++digits;
      }
      if (digits == 0 || digits > 2 || k < 2 + from || line[k - 1] != ' ') {
        continue;
      }
      size_t e = k - 1;
      while (e > from && line[e - 1] == ' ') --e;
      if (e == from) continue;
      const char end = line[e - 1];
      const bool sentence =
          end == '.' || end == '!' || end == '?' || end == ')' || end == '"' ||
          (e >= from + 3 && line.substr(e - 3, 3) == "\xE2\x80\x9D");
      if (!sentence) continue;
      size_t used = 0;
      if (!ParseMarking(line.substr(paren), &used)) continue;
      out.push_back(line.substr(from, e - from));
      from = k;
    }
    out.push_back(line.substr(from));
  }
  return out;
}

std::optional<ParagraphStart> ParseParagraphStart(absl::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  // "(C) 1. Text": the marking written before the number.
  std::string leading_marking;
  if (i < line.size() && line[i] == '(') {
    size_t used = 0;
    std::optional<std::string> m = ParseMarking(line.substr(i), &used);
    if (!m.has_value()) return std::nullopt;
    size_t k = i + used;
    while (k < line.size() && line[k] == ' ') ++k;
    if (k >= line.size() || !IsAsciiDigit(line[k])) return std::nullopt;
    leading_marking = *std::move(m);
    i = k;
  }
  if (line.substr(i, kPilcrow.size()) == kPilcrow) {
    i += kPilcrow.size();
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  }
  const size_t digits_start = i;
  int number = 0;
  while (i < line.size() && IsAsciiDigit(line[i]) && i - digits_start < 4) {
    number = number * 10 + (line[i] - '0');
    ++i;
  }
  const size_t digits = i - digits_start;
  if (digits == 0 || digits > 3 || number == 0) return std::nullopt;
  if (i >= line.size() || line[i] != '.') return std::nullopt;
  ++i;
  if (i < line.size() && IsAsciiDigit(line[i])) return std::nullopt;
  if (i + 1 < line.size() && line[i] == '.' && line[i + 1] == ' ')
    ++i;  // "3.."
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  ParagraphStart start;
  start.number = number;
  if (!leading_marking.empty()) {
    start.marking = std::move(leading_marking);
  } else if (i < line.size() && line[i] == '(') {
    size_t used = 0;
    if (std::optional<std::string> marking =
            ParseMarking(line.substr(i), &used)) {
      start.marking = *std::move(marking);
      i += used;
    }
  } else if (i < line.size() && IsAsciiUpper(line[i])) {
    // "C) text": marking missing its opening parenthesis.
    size_t k = i;
    while (k < line.size() && k - i < 4 && IsAsciiUpper(line[k])) ++k;
    if (k < line.size() && line[k] == ')' &&
        IsMarkingWord(line.substr(i, k - i))) {
      start.marking = std::string(line.substr(i, k - i));
      i = k + 1;
    }
  } else if (i < line.size() && (line[i] == '.' || line[i] == ')')) {
    return std::nullopt;
  }
  while (i < line.size() && IsAsciiSpace(line[i])) ++i;
  start.text_offset = i;
  return start;
}

}  // namespace cables::parser
