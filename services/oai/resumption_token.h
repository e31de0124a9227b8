// ResumptionToken: the opaque OAI-PMH resumptionToken of this repository.
//
// It carries the whole request it continues (verb, metadataPrefix, from,
// until, set) and the keyset position after the last item sent (the
// record's datestamp and change-log position, or an index for ListSets),
// plus completeListSize and the cursor, so the next page needs nothing
// else. Reissuing a token on an unchanged archive returns the same page.
// Encoded as URL-safe base64 of a versioned text with a checksum: anything
// altered or made up is rejected (badResumptionToken).
//
// Pure functions; thread-safe.
#ifndef CABLES_SERVICES_OAI_RESUMPTION_TOKEN_H_
#define CABLES_SERVICES_OAI_RESUMPTION_TOKEN_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cables::oai {

struct ResumptionToken {
  std::string verb;             // "ListRecords", "ListIdentifiers", "ListSets"
  std::string metadata_prefix;  // "" for ListSets
  std::string from;             // as the request gave them ("" = absent)
  std::string until;
  std::string set;
  int64_t after_micros = 0;    // keyset: datestamp of the last item sent
  int64_t after_position = 0;  // ... and its position (ListSets: index)
  int64_t complete_list_size = 0;
  int64_t cursor = 0;  // items sent before the next page
};

std::string EncodeResumptionToken(const ResumptionToken& token);

// kInvalidArgument when `text` is not a token EncodeResumptionToken made.
absl::StatusOr<ResumptionToken> DecodeResumptionToken(absl::string_view text);

}  // namespace cables::oai

#endif  // CABLES_SERVICES_OAI_RESUMPTION_TOKEN_H_
