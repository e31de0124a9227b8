// The oai_dc (unqualified Dublin Core) record of a cable:
//
//   dc:title        the subject line
//   dc:creator      the originating post (origin)
//   dc:subject      each TAG
//   dc:description  the summary
//   dc:publisher    the archive (given)
//   dc:date         created, ISO 8601 (YYYY-MM-DDThh:mm:ssZ)
//   dc:type         Text
//   dc:format       text/plain
//   dc:identifier   the canonical cable id, the OAI identifier and the
//                   reference id as written (when different)
//   dc:language     en
//   dc:relation     each reference: the cited cable's id, else its text
//   dc:coverage     the originating post
//   dc:rights       the classification (with caveats)
//
// Empty fields are left out. Pure; thread-safe.
#ifndef CABLES_SERVICES_OAI_DUBLIN_CORE_H_
#define CABLES_SERVICES_OAI_DUBLIN_CORE_H_

#include "absl/strings/string_view.h"
#include "cables/v1/cable.pb.h"
#include "services/oai/xml_writer.h"

namespace cables::oai {

inline constexpr absl::string_view kOaiDcPrefix = "oai_dc";
inline constexpr absl::string_view kOaiDcNamespace =
    "http://www.openarchives.org/OAI/2.0/oai_dc/";
inline constexpr absl::string_view kOaiDcSchema =
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";

// Writes <oai_dc:dc ...>...</oai_dc:dc> for `cable` into `xml`.
void WriteOaiDc(const cables::v1::Cable& cable,
                absl::string_view oai_identifier, absl::string_view publisher,
                XmlWriter* xml);

}  // namespace cables::oai

#endif  // CABLES_SERVICES_OAI_DUBLIN_CORE_H_
