#include "services/ingest/parser/summary.h"

#include <algorithm>
#include <optional>

#include "services/ingest/parser/body_lines.h"

namespace cables::parser {
namespace {

constexpr size_t kNpos = absl::string_view::npos;

// Appends lines [l1, l2] from (l1, o1) to (l2, o2) (o2 == npos: whole
// line) to *out, dropping paragraph numbers/markings, page breaks,
// classification footers and rule lines.
void Collect(const std::vector<absl::string_view>& lines,
             const std::vector<ParagraphSpan>& spans, size_t l1, size_t o1,
             size_t l2, size_t o2, std::string* out) {
  size_t s = 0;
  for (size_t i = l1; i <= l2 && i < lines.size(); ++i) {
    absl::string_view line = lines[i];
    if (i == l2 && o2 != kNpos)
      line = line.substr(0, std::min(o2, line.size()));
    size_t from = 0;
    if (i == l1) {
      from = o1;
    } else {
      while (s < spans.size() && spans[s].line < i) ++s;
      if (s < spans.size() && spans[s].line == i) {
        from = spans[s].text_offset;
      } else {
        absl::string_view rest;
        if (ParsePageBreakLine(line, &rest)) {
          line = rest;
        } else if (IsClassificationOnlyLine(line) || IsRuleLine(line)) {
          continue;
        }
      }
    }
    if (from < line.size()) AppendFolded(line.substr(from), out);
  }
}

// FindEndSummary on line l, also matching an "End" that ends line l when
// line l + 1 starts with "summary" (the marker wrapped over two lines).
size_t FindEndSummaryIn(const std::vector<absl::string_view>& lines, size_t l,
                        size_t from) {
  const absl::string_view line = lines[l];
  const size_t at = FindEndSummary(line, from);
  if (at != kNpos) return at;
  const absl::string_view t = TrimRightChars(line, " \t");
  if (l + 1 < lines.size() && t.size() >= 3 + from &&
      StartsWithNoCase(t.substr(t.size() - 3), "END") &&
      (t.size() == 3 || !IsAsciiAlpha(t[t.size() - 4])) &&
      StartsWithNoCase(TrimView(lines[l + 1]), "SUMMARY")) {
    return t.size() - 3;
  }
  return kNpos;
}

std::string Clean(std::string text) {
  absl::string_view t = text;
  t = TrimLeftChars(t, ":.-;, ");
  while (true) {
    const size_t before = t.size();
    t = TrimRightChars(t, " -([");
    // U+2013 / U+2014 dashes.
    if (t.size() >= 3 && (t.substr(t.size() - 3) == "\xE2\x80\x93" ||
                          t.substr(t.size() - 3) == "\xE2\x80\x94")) {
      t.remove_suffix(3);
    }
    if (t.size() == before) break;
  }
  return std::string(t);
}

}  // namespace

size_t SummaryMarkerEnd(absl::string_view line) {
  const size_t word = SummaryWordOffset(line);
  if (word == kNpos) return kNpos;
  size_t p = std::min(word + 7, line.size());  // "SUMMARY"
  // "Summary and Comment:", "SUMMARY AND ACTION REQUEST."
  size_t q = p;
  while (q < line.size() && line[q] == ' ') ++q;
  const bool and_word = StartsWithNoCase(line.substr(q), "AND ");
  if (and_word || StartsWithNoCase(line.substr(q), "& ")) {
    size_t r = q + (and_word ? 4 : 2);
    for (int words = 0; words < 4 && r < line.size(); ++words) {
      while (r < line.size() && line[r] == ' ') ++r;
      size_t e = r;
      while (e < line.size() && (IsAsciiAlpha(line[e]) || line[e] == '/')) ++e;
      if (e == r) break;
      r = e;
      size_t k = r;
      while (k < line.size() && IsAsciiSpace(line[k])) ++k;
      // "Summary and Comment:", or a heading line "Summary and Background".
      if (k >= line.size() || line[k] == ':' || line[k] == '.' ||
          line[k] == '-') {
        p = k;
        break;
      }
    }
  }
  // "Summary/Introduction."
  if (p < line.size() && line[p] == '/') {
    ++p;
    while (p < line.size() && IsAsciiAlpha(line[p])) ++p;
  }
  while (p < line.size() &&
         (IsAsciiSpace(line[p]) || line[p] == ':' || line[p] == '.' ||
          line[p] == '-' || line[p] == ';' || line[p] == ',' ||
          line[p] == '=' || line[p] == '*')) {
    ++p;
  }
  return std::min(p, line.size());
}

size_t FindEndSummary(absl::string_view line, size_t pos) {
  // Every match ends in "SUMMARY": most lines are rejected by one scan.
  if (pos >= line.size() ||
      FindIgnoreCase(line, "SUMMARY", pos) == absl::string_view::npos) {
    return kNpos;
  }
  while (true) {
    const size_t at = FindWordIgnoreCase(line, "END", pos);
    if (at == kNpos) return kNpos;
    size_t k = at + 3;
    while (k < line.size() && IsAsciiSpace(line[k])) ++k;
    if (StartsWithNoCase(line.substr(k), "OF ")) {
      k += 3;
      while (k < line.size() && IsAsciiSpace(line[k])) ++k;
    }
    if (StartsWithNoCase(line.substr(k), "SUMMARY")) return at;
    pos = at + 1;
  }
}

std::string ExtractSummary(const std::vector<absl::string_view>& lines,
                           const std::vector<ParagraphSpan>& spans,
                           size_t end) {
  end = std::min(end, lines.size());
  // The marker must come within the first five paragraphs (State cables
  // often open with three paragraphs of instructions).
  const size_t search_end = spans.size() > 5 ? spans[5].line : end;
  // Pass 0 takes markers followed by text on their line or inside a
  // paragraph; pass 1 also heading lines ("Summary" over a paragraph).
  // At most a few markers are tried, so hostile input stays linear.
  constexpr int kMaxMarkers = 8;
  int markers = 0;
  // SummaryMarkerEnd of each line, computed once for both passes.
  constexpr size_t kUnknown = kNpos - 1;
  std::vector<size_t> marker_ends(lines.size(), kUnknown);
  auto marker_end = [&](size_t l) {
    if (marker_ends[l] == kUnknown) marker_ends[l] = SummaryMarkerEnd(lines[l]);
    return marker_ends[l];
  };
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < search_end; ++i) {
      size_t off = marker_end(i);
      if (off == kNpos) continue;
      if (++markers > kMaxMarkers) return "";
      // Paragraph holding the marker, and the first one after it.
      size_t holder = kNpos;
      size_t first_after = spans.size();
      for (size_t a = 0; a < spans.size(); ++a) {
        if (spans[a].line <= i && i < spans[a].end_line) holder = a;
        if (spans[a].line > i) {
          first_after = a;
          break;
        }
      }
      const bool rest_empty = TrimView(lines[i].substr(off)).empty();
      if (pass == 0 && rest_empty && holder == kNpos) continue;
      const size_t base = holder != kNpos ? holder : first_after;
      const size_t limit_span = base + 6;
      const size_t limit_line =
          limit_span < spans.size() ? spans[limit_span].line : end;
      std::string text;
      bool done = false;
      size_t start = i;
      for (size_t l = i; l < limit_line; ++l) {
        if (l > start && holder == kNpos) {
          // A later marker before the end marker starts the summary anew.
          const size_t again = marker_end(l);
          if (again != kNpos) {
            start = l;
            off = again;
          }
        }
        const size_t e = FindEndSummaryIn(lines, l, l == start ? off : 0);
        if (e == kNpos) continue;
        Collect(lines, spans, start, off, l, e, &text);
        done = true;
        break;
      }
      if (!done) {
        if (holder != kNpos) {
          Collect(lines, spans, i, off, spans[holder].end_line - 1, kNpos,
                  &text);
        } else if (rest_empty && first_after < spans.size()) {
          text = ParagraphText(lines, spans[first_after]);
        } else {
          size_t l = i + 1;
          while (l < end && !IsBlankLine(lines[l]) &&
                 !ParseParagraphStart(lines[l])) {
            ++l;
          }
          Collect(lines, spans, i, off, l - 1, kNpos, &text);
        }
      }
      std::string cleaned = Clean(std::move(text));
      if (!cleaned.empty()) return cleaned;
    }
  }
  // No marker, but "End Summary." closes one of the first paragraphs: the
  // summary runs from the first paragraph to it.
  if (!spans.empty()) {
    const size_t last = spans.size() > 3 ? spans[3].line : end;
    for (size_t l = spans[0].line; l < last; ++l) {
      const size_t e = FindEndSummaryIn(
          lines, l, l == spans[0].line ? spans[0].text_offset : 0);
      if (e == kNpos) continue;
      std::string text;
      Collect(lines, spans, spans[0].line, spans[0].text_offset, l, e, &text);
      return Clean(std::move(text));
    }
  }
  return "";
}

}  // namespace cables::parser
