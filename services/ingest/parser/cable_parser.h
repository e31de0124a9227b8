// The cable parser's entry points: bytes in, cables.v1.Cable out.
//
// Pure: no I/O, no global state; every function is thread-safe. Errors are
// absl::InvalidArgumentError with a message naming what is missing or wrong
// (e.g. "input is empty", "input is binary (NUL byte at offset 12)",
// "no recognisable cable: no header, body, REF block or id").
//
// Steps: the input is checked (empty, binary), made valid UTF-8 (input that
// is not UTF-8 is read as Windows-1252 when most of its high bytes are not
// UTF-8 sequences, otherwise bad sequences become U+FFFD; see
// input_text.h), handed to its format's front-end (html_page.h,
// csv_reader.h, browser_page.h, text_fragment.h) for a SourceDocument, and
// the telegram analysis (telegram.h) fills the rest of the Cable. The
// parser then sets name = "cables/" + canonical_id (when known) and
// content_sha256 (content_hash.h). Linear in the input size.
#ifndef CABLES_SERVICES_INGEST_PARSER_CABLE_PARSER_H_
#define CABLES_SERVICES_INGEST_PARSER_CABLE_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cables/v1/cable.pb.h"

namespace cables::parser {

enum class InputFormat { kAuto, kHtml, kCsv, kBrowser, kText };

// Parses "auto", "html", "csv", "browser", "text".
absl::StatusOr<InputFormat> InputFormatFromName(absl::string_view name);

struct ParseOptions {
  InputFormat format = InputFormat::kAuto;
  // Context for fragments that do not state it themselves: the cable's
  // reference id (gives year and station) and/or its year (e.g. 2005).
  std::string id_hint;
  int year_hint = 0;
};

// Guesses the format of `input` from its first bytes. Never fails: anything
// unrecognised is kText.
InputFormat DetectFormat(absl::string_view input);

// Parses one document holding exactly one cable (for CSV: one row, with or
// without its trailing newline).
absl::StatusOr<cables::v1::Cable> ParseCable(absl::string_view input,
                                             const ParseOptions& options = {});

// Parses a document that may hold many cables (a cables.csv file or chunk of
// whole rows); other formats yield one cable. Fails on the first bad row with
// its 1-based row number in the message; use CsvReader for per-row errors.
absl::StatusOr<std::vector<cables::v1::Cable>> ParseDocument(
    absl::string_view input, const ParseOptions& options = {});

// Builds the cable of one cables.csv record already split into fields (by
// CsvReader): the streaming path for bulk ingestion. Fields holding a NUL
// byte are rejected as binary; others are made valid UTF-8 as above.
// `options.format` is ignored.
absl::StatusOr<cables::v1::Cable> ParseCsvFields(
    std::vector<std::string> fields, const ParseOptions& options = {});

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_CABLE_PARSER_H_
