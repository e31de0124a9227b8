#include "services/ingest/parser/paragraphs.h"

#include <algorithm>
#include <array>
#include <optional>

#include "services/ingest/parser/body_lines.h"
#include "services/ingest/parser/caveats.h"

namespace cables::parser {
namespace {

constexpr int kMaxNumber = 999;

struct Candidate {
  size_t line = 0;
  ParagraphStart start;
};

bool EndsSentence(absl::string_view line) {
  const absl::string_view t = TrimView(line);
  if (t.empty()) return false;
  const char c = t.back();
  if (c == '.' || c == '!' || c == '?' || c == ')' || c == '"' || c == '\'') {
    return true;
  }
  // U+201D right double quotation mark.
  return t.size() >= 3 && t.substr(t.size() - 3) == "\xE2\x80\x9D";
}

bool IsDecoration(char c) {
  return c == '-' || c == '=' || c == '_' || c == '*' || c == '~' || c == '/' ||
         c == ' ' || c == '\t';
}

bool HasDecoration(absl::string_view line) {
  const absl::string_view t = TrimView(line);
  return !t.empty() && ((IsDecoration(t.front()) && t.front() != ' ') ||
                        (t.size() >= 3 && IsDecoration(t.back()) &&
                         IsDecoration(t[t.size() - 2])));
}

}  // namespace

std::string HeadingText(absl::string_view line) {
  absl::string_view t = TrimView(line);
  while (!t.empty() && IsDecoration(t.front())) t.remove_prefix(1);
  while (!t.empty() && IsDecoration(t.back())) t.remove_suffix(1);
  t = TrimRightChars(t, ": ");
  if (t.empty() || t.size() > 90) return "";
  bool letter = false;
  size_t words = 1;
  bool all_x = true;
  for (char c : t) {
    letter |= IsAsciiAlpha(c);
    words += c == ' ' ? 1 : 0;
    all_x &= c == 'x' || c == 'X' || c == ' ';
  }
  if (!letter || all_x || words > 14) return "";
  const char last = t.back();
  if (last == '.' || last == ',' || last == ';') return "";
  const char first = t.front();
  if (first == '(' || IsAsciiLower(first) ||
      t.substr(0, kPilcrow.size()) == kPilcrow || ParseParagraphStart(t)) {
    return "";
  }
  if (StartsFieldLabel(t) || IsClassificationOnlyLine(t) ||
      ParsePageBreakLine(t, nullptr) || StartsWithNoCase(t, "BEGIN ") ||
      StartsWithNoCase(t, "END ") ||
      FindIgnoreCase(t, "http") != absl::string_view::npos) {
    return "";
  }
  std::vector<std::string> caveats;
  if (ParseCaveatLine(t, &caveats)) return "";
  std::string out;
  AppendFolded(t, &out);
  return out;
}

std::vector<ParagraphSpan> FindParagraphs(
    const std::vector<absl::string_view>& lines, size_t end) {
  end = std::min(end, lines.size());
  std::vector<Candidate> cands;
  size_t marked = 0;
  for (size_t i = 0; i < end; ++i) {
    std::optional<ParagraphStart> start = ParseParagraphStart(lines[i]);
    if (!start.has_value() || start->number > kMaxNumber) continue;
    marked += start->marking.empty() ? 0 : 1;
    cands.push_back(Candidate{i, *std::move(start)});
  }
  const bool strong = marked >= 2;

  // Per candidate k: chain, the length of the run k, (first later n+1),
  // (first later n+2)...; best_after, the longest chain of a later
  // candidate with k's number; the next marked candidate after k; the next
  // candidate with k's number and with k's number + 1.
  struct Links {
    int chain = 1;
    int best_after = 0;
    int next_marked = -1;
    int next_same = -1;
    int next_succ = -1;
  };
  const size_t n_cands = cands.size();
  std::vector<Links> links(n_cands);
  {
    // Indexed by paragraph number (at most kMaxNumber + 1).
    std::array<int, kMaxNumber + 2> next_pos;
    std::array<int, kMaxNumber + 2> best_for;
    next_pos.fill(-1);
    best_for.fill(0);
    int next = -1;
    for (size_t k = n_cands; k-- > 0;) {
      const int n = cands[k].start.number;
      Links& l = links[k];
      if (next_pos[n + 1] >= 0) l.chain = 1 + links[next_pos[n + 1]].chain;
      l.best_after = best_for[n];
      best_for[n] = std::max(best_for[n], l.chain);
      l.next_marked = next;
      if (!cands[k].start.marking.empty()) next = static_cast<int>(k);
      l.next_same = next_pos[n];
      l.next_succ = next_pos[n + 1];
      next_pos[n] = static_cast<int>(k);
    }
  }

  std::vector<ParagraphSpan> spans;
  int last = 0;
  bool rejected_since_last = false;
  for (size_t k = 0; k < n_cands; ++k) {
    const Candidate& c = cands[k];
    const int n = c.start.number;
    bool ok = false;
    if (strong && c.start.marking.empty()) {
      ok = n == last + 1 && (links[k].next_marked < 0 ||
                             cands[links[k].next_marked].start.number > n);
    } else if (last == 0) {
      ok = n <= (strong ? 60 : 30);
    } else {
      ok = n == last + 1 || (n > last && n <= last + (strong ? 10 : 3));
    }
    // A later start with the same number that begins a longer run wins
    // (the earlier one is an item of a numbered list).
    // In marked cables only unmarked starts can be list items.
    const bool may_be_item = !strong || c.start.marking.empty();
    if (ok && may_be_item && links[k].best_after > links[k].chain) ok = false;
    // Inside a numbered list (starts were just rejected), a later start
    // with the same number before the next number is the paragraph.
    if (ok && may_be_item && rejected_since_last && links[k].next_same >= 0 &&
        (links[k].next_succ < 0 || links[k].next_same < links[k].next_succ)) {
      ok = false;
    }
    if (!ok) {
      rejected_since_last = true;
      continue;
    }
    rejected_since_last = false;
    ParagraphSpan span;
    span.number = n;
    span.marking = c.start.marking;
    span.line = c.line;
    span.text_offset = c.start.text_offset;
    spans.push_back(std::move(span));
    last = n;
  }

  // Headings and ends.
  for (size_t a = 0; a < spans.size(); ++a) {
    const size_t start = spans[a].line;
    const size_t lower = a == 0 ? 0 : spans[a - 1].line + 1;
    spans[a].end_line = a + 1 < spans.size() ? spans[a + 1].line : end;
    if (start == 0) continue;
    size_t k = start;
    while (k > lower &&
           (IsBlankLine(lines[k - 1]) || IsRuleLine(lines[k - 1]))) {
      --k;
    }
    if (k <= lower) continue;
    const size_t h = k - 1;  // heading candidate
    std::string heading = HeadingText(lines[h]);
    if (heading.empty()) continue;
    const bool underlined = h + 1 < start && IsRuleLine(lines[h + 1]);
    const bool decorated = underlined || HasDecoration(lines[h]);
    bool standalone = h == 0 || IsBlankLine(lines[h - 1]) ||
                      IsRuleLine(lines[h - 1]) || decorated;
    // Unwrapped text: a short line after a finished sentence.
    if (!standalone && EndsSentence(lines[h - 1]) && heading.size() <= 70 &&
        !IsAsciiLower(heading.front()) && heading.back() != ')' &&
        heading.back() != '"') {
      standalone = true;
    }
    if (!standalone) continue;
    spans[a].heading = std::move(heading);
    if (a > 0) {
      size_t top = h;
      if (top > lower && IsRuleLine(lines[top - 1])) --top;
      spans[a - 1].end_line = std::max(top, spans[a - 1].line + 1);
    }
  }
  return spans;
}

void AppendContent(const std::vector<absl::string_view>& lines, size_t begin,
                   size_t first_offset, size_t end, std::string* out) {
  end = std::min(end, lines.size());
  size_t bytes = 0;  // an upper bound of what is appended
  for (size_t i = begin; i < end; ++i) bytes += lines[i].size() + 1;
  out->reserve(out->size() + bytes);
  for (size_t i = begin; i < end; ++i) {
    absl::string_view line = lines[i];
    if (i == begin) {
      line = line.substr(std::min(first_offset, line.size()));
    } else {
      if (IsBlankLine(line)) continue;
      absl::string_view rest;
      if (ParsePageBreakLine(line, &rest)) {
        if (rest.empty()) continue;
        line = rest;
      }
      if (IsClassificationOnlyLine(line) || IsRuleLine(line)) continue;
    }
    AppendFolded(line, out);
  }
}

std::string ParagraphText(const std::vector<absl::string_view>& lines,
                          const ParagraphSpan& span) {
  std::string out;
  AppendContent(lines, span.line, span.text_offset, span.end_line, &out);
  return out;
}

}  // namespace cables::parser
