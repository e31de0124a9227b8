// Dates and times as container formats state them: the WikiLeaks page's
// "2008-06-16 16:04", the cable browser's "2005-04-22 01:33:00", the
// cables.csv "06/16/2008 16:04". All are UTC.
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_CONTAINER_TIME_H_
#define CABLES_SERVICES_INGEST_PARSER_CONTAINER_TIME_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cables::parser {

// Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM", "YYYY-MM-DD HH:MM:SS" (a 'T'
// may replace the space; a trailing "Z" or " UTC" is accepted). Surrounding
// whitespace is ignored. nullopt when malformed or out of range (month 13,
// February 30, hour 24, ...).
std::optional<absl::Time> ParseIsoDateTime(absl::string_view s);

// Parses "MM/DD/YYYY HH:MM" (also "M/D/YYYY", optional ":SS", or the date
// alone). nullopt when malformed or out of range.
std::optional<absl::Time> ParseUsDateTime(absl::string_view s);

// Parses dates with a month name, as browsing sites write them:
// "2005 April 22, 01:33 (Friday)", "Friday, 24 July 2009, 16:08",
// "24 Jul 2009", "April 22, 2005 01:33". Month names may be abbreviated
// (three letters) and in any case; a weekday is ignored.
std::optional<absl::Time> ParseTextualDateTime(absl::string_view s);

// Any of the forms above.
std::optional<absl::Time> ParseContainerTime(absl::string_view s);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_CONTAINER_TIME_H_
