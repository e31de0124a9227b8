// Cable reference ids: recognising and canonicalising them.
//
// A cable id is YY + STATION + SERIAL ("05ALMATY1595"). Sources write them in
// many forms: spaced ("05 ALMATY 1595"), with leading zeros
// ("05ALMATY001595"), with station aliases ("05RIO123" -> "05RIODEJANEIRO123",
// "SECSTATE" -> "STATE", "RIO DE JAN" -> "RIODEJANEIRO"), with section
// markers ("09SECTION01OF03SANJOSE525" -> "09SANJOSE525"), lower case, or
// with a four-digit year ("2005 ALMATY 1595"). Canonical form: two-digit
// year, upper-case station without spaces, serial without leading zeros.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_CABLE_ID_H_
#define CABLES_SERVICES_INGEST_PARSER_CABLE_ID_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cables::parser {

struct CableId {
  int year = 0;         // four-digit year, e.g. 2005
  std::string station;  // canonical station, e.g. "ALMATY", "STATE"
  std::string serial;   // digits without leading zeros, e.g. "1595"

  // "05ALMATY1595".
  std::string Canonical() const;
};

// Parses any written form of a cable id: a two- or four-digit year, an
// optional section marker ("SECTION 01 OF 03"), the station (any spacing,
// any case, any alias) and the serial, optionally separated by spaces, '-',
// '/' or '_'. InvalidArgumentError naming the problem when `raw` cannot be a
// cable id (empty, no year, no station, no serial, a zero serial, a year out
// of range, stray characters or text after the serial). The station is not
// required to be in the station table (see station_aliases.h).
absl::StatusOr<CableId> ParseCableId(absl::string_view raw);

// ParseCableId(raw)->Canonical().
absl::StatusOr<std::string> CanonicalizeCableId(absl::string_view raw);

// The four-digit year of a two-digit one as cable ids write it: 00..49 ->
// 2000..2049, 50..99 -> 1950..1999 (the release spans 1966..2010).
int ExpandTwoDigitYear(int two_digit_year);

// Canonical station name for a station as written ("RIO" ->
// "RIODEJANEIRO", "SECSTATE" -> "STATE", "Almaty" -> "ALMATY", "SAN JOSE" ->
// "SANJOSE", "AMEMBASSY MADRID" -> "MADRID", "SECSTATE WASHDC" -> "STATE");
// the input's letters, upper-cased, when no alias applies. Digits and
// punctuation are dropped.
std::string CanonicalStation(absl::string_view station);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_CABLE_ID_H_
