// The telegram routing header:
//   VZCZCXRO0539                         transmission id
//   PP RUEHAG RUEHBC ...                 precedence and routing line
//   DE RUEHDM #0427/01 1681625           originating station and serial
//   ZNY CCCCC ZZH
//   P 161625Z JUN 08                     precedence prosign + date-time group
//   FM AMEMBASSY DAMASCUS
//   TO RUEHC/SECSTATE WASHDC PRIORITY 5083
//   INFO RUEHEE/ARAB LEAGUE COLLECTIVE PRIORITY
//   RUEHAD/AMEMBASSY ABU DHABI PRIORITY 1392   (continuation)
//   BT / #0427 / XMT ...                 end of the addressee block
// Distribution lists ("INFO  LOG-00 EEB-00 ...") and "XMT" exclusions are
// not recipients. A recipient's precedence is the one its line states
// (PRECEDENCE_UNSPECIFIED when the line states none).
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_ROUTING_HEADER_H_
#define CABLES_SERVICES_INGEST_PARSER_ROUTING_HEADER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cables/v1/cable.pb.h"

namespace cables::parser {

struct RoutingHeader {
  // First "VZCZC..." token, e.g. "VZCZCXRO0539"; empty when absent.
  std::string transmission_id;
  // Precedence of the message from the DTG prosign (Z FLASH, O IMMEDIATE,
  // P PRIORITY, R ROUTINE).
  cables::v1::Recipient::Precedence precedence =
      cables::v1::Recipient::PRECEDENCE_UNSPECIFIED;
  // The date-time group, UTC.
  std::optional<absl::Time> dtg;
  // "AMEMBASSY DAMASCUS" from the FM line; empty when absent.
  std::string from;
  // Serial from the DE line ("#0427/01" -> "0427"); empty when absent.
  std::string serial;
  std::vector<cables::v1::Recipient> recipients;
};

// Parses the routing lines of `header`. Never fails; absent parts stay
// empty. `year_hint` (four-digit, 0 = unknown) picks the century of
// two-digit DTG years; without it years 50-99 are 19xx, 00-49 are 20xx.
RoutingHeader ParseRoutingHeader(absl::string_view header, int year_hint);

// Parses a date-time group "161625Z JUN 08" / "291359Z Nov 00" /
// "161625Z JUN 2008" at the start of `text` (after spaces); nullopt when it
// is not one or names an impossible date.
std::optional<absl::Time> ParseDtg(absl::string_view text, int year_hint);

// Parses one addressee line "RUEHC/SECSTATE WASHDC PRIORITY 5083" (without
// its TO/INFO prefix) into *recipient; false when the line holds no name.
bool ParseAddressee(absl::string_view line, cables::v1::Recipient* recipient);

// Resolves a two-digit year: the century closest to `year_hint` when given,
// otherwise 1950-2049.
int ExpandTwoDigitYear(int yy, int year_hint);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_ROUTING_HEADER_H_
