#include "services/ingest/parser/cable_parser.h"

#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "services/common/status_macros.h"
#include "services/ingest/parser/browser_page.h"
#include "services/ingest/parser/cable_id.h"
#include "services/ingest/parser/content_hash.h"
#include "services/ingest/parser/csv_reader.h"
#include "services/ingest/parser/html_page.h"
#include "services/ingest/parser/input_text.h"
#include "services/ingest/parser/source_document.h"
#include "services/ingest/parser/telegram.h"
#include "services/ingest/parser/text_fragment.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {
namespace {

using cables::v1::Cable;

absl::string_view SkipBomAndSpace(absl::string_view s) {
  if (absl::StartsWith(s, "\xEF\xBB\xBF")) s.remove_prefix(3);
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                          s[i] == '\r' || s[i] == '\f' || s[i] == '\v')) {
    ++i;
  }
  return s.substr(i);
}

void SetTimestamp(const absl::Time t, google::protobuf::Timestamp* ts) {
  ts->set_seconds(absl::ToUnixSeconds(t));
  ts->set_nanos(0);
}

// True when the document itself holds something of a cable: a stated id, a
// routing header, or what the analysis found (paragraphs, a REF block, TAGS,
// SUBJECT, a transmission id, an id read from the text). A hint alone does
// not make text a cable.
bool IsRecognisable(const SourceDocument& doc, const Cable& cable,
                    const ParseOptions& options) {
  return !doc.reference_id.empty() || !Trim(doc.header).empty() ||
         cable.paragraphs_size() > 0 || cable.references_size() > 0 ||
         cable.tags_size() > 0 || !cable.subject().empty() ||
         !cable.transmission_id().empty() ||
         (options.id_hint.empty() && !cable.canonical_id().empty());
}

absl::StatusOr<Cable> BuildCable(SourceDocument doc,
                                 const ParseOptions& options) {
  NormalizeNewlines(&doc.header);
  NormalizeNewlines(&doc.body);
  Cable cable;
  cable.set_source_format(doc.format);
  cable.set_reference_id(doc.reference_id);
  if (doc.created.has_value()) {
    SetTimestamp(*doc.created, cable.mutable_created());
  }
  if (doc.released.has_value()) {
    SetTimestamp(*doc.released, cable.mutable_released());
  }
  cable.set_origin(doc.origin);
  cable.set_classification(doc.classification);
  cable.set_partial(doc.partial);
  cable.set_redacted(doc.redacted);

  TelegramContext context;
  context.year_hint = options.year_hint;
  context.id_hint = options.id_hint;
  AnalyzeTelegram(doc, context, &cable);

  // Whatever the analysis left unset that the container states.
  if (cable.header().empty() && !doc.header.empty()) {
    cable.set_header(std::move(doc.header));
  }
  if (cable.body().empty() && !doc.body.empty()) {
    cable.set_body(std::move(doc.body));
  }
  if (cable.tags_size() == 0) {
    for (const std::string& tag : doc.tags) cable.add_tags(tag);
  }
  if (cable.subject().empty() && !doc.subject.empty()) {
    cable.set_subject(doc.subject);
  }
  if (doc.partial) cable.set_partial(true);
  if (doc.redacted) cable.set_redacted(true);

  if (!IsRecognisable(doc, cable, options)) {
    return absl::InvalidArgumentError(
        "no recognisable cable: no reference id, routing header, numbered "
        "paragraphs, REF block, TAGS or SUBJECT");
  }
  if (cable.canonical_id().empty()) {
    // The container's id, else the caller's hint.
    for (absl::string_view raw : {absl::string_view(cable.reference_id()),
                                  absl::string_view(options.id_hint)}) {
      if (raw.empty()) continue;
      auto canonical = CanonicalizeCableId(raw);
      if (canonical.ok()) {
        cable.set_canonical_id(*std::move(canonical));
        break;
      }
    }
  }
  if (!cable.canonical_id().empty()) {
    cable.set_name(absl::StrCat("cables/", cable.canonical_id()));
  }
  cable.set_content_sha256(ContentSha256(cable));
  return cable;
}

// Parses the single cables.csv record of `text` (a header row is skipped).
absl::StatusOr<SourceDocument> ParseSingleCsvRecord(absl::string_view text) {
  CsvReader reader;
  reader.SetWholeInput(text);
  CsvRecord record;
  std::optional<SourceDocument> doc;
  while (reader.Next(&record)) {
    if (!record.status.ok()) return record.status;
    if (record.row == 1 && IsCsvHeaderRow(record.fields)) continue;
    if (doc.has_value()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "CSV input holds more than one record (row %d); parse it as a "
          "document",
          record.row));
    }
    auto parsed = ParseCsvRecord(std::move(record.fields));
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("row %d (byte offset %d): %s", record.row,
                          record.offset, parsed.status().message()));
    }
    doc = *std::move(parsed);
  }
  if (!doc.has_value()) {
    return absl::InvalidArgumentError("CSV input holds no record");
  }
  return *std::move(doc);
}

