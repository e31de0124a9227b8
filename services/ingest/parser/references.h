// The REF block of a cable: "REF: A) Almaty 1501, B) Almaty 1559",
// "REFS: A. 08 STATE 12345 B. EMAIL FROM J. SMITH 3/4/08 AND PREVIOUS", ...
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_REFERENCES_H_
#define CABLES_SERVICES_INGEST_PARSER_REFERENCES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "cables/v1/cable.pb.h"

namespace cables::parser {

struct ReferenceContext {
  int year = 0;               // the citing cable's four-digit year (0: unknown)
  std::string station;        // the citing cable's canonical station
  std::string self_id;        // the citing cable's canonical id (skipped)
};

// Locates the REF block in `body` (the text after "REF:", "REFS:",
// "REFERENCE:", "REFTEL:" ... up to the first blank line, paragraph or
// classification line; page-break lines like "DAMASCUS 00000427 002 OF 002"
// inside the block are skipped) and parses its entries. Returns an empty
// vector when there is no REF block.
std::vector<cables::v1::Reference> ExtractReferences(
    absl::string_view body, const ReferenceContext& context);

// Parses the text of a REF block (without the leading "REF:" label).
std::vector<cables::v1::Reference> ParseReferenceBlock(
    absl::string_view block, const ReferenceContext& context);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_REFERENCES_H_
