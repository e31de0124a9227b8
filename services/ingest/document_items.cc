#include "services/ingest/document_items.h"

#include <optional>
#include <string>
#include <utility>

#include "services/ingest/parser/csv_reader.h"
#include "services/ingest/parser/input_text.h"

namespace cables::ingest {

parser::InputFormat ToParserFormat(cables::v1::InputFormat format) {
  switch (format) {
    case cables::v1::INPUT_FORMAT_HTML:
      return parser::InputFormat::kHtml;
    case cables::v1::INPUT_FORMAT_CSV:
      return parser::InputFormat::kCsv;
    case cables::v1::INPUT_FORMAT_BROWSER:
      return parser::InputFormat::kBrowser;
    case cables::v1::INPUT_FORMAT_TEXT:
      return parser::InputFormat::kText;
    default:
      return parser::InputFormat::kAuto;
  }
}

std::vector<DocumentItem> ParseDocumentItems(
    absl::string_view content, const parser::ParseOptions& options) {
  std::vector<DocumentItem> items;
  // UTF-16 (with its byte-order mark) is decoded once, so format detection
  // and the CSV reader below see the text.
  const std::optional<std::string> utf8 = parser::DecodeUtf16WithBom(content);
  if (utf8.has_value()) content = *utf8;
  parser::InputFormat format = options.format;
  if (format == parser::InputFormat::kAuto) {
    format = parser::DetectFormat(content);
  }
  if (format != parser::InputFormat::kCsv) {
    DocumentItem item;
    parser::ParseOptions one = options;
    one.format = format;
    auto cable = parser::ParseCable(content, one);
    if (cable.ok()) {
      item.cable = *std::move(cable);
    } else {
      item.status = cable.status();
    }
    items.push_back(std::move(item));
    return items;
  }
  parser::CsvReader reader;
  reader.SetWholeInput(content);
  parser::CsvRecord record;
  while (reader.Next(&record)) {
    if (record.status.ok() && parser::IsCsvHeaderRow(record.fields)) continue;
    DocumentItem item;
    item.row = static_cast<int32_t>(record.row);
    if (!record.status.ok()) {
      item.status = record.status;
    } else {
      auto cable = parser::ParseCsvFields(std::move(record.fields), options);
      if (cable.ok()) {
        item.cable = *std::move(cable);
      } else {
        item.status = cable.status();
      }
    }
    items.push_back(std::move(item));
  }
  if (items.empty()) {
    DocumentItem item;
    item.status = absl::InvalidArgumentError("CSV document holds no rows");
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace cables::ingest
