#include "services/ingest/parser/browser_page.h"

#include <cstddef>
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
// How far down the first label line is looked for.
constexpr int kMaxPreambleLines = 200;
// Longest label ("Classification").
constexpr size_t kMaxLabelLength = 24;
// A note line ("This record is a partial extract ...") is short.
constexpr size_t kMaxNoteLength = 300;

enum class Label {
  kNone,
  kId,
  kIgnored,
  kOrigin,
  kCreated,
  kReleased,
  kClassification,
  kTags,
  kRedacted,
  kSubject,
};

Label LabelNamed(absl::string_view name) {
  const std::string n = absl::AsciiStrToLower(Trim(name));
  if (n == "identifier" || n == "reference id" || n == "reference" ||
      n == "cable id" || n == "canonical id") {
    return Label::kId;
  }
  if (n == "wikileaks" || n == "link" || n == "url" || n == "permalink") {
    return Label::kIgnored;
  }
  if (n == "origin" || n == "source") return Label::kOrigin;
  if (n == "created" || n == "date" || n == "date created") {
    return Label::kCreated;
  }
  if (n == "released" || n == "release date" || n == "date released") {
    return Label::kReleased;
  }
  if (n == "classification" || n == "original classification") {
    return Label::kClassification;
  }
  if (n == "tags") return Label::kTags;
  if (n == "redacted") return Label::kRedacted;
  if (n == "subject" || n == "title") return Label::kSubject;
  return Label::kNone;
}

// Splits "Label: value"; kNone when the line is not a known label line.
Label ParseLabelLine(absl::string_view line, absl::string_view* value) {
  const absl::string_view t = Trim(line);
  const size_t colon = t.find(':');
  if (colon == npos || colon == 0 || colon > kMaxLabelLength) {
    return Label::kNone;
  }
  const Label label = LabelNamed(t.substr(0, colon));
  if (label != Label::kNone) *value = Trim(t.substr(colon + 1));
  return label;
}

bool IsPartialNote(absl::string_view t) {
  return t.size() <= kMaxNoteLength &&
         absl::StrContains(absl::AsciiStrToLower(t), "partial extract");
}

// "This cable was not redacted by Wikileaks." and the like, standing alone.
bool IsRedactionNote(absl::string_view t) {
  const std::string lower = absl::AsciiStrToLower(t);
  return t.size() <= kMaxNoteLength &&
         absl::StartsWith(lower, "this cable was") &&
         absl::StrContains(lower, "redacted");
}

bool RedactedValue(absl::string_view value) {
  const std::string v = absl::AsciiStrToLower(value);
  if (absl::StrContains(v, "not redacted") || v == "no" || v == "false" ||
      v == "0" || v == "none") {
    return false;
  }
  return absl::StrContains(v, "redacted") || v == "yes" || v == "true" ||
         v == "1";
}

// "PGOV PREL KZ", "PGOV, PREL, KZ", or "PGOV - Internal Governmental
// Affairs | PREL - External Political Relations" (code, then its meaning).
std::vector<std::string> SplitTags(absl::string_view value) {
  std::vector<std::string> tags;
  const bool described = value.find('|') != npos;
  const bool commas = !described && value.find(',') != npos;
  size_t i = 0;
  while (i < value.size()) {
    size_t j = i;
    while (j < value.size() &&
           (described ? value[j] != '|'
            : commas  ? value[j] != ',' && value[j] != ';'
                      : value[j] != ' ' && value[j] != '\t')) {
      ++j;
    }
    absl::string_view tag = Trim(value.substr(i, j - i));
    if (described) tag = Trim(tag.substr(0, tag.find(" - ")));
    if (!tag.empty()) tags.push_back(FoldWhitespace(tag));
    i = j + 1;
  }
  return tags;
}

struct Line {
  size_t begin;
  size_t end;  // without '\n'
  size_t next;
};

Line LineAt(absl::string_view text, size_t pos) {
  const size_t nl = text.find('\n', pos);
  if (nl == npos) return {pos, text.size(), text.size()};
  return {pos, nl, nl + 1};
}

// The paragraphs (runs of non-blank lines, whitespace folded) of `text`.
std::vector<std::string> Paragraphs(absl::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (size_t pos = 0; pos < text.size();) {
    const Line line = LineAt(text, pos);
    const absl::string_view t =
        Trim(text.substr(line.begin, line.end - line.begin));
    if (t.empty()) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      if (!current.empty()) current.push_back(' ');
      current.append(t.data(), t.size());
    }
    pos = line.next;
  }
  if (!current.empty()) out.push_back(std::move(current));
  for (auto& p : out) p = FoldWhitespace(p);
  return out;
}

// "SUBJECT: ..." (the label in capitals, as telegrams write them).
bool IsUpperCaseLabel(absl::string_view t) {
  const size_t colon = t.find(':');
  bool upper = false;
  for (size_t i = 0; i < colon && i < t.size(); ++i) {
    if (t[i] >= 'a' && t[i] <= 'z') return false;
    if (t[i] >= 'A' && t[i] <= 'Z') upper = true;
  }
  return upper;
}

