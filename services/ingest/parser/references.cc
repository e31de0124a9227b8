// STUB: replaced by the REF block parser implementation.
#include "services/ingest/parser/references.h"

namespace cables::parser {

std::vector<cables::v1::Reference> ExtractReferences(
    absl::string_view body, const ReferenceContext& context) {
  (void)body;
  (void)context;
  return {};
}

std::vector<cables::v1::Reference> ParseReferenceBlock(
    absl::string_view block, const ReferenceContext& context) {
  (void)block;
  (void)context;
  return {};
}

}  // namespace cables::parser