// Input checks and encoding repair; `*storage` holds the text when it had
// to be rewritten. Returns a view of the (valid UTF-8) text to parse.
absl::StatusOr<absl::string_view> PrepareText(absl::string_view input,
                                              std::string* storage) {
  if (std::optional<std::string> utf8 = DecodeUtf16WithBom(input)) {
    *storage = *std::move(utf8);
    CABLES_RETURN_IF_ERROR(CheckTextInput(*storage));
    return absl::string_view(*storage);
  }
  CABLES_RETURN_IF_ERROR(CheckTextInput(input));
  if (RepairEncoding(input, storage) != TextEncoding::kUtf8) return *storage;
  return input;
}

// ParseCable on text PrepareText accepted, in a known format.
absl::StatusOr<Cable> ParsePrepared(absl::string_view text, InputFormat format,
                                    const ParseOptions& options) {
  absl::StatusOr<SourceDocument> doc;
  switch (format) {
    case InputFormat::kHtml:
      doc = ParseHtmlPage(text);
      break;
    case InputFormat::kCsv:
      doc = ParseSingleCsvRecord(text);
      break;
    case InputFormat::kBrowser:
    case InputFormat::kText:
    case InputFormat::kAuto: {
      // These front-ends read lines ending in '\n'.
      std::string normalized;
      absl::string_view lines = text;
      if (text.find('\r') != absl::string_view::npos) {
        normalized = std::string(text);
        NormalizeNewlines(&normalized);
        lines = normalized;
      }
      if (format == InputFormat::kBrowser) {
        doc = ParseBrowserPage(lines);
      } else {
        doc = ParseTextFragment(lines);
      }
      break;
    }
  }
  if (!doc.ok()) return doc.status();
  return BuildCable(*std::move(doc), options);
}

absl::Status CheckCsvField(const std::string& field, size_t index) {
  const void* nul = std::memchr(field.data(), '\0', field.size());
  if (nul != nullptr) {
    return absl::InvalidArgumentError(
        absl::StrFormat("field %d is binary (NUL byte at offset %d)", index + 1,
                        static_cast<const char*>(nul) - field.data()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<InputFormat> InputFormatFromName(absl::string_view name) {
  const std::string n = absl::AsciiStrToLower(Trim(name));
  if (n == "auto" || n.empty()) return InputFormat::kAuto;
  if (n == "html") return InputFormat::kHtml;
  if (n == "csv") return InputFormat::kCsv;
  if (n == "browser") return InputFormat::kBrowser;
  if (n == "text" || n == "txt") return InputFormat::kText;
  return absl::InvalidArgumentError(absl::StrFormat(
      "unknown input format \"%s\" (want auto, html, csv, browser or text)",
      name.substr(0, 40)));
}

InputFormat DetectFormat(absl::string_view input) {
  const absl::string_view s = SkipBomAndSpace(input);
  if (s.size() >= 2 && s[0] == '<') {
    const char c = s[1];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '!' ||
        c == '?') {
      return InputFormat::kHtml;
    }
  }
  if (LooksLikeCablesCsv(s)) return InputFormat::kCsv;
  if (LooksLikeBrowserPage(s)) return InputFormat::kBrowser;
  if (LooksLikeHtml(s)) return InputFormat::kHtml;
  return InputFormat::kText;
}

absl::StatusOr<Cable> ParseCable(absl::string_view input,
                                 const ParseOptions& options) {
  std::string storage;
  CABLES_ASSIGN_OR_RETURN(const absl::string_view text,
                          PrepareText(input, &storage));
  const InputFormat format = options.format == InputFormat::kAuto
                                 ? DetectFormat(text)
                                 : options.format;
  return ParsePrepared(text, format, options);
}

absl::StatusOr<std::vector<Cable>> ParseDocument(absl::string_view input,
                                                 const ParseOptions& options) {
  std::string storage;
  CABLES_ASSIGN_OR_RETURN(const absl::string_view text,
                          PrepareText(input, &storage));
  const InputFormat format = options.format == InputFormat::kAuto
                                 ? DetectFormat(text)
                                 : options.format;
  std::vector<Cable> cables;
  if (format != InputFormat::kCsv) {
    CABLES_ASSIGN_OR_RETURN(Cable cable, ParsePrepared(text, format, options));
    cables.push_back(std::move(cable));
    return cables;
  }
  CsvReader reader;
  reader.SetWholeInput(text);
  CsvRecord record;
  while (reader.Next(&record)) {
    if (!record.status.ok()) return record.status;
    if (record.row == 1 && IsCsvHeaderRow(record.fields)) continue;
    auto cable = ParseCsvFields(std::move(record.fields), options);
    if (!cable.ok()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("row %d (byte offset %d): %s", record.row,
                          record.offset, cable.status().message()));
    }
    cables.push_back(*std::move(cable));
  }
  if (cables.empty()) {
    return absl::InvalidArgumentError("CSV input holds no record");
  }
  return cables;
}

absl::StatusOr<Cable> ParseCsvFields(std::vector<std::string> fields,
                                     const ParseOptions& options) {
  for (size_t i = 0; i < fields.size(); ++i) {
    CABLES_RETURN_IF_ERROR(CheckCsvField(fields[i], i));
    MakeValidUtf8(&fields[i]);
  }
  CABLES_ASSIGN_OR_RETURN(SourceDocument doc,
                          ParseCsvRecord(std::move(fields)));
  return BuildCable(std::move(doc), options);
}

}  // namespace cables::parser
