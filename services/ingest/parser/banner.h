// The classification banner that opens a telegram body:
//   "C O N F I D E N T I A L SECTION 01 OF 02 DAMASCUS 000427"
//   "UNCLAS SECTION 01 OF 03 BRASILIA 000905", "S E C R E T STATE 119085"
//   "SECRET//NOFORN PARIS 000123", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
// and garbled variants seen in real data ("SS E C R E T", "C ONFIDENTIAL",
// "UUNCLAS", "S e c r e t state 000123").
//
// Pure and thread-safe.
#ifndef CABLES_SERVICES_INGEST_PARSER_BANNER_H_
#define CABLES_SERVICES_INGEST_PARSER_BANNER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cables::parser {

struct Banner {
  // Level: "UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET" or
  // "LIMITED OFFICIAL USE".
  std::string level;
  // Level plus the banner's own "//" caveats: "SECRET//NOFORN".
  std::string classification;
  // Caveats written after "//" in the banner, in order.
  std::vector<std::string> caveats;
  // "DAMASCUS", "ABU DHABI", "STATE" (upper case, single spaces); empty
  // when the banner names no station.
  std::string station;
  // Serial as written, e.g. "000427"; empty when absent.
  std::string serial;
};

// Parses a banner line; nullopt when `line` is not one. A banner is a
// classification level, optional "//" caveats, optional "SECTION nn OF nn"
// and optional "STATION SERIAL"; other words directly after the level
// ("SECRET SERVICE AGENTS ...") make it no banner.
std::optional<Banner> ParseBannerLine(absl::string_view line);

// Normalises a classification written by a container ("Secret//Noforn",
// "UNCLAS") to the archive's form ("SECRET//NOFORN", "UNCLASSIFIED").
std::string NormalizeClassification(absl::string_view classification);

}  // namespace cables::parser

#endif  // CABLES_SERVICES_INGEST_PARSER_BANNER_H_
