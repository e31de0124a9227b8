// DocumentItems: splits one submitted document into the cables it holds and
// parses each. A cables.csv document (or chunk of whole rows) yields one
// item per row, with its row number; any other format yields one item. A
// row that does not parse is an item with an error, so one bad cable never
// stops the rest.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_DOCUMENT_ITEMS_H_
#define CABLES_SERVICES_INGEST_DOCUMENT_ITEMS_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cables/v1/cable.pb.h"
#include "cables/v1/ingest_service.pb.h"
#include "services/ingest/parser/cable_parser.h"

namespace cables::ingest {

struct DocumentItem {
  int32_t row = 0;  // 1-based CSV row; 0 for single-cable documents
  absl::Status status;       // OK, or why the item cannot be stored
  cables::v1::Cable cable;   // parsed cable when status is OK
};

// The parser's format for a request's format (UNSPECIFIED: detect).
parser::InputFormat ToParserFormat(cables::v1::InputFormat format);

// Parses `content`. `options.format` chooses the format (kAuto: detect).
std::vector<DocumentItem> ParseDocumentItems(absl::string_view content,
                                             const parser::ParseOptions& options);

}  // namespace cables::ingest

#endif  // CABLES_SERVICES_INGEST_DOCUMENT_ITEMS_H_
