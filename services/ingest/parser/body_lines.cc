#include "services/ingest/parser/body_lines.h"

#include <algorithm>
#include <array>

#include "services/ingest/parser/byte_scan.h"

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

// Rough frequency rank of each byte value in cable text (higher: more
// frequent), to pick the character a search scans for.
constexpr std::array<unsigned char, 256> MakeCharFrequency() {
  std::array<unsigned char, 256> rank{};
  for (auto& r : rank) r = 5;  // punctuation, control and non-ASCII bytes
  for (int c = '0'; c <= '9'; ++c) rank[c] = 20;
  // English letters from the rarest to the most frequent.
  constexpr char kLetters[] = "ZQJXKVBPYGFWMUCLDRHSNIOATE";
  for (int k = 0; kLetters[k] != '\0'; ++k) {
    rank[static_cast<unsigned char>(kLetters[k])] = 10 + k;
    rank[static_cast<unsigned char>(kLetters[k] - 'A' + 'a')] = 10 + k;
  }
  rank[' '] = 100;
  return rank;
}
constexpr std::array<unsigned char, 256> kCharFrequency = MakeCharFrequency();

int CharFrequency(char c) {
  return kCharFrequency[static_cast<unsigned char>(c)];
}

// True when `c` is one of `chars` (a handful: a loop beats a memchr call).
bool OneOf(char c, absl::string_view chars) {
  for (const char k : chars) {
    if (k == c) return true;
  }
  return false;
}

}  // namespace

