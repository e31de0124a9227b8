#include "services/oai/dublin_core.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace cables::oai {

void WriteOaiDc(const cables::v1::Cable& cable,
                absl::string_view oai_identifier, absl::string_view publisher,
                XmlWriter* xml) {
  xml->Open("oai_dc:dc",
            {{"xmlns:oai_dc", std::string(kOaiDcNamespace)},
             {"xmlns:dc", "http://purl.org/dc/elements/1.1/"},
             {"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"},
             {"xsi:schemaLocation",
              absl::StrCat(kOaiDcNamespace, " ", kOaiDcSchema)}});
  const auto element = [xml](absl::string_view name, absl::string_view value) {
    if (!value.empty()) xml->Element(name, value);
  };
  element("dc:title", cable.subject());
  element("dc:creator", cable.origin());
  for (const std::string& tag : cable.tags()) element("dc:subject", tag);
  element("dc:description", cable.summary());
  element("dc:publisher", publisher);
  if (cable.has_created()) {
    element("dc:date",
            absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                             absl::FromUnixSeconds(cable.created().seconds()),
                             absl::UTCTimeZone()));
  }
  element("dc:type", "Text");
  element("dc:format", "text/plain");
  element("dc:identifier", cable.canonical_id());
  element("dc:identifier", oai_identifier);
  if (cable.reference_id() != cable.canonical_id()) {
    element("dc:identifier", cable.reference_id());
  }
  element("dc:language", "en");
  for (const cables::v1::Reference& ref : cable.references()) {
    element("dc:relation", ref.id().empty() ? ref.text() : ref.id());
  }
  element("dc:coverage", cable.origin());
  std::string rights = cable.classification();
  if (cable.caveats_size() > 0 &&
      rights.find(cable.caveats(0)) == std::string::npos) {
    rights = absl::StrCat(rights, rights.empty() ? "" : "//",
                          absl::StrJoin(cable.caveats(), "//"));
  }
  element("dc:rights", rights);
  xml->Close();
}

}  // namespace cables::oai
