// ParseCableFilter: the AIP-160 subset that ListCables, BrowseCables and
// ExportCables accept, mapped to storage::CableFilter.
//
// Grammar: an empty filter, or terms joined by AND:
//   term  := field op value
//   field := origin | classification | tags | caveats | created
//   op    := "=" | ":" | ">=" | ">" | "<=" | "<"
//   value := "double-quoted string" (\" and \\ escape) | bare word
// origin and classification take "=" or ":" (exact match); tags and caveats
// take ":" (the cable has the value; repeat the term for several); created
// takes all comparisons with "YYYY-MM-DD" (whole days) or an RFC 3339 time.
// Example: origin = "Embassy Almaty" AND tags:"PGOV" AND
//          created >= "2005-01-01" AND caveats:"NOFORN".
//
// Errors: kInvalidArgument whose message gives the 1-based character
// position of the problem; terms the storage filter cannot express yet (OR,
// NOT, partial, redacted, two different origins) say "not supported yet" and
// name the term.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_METADATA_FILTER_PARSER_H_
#define CABLES_SERVICES_METADATA_FILTER_PARSER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/cable_repository.h"

namespace cables::metadata {

absl::StatusOr<storage::CableFilter> ParseCableFilter(absl::string_view filter);

}  // namespace cables::metadata

#endif  // CABLES_SERVICES_METADATA_FILTER_PARSER_H_