size_t FindIgnoreCase(absl::string_view haystack, absl::string_view needle,
                      size_t pos) {
  if (needle.empty())
    return pos <= haystack.size() ? pos : absl::string_view::npos;
  if (haystack.size() < needle.size()) return absl::string_view::npos;
  const char* const h = haystack.data();
  const size_t last = haystack.size() - needle.size();
  auto matches_at = [&](size_t i) {
    for (size_t k = 0; k < needle.size(); ++k) {
      if (ToAsciiUpper(h[i + k]) != ToAsciiUpper(needle[k])) return false;
    }
    return true;
  };
  // Candidates are where the needle's rarest character matches, found by a
  // vector scan (byte_scan.h); each is then compared in full.
  size_t r = 0;
  for (size_t k = 1; k < needle.size(); ++k) {
    if (CharFrequency(needle[k]) < CharFrequency(needle[r])) r = k;
  }
  const char rare = needle[r];
  size_t i = pos;  // candidate start
  while (i <= last) {
    // The rare character of candidates i..last is at i + r..last + r.
    const size_t skip =
        byte_scan::FindByteNoCase(h + i + r, last - i + 1, rare);
    if (skip > last - i) break;
    i += skip;
    if (matches_at(i)) return i;
    ++i;
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
  while (!s.empty() && OneOf(s.back(), chars)) s.remove_suffix(1);
  return s;
}

absl::string_view TrimLeftChars(absl::string_view s, absl::string_view chars) {
  while (!s.empty() && OneOf(s.front(), chars)) s.remove_prefix(1);
  return s;
}

void AppendFolded(absl::string_view text, std::string* out) {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end && IsAsciiSpace(*p)) ++p;
  while (end > p && IsAsciiSpace(end[-1])) --end;
  if (p == end) return;
  if (!out->empty() && out->back() != ' ') out->push_back(' ');
  out->reserve(out->size() + static_cast<size_t>(end - p));
  // [p, end) starts and ends with a non-space: copy the runs between fold
  // points (a whitespace byte other than a lone ' ' between non-spaces) in
  // one go, and one space for each whitespace run.
  while (true) {
    const char* fold = byte_scan::FindFoldPoint(p, end);
    out->append(p, static_cast<size_t>(fold - p));
    if (fold == end) return;
    while (IsAsciiSpace(*fold)) ++fold;  // stops before `end`
    out->push_back(' ');
    p = fold;
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
  // Fast rejection from the first tokens alone (prose is rejected at its
  // first word): the old form starts with the token "PAGE"; the other needs
  // one to five station words and then the serial (five digits or more).
  {
    size_t b = 0;
    while (b < line.size() && (line[b] == ' ' || line[b] == '\t')) ++b;
    if (b >= line.size() || !IsAsciiUpper(line[b])) return false;
    size_t i = b;
    size_t words = 0;
    bool page_form = false;
    while (true) {
      size_t j = i;
      while (j < line.size() && (IsAsciiUpper(line[j]) || line[j] == '-' ||
                                 line[j] == '.' || line[j] == '\'')) {
        ++j;
      }
      const bool upper_word =
          IsAsciiUpper(line[i]) && (j == line.size() || IsAsciiSpace(line[j]));
      if (!upper_word) break;
      if (words == 0 && line.substr(i, j - i) == "PAGE") {
        page_form = true;
        break;
      }
      if (++words > 5) return false;
      i = j;
      while (i < line.size() && IsAsciiSpace(line[i])) ++i;
      if (i == line.size()) return false;
    }
    if (!page_form) {
      size_t j = i;
      while (j < line.size() && IsAsciiDigit(line[j])) ++j;
      if (words == 0 || j - i < 5 ||
          (j < line.size() && !IsAsciiSpace(line[j]))) {
        return false;
      }
    }
    // The marker's " OF " is written with plain spaces.
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
  // The line, without spaces and tabs and in upper case, must start with a
  // level and then end or go on with "//". Matched letter by letter, so
  // prose fails at its first letters.
  absl::string_view level;
  switch (ToAsciiUpper(line[0])) {
    case 'U':
      level = "UNCLASSIFIED";
      break;
    case 'C':
      level = "CONFIDENTIAL";
      break;
    case 'T':
      level = "TOPSECRET";
      break;
    case 'S':
      level = "SECRET";
      break;
    case 'L':
      level = "LIMITEDOFFICIALUSE";
      break;
    default:
      return false;
  }
  auto skip_blanks = [&line](size_t i) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    return i;
  };
  constexpr size_t kUnclas = 6;  // "UNCLAS" is a level of its own
  size_t i = 0;
  size_t after_unclas = 0;
  size_t k = 0;
  for (; k < level.size(); ++k) {
    i = skip_blanks(i);
    if (i >= line.size() || ToAsciiUpper(line[i]) != level[k]) break;
    ++i;
    if (k + 1 == kUnclas) after_unclas = i;
  }
  if (k < level.size()) {
    if (level[0] != 'U' || k < kUnclas) return false;
    i = after_unclas;
  }
  i = skip_blanks(i);
  if (i == line.size()) return true;
  if (line[i] != '/') return false;
  i = skip_blanks(i + 1);
  return i < line.size() && line[i] == '/';
}

bool StartsFieldLabel(absl::string_view line) {
  const absl::string_view t = TrimView(line);
  if (t.empty()) return false;
  switch (ToAsciiUpper(t[0])) {  // the labels' first letters
    case 'S':
    case 'R':
    case 'C':
    case 'E':
    case 'D':
    case 'T':
      break;
    default:
      return false;
  }
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
  {
    // Prose: a line whose first non-space is a letter can only start with
    // SUMMARY or one of the leads below.
    size_t k = 0;
    while (k < line.size() && IsAsciiSpace(line[k])) ++k;
    if (k < line.size() && IsAsciiAlpha(line[k])) {
      const char c = ToAsciiUpper(line[k]);
      if (c != 'S' && c != 'B' && c != 'I' && c != 'E') {
        return absl::string_view::npos;
      }
    }
  }
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
  // Upper case, runs of spaces folded (the only whitespace allowed inside;
  // `inner` is trimmed).
  std::string marking;
  marking.reserve(inner.size());
  bool space = false;
  for (const char c : inner) {
    if (c == ' ') {
      space = true;
      continue;
    }
    if (space) marking.push_back(' ');
    space = false;
    marking.push_back(ToAsciiUpper(c));
  }
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
      if (pos >= line.size()) break;
      const size_t paren = pos + byte_scan::FindByteNoCase(
                                     line.data() + pos, line.size() - pos, '(');
      if (paren >= line.size()) break;
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
