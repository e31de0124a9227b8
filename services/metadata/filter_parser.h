// ParseCableFilter: the AIP-160 filter language of ListCables, BrowseCables
// and ExportCables, parsed into a storage::CableFilter expression.
//
// Grammar (AIP-160; AND binds looser than OR, as the AIP specifies):
//   filter     := [expression]
//   expression := sequence {AND sequence}
//   sequence   := factor {factor}              juxtaposition means AND
//   factor     := term {OR term}
//   term       := [NOT | "-"] simple
//   simple     := restriction | "(" expression ")"
//   restriction:= field op value | flag-field
//   op         := "=" | "!=" | ":" | "<" | "<=" | ">" | ">="
//   value      := "double-quoted string" (\" and \\ escape) | bare word;
//                 a trailing "*" on = or : makes a prefix match.
// Fields:
//   origin          = exact; : contains (case-insensitive), != ; "Embassy*"
//   classification  = exact; : the marking or one it starts ("SECRET" has
//                   "SECRET//NOFORN"); case-insensitive
//   tags, tag       : / = the cable has the tag; != it has not; "P*" prefix
//   caveats, caveat as tags
//   id              = / : canonical id (any case); "05ALMATY*" prefix
//   created, released
//                   all comparisons with YYYY, YYYY-MM, YYYY-MM-DD (the whole
//                   year/month/day) or an RFC 3339 time
//   partial, redacted
//                   = true|false, != ; alone means = true
// Example: origin = "Embassy Almaty" AND tags:"PGOV" AND
//          created >= "2005-01-01" AND classification:"SECRET"
//          AND (caveats:"NOFORN" OR NOT redacted)
//
// Errors: kInvalidArgument whose message gives the 1-based character
// position of the problem. At most 200 restrictions and 32 levels of
// nesting.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_METADATA_FILTER_PARSER_H_
#define CABLES_SERVICES_METADATA_FILTER_PARSER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/cable_filter.h"

namespace cables::metadata {

absl::StatusOr<storage::CableFilter> ParseCableFilter(absl::string_view filter);

}  // namespace cables::metadata

#endif  // CABLES_SERVICES_METADATA_FILTER_PARSER_H_
