#include "services/ingest/parser/html_page.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "services/ingest/parser/container_time.h"
#include "services/ingest/parser/text_fragment.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

constexpr size_t npos = absl::string_view::npos;
// Longest character reference looked for ("&#x0000000A;", "&hellip;").
constexpr size_t kMaxEntityLength = 12;
// Longest tag the scanner accepts; a longer "tag" is taken as text.
constexpr size_t kMaxTagLength = 4096;
// A <pre> holding the partial-extract note is short; a longer one is text.
constexpr size_t kMaxPartialNoteLength = 400;

bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsNameChar(char c) {
  return IsAlpha(c) || (c >= '0' && c <= '9') || c == '-' || c == ':';
}

// Position just past the '>' closing the tag that starts at html[lt] ('<'),
// skipping quoted attribute values; npos when it never closes. A '<' before
// the end (even inside quotes, where HTML would write &lt;) means the first
// '<' was not a tag, which also keeps every scan short of the next '<'.
size_t TagEnd(absl::string_view html, size_t lt) {
  char quote = 0;
  const size_t limit = std::min(html.size(), lt + kMaxTagLength);
  for (size_t i = lt + 1; i < limit; ++i) {
    const char c = html[i];
    if (c == '<') return npos;
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return npos;
}

// The lower-case name of the tag at html[lt] ("pre", "/pre", "!doctype").
std::string TagName(absl::string_view html, size_t lt) {
  size_t i = lt + 1;
  std::string name;
  if (i < html.size() && (html[i] == '/' || html[i] == '!' || html[i] == '?')) {
    name.push_back(html[i++]);
  }
  while (i < html.size() && IsNameChar(html[i]) && name.size() < 16) {
    name.push_back(absl::ascii_tolower(static_cast<unsigned char>(html[i++])));
  }
  return name;
}

// Finds the next tag named `name` (lower case, "/pre" for a closing tag) at
// or after `from`; returns the position of its '<' or npos.
size_t FindTag(absl::string_view html, absl::string_view name, size_t from) {
  while (from < html.size()) {
    const void* p = std::memchr(html.data() + from, '<', html.size() - from);
    if (p == nullptr) return npos;
    const size_t lt = static_cast<const char*>(p) - html.data();
    const size_t after = lt + 1 + name.size();
    if (after <= html.size()) {
      bool match = true;
      for (size_t k = 0; k < name.size(); ++k) {
        if (absl::ascii_tolower(static_cast<unsigned char>(html[lt + 1 + k])) !=
            name[k]) {
          match = false;
          break;
        }
      }
      if (match && (after == html.size() || !IsNameChar(html[after]))) {
        return lt;
      }
    }
    from = lt + 1;
  }
  return npos;
}

// The value of attribute `attr` (lower case) in the tag text `tag`.
absl::string_view AttributeValue(absl::string_view tag,
                                 absl::string_view attr) {
  size_t i = 0;
  while (i < tag.size()) {
    // Find a name start preceded by whitespace.
    if ((tag[i] == ' ' || tag[i] == '\t' || tag[i] == '\n') &&
        i + 1 < tag.size()) {
      size_t j = i + 1;
      while (j < tag.size() && IsNameChar(tag[j])) ++j;
      const absl::string_view name = tag.substr(i + 1, j - i - 1);
      if (absl::EqualsIgnoreCase(name, attr)) {
        while (j < tag.size() && tag[j] == ' ') ++j;
        if (j < tag.size() && tag[j] == '=') {
          ++j;
          while (j < tag.size() && tag[j] == ' ') ++j;
          if (j < tag.size() && (tag[j] == '"' || tag[j] == '\'')) {
            const char q = tag[j];
            const size_t close = tag.find(q, j + 1);
            if (close == npos) return tag.substr(j + 1);
            return tag.substr(j + 1, close - j - 1);
          }
          size_t k = j;
          while (k < tag.size() && tag[k] != ' ' && tag[k] != '>' &&
                 tag[k] != '/') {
            ++k;
          }
          return tag.substr(j, k - j);
        }
      }
      i = j;
    } else if (tag[i] == '"' || tag[i] == '\'') {
      const size_t close = tag.find(tag[i], i + 1);
      if (close == npos) return {};
      i = close + 1;
    } else {
      ++i;
    }
  }
  return {};
}

bool HasClassWord(absl::string_view classes, absl::string_view word) {
  size_t i = 0;
  while (i < classes.size()) {
    while (i < classes.size() && classes[i] == ' ') ++i;
    size_t j = i;
    while (j < classes.size() && classes[j] != ' ') ++j;
    if (absl::EqualsIgnoreCase(classes.substr(i, j - i), word)) return true;
    i = j;
  }
  return false;
}

// True when a line break follows html[pos] directly (a raw newline or its
// character reference), so a <br> there adds none.
bool LineBreakFollows(absl::string_view html, size_t pos) {
  const absl::string_view rest = html.substr(pos, 10);
  return absl::StartsWith(rest, "\n") || absl::StartsWith(rest, "\r") ||
         absl::StartsWithIgnoreCase(rest, "&#x000A;") ||
         absl::StartsWithIgnoreCase(rest, "&#xA;") ||
         absl::StartsWith(rest, "&#10;");
}

struct Cell {
  bool header = false;
  std::string text;
};

// The rows of cells of the table whose content is html[begin, end).
std::vector<std::vector<Cell>> TableRows(absl::string_view html, size_t begin,
                                         size_t end) {
  std::vector<std::vector<Cell>> rows;
  const absl::string_view table = html.substr(begin, end - begin);
  size_t pos = 0;
  while (pos < table.size()) {
    const size_t lt = table.find('<', pos);
    if (lt == npos) break;
    const std::string name = TagName(table, lt);
    const size_t tag_end = TagEnd(table, lt);
    if (tag_end == npos) {
      pos = lt + 1;
      continue;
    }
    if (name == "tr") {
      rows.emplace_back();
    } else if (name == "td" || name == "th") {
      // The cell runs to its closing tag or the next cell / row.
      size_t cell_end = tag_end;
      size_t next = table.size();
      while (cell_end < table.size()) {
        const size_t l2 = table.find('<', cell_end);
        if (l2 == npos) {
          cell_end = table.size();
          next = table.size();
          break;
        }
        const std::string n2 = TagName(table, l2);
        if (n2 == "/td" || n2 == "/th") {
          const size_t e2 = TagEnd(table, l2);
          next = e2 == npos ? l2 + 1 : e2;
          cell_end = l2;
          break;
        }
        if (n2 == "td" || n2 == "th" || n2 == "tr" || n2 == "/tr") {
          cell_end = l2;
          next = l2;
          break;
        }
        cell_end = l2 + 1;
      }
      if (rows.empty()) rows.emplace_back();
      Cell cell;
      cell.header = name == "th";
      cell.text = FoldWhitespace(
          HtmlFragmentText(table.substr(tag_end, cell_end - tag_end)));
      rows.back().push_back(std::move(cell));
      pos = next;
      continue;
    }
    pos = tag_end;
  }
  return rows;
}

enum class Column {
  kUnknown,
  kId,
  kCreated,
  kReleased,
  kClassification,
  kOrigin
};

Column ColumnNamed(absl::string_view name) {
  const std::string n = absl::AsciiStrToLower(name);
  if (n == "reference id" || n == "reference" || n == "id" ||
      n == "identifier" || n == "reference_id" || n == "cable") {
    return Column::kId;
  }
  if (n == "created" || n == "date" || n == "date created") {
    return Column::kCreated;
  }
  if (n == "released" || n == "release date" || n == "date released") {
    return Column::kReleased;
  }
  if (n == "classification") return Column::kClassification;
  if (n == "origin" || n == "source") return Column::kOrigin;
  return Column::kUnknown;
}

void FillFromTable(const std::vector<std::vector<Cell>>& rows,
                   SourceDocument* doc) {
  std::vector<Column> columns;
  const std::vector<Cell>* values = nullptr;
  for (const auto& row : rows) {
    if (row.empty()) continue;
    if (columns.empty() && row.front().header) {
      for (const Cell& c : row) columns.push_back(ColumnNamed(c.text));
      continue;
    }
    if (row.size() >= 2) {
      values = &row;
      break;
    }
  }
  if (values == nullptr) return;
  if (columns.empty()) {
    columns = {Column::kId, Column::kCreated, Column::kReleased,
               Column::kClassification, Column::kOrigin};
  }
  for (size_t i = 0; i < values->size() && i < columns.size(); ++i) {
    const std::string& v = (*values)[i].text;
    switch (columns[i]) {
      case Column::kId:
        doc->reference_id = v;
        break;
      case Column::kCreated:
        doc->created = ParseContainerTime(v);
        break;
      case Column::kReleased:
        doc->released = ParseContainerTime(v);
        break;
      case Column::kClassification:
        doc->classification = v;
        break;
      case Column::kOrigin:
        doc->origin = v;
        break;
      case Column::kUnknown:
        break;
    }
  }
}

// Removes the partial-extract note from a <pre> text: the whole text when
// it is just the note, else a first line that is the note. True when found.
bool StripPartialNote(std::string* text) {
  const absl::string_view t = Trim(*text);
  const size_t nl = t.find('\n');
  const absl::string_view first = t.substr(0, nl);
  if (first.size() <= kMaxPartialNoteLength &&
      absl::StrContains(absl::AsciiStrToLower(first), "partial extract")) {
    absl::string_view rest =
        nl == npos ? absl::string_view() : t.substr(nl + 1);
    // Drop the blank lines after the note, keeping the next line's indent.
    while (!rest.empty()) {
      const size_t eol = rest.find('\n');
      if (!Trim(rest.substr(0, eol)).empty()) break;
      rest = eol == npos ? absl::string_view() : rest.substr(eol + 1);
    }
    *text = std::string(rest);
    return true;
  }
  if (t.size() <= kMaxPartialNoteLength &&
      absl::StrContains(absl::AsciiStrToLower(t), "partial extract")) {
    text->clear();
    return true;
  }
  return false;
}

absl::string_view SkipBomAndSpace(absl::string_view s) {
  if (absl::StartsWith(s, "\xEF\xBB\xBF")) s.remove_prefix(3);
  size_t i = 0;
  while (i < s.size() &&
         (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
    ++i;
  }
  return s.substr(i);
}

// Finds <table class='... cable ...'>: returns [content begin, end).
bool FindCableTable(absl::string_view html, size_t* begin, size_t* end) {
  size_t pos = 0;
  while ((pos = FindTag(html, "table", pos)) != npos) {
    const size_t tag_end = TagEnd(html, pos);
    if (tag_end == npos) return false;
    const absl::string_view tag = html.substr(pos, tag_end - pos);
    if (HasClassWord(AttributeValue(tag, "class"), "cable")) {
      *begin = tag_end;
      size_t close = FindTag(html, "/table", tag_end);
      if (close == npos) close = FindTag(html, "pre", tag_end);
      *end = close == npos ? html.size() : close;
      return true;
    }
    pos = tag_end;
  }
  return false;
}

// The id in the page heading "<h3>Viewing cable 08DAMASCUS427, SUBJECT</h3>"
// (a fallback when the table gives none); empty when absent.
std::string ViewingCableId(absl::string_view html) {
  constexpr absl::string_view kMarker = "Viewing cable ";
  const size_t at = html.find(kMarker);
  if (at == npos) return std::string();
  size_t i = at + kMarker.size();
  const size_t begin = i;
  while (i < html.size() && i - begin < 40 &&
         (IsNameChar(html[i]) || html[i] == ' ')) {
    ++i;
  }
  return std::string(Trim(html.substr(begin, i - begin)));
}

}  // namespace

bool LooksLikeHtml(absl::string_view input) {
  const absl::string_view s = SkipBomAndSpace(input);
  if (s.size() >= 2 && s[0] == '<' &&
      (IsAlpha(s[1]) || s[1] == '!' || s[1] == '?')) {
    return true;
  }
  size_t begin, end;
  return FindCableTable(input, &begin, &end);
}

std::string HtmlFragmentText(absl::string_view html) {
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  const size_t n = html.size();
  while (i < n) {
    // Copy the run of plain text up to the next '<' or '&'.
    size_t j = i;
    while (j < n && html[j] != '<' && html[j] != '&') ++j;
    out.append(html.data() + i, j - i);
    if (j == n) break;
    i = j;
    if (html[i] == '<') {
      const char next = i + 1 < n ? html[i + 1] : '\0';
      if (!(IsAlpha(next) || next == '/' || next == '!' || next == '?')) {
        out.push_back('<');
        ++i;
        continue;
      }
      const size_t end = TagEnd(html, i);
      if (end == npos) {
        out.push_back('<');
        ++i;
        continue;
      }
      const std::string name = TagName(html, i);
      if ((name == "br" || name == "/br") && !LineBreakFollows(html, end)) {
        out.push_back('\n');
      }
      i = end;
      continue;
    }
    // '&': a character reference ends with ';' within a few bytes.
    if (absl::StartsWith(html.substr(i, 8), "&#x000A;")) {
      out.push_back('\n');
      i += 8;
      continue;
    }
    const size_t limit = std::min(n, i + kMaxEntityLength + 1);
    size_t semi = i + 1;
    while (semi < limit && html[semi] != ';' && html[semi] != '&' &&
           html[semi] != '<' && html[semi] != ' ' && html[semi] != '\n') {
      ++semi;
    }
    if (semi < limit && html[semi] == ';') {
      out.append(DecodeHtmlEntities(html.substr(i, semi + 1 - i)));
      i = semi + 1;
    } else {
      out.push_back('&');
      ++i;
    }
  }
  return out;
}

absl::StatusOr<SourceDocument> ParseHtmlPage(absl::string_view html) {
  SourceDocument doc;
  doc.format = cables::v1::HTML;
  size_t table_begin = 0;
  size_t table_end = 0;
  const bool has_table = FindCableTable(html, &table_begin, &table_end);
  if (has_table) FillFromTable(TableRows(html, table_begin, table_end), &doc);
  if (doc.reference_id.empty()) doc.reference_id = ViewingCableId(html);

  std::vector<std::string> blocks;
  size_t pos = has_table ? table_end : 0;
  bool any_pre = false;
  while ((pos = FindTag(html, "pre", pos)) != npos) {
    any_pre = true;
    const size_t open_end = TagEnd(html, pos);
    if (open_end == npos) break;
    size_t close = FindTag(html, "/pre", open_end);
    size_t next = npos;
    if (close == npos) {
      close = html.size();
    } else {
      next = TagEnd(html, close);
      if (next == npos) next = close + 1;
    }
    std::string text =
        HtmlFragmentText(html.substr(open_end, close - open_end));
    pos = next;
    if (StripPartialNote(&text)) doc.partial = true;
    if (!Trim(text).empty()) {
      blocks.push_back(std::move(text));
    }
    if (next == npos) break;
  }
  if (!has_table && !any_pre) {
    return absl::InvalidArgumentError(
        "HTML page has no <table class='cable'> and no <pre> block");
  }
  if (blocks.size() == 1) {
    const TelegramParts parts = SplitTelegramText(blocks[0]);
    if (parts.header.empty()) {
      doc.body = std::move(blocks[0]);
    } else {
      doc.header = std::string(parts.header);
      doc.body = std::string(parts.body);
    }
  } else if (blocks.size() >= 2) {
    doc.header = std::move(blocks[0]);
    doc.body = std::move(blocks[1]);
    for (size_t i = 2; i < blocks.size(); ++i) {
      doc.body.append("\n");
      doc.body.append(blocks[i]);
    }
  }
  return doc;
}

}  // namespace cables::parser
