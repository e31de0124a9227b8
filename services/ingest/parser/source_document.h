// SourceDocument: what a format front-end (HTML page, CSV row, browser page,
// raw text) extracts from its input before the telegram itself is analysed.
// Front-ends fill only what their format states explicitly; the telegram
// analyser (telegram.h) fills the rest from the header and body text.
#ifndef CABLES_SERVICES_INGEST_PARSER_SOURCE_DOCUMENT_H_
#define CABLES_SERVICES_INGEST_PARSER_SOURCE_DOCUMENT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "cables/v1/cable.pb.h"

namespace cables::parser {

struct SourceDocument {
  cables::v1::SourceFormat format = cables::v1::SOURCE_FORMAT_UNSPECIFIED;
  // Metadata stated by the container format (empty / nullopt when absent).
  std::string reference_id;
  std::optional<absl::Time> created;   // UTC
  std::optional<absl::Time> released;  // UTC
  std::string origin;                  // e.g. "Embassy Almaty"
  std::string classification;          // e.g. "SECRET//NOFORN"
  std::vector<std::string> tags;       // browser pages list tags
  std::string subject;                 // browser pages show a title line
  // Reference ids listed by the container (cables.csv "references" column),
  // as written.
  std::vector<std::string> listed_references;
  bool partial = false;      // "partial extract" note present
  bool redacted = false;     // container says the cable was redacted
  // Telegram routing header (VZCZC..., FM/TO/INFO lines) and the body text,
  // entities decoded, markup removed, '\n' line ends, valid UTF-8.
  std::string header;
  std::string body;
};

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_SOURCE_DOCUMENT_H_
