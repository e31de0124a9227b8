// OaiRequest: the arguments of one OAI-PMH request, checked against the
// protocol's rules for verbs and argument names (OAI-PMH 2.0, sections 3.1
// and 4): a missing, unknown or repeated verb is badVerb; an argument the
// verb does not take, a repeated argument, a missing required one, or a
// resumptionToken together with anything but the verb is badArgument.
// Values (dates, prefixes, sets, identifiers, tokens) are the handler's to
// check. Also the datestamp syntax (day or seconds granularity, UTC).
//
// Pure functions; thread-safe.
#ifndef CABLES_SERVICES_OAI_OAI_REQUEST_H_
#define CABLES_SERVICES_OAI_OAI_REQUEST_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cables::oai {

enum class OaiErrorCode {
  kBadArgument,
  kBadResumptionToken,
  kBadVerb,
  kCannotDisseminateFormat,
  kIdDoesNotExist,
  kNoRecordsMatch,
  kNoMetadataFormats,
  kNoSetHierarchy,
};

// "badArgument", "badResumptionToken", ...
absl::string_view OaiErrorCodeName(OaiErrorCode code);

struct OaiError {
  OaiErrorCode code = OaiErrorCode::kBadArgument;
  std::string message;
};

enum class OaiVerb {
  kIdentify,
  kListMetadataFormats,
  kListSets,
  kGetRecord,
  kListIdentifiers,
  kListRecords,
};

absl::string_view OaiVerbName(OaiVerb verb);

struct OaiRequest {
  OaiVerb verb = OaiVerb::kIdentify;
  // Every argument but the verb, by name.
  std::map<std::string, std::string> arguments;

  // The argument's value, "" when absent.
  std::string Get(absl::string_view name) const;
  bool Has(absl::string_view name) const;
};

struct ParsedOaiRequest {
  OaiRequest request;
  std::optional<OaiError> error;  // badVerb or badArgument
};

ParsedOaiRequest ParseOaiRequest(
    const std::vector<std::pair<std::string, std::string>>& arguments);

// A "from"/"until" value: YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.
struct OaiDatestamp {
  absl::Time time;   // the start of the day or second
  bool day = false;  // day granularity
};

std::optional<OaiDatestamp> ParseOaiDatestamp(absl::string_view text);

// YYYY-MM-DDThh:mm:ssZ (seconds truncated).
std::string FormatOaiDatestamp(absl::Time time);

}  // namespace cables::oai

#endif  // CABLES_SERVICES_OAI_OAI_REQUEST_H_
