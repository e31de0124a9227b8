// The table of cable stations (the middle part of a cable id: "ALMATY" in
// "05ALMATY1595") and the aliases sources write for them.
//
// The canonical names are those of the 251,287-cable release: upper case, no
// spaces ("RIODEJANEIRO", "USUNNEWYORK", "UNVIEVIENNA", "STATE"). Aliases are
// the forms cables and REF blocks use for them ("SECSTATE", "SECSTATE
// WASHDC", "RIO", "RIO DE JAN", "USUN", "UNVIE", "ADDIS", "CASA", ...).
//
// Keys are looked up in their "squeezed" form: upper-case ASCII letters only
// ("RIO DE JAN" -> "RIODEJAN", "N'DJAMENA" -> "NDJAMENA"). The table is built
// once, on first use, and never modified afterwards.
//
// Thread-safe: every function may be called concurrently.
#ifndef CABLES_SERVICES_INGEST_PARSER_STATION_ALIASES_H_
#define CABLES_SERVICES_INGEST_PARSER_STATION_ALIASES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::parser {

// The most words a station is written with ("HO CHI MINH CITY",
// "USMISSION UNVIE VIENNA"); callers matching stations word by word need not
// try longer runs.
inline constexpr int kMaxStationWords = 5;

// Canonical station for `squeezed` (upper-case letters only, e.g.
// "RIODEJAN"), or an empty view when it is neither a known station nor an
// alias. The returned view points into static storage.
absl::string_view LookupStation(absl::string_view squeezed);

// True when `squeezed` is a canonical station name of the table.
bool IsCanonicalStation(absl::string_view squeezed);

// Upper-cases `station` and keeps only its ASCII letters ("Rio de Jan." ->
// "RIODEJAN").
std::string SqueezeStation(absl::string_view station);

// Every canonical station of the table, sorted (for tests and tools).
std::vector<std::string> CanonicalStations();

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_STATION_ALIASES_H_
