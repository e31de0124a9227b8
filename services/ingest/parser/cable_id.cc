// STUB: replaced by the canonicaliser implementation.
#include "services/ingest/parser/cable_id.h"

#include "absl/strings/str_cat.h"
#include "services/ingest/parser/text_util.h"

namespace cables::parser {

std::string CableId::Canonical() const {
  return absl::StrCat(year % 100 < 10 ? "0" : "", year % 100, station, serial);
}

absl::StatusOr<CableId> ParseCableId(absl::string_view raw) {
  return absl::UnimplementedError(absl::StrCat("stub: ", raw));
}

absl::StatusOr<std::string> CanonicalizeCableId(absl::string_view raw) {
  return AsciiUpper(raw);
}

std::string CanonicalStation(absl::string_view station) {
  return AsciiUpper(station);
}

}  // namespace cables::parser
