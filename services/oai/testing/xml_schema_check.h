// Test helper: validates XML documents against the XSDs in
// services/oai/schemas with xmllint (package libxml2-utils), offline
// (--nonet, schemaLocations resolved through schemas/catalog.xml).
//
// Test-only. Thread-compatible (uses temporary files).
#ifndef CABLES_SERVICES_OAI_TESTING_XML_SCHEMA_CHECK_H_
#define CABLES_SERVICES_OAI_TESTING_XML_SCHEMA_CHECK_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cables::oai::testing {

// True when xmllint is on PATH.
bool HaveXmllint();

// Validates `xml` against schemas/<schema>: "oai_pmh_with_oai_dc.xsd" for
// OAI-PMH responses, "oai_dc.xsd" for a bare oai_dc record.
// kFailedPrecondition when xmllint is missing; kInvalidArgument with
// xmllint's messages when the document is invalid.
absl::Status ValidateXml(absl::string_view xml, absl::string_view schema);

}  // namespace cables::oai::testing

#endif  // CABLES_SERVICES_OAI_TESTING_XML_SCHEMA_CHECK_H_