// "US embassy cable - 05ALMATY1595".
bool IsTitle(absl::string_view paragraph, absl::string_view id) {
  const std::string lower = absl::AsciiStrToLower(paragraph);
  if (!id.empty() && absl::StrContains(paragraph, id) &&
      paragraph.size() < id.size() + 60) {
    return true;
  }
  return absl::StrContains(lower, "cable") && absl::StrContains(lower, " - ") &&
         paragraph.size() < 80;
}

}  // namespace

bool LooksLikeBrowserPage(absl::string_view input) {
  bool identifier = false;
  bool other = false;
  int lines = 0;
  for (size_t pos = 0; pos < input.size() && lines < kMaxPreambleLines;
       ++lines) {
    const Line line = LineAt(input, pos);
    absl::string_view value;
    switch (ParseLabelLine(input.substr(line.begin, line.end - line.begin),
                           &value)) {
      case Label::kId:
        identifier = true;
        break;
      case Label::kClassification:
      case Label::kCreated:
      case Label::kOrigin:
        other = true;
        break;
      default:
        break;
    }
    if (identifier && other) return true;
    pos = line.next;
  }
  return false;
}

absl::StatusOr<SourceDocument> ParseBrowserPage(absl::string_view text) {
  SourceDocument doc;
  doc.format = cables::v1::BROWSER;

  // The first label line.
  size_t labels_begin = npos;
  {
    int lines = 0;
    for (size_t pos = 0; pos < text.size() && lines < kMaxPreambleLines;
         ++lines) {
      const Line line = LineAt(text, pos);
      absl::string_view value;
      const Label label = ParseLabelLine(
          text.substr(line.begin, line.end - line.begin), &value);
      if (label != Label::kNone && label != Label::kSubject) {
        labels_begin = line.begin;
        break;
      }
      pos = line.next;
    }
  }
  if (labels_begin == npos) {
    return absl::InvalidArgumentError(
        "browser page: no Identifier:, Origin:, Created: or Classification: "
        "line");
  }

  // The label lines and notes, up to the telegram text.
  bool seen[static_cast<int>(Label::kSubject) + 1] = {};
  bool explicit_subject = false;
  bool after_blank = false;
  size_t text_begin = text.size();
  for (size_t pos = labels_begin; pos < text.size();) {
    const Line line = LineAt(text, pos);
    const absl::string_view raw =
        text.substr(line.begin, line.end - line.begin);
    const absl::string_view t = Trim(raw);
    absl::string_view value;
    const Label label = t.empty() ? Label::kNone : ParseLabelLine(t, &value);
    if (t.empty()) {
      after_blank = true;
      pos = line.next;
      continue;
    }
    // Past a blank line, an upper-case "SUBJECT:" or "DATE:" belongs to the
    // telegram text, not to the page's labels.
    const bool label_ok = label != Label::kNone &&
                          !seen[static_cast<int>(label)] &&
                          !(after_blank && IsUpperCaseLabel(t));
    if (label_ok) {
      seen[static_cast<int>(label)] = true;
      switch (label) {
        case Label::kId:
          doc.reference_id = std::string(value);
          break;
        case Label::kOrigin:
          doc.origin = std::string(value);
          break;
        case Label::kCreated:
          doc.created = ParseContainerTime(value);
          break;
        case Label::kReleased:
          doc.released = ParseContainerTime(value);
          break;
        case Label::kClassification:
          doc.classification = std::string(value);
          break;
        case Label::kTags:
          doc.tags = SplitTags(value);
          break;
        case Label::kRedacted:
          doc.redacted = RedactedValue(value);
          break;
        case Label::kSubject:
          doc.subject = FoldWhitespace(value);
          explicit_subject = true;
          break;
        case Label::kIgnored:
        case Label::kNone:
          break;
      }
    } else if (IsPartialNote(t)) {
      doc.partial = true;
    } else if (IsRedactionNote(t)) {
      doc.redacted = RedactedValue(t);
    } else {
      text_begin = line.begin;
      break;
    }
    pos = line.next;
  }

  // Title, disclaimer and subject before the labels.
  if (!explicit_subject) {
    std::vector<std::string> paragraphs =
        Paragraphs(text.substr(0, labels_begin));
    std::vector<std::string> kept;
    for (size_t i = 0; i < paragraphs.size(); ++i) {
      if (absl::StartsWithIgnoreCase(paragraphs[i], "disclaimer")) continue;
      if (i == 0 && IsTitle(paragraphs[i], doc.reference_id)) continue;
      kept.push_back(std::move(paragraphs[i]));
    }
    if (!kept.empty()) doc.subject = std::move(kept.back());
  }

  const TelegramParts parts = SplitTelegramText(text.substr(text_begin));
  doc.header = std::string(parts.header);
  doc.body = std::string(parts.body);
  return doc;
}

}  // namespace cables::parser
