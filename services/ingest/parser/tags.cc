#include "services/ingest/parser/tags.h"

#include <array>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/ingest/parser/body_lines.h"
#include "services/ingest/parser/byte_scan.h"
#include "services/ingest/parser/tag_kinds.h"

namespace cables::parser {
namespace {

struct Item {
  std::string text;
  bool comma_after = false;  // a ',' or ';' follows it
  bool grouped = false;      // came from a parenthesised person group
};

bool IsTagSeparator(char c) {
  return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '\n' ||
         c == '\r';
}

std::string Upper(absl::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToAsciiUpper(c);
  return out;
}

// Letters with inner '-' or '\'', e.g. "O'NEILL", "SMITH-JONES".
bool IsNameWord(absl::string_view s, size_t min_letters) {
  size_t letters = 0;
  for (char c : s) {
    if (IsAsciiAlpha(c)) {
      ++letters;
    } else if (c != '-' && c != '\'') {
      return false;
    }
  }
  return letters >= min_letters && IsAsciiAlpha(s.front());
}

// "STEINBERG, JAMES B." -> "STEINBERG, JAMES B." (folded, upper case, one
// space after the comma); empty when `inner` is no person.
std::string PersonFromGroup(absl::string_view inner) {
  inner = TrimView(inner);
  const size_t comma = inner.find(',');
  if (comma == absl::string_view::npos) return "";
  const absl::string_view surname = TrimView(inner.substr(0, comma));
  const absl::string_view given =
      TrimRightChars(TrimView(inner.substr(comma + 1)), ",; ");
  if (!IsNameWord(surname, 2) || given.empty() || !IsAsciiAlpha(given[0]) ||
      IsKnownTagCode(surname)) {
    return "";
  }
  for (char c : given) {
    if (!IsAsciiAlpha(c) && c != ' ' && c != '.' && c != '-' && c != '\'') {
      return "";
    }
  }
  std::string out = Upper(surname);
  out += ", ";
  std::string rest;
  AppendFolded(given, &rest);
  out += Upper(rest);
  return out;
}

void AddItem(absl::string_view token, std::vector<Item>* items) {
  token = TrimLeftChars(token, "\"'-.:*");
  token = TrimRightChars(token, ".:;,\"'*");
  if (token.empty()) return;
  items->push_back(Item{Upper(token), false, false});
}

void SplitItems(absl::string_view v, std::vector<Item>* items) {
  size_t i = 0;
  while (i < v.size()) {
    const char c = v[i];
    // U+00A0 no-break space (from "&nbsp;") separates like a space.
    if (c == '\xC2' && i + 1 < v.size() && v[i + 1] == '\xA0') {
      i += 2;
      continue;
    }
    if (IsTagSeparator(c) || c == ')') {
      if ((c == ',' || c == ';') && !items->empty()) {
        items->back().comma_after = true;
      }
      ++i;
      continue;
    }
    if (c == '(') {
      const size_t close = v.find(')', i + 1);
      if (close == absl::string_view::npos || close - i > 80) {
        ++i;
        continue;
      }
      const absl::string_view inner = v.substr(i + 1, close - i - 1);
      std::string person = PersonFromGroup(inner);
      if (!person.empty()) {
        items->push_back(Item{std::move(person), false, true});
      } else {
        SplitItems(inner, items);
      }
      i = close + 1;
      continue;
    }
    size_t j = i;
    while (j < v.size() && !IsTagSeparator(v[j]) && v[j] != '(' &&
           v[j] != ')' &&
           !(v[j] == '\xC2' && j + 1 < v.size() && v[j + 1] == '\xA0')) {
      ++j;
    }
    AddItem(v.substr(i, j - i), items);
    i = j;
  }
}

bool IsSurnameItem(const Item& item) {
  return !item.grouped && item.text.size() <= 14 && IsNameWord(item.text, 2) &&
         !IsKnownTagCode(item.text);
}

bool IsGivenNameItem(const Item& item, size_t min_letters) {
  return !item.grouped && IsNameWord(item.text, min_letters) &&
         !IsKnownTagCode(item.text);
}

// True when `t` holds "12958" or "13526" (the E.O. numbers); scans for the
// '1's only.
bool HoldsEoNumber(absl::string_view t) {
  size_t i = 0;
  while (i + 5 <= t.size()) {
    i += byte_scan::FindByteNoCase(t.data() + i, t.size() - 4 - i, '1');
    if (i + 5 > t.size()) break;
    const absl::string_view number = t.substr(i, 5);
    if (number == "12958" || number == "13526") return true;
    ++i;
  }
  return false;
}

// Words that may label the TAGS field.
bool IsTagsLabelWord(absl::string_view w, bool colon) {
  if (w == "TAGS" || w == "TAG" || w == "TAGE" || w == "TAS") return true;
  if (!colon) return false;
  return w == "Tags" || w == "Tag" || w == "tags" || w == "TAGs";
}

bool LooksLikeCodeToken(absl::string_view s) {
  size_t n = 0;
  while (n < s.size() && IsAsciiAlpha(s[n])) ++n;
  return n >= 2 && n <= 8;
}

// Offset where a SUBJECT or REF label starts in `value`, or value.size().
size_t ValueEnd(absl::string_view value) {
  size_t end = value.size();
  for (absl::string_view label : {"SUBJECT", "SUBJ", "REF", "REFS"}) {
    size_t pos = 0;
    while (true) {
      const size_t at = FindWordIgnoreCase(value, label, pos);
      if (at == absl::string_view::npos || at >= end) break;
      size_t k = at + label.size();
      while (k < value.size() && value[k] == ' ') ++k;
      if (k < value.size() && value[k] == ':') {
        end = at;
        break;
      }
      pos = at + 1;
    }
  }
  return end;
}

bool StartsWithLabel(absl::string_view t) {
  static constexpr std::array<absl::string_view, 9> kLabels = {
      "SUBJ", "REF",  "CLASSIFIED BY", "E.O",   "EO ",
      "DECL", "TAGS", "TAG:",          "SIPDIS"};
  for (absl::string_view l : kLabels) {
    if (StartsWithNoCase(t, l)) return true;
  }
  return false;
}

// A line continuing a TAGS value: only codes and person groups.
bool IsTagContinuation(absl::string_view line) {
  const absl::string_view t = TrimView(line);
  if (t.empty() || StartsWithLabel(t) || ParseParagraphStart(t) ||
      ParsePageBreakLine(t, nullptr) || IsClassificationOnlyLine(t)) {
    return false;
  }
  std::vector<Item> items;
  SplitItems(t, &items);
  if (items.empty()) return false;
  bool any_upper = false;
  bool any_lower = false;
  for (char c : t) {
    any_upper |= IsAsciiUpper(c);
    any_lower |= IsAsciiLower(c);
  }
  if (any_upper && any_lower) return false;
  for (const Item& item : items) {
    if (item.grouped) continue;
    if (ClassifyTag(item.text) == cables::v1::TAG_KIND_UNSPECIFIED) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::string> ParseTagsValue(absl::string_view value) {
  std::vector<Item> items;
  SplitItems(value, &items);
  std::vector<std::string> tags;
  absl::flat_hash_set<std::string> seen;
  auto add = [&tags, &seen](std::string tag) {
    if (!seen.insert(tag).second) return;
    tags.push_back(std::move(tag));
  };
  size_t k = 0;
  while (k < items.size()) {
    const Item& item = items[k];
    // "ROOD, JOHN" written without parentheses.
    if (item.comma_after && IsSurnameItem(item) && k + 1 < items.size() &&
        IsGivenNameItem(items[k + 1], 2)) {
      std::string person = absl::StrCat(item.text, ", ", items[k + 1].text);
      size_t m = k + 2;
      while (m < items.size() && !items[m - 1].comma_after &&
             IsGivenNameItem(items[m], 1)) {
        absl::StrAppend(&person, " ", items[m].text);
        ++m;
      }
      add(std::move(person));
      k = m;
      continue;
    }
    // "OVIP STEINBERG JAMES": a visitor's name after OVIP, comma lost.
    if (!tags.empty() && tags.back() == "OVIP" && !item.comma_after &&
        k + 1 < items.size() && IsSurnameItem(item) && item.text.size() >= 3 &&
        IsGivenNameItem(items[k + 1], 3)) {
      add(absl::StrCat(item.text, ", ", items[k + 1].text));
      k += 2;
      continue;
    }
    add(item.text);
    ++k;
  }
  return tags;
}

bool FindTagsLabel(absl::string_view line, size_t* value_begin) {
  size_t start = 0;
  while (start < line.size() && IsAsciiSpace(line[start])) ++start;
  const absl::string_view t = line.substr(start);
  const bool eo_line = StartsWithNoCase(t, "E.O") ||
                       StartsWithNoCase(t, "EO ") ||
                       StartsWithNoCase(t, "E. O") || HoldsEoNumber(t);
  size_t pos = start;
  while (pos < line.size()) {
    const bool word_start =
        pos == start || (!IsAsciiAlnum(line[pos - 1]) && line[pos - 1] != '.' &&
                         line[pos - 1] != '/');
    if (word_start && (line[pos] == 'T' || line[pos] == 't')) {
      size_t e = pos;
      while (e < line.size() && IsAsciiAlpha(line[e])) ++e;
      const absl::string_view word = line.substr(pos, e - pos);
      size_t k = e;
      while (k < line.size() && line[k] == ' ') ++k;
      const bool colon = k < line.size() && line[k] == ':';
      if (IsTagsLabelWord(word, colon)) {
        if (colon) {
          *value_begin = k + 1;
          return true;
        }
        // No colon: the next token must look like a tag code.
        size_t te = k;
        while (te < line.size() && !IsAsciiSpace(line[te]) && line[te] != ',') {
          ++te;
        }
        const absl::string_view next = line.substr(k, te - k);
        if (k > e && LooksLikeCodeToken(next) && IsAsciiUpper(next[0]) &&
            IsAsciiUpper(next[1])) {
          *value_begin = k;
          return true;
        }
      }
    }
    if (!eo_line) return false;  // label only at the start of other lines
    ++pos;
  }
  return false;
}

std::vector<std::string> ExtractTags(
    const std::vector<absl::string_view>& lines, size_t limit) {
  limit = std::min(limit, lines.size());
  for (size_t i = 0; i < limit; ++i) {
    size_t begin = 0;
    if (!FindTagsLabel(lines[i], &begin)) continue;
    absl::string_view first = lines[i].substr(begin);
    const size_t end = ValueEnd(first);
    std::string value(first.substr(0, end));
    if (end == first.size()) {
      for (size_t j = i + 1; j < lines.size() && j <= i + 4; ++j) {
        if (!IsTagContinuation(lines[j])) break;
        absl::StrAppend(&value, " ", lines[j]);
      }
    }
    return ParseTagsValue(value);
  }
  return {};
}

}  // namespace cables::parser
